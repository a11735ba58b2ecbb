"""The admin under a real uvicorn server on a free 127.0.0.1 port (issue #18, findings 2 and 3): which client
address the login limit sees, with and without a trusted proxy (the server as `make run` starts it), and that
nothing blocks: a large .po import does not hold up other requests, and an anonymous large POST is refused
without its body being read."""
from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import uvicorn

from bot.admin import security
from bot.admin.app import create_app
from bot.config import Settings
from bot.runner import Stack, admin_proxy_args
from common.db import make_engine, migrate, session_factory
from tests.admin.test_app import PASSWORD
from tests.conftest import _free_port


def staff_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        for name, role in (("eva", "editor"), ("ada", "admin")):
            security.create_user(db, name, PASSWORD, role)
    engine.dispose()
    return url


def token(client: httpx.Client, path: str = "/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def log_in(client: httpx.Client, username: str, password: str = PASSWORD, headers: dict | None = None) -> httpx.Response:
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token(client)},
                       headers=headers or {})


# --- 2. the real client address ----------------------------------------------------------------------------------
@pytest.fixture
def started_admin(tmp_path, monkeypatch):
    """Start the admin exactly as `make run` does (bot.runner.Stack.start_admin), with these trusted proxies."""
    monkeypatch.setenv("ADMIN_COOKIE_SECURE", "false")  # plain http on 127.0.0.1 in this test
    stacks = []

    def start(trusted_proxies: str) -> str:
        folder = tmp_path / f"admin{len(stacks)}"
        folder.mkdir()
        settings = Settings(admin_port=_free_port(), database_url=staff_database(folder), admin_secret_key="test-secret",
                            admin_trusted_proxies=trusted_proxies)
        stack = Stack(settings, tracker_db=folder / "tracker.db", log_dir=folder / "log")
        stacks.append(stack)
        stack.start_admin()
        stack.wait_ready(timeout=60)
        return stack.admin_url

    yield start
    for stack in stacks:
        stack.stop()


def failures_from(client: httpx.Client, addresses: list[str]) -> list[int]:
    """One failed login per address (claimed in X-Forwarded-For), each for another user name so that only the
    per-address limit can hit."""
    return [log_in(client, f"nobody{n}", "wrong password!!", {"X-Forwarded-For": address}).status_code
            for n, address in enumerate(addresses)]


def test_a_spoofed_x_forwarded_for_is_ignored_on_a_direct_connection(started_admin):
    url = started_admin("")
    with httpx.Client(base_url=url, timeout=30) as client:
        spoofed = [f"198.51.100.{n}" for n in range(security.MAX_FAILURES)]
        assert failures_from(client, spoofed) == [401] * security.MAX_FAILURES
        # the limit counted 127.0.0.1, the real peer, whatever the header claimed
        assert log_in(client, "eva", headers={"X-Forwarded-For": "198.51.100.200"}).status_code == 429


