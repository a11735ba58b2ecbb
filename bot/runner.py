"""Start and stop the whole product: Rasa server, action server and the front end.

`python -m bot run` (what `make run` calls). The Rasa HTTP API and the action server listen on 127.0.0.1
only; the Rasa API needs a token (RASA_TOKEN, generated per run when empty). Ctrl-C stops everything.

Under `run()` a `Supervisor` watches the servers: one that exits without being stopped (a crash, a kill) is
started again after a backoff that doubles from RESTART_DELAY to RESTART_DELAY_MAX and starts over once the server
has stayed up RESTART_RESET_AFTER seconds. Every crash and restart is logged. Messages kept while Rasa was down are
answered by the front end's retry job once Rasa is back.
"""
from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, MutableMapping

import httpx

from bot.config import ROOT, Settings

logger = logging.getLogger(__name__)


def current_model() -> Path:
    """The model `make train` produced (models/CURRENT names it)."""
    pointer = ROOT / "models" / "CURRENT"
    if not pointer.exists():
        raise FileNotFoundError("no trained model: run `make train`")
    return ROOT / pointer.read_text().strip()


@dataclass(frozen=True)
class RestartPolicy:
    """When the supervisor starts a crashed server again: after `first_delay` seconds, doubling with every crash in
    a row up to `max_delay`; a server that has stayed up `reset_after` seconds starts over at `first_delay`. Exits
    are noticed within `check_interval` seconds."""

    first_delay: float = 1.0
    max_delay: float = 60.0
    reset_after: float = 60.0
    check_interval: float = 0.5

    @classmethod
    def from_settings(cls, settings: Settings) -> RestartPolicy:
        return cls(first_delay=settings.restart_delay, max_delay=settings.restart_delay_max,
                   reset_after=settings.restart_reset_after)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before restart number `attempt` (1 = after the first crash in a row)."""
        return min(self.max_delay, self.first_delay * 2 ** max(0, attempt - 1))


@dataclass
class _Watch:
    """What the supervisor knows of one server."""

    process: subprocess.Popen | None = None  # the process last seen (a crashed one while a restart is due)
    crashes: int = 0  # crashes in a row; 0 once the server has stayed up long enough
    started_at: float = 0.0
    restart_at: float | None = None  # when the next restart is due, while one is


class Supervisor:
    """Restarts the servers of a stack that exit without being asked to (crash, kill), with exponential backoff.

    `processes` is the stack's live mapping of name -> process; `restarters[name]()` starts that server again and
    puts the new process into `processes`. `check()` does one round (tests call it with their own clock); `start()`
    runs rounds every `policy.check_interval` seconds in a daemon thread until `stop()`. A server replaced in
    `processes` by someone else (e.g. a test restarting Rasa itself) is not restarted a second time.
    """

    def __init__(
        self,
        processes: MutableMapping[str, subprocess.Popen],
        restarters: Dict[str, Callable[[], object]],
        policy: RestartPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.processes = processes
        self.restarters = dict(restarters)
        self.policy = policy or RestartPolicy()
        self.clock = clock
        self.restarts = 0  # restarts done, over all servers
        now = clock()
        self._watches = {name: _Watch(processes.get(name), started_at=now) for name in self.restarters}
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self, now: float | None = None) -> None:
        """One round: notice servers that exited, restart those whose backoff has passed."""
        now = self.clock() if now is None else now
        for name, restart in self.restarters.items():
            if self._stopped.is_set():
                return
            watch = self._watches[name]
            current = self.processes.get(name)
            if watch.restart_at is not None:
                if current is not watch.process and current is not None and current.poll() is None:
                    logger.info("%s was started again by someone else (pid %d): no restart", name, current.pid)
                    watch.process, watch.restart_at, watch.started_at = current, None, now
                elif now >= watch.restart_at:
                    self._restart(name, restart, watch, now)
                continue
            if current is None:
                continue
            if current is not watch.process:  # replaced by someone else since the last round
                watch.process, watch.started_at = current, now
            code = current.poll()
            if code is None:
                if watch.crashes and now - watch.started_at >= self.policy.reset_after:
                    logger.info("%s has stayed up %.0f s: restart backoff reset", name, now - watch.started_at)
                    watch.crashes = 0
                continue
            watch.crashes += 1
            delay = self.policy.delay(watch.crashes)
            watch.restart_at = now + delay
            logger.warning("%s exited with code %s; restart attempt %d in %g s", name, code, watch.crashes, delay)

    def _restart(self, name: str, restart: Callable[[], object], watch: _Watch, now: float) -> None:
        logger.info("restarting %s (attempt %d)", name, watch.crashes)
        try:
            restart()
        except Exception:  # e.g. the model file vanished: try again later, with the next delay
            watch.crashes += 1
            delay = self.policy.delay(watch.crashes)
            watch.restart_at = now + delay
            logger.exception("could not restart %s; restart attempt %d in %g s", name, watch.crashes, delay)
            return
        self.restarts += 1
        watch.process, watch.restart_at, watch.started_at = self.processes.get(name), None, now
        pid = watch.process.pid if watch.process is not None else "?"
        logger.info("%s restarted (pid %s, attempt %d)", name, pid, watch.crashes)

    def start(self) -> Supervisor:
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.wait(self.policy.check_interval):
            try:
                self.check()
            except Exception:  # the supervisor itself must not die
                logger.exception("supervisor round failed")

    def stop(self, timeout: float = 30.0) -> None:
        """Stop watching (before the servers are stopped on purpose); waits for a restart in progress."""
        self._stopped.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def admin_proxy_args(trusted_proxies: str) -> List[str]:
    """uvicorn's options for the admin's forwarded headers. uvicorn believes X-Forwarded-For from 127.0.0.1 unless
    told otherwise, so anybody on the machine could claim any address (and dodge the per-address login limit):
    with no trusted proxy, the headers are ignored; with ADMIN_TRUSTED_PROXIES (addresses or networks, comma
    separated: the reverse proxy's), only those are believed."""
    trusted = ",".join(part.strip() for part in trusted_proxies.split(",") if part.strip())
    if not trusted:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", f"--forwarded-allow-ips={trusted}"]


@dataclass
class Stack:
    """The running Rasa + action server (+ admin) processes, optionally supervised (see `supervise`)."""

    settings: Settings
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    log_dir: Path = ROOT / "var" / "log"
    tracker_db: Path = ROOT / "var" / "rasa_tracker.db"
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    restart_policy: RestartPolicy = field(default_factory=RestartPolicy)
    supervisor: Supervisor | None = field(default=None, repr=False)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.action_port}"

    def spawn(self, name: str, args: List[str], env: Dict[str, str]) -> subprocess.Popen:
        """Start a child process of the stack: run from the project folder, logged to log_dir/<name>.log (appended,
        so a restarted server continues its log), in its own process group, and stopped by `stop()` with the
        others."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{name}.log", "ab") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(
                args, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        logger.debug("started %s (pid %d)", name, process.pid)
        return process

    def start_actions(self) -> None:
        self.spawn(
            "actions",
            [str(ROOT / ".venv-app/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
             "-p", str(self.settings.action_port), "--quiet"],
            {"SANIC_HOST": "127.0.0.1", "PYTHONPATH": str(ROOT), "DATABASE_URL": self.settings.database_url},
        )

    def start_admin(self) -> None:
        """The web admin (FastAPI under uvicorn), on 127.0.0.1 only. `--ws none`: websockets 10 (pinned for
        sanic 21) is too old for uvicorn's websocket support, which the admin does not use. Forwarded headers
        only from ADMIN_TRUSTED_PROXIES (admin_proxy_args)."""
        env = {"PYTHONPATH": str(ROOT), "DATABASE_URL": self.settings.database_url, "RASA_TRACKER_DB": str(self.tracker_db),
               "RASA_TRACKER_URL": self.settings.rasa_tracker_url,
               "ADMIN_TRUSTED_PROXIES": self.settings.admin_trusted_proxies,
               "ADMIN_MAX_UPLOAD_BYTES": str(self.settings.admin_max_upload_bytes)}
        if self.settings.admin_secret_key:  # else the admin reads it from .env (setup writes one)
            env["ADMIN_SECRET_KEY"] = self.settings.admin_secret_key
        self.spawn(
            "admin",
            [str(ROOT / ".venv-app/bin/python"), "-m", "uvicorn", "bot.admin.app:create_app", "--factory", "--ws", "none",
             "--host", "127.0.0.1", "--port", str(self.settings.admin_port), "--no-access-log",
             *admin_proxy_args(self.settings.admin_trusted_proxies)],
            env,
        )

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.admin_port}"

    def start_rasa(self) -> None:
        self.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        self.spawn(
            "rasa",
            [str(ROOT / ".venv-rasa/bin/rasa"), "run", "--enable-api", "-i", "127.0.0.1",
             "-p", str(self.settings.rasa_port), f"--auth-token={self.token}",  # "=": tokens may start with "-"
             "--model", str(current_model()), "--endpoints", self.settings.rasa_endpoints,
             "--credentials", "credentials.yml", "--quiet"],
            {
                "PYTHONPATH": str(ROOT),
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "3",
                "ACTION_ENDPOINT_URL": f"{self.action_url}/webhook",
                "RASA_TRACKER_DB": str(self.tracker_db),
            },
        )

    def wait_ready(self, timeout: float = 240.0) -> None:
        """Block until every server this stack started answers (Rasa loads its model in ~40 s)."""
        deadline = time.monotonic() + timeout
        checks = {"actions": f"{self.action_url}/health", "rasa": f"{self.rasa_url}/status?token={self.token}",
                  "admin": f"{self.admin_url}/login"}
        pending = {name: url for name, url in checks.items() if name in self.processes}  # what this stack started
        while pending:
            for name, url in list(pending.items()):
                proc = self.processes[name]
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.log_dir / (name + '.log')}")
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        pending.pop(name)
                except httpx.HTTPError:
                    pass
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            if pending:
                time.sleep(0.5)

    def start(self, admin: bool = False, supervise: bool = False) -> Stack:
        """Start the servers and wait until they answer; with `supervise`, restart any that crashes afterwards (what
        `run()` does; tests that kill servers on purpose leave it off)."""
        from common.db import migrate

        migrate(self.settings.database_url)  # actions and admin read the product database
        self.start_actions()
        self.start_rasa()
        if admin:
            self.start_admin()
        self.wait_ready()
        if supervise:
            self.supervise()
        return self

    def supervise(self, restarters: Dict[str, Callable[[], object]] | None = None) -> Supervisor:
        """Start a supervisor for the servers this stack runs (by default: each is restarted with its `start_*`
        method), with `restart_policy`. `stop()` stops it before stopping the servers."""
        if self.supervisor is not None:
            self.supervisor.stop()
        if restarters is None:
            known = {"actions": self.start_actions, "rasa": self.start_rasa, "admin": self.start_admin}
            restarters = {name: start for name, start in known.items() if name in self.processes}
        self.supervisor = Supervisor(self.processes, restarters, self.restart_policy).start()
        return self.supervisor

    def stop(self) -> None:
        if self.supervisor is not None:  # first, so that the servers stopped here are not started again
            self.supervisor.stop()
            self.supervisor = None
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.processes.clear()


def run(settings: Settings | None = None) -> int:
    """Run the product until Ctrl-C."""
    settings = settings or Settings.from_env()
    stack = Stack(settings, token=settings.rasa_token or secrets.token_urlsafe(24), tracker_db=settings.rasa_tracker_db,
                  log_dir=settings.log_dir, restart_policy=RestartPolicy.from_settings(settings))

    def _terminate(signum: int, frame: object) -> None:  # SIGTERM (e.g. from a service manager) stops cleanly like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    print("Starting the Rasa server and the action server (about a minute)...", flush=True)
    try:
        stack.start(admin=True, supervise=True)
        print(f"Web admin: {stack.admin_url} (first account: .venv-app/bin/python -m bot admin create-user --username NAME)",
              flush=True)
        if settings.telegram_bot_token:
            from bot.telegram.app import run as run_telegram

            print("Telegram bot running (Ctrl-C stops everything).", flush=True)
            run_telegram(settings, stack)
        else:
            from bot.local_chat import chat

            print(
                "\nNo TELEGRAM_BOT_TOKEN set: starting a local chat against the same assistant.\n"
                "To connect Telegram: create a bot with @BotFather, put TELEGRAM_BOT_TOKEN=... in .env, run `make run`.\n",
                flush=True,
            )
            chat(settings, stack)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping...", flush=True)
        stack.stop()
    return 0
