"""The staff admin against a careful attacker and a careless upload (issue #18): each finding of the security
probe reproduced over HTTP (Starlette's TestClient; a real uvicorn server where the network matters) and shown
fixed. One section per finding, in the issue's order."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.admin import security, service
from bot.admin.app import create_app
from bot.config import Settings
from common import content_store
from common.db import make_engine, migrate, session_factory
from common.db.models import AuditEntry, TranslationOverride
from common.i18n import translate
from common.strings import assistant as a
from tests.admin.test_app import PASSWORD, csrf, log_in

GOODBYE = "Goodbye, take care! You can write to me any time. In an emergency call 112."


def make_client(tmp_path: Path, **settings) -> TestClient:
    """The admin on a fresh SQLite database with an editor (eva), a supervisor (sam) and an admin (ada)."""
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        for name, role in (("eva", "editor"), ("sam", "supervisor"), ("ada", "admin")):
            security.create_user(db, name, PASSWORD, role)
    engine.dispose()
    app = create_app(Settings(database_url=url, admin_secret_key="test-secret", rasa_tracker_db=tmp_path / "tracker.db",
                              **settings))
    return TestClient(app, base_url="https://admin.test", follow_redirects=False)


@pytest.fixture
def admin(tmp_path):
    with make_client(tmp_path) as client:
        yield client


@pytest.fixture
def live_translations(admin):
    """translate() reading the admin's database, as the bot and the action server do."""
    content_store.configure(str(admin.app.state.engine.url), ttl=0)
    yield
    content_store.configure(None)


def upload(client: TestClient, language: str, data: bytes):
    return client.post(f"/translations/{language}", data={"csrf_token": csrf(client, "/translations")},
                       files={"file": (f"{language}.po", data, "text/x-gettext-translation")})


def exported_with(client: TestClient, language: str, msgid: str, msgstr: str) -> bytes:
    """The language's exported .po file with one entry's translation replaced (as a translator's tool writes it)."""
    po = read_po(io.BytesIO(client.get(f"/translations/{language}.po").content), locale=language)
    assert po[msgid].string
    po[msgid].string = msgstr
    out = io.BytesIO()
    write_po(out, po, width=0)
    return out.getvalue()


def line_of(po: bytes, msgid: str) -> int:
    return next(message.lineno for message in read_po(io.BytesIO(po)) if message.id == msgid)


# --- 1. numbers stay true ----------------------------------------------------------------------------------------
def test_a_po_import_that_changes_a_number_is_refused_naming_the_line_and_translate_is_unchanged(admin, live_translations):
    log_in(admin, "eva")
    before = translate("da", GOODBYE)
    assert "112" in before
    forged = exported_with(admin, "da", GOODBYE, before.replace("112", "911"))
    response = upload(admin, "da", forged)
    assert response.status_code == 422
    assert f"line {line_of(forged, GOODBYE)}: numbers not in the English text: 911; numbers of the English text missing: 112" in response.text
    assert translate("da", GOODBYE) == before  # the bot still gives the true number
    # a crisis text with placeholders only: a number written into the translation is refused as well
    crisis = translate("da", a.CRISIS_DK)
    refused = upload(admin, "da", exported_with(admin, "da", a.CRISIS_DK, crisis.replace("%(lifeline)s", "%(lifeline)s / 70 000 000")))
    assert refused.status_code == 422 and "numbers not in the English text: 70000000" in refused.text
    with admin.app.state.sessions() as db:
        assert db.scalars(select(TranslationOverride)).all() == []


def test_the_same_number_in_other_digits_or_grouping_is_accepted():
    assert service.number_problems("Call 112 or 70 201 201.", "Ring ١١٢ eller 70201201.") == []
    assert service.number_problems("Call 116117.", "Ruf 116 117 an.") == []
    assert service.number_problems("Call 116117.", "Ruf an.") == ["numbers of the English text missing: 116117"]


def test_an_answer_edit_that_changes_a_number_is_refused_naming_the_line(admin):
    log_in(admin, "eva")
    path = "/answers/find_gp/DE/de"
    english = service.built_in("find_gp", "DE", "en")[0]
    assert "116117" in english
    text = "Suchen Sie eine Hausarztpraxis.\nTermine über 116118."
    form = {"text": text, "source_name": "KBV", "source_url": "https://www.116117.de/", "csrf_token": csrf(admin, path),
            "action": "publish"}
    response = admin.post(path, data=form)
    assert response.status_code == 422
    assert "line 2: numbers not in the English text: 116118; numbers of the English text missing: 116117" in response.text
    assert admin.post(path, data={**form, "text": "Suchen Sie eine Hausarztpraxis.\nTermine über 116 117."}).status_code == 303
    # the English source itself keeps the shipped numbers too
    english_path = "/answers/find_gp/DE/en"
    changed = admin.post(english_path, data={**form, "text": english.replace("116117", "116000"), "csrf_token": csrf(admin, english_path)})
    assert changed.status_code == 422 and "116000" in changed.text


def test_a_po_import_is_reverted_from_the_audit_log(admin, live_translations):
    question = "Which country do you live in?"
    shipped = translate("da", question)
    log_in(admin, "eva")
    assert upload(admin, "da", exported_with(admin, "da", question, "Hvor bor du?")).status_code == 200
    assert upload(admin, "da", exported_with(admin, "da", question, "I hvilket land bor du?")).status_code == 200
    assert translate("da", question) == "I hvilket land bor du?"
    admin.post("/logout", data={"csrf_token": csrf(admin, "/answers")})
    log_in(admin, "ada")
    with admin.app.state.sessions() as db:
        first, second = db.scalars(select(AuditEntry.id).where(AuditEntry.action == "import .po").order_by(AuditEntry.id)).all()
    token = csrf(admin, "/audit")
    assert f'action="/audit/{second}/revert"' in admin.get("/audit").text
    assert admin.post(f"/audit/{second}/revert", data={"csrf_token": token}).status_code == 303
    assert translate("da", question) == "Hvor bor du?"
    assert admin.post(f"/audit/{first}/revert", data={"csrf_token": token}).status_code == 303
    assert translate("da", question) == shipped  # before the first import: the shipped translation
    with admin.app.state.sessions() as db:
        assert db.scalars(select(TranslationOverride)).all() == []


def test_reverting_a_missing_entry_or_one_of_another_kind_is_a_clean_4xx(admin):
    log_in(admin, "ada")
    token = csrf(admin, "/users")
    admin.post("/users", data={"csrf_token": token, "username": "nina", "password": PASSWORD, "role": "editor"})
    with admin.app.state.sessions() as db:
        account = db.scalar(select(AuditEntry.id).where(AuditEntry.action == "create account"))
    missing = admin.post("/audit/999999/revert", data={"csrf_token": token})
    assert missing.status_code == 404 and "no audit entry #999999" in missing.text
    other = admin.post(f"/audit/{account}/revert", data={"csrf_token": token})
    assert other.status_code == 422 and "can be reverted" in other.text
    assert 'action="/logout"' in other.text  # a page in the admin's style, with its header