def test_through_a_trusted_proxy_each_client_address_has_its_own_limit(started_admin):
    url = started_admin("127.0.0.1")  # the test plays the reverse proxy on 127.0.0.1
    with httpx.Client(base_url=url, timeout=30) as client:
        assert failures_from(client, ["203.0.113.7"] * security.MAX_FAILURES) == [401] * security.MAX_FAILURES
        assert log_in(client, "someone", "wrong password!!", {"X-Forwarded-For": "203.0.113.7"}).status_code == 429
        # another client behind the same proxy is not locked out with them
        assert log_in(client, "eva", headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 303


def test_the_runner_and_the_deployments_pass_the_trusted_proxies_to_uvicorn():
    assert admin_proxy_args("") == ["--no-proxy-headers"]
    assert admin_proxy_args(" 10.0.0.5, 172.30.0.0/24 ") == ["--proxy-headers", "--forwarded-allow-ips=10.0.0.5,172.30.0.0/24"]
    deploy = Path(__file__).resolve().parents[2] / "deploy"
    assert "--forwarded-allow-ips" in (deploy / "docker-compose.yml").read_text()
    assert "--forwarded-allow-ips" in (deploy / "k8s" / "brobygger.yaml").read_text()


# --- 3. nothing blocks -------------------------------------------------------------------------------------------
class ThreadedServer:
    """uvicorn serving an app in a thread of this process, on a free 127.0.0.1 port."""

    def __init__(self, app: object) -> None:
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    ws="none", proxy_headers=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture
def server(tmp_path) -> Iterator[ThreadedServer]:
    settings = Settings(database_url=staff_database(tmp_path), admin_secret_key="test-secret", admin_cookie_secure=False,
                        rasa_tracker_db=tmp_path / "tracker.db", admin_max_upload_bytes=40_000_000)
    with ThreadedServer(create_app(settings)) as running:
        yield running


def large_po(entries: int) -> bytes:
    head = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return head + b"".join(b'msgid "A message the template does not have, number %d"\nmsgstr "Nummer %d"\n\n' % (n, n)
                           for n in range(entries))


def test_get_login_answers_within_a_second_while_a_large_po_import_runs(server):
    data = large_po(240_000)  # ~20 MB: the probe's 12 MB import held every other request for 80 s
    assert len(data) > 12_000_000
    importer = httpx.Client(base_url=server.url, timeout=120)
    assert log_in(importer, "eva").status_code == 303
    form = {"csrf_token": token(importer, "/translations")}
    result: dict = {}

    def run_import() -> None:
        result["start"] = time.monotonic()
        result["response"] = importer.post("/translations/da", data=form, files={"file": ("da.po", data)})
        result["end"] = time.monotonic()

    thread = threading.Thread(target=run_import)
    latencies: list[tuple[float, float]] = []  # (sent, answered) of each GET /login
    with httpx.Client(base_url=server.url, timeout=30) as other:
        thread.start()
        while thread.is_alive():
            sent = time.monotonic()
            assert other.get("/login").status_code == 200
            latencies.append((sent, time.monotonic()))
    thread.join()
    importer.close()
    assert result["response"].status_code == 422 and "more problems" in result["response"].text
    during = [(sent, answered) for sent, answered in latencies if result["start"] < sent and answered < result["end"]]
    assert result["end"] - result["start"] > 1.0  # a large import indeed
    assert len(during) >= 3, latencies  # other requests were answered while it ran ...
    assert max(answered - sent for sent, answered in latencies) < 1.0  # ... each within a second


def raw_post(url: str, path: str, length: int, cookie: str = "") -> tuple[str, float]:
    """Send only the headers of a POST announcing `length` bytes (and a first few), then read the answer: the
    server must answer without waiting for the body. Returns the status line and the seconds it took."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
            f"Content-Length: {length}\r\n{'Cookie: ' + cookie + chr(13) + chr(10) if cookie else ''}\r\n--xyz\r\n".encode())
        answer = connection.recv(65536).decode("latin1")
    return answer.splitlines()[0] + (" " + re.search(r"(?im)^location: (\S+)", answer).group(1) if "location:" in answer.lower() else ""), \
        time.monotonic() - started


def test_an_anonymous_or_oversized_post_is_refused_before_its_body_is_read(server):
    status, seconds = raw_post(server.url, "/translations/da", 300_000_000)
    assert status == "HTTP/1.1 303 See Other /login" and seconds < 5  # 300 MB announced, none sent, none read
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert log_in(client, "eva").status_code == 303
        cookie = f"brobygger_admin={client.cookies['brobygger_admin']}"
    status, seconds = raw_post(server.url, "/translations/da", 300_000_000, cookie)
    assert status.startswith("HTTP/1.1 413") and seconds < 5  # logged in, but over ADMIN_MAX_UPLOAD_BYTES
    status, _ = raw_post(server.url, "/users", 1000, cookie)
    assert status.startswith("HTTP/1.1 403")  # an editor on an admin route: refused before the body too
