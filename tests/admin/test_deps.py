"""The admin's dependencies at work (bot/admin/deps.py), checked on every route the app has, so a route added
later without them is caught: no POST without the CSRF token, nobody in without a login, no role below the
route's; and the routes that only the browser test reached before (mentors, service directory, accounts)."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.admin import deps, security, service
from bot.admin.app import create_app
from bot.config import Settings
from common.db import make_engine, migrate, session_factory
from common.db.models import AuditEntry, Handoff, Mentor, Person, Service, StaffUser
from tests.admin.test_app import PASSWORD, csrf, log_in

# a value for every path parameter the routes use
SAMPLE = {"topic": "find_gp", "country": "DK", "language": "da", "mentor_id": "1", "entry_id": "1", "account_id": "1", "case_id": "1"}
SUPERVISOR_PATHS = {"/mentors", "/mentors/invite", "/mentors/{mentor_id}/deactivate", "/insight", "/insight.csv", "/desk",
                    "/desk/live", "/desk/cases/{case_id}", "/desk/cases/{case_id}/reassign", "/desk/cases/{case_id}/take-over",
                    "/desk/cases/{case_id}/answer-flag", "/supervision"}
ADMIN_PATHS = {"/audit", "/audit/{entry_id}/revert", "/users", "/users/{account_id}"}
PUBLIC_PATHS = {"/login", "/logout", "/"}


@pytest.fixture
def client(tmp_path):
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        for name, role in (("eva", "editor"), ("sam", "supervisor"), ("ada", "admin"), ("old", "admin")):
            security.create_user(db, name, PASSWORD, role)
        db.add(Mentor(pseudonym="m-1", chat_id=101, name="Amal", languages="ar,fa"))
        db.add(Handoff(person=Person(pseudonym="p-1", chat_id=201), language="ar", reason="request"))  # case 1 (the desk)
        # audit entry 1 (revertable: a refused revert is then told apart from one that finds nothing to revert)
        service.save_service(db, "ada", None, {"kind": "gp", "name": "Lægehuset", "country": "DK", "city": "Odense", "active": "on"})
    engine.dispose()
    app = create_app(Settings(database_url=url, admin_secret_key="test-secret", rasa_tracker_db=tmp_path / "tracker.db"))
    with TestClient(app, base_url="https://admin.test", follow_redirects=False) as test_client:
        yield test_client


def routes(client: TestClient, method: str) -> list[tuple[str, str]]:
    """(path template, a URL for it) of every route of the app with this method (the app's OpenAPI description
    lists them all, though the admin does not publish it)."""
    found = [path for path, operations in client.app.openapi()["paths"].items() if method.lower() in operations]
    assert found
    return [(path, re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)) for path in sorted(found)]


def session(client: TestClient):
    return client.app.state.sessions()


def nothing_happened(client: TestClient) -> None:
    with session(client) as db:
        assert db.get(Mentor, 1).active and db.get(Service, 1).active
        assert db.scalars(select(AuditEntry.action)).all() == ["save service"]
        assert db.scalar(select(func.count(StaffUser.id))) == 4


def test_every_post_route_refuses_a_form_without_the_right_csrf_token(client):
    posts = routes(client, "POST")
    assert {path for path, _ in posts} >= {"/login", "/logout", "/answers/{topic}/{country}/{language}", "/users",
                                           "/translations/{language}", "/services", "/mentors/invite",
                                           "/mentors/{mentor_id}/deactivate", "/audit/{entry_id}/revert"}
    log_in(client, "ada")  # even the highest role
    for path, url in posts:
        assert client.post(url, data={"username": "x"}).status_code == 403, path
        assert client.post(url, data={"csrf_token": "forged"}).status_code == 403, path
        assert client.post(url, json={"csrf_token": csrf(client, "/answers")}).status_code == 403, path  # not a form
    nothing_happened(client)


def test_every_page_sends_a_visitor_who_is_not_logged_in_to_the_login_page(client):
    for path, url in routes(client, "GET"):
        if path not in PUBLIC_PATHS:
            response = client.get(url)
            assert response.status_code == 303 and response.headers["location"] == "/login", path
    token = csrf(client, "/login")  # a valid token of an anonymous session: the login check still applies
    for path, url in routes(client, "POST"):
        if path not in PUBLIC_PATHS:
            response = client.post(url, data={"csrf_token": token})
            assert response.status_code == 303 and response.headers["location"] == "/login", path


def test_an_editor_posting_to_supervisor_or_admin_routes_gets_403_not_500(client):
    log_in(client, "eva")
    token = csrf(client, "/answers")
    for path, url in routes(client, "POST"):
        if path in SUPERVISOR_PATHS | ADMIN_PATHS:
            response = client.post(url, data={"csrf_token": token, "name": "X", "languages": "ar", "username": "x",
                                              "password": PASSWORD, "role": "admin"})
            assert response.status_code == 403 and "Not available" in response.text, path
            assert 'action="/logout"' in response.text  # the header (and "Log out") on a refusal
    for path, url in routes(client, "GET"):
        if path in SUPERVISOR_PATHS | ADMIN_PATHS:
            assert client.get(url).status_code == 403, path
    nothing_happened(client)


def test_a_supervisor_reaches_mentors_and_insight_but_not_admin_pages(client):
    log_in(client, "sam")
    for path, url in routes(client, "GET"):
        if path in SUPERVISOR_PATHS:
            assert client.get(url).status_code == 200, path
        if path in ADMIN_PATHS:
            assert client.get(url).status_code == 403, path


def test_a_deactivated_account_is_logged_out_on_its_next_request(client):
    log_in(client, "old")
    assert client.get("/users").status_code == 200
    with session(client) as db:
        db.scalar(select(StaffUser).where(StaffUser.username == "old")).active = False
        db.commit()
    response = client.get("/users")
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_require_role_is_one_dependency_per_role_and_knows_only_the_roles():
    assert deps.require_role("admin") is deps.require_role("admin")  # FastAPI's per-request cache sees one
    with pytest.raises(ValueError):
        deps.require_role("owner")


def test_a_supervisor_invites_and_deactivates_a_mentor(client):
    log_in(client, "sam")
    token = csrf(client, "/mentors")
    response = client.post("/mentors/invite", data={"csrf_token": token, "name": "Bilal", "languages": "ar,so",
                                                    "countries": "DK", "max_cases": "2"})
    assert response.status_code == 303 and response.headers["location"] == "/mentors"
    page = client.get("/mentors").text
    assert re.search(r'id="invite-link"[^>]*>https://t\.me/&lt;bot_username&gt;\?start=[\w-]+<', page)
    bad = client.post("/mentors/invite", data={"csrf_token": token, "name": "Bilal", "languages": "xx"})
    assert bad.status_code == 422 and "languages must be some of" in bad.text
    assert client.post("/mentors/1/deactivate", data={"csrf_token": token}).status_code == 303
    with session(client) as db:
        assert db.get(Mentor, 1).active is False
        assert [entry.action for entry in db.scalars(select(AuditEntry).order_by(AuditEntry.id))] == [
            "save service", "invite mentor", "deactivate mentor"]


def test_the_service_directory_saves_a_place_and_keeps_what_was_typed_when_it_refuses(client):
    log_in(client, "eva")
    form = {"csrf_token": csrf(client, "/services"), "id": "", "kind": "interpreter", "name": "Tolkeservice Midt",
            "country": "dk", "city": "Aarhus", "phone": "+45 87 13 00 00", "languages": "ar, fa", "url": "https://www.rm.dk/"}
    response = client.post("/services", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/services?saved=1"
    with session(client) as db:
        place = db.scalar(select(Service).where(Service.name == "Tolkeservice Midt"))
        assert (place.country, place.languages, place.active, place.updated_by) == ("DK", "ar,fa", False, "eva")
    refused = client.post("/services", data={**form, "url": "http://www.rm.dk/", "name": "Tolk Nord"})
    assert refused.status_code == 422 and "The link must start with https://." in refused.text
    assert 'value="Tolk Nord"' in refused.text


def test_an_admin_creates_an_account_and_a_bad_one_is_refused(client):
    log_in(client, "ada")
    token = csrf(client, "/users")
    assert client.post("/users", data={"csrf_token": token, "username": "Nina", "password": PASSWORD,
                                       "role": "supervisor"}).status_code == 303
    short = client.post("/users", data={"csrf_token": token, "username": "kim", "password": "short", "role": "editor"})
    assert short.status_code == 422 and "at least 12 characters" in short.text
    with session(client) as db:
        assert db.scalar(select(StaffUser.role).where(StaffUser.username == "nina")) == "supervisor"
        assert db.scalar(select(StaffUser).where(StaffUser.username == "kim")) is None
