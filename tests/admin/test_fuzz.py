"""A property-based fuzzer over every route of the admin (issue #18, finding 6): for each route the app lists, with
and without each role, Hypothesis sends path, query and form values (edge cases such as 20-digit and Unicode
digits, dates like 9999-12-31, unknown codes, long and odd text, random .po files) with and without the CSRF
token, and asserts that no request gets a 5xx, and that a 4xx is one of the admin's own HTML pages.

More examples per route and role: BROBYGGER_FUZZ_EXAMPLES=500 .venv-app/bin/python -m pytest tests/admin/test_fuzz.py
"""
from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from bot.admin import security, service
from bot.admin.app import create_app
from bot.config import Settings
from common import content
from common.db import make_engine, migrate, session_factory
from common.db.models import Handoff, LoginAttempt, Mentor, Person, StaffUser
from tests.admin.test_app import PASSWORD

EXAMPLES = int(os.environ.get("BROBYGGER_FUZZ_EXAMPLES", "20"))  # per route, method and role
ROLES = {"editor": "eva", "supervisor": "sam", "admin": "ada"}
COOKIE = "brobygger_admin"
EDGE = [
    "", "0", "1", "2", "3", "-1", "²", "١٢", "٣", "99999999999999999999", "2147483648", "1e9", "0x10", " 1", "1.5",
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-01-01", "../../etc/passwd", "%2e%2e", "%(emergency)s", "100%",
    "=1+1", "@SUM(A1)", "\t", "\r\n", "a" * 5000, "аdm", "ＥVA", "emergency", "find_gp", "DK", "DE", "SE", "da", "en",
    "ar", "xx", "topics", "not_understood", "handoffs", "on", "publish", "draft", "deactivate", "reactivate",
    "password", "role", "admin", "editor", "supervisor", "owner", "ar,fa", "ar,ar,ar,ar", "https://www.sundhed.dk/",
    "http://x", "javascript:alert(1)", "<script>alert(1)</script>", "Ring 112 eller 70 201 201", "\u202e", "🙂",
]
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
VALUE = st.one_of(st.sampled_from(EDGE), TEXT, st.integers(-(2**70), 2**70).map(str))
# by the parameter's name, the values most likely to break it (each is also sent once, in the sweep)
NUMBERS = ["²", "١٢", "99999999999999999999", "2147483648", "0", "-1", "1", "2", "3", "1.5", "abc", "", " 7"]
DATES = ["9999-12-31", "0001-01-01", "2026-02-30", "1999-12-31", "2200-01-01", "2026-01-01", "nonsense", ""]
CODES = ["emergency", "find_gp", "DK", "DE", "SE", "da", "en", "ar", "xx", "EN", "topics", "not_understood",
         "handoffs", "../../etc/passwd", "gp", "admin", "editor", "owner", "deactivate", "reactivate", "password",
         "role", "publish", "draft", "on", "", "²", 'topics"; filename="x.exe']
SAMPLE = {"topic": "find_gp", "country": "DK", "language": "da", "mentor_id": "1", "entry_id": "1", "account_id": "2", "case_id": "1"}


def edges_for(name: str) -> list[str]:
    """The values the sweep sends to a parameter or field of this name."""
    if name in ("id", "edit", "max_cases") or name.endswith("_id"):
        return NUMBERS
    if name in ("start", "end"):
        return DATES
    if name in ("topic", "country", "language", "table", "kind", "role", "action", "languages", "countries", "active"):
        return CODES
    return ["", "a" * 5000, "аdm", "=1+1", "Ring 112 eller 70 201 201", "%(x)s", "100%", "\r\n\t", "<b>x</b>"]


def strategy_for(name: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(edges_for(name)), VALUE)
MSGIDS = sorted(message.id for message in service.template() if isinstance(message.id, str) and message.id)[:40]


def po_text(entries: list[tuple[str, str]], charset: str) -> bytes:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = ['msgid ""', 'msgstr ""', f'"Content-Type: text/plain; charset={charset}\\n"', ""]
    for msgid, msgstr in entries:
        lines += [f"msgid {quoted(msgid)}", f"msgstr {quoted(msgstr)}", ""]
    return "\n".join(lines).encode("utf-8", "replace")


UPLOAD = st.one_of(
    st.binary(max_size=300),
    st.builds(po_text, st.lists(st.tuples(st.one_of(st.sampled_from(MSGIDS), TEXT), st.one_of(VALUE, TEXT)), max_size=4),
              st.sampled_from(["UTF-8", "latin-1", "no-such-charset", "", "utf-16"])),
)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """The admin with one staff member per role logged in (their cookies and CSRF tokens kept), a mentor, a
    directory entry and an import in the audit log, so that ids 1..3 exist."""
    tmp = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{tmp / 'admin.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        for role, name in ROLES.items():
            security.create_user(db, name, PASSWORD, role)
        db.add(Mentor(pseudonym="m-1", chat_id=101, name="Amal", languages="ar,fa"))
        db.add(Handoff(person=Person(pseudonym="p-1", chat_id=201), language="ar", reason="request", flagged=True))
        service.save_service(db, "ada", None, {"kind": "gp", "name": "Lægehuset", "country": "DK", "city": "Odense", "active": "on"})
        service.import_po(db, "eva", "da", po_text([("Which country do you live in?", "Hvor bor du?")], "UTF-8"))
    app = create_app(Settings(database_url=url, admin_secret_key="test-secret", rasa_tracker_db=tmp / "tracker.db"))
    with TestClient(app, base_url="https://admin.test", follow_redirects=False, raise_server_exceptions=False) as client:
        logged_in = {}
        for role, name in ROLES.items():
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
            page = client.get("/answers").text
            logged_in[role] = (client.cookies[COOKIE], re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))
            client.cookies.clear()
        client.get("/login")
        logged_in[None] = (client.cookies[COOKIE], re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1))
        with session_factory(engine)() as db:
            staff = {user.username: (user.role, user.session_version, user.password_hash) for user in db.scalars(select(StaffUser))}
        yield client, logged_in, engine, staff
    engine.dispose()


