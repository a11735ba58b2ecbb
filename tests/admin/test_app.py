"""The web admin over HTTP (Starlette's TestClient): login, roles, CSRF, rate limiting, editing."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from bot.admin import security
from bot.admin.app import create_app
from bot.config import Settings
from common.db import make_engine, migrate, session_factory

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(tmp_path):
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        for name, role in (("eva", "editor"), ("sam", "supervisor"), ("ada", "admin")):
            security.create_user(db, name, PASSWORD, role)
    engine.dispose()
    app = create_app(Settings(database_url=url, admin_secret_key="test-secret", rasa_tracker_db=tmp_path / "tracker.db"))
    with TestClient(app, base_url="https://admin.test", follow_redirects=False) as client:
        yield client


def csrf(client: TestClient, path: str = "/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client)})


def test_pages_need_a_login(admin):
    for path in ("/answers", "/translations", "/mentors", "/audit", "/users", "/answers/find_gp/DK/da"):
        response = admin.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login"


def test_login_sets_a_strict_http_only_secure_session_cookie(admin):
    response = log_in(admin, "eva")
    assert response.status_code == 303 and response.headers["location"] == "/answers"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    assert admin.get("/answers").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(admin):
    assert admin.post("/login", data={"username": "eva", "password": PASSWORD}).status_code == 403
    log_in(admin, "eva")
    response = admin.post("/answers/find_gp/DK/da", data={"text": "x", "source_name": "s", "source_url": "https://a.dk"})
    assert response.status_code == 403


def test_logins_are_rate_limited(admin):
    for _ in range(security.MAX_FAILURES):
        assert log_in(admin, "eva", "wrong password!!").status_code == 401
    assert log_in(admin, "eva").status_code == 429  # even the right password waits


def test_an_editor_cannot_reach_supervisor_or_admin_pages(admin):
    log_in(admin, "eva")
    for path in ("/users", "/audit", "/mentors", "/insight", "/insight.csv"):
        assert admin.get(path).status_code == 403
    token = csrf(admin, "/answers")
    assert admin.post("/users", data={"username": "x", "password": PASSWORD, "role": "admin", "csrf_token": token}).status_code == 403


def test_an_admin_reaches_everything(admin):
    log_in(admin, "ada")
    for path in ("/users", "/audit", "/mentors", "/translations", "/answers?language=ti", "/services",
                 "/insight?start=2026-01-01&end=2026-12-31", "/insight?start=nonsense", "/insight.csv?table=not_understood"):
        assert admin.get(path).status_code == 200, path


def test_edit_publish_and_revert_a_danish_answer(admin):
    log_in(admin, "eva")
    token = csrf(admin, "/answers/interpreter/DK/da")
    form = {"text": "Ny tekst om tolk. Akut: %(emergency)s.", "source_name": "sundhed.dk",
            "source_url": "https://www.sundhed.dk/borger/", "csrf_token": token, "action": "publish"}
    assert admin.post("/answers/interpreter/DK/da", data=form).status_code == 303
    page = admin.get("/answers/interpreter/DK/da").text
    assert "Ny tekst om tolk. Akut: %(emergency)s." in page and "published" in page
    bad = admin.post("/answers/interpreter/DK/da", data={**form, "text": "Ring %(nope)s"})
    assert bad.status_code == 422 and "Unknown placeholders" in bad.text
    admin.post("/logout", data={"csrf_token": csrf(admin, "/answers")})
    log_in(admin, "ada")
    audit = admin.get("/audit").text
    entry = re.search(r'action="/audit/(\d+)/revert"', audit).group(1)  # newest first: the publish
    assert admin.post(f"/audit/{entry}/revert", data={"csrf_token": csrf(admin, "/audit")}).status_code == 303
    assert "Ny tekst om tolk" not in admin.get("/answers/interpreter/DK/da").text.split("What the bot says now")[1][:400]


def test_po_upload_with_a_broken_placeholder_lists_the_line(admin):
    log_in(admin, "eva")
    broken = (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
              b'msgid "Thank you. Goodbye! In an emergency call %(emergency)s."\nmsgstr "Tak."\n')
    response = admin.post("/translations/da", data={"csrf_token": csrf(admin, "/translations")},
                          files={"file": ("da.po", broken, "text/x-gettext-translation")})
    assert response.status_code == 422
    assert "line 5:" in response.text
    export = admin.get("/translations/da.po")
    assert export.status_code == 200 and b'msgid "Which country do you live in?"' in export.content