def restore(engine: Any, staff: dict) -> None:
    """Undo what an example may have done to the logged-in accounts (logout, deactivation, a new password or role)
    and forget failed logins, so that every example starts from the same sessions."""
    with engine.begin() as connection:
        for username, (role, version, password_hash) in staff.items():
            connection.execute(update(StaffUser).where(StaffUser.username == username).values(
                active=True, role=role, session_version=version, password_hash=password_hash))
        connection.execute(delete(LoginAttempt))


def operations(client: TestClient) -> list[tuple[str, str, dict]]:
    """(method, path template, OpenAPI operation) of every route the app lists (it does not publish the
    description, but builds it)."""
    found = [(method.upper(), path, operation) for path, item in client.app.openapi()["paths"].items()
             for method, operation in item.items()]
    assert len(found) >= 17
    return sorted(found, key=lambda found: found[:2])


def form_fields(operation: dict, schemas: dict) -> tuple[list[str], bool]:
    """The form's field names and whether it takes a file."""
    body = operation.get("requestBody", {}).get("content", {})
    for media, spec in body.items():
        schema = spec.get("schema", {})
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return sorted(schema.get("properties", {})), media == "multipart/form-data"
    return [], False


def send(fuzzed: tuple, role: str | None, method: str, path: str, path_values: dict, query: dict, form: dict,
         with_token: bool, upload: bytes | None) -> None:
    """One request as `role` (None: nobody logged in), from the same sessions every time; no 5xx allowed, and a
    4xx must be one of the admin's pages."""
    client, logged_in, engine, staff = fuzzed
    restore(engine, staff)
    cookie, token = logged_in[role]
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie, domain="admin.test")
    url = re.sub(r"\{(\w+)\}", lambda m: quote(path_values[m.group(1)], safe="") or "-", path)
    posting = method == "POST"
    data = {**form, "csrf_token": token} if with_token else form
    response = client.request(method, url, params=query, data=data if posting else None,
                              files={"file": ("x.po", upload)} if upload is not None and posting else None)
    where = f"{method} {url} as {role or 'anonymous'} with {query} {form} token={with_token}"
    assert response.status_code < 500, f"{where}: {response.status_code}\n{response.text[-2000:]}"
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("text/html") and "<h1>" in response.text, where


def fuzz(fuzzed: tuple, role: str | None, method: str, path: str, operation: dict, schemas: dict) -> None:
    """One route as one role: first a sweep (each edge value of each parameter and field once, the others
    plausible), then EXAMPLES requests drawn by Hypothesis."""
    parameters = operation.get("parameters", [])
    path_names = [p["name"] for p in parameters if p["in"] == "path"]
    query_names = [p["name"] for p in parameters if p["in"] == "query"]
    fields, takes_file = form_fields(operation, schemas)
    plausible = {name: SAMPLE[name] for name in path_names}
    for where, names in (("path", path_names), ("query", query_names), ("form", fields)):
        for name in names:
            for value in edges_for(name):
                send(fuzzed, role, method, path, {**plausible, name: value} if where == "path" else plausible,
                     {name: value} if where == "query" else {}, {name: value} if where == "form" else {}, True, None)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(path_values=st.fixed_dictionaries({name: strategy_for(name) for name in path_names}),
           query=st.fixed_dictionaries({}, optional={name: strategy_for(name) for name in query_names}),
           form=st.fixed_dictionaries({}, optional={name: strategy_for(name) for name in fields}),
           with_token=st.booleans(), upload=st.one_of(st.none(), UPLOAD) if takes_file else st.none())
    def one_request(path_values: dict, query: dict, form: dict, with_token: bool, upload: bytes | None) -> None:
        send(fuzzed, role, method, path, path_values, query, form, with_token, upload)

    one_request()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_route_gives_a_5xx_to_any_role(fuzzed, role):
    client, logged_in, engine, staff = fuzzed
    schemas = client.app.openapi().get("components", {}).get("schemas", {})
    for method, path, operation in operations(client):
        fuzz(fuzzed, role, method, path, operation, schemas)
    restore(engine, staff)


def test_the_fuzzer_reaches_every_route_and_the_roles_reach_their_pages(fuzzed):
    """The sessions the fuzzer uses are real: each role gets its pages, and the routes it fuzzes are all there."""
    client, logged_in, engine, staff = fuzzed
    paths = {path for _, path, _ in operations(client)}
    assert {"/answers/{topic}/{country}/{language}", "/translations/{language}", "/insight.csv", "/users/{account_id}",
            "/audit/{entry_id}/revert", "/mentors/{mentor_id}/deactivate", "/services", "/login", "/logout"} <= paths
    restore(engine, staff)
    for role, expected in ((None, 303), ("editor", 403), ("supervisor", 403), ("admin", 200)):
        client.cookies.clear()
        client.cookies.set(COOKIE, logged_in[role][0], domain="admin.test")
        assert client.get("/users").status_code == expected, role
    assert content.languages()  # the catalogs the .po strategies draw from
