"""The admin pages staff keep for mentors: saved replies (editors) and the boundaries guide (supervisors), audited;
what is saved is what the hand-off desk sends and shows."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.admin import care
from bot.admin.service import ValidationError
from bot.handoff import guide
from common.db import make_engine, session_factory
from common.db.models import AuditEntry, GuideText, SavedReply
from common.i18n import translate
from common.strings import mentor as m
from tests.admin.test_app import admin, csrf, log_in  # noqa: F401 - the fixture


def test_an_editor_adds_and_changes_a_saved_reply_and_mistakes_are_refused(admin):  # noqa: F811
    log_in(admin, "eva")
    token = csrf(admin, "/replies")
    saved = admin.post("/replies", data={"csrf_token": token, "name": "Hello", "language": "ar", "active": "on",
                                         "text": "مرحباً! في حالة الطوارئ: %(emergency)s"})
    assert saved.status_code == 303
    page = admin.get("/replies").text
    assert "<code>hello</code>" in page and "مرحباً!" in page
    wrong = admin.post("/replies", data={"csrf_token": token, "name": "two words", "language": "xx",
                                         "text": "call %(nonsense)s"})
    assert wrong.status_code == 422
    assert "one word" in wrong.text and "Unknown placeholders: %(nonsense)s" in wrong.text
    twin = admin.post("/replies", data={"csrf_token": token, "name": "hello", "language": "ar", "text": "again"})
    assert twin.status_code == 422 and "already a saved reply" in twin.text


def test_the_guide_page_is_for_supervisors_and_a_new_version_asks_mentors_again(admin):  # noqa: F811
    log_in(admin, "eva")
    assert admin.get("/guide").status_code == 403
    log_in(admin, "sam")
    page = admin.get("/guide").text
    assert translate("de", m.GUIDE).split("\n")[0] in page and "version <strong>1</strong>" in page
    token = csrf(admin, "/guide")
    fixed = admin.post("/guide/de", data={"csrf_token": token, "text": "Leitfaden, Tippfehler behoben"})
    assert fixed.status_code == 303 and "version <strong>1</strong>" in admin.get("/guide").text
    bumped = admin.post("/guide/en", data={"csrf_token": token, "text": "A new rule", "new_version": "on"})
    assert bumped.status_code == 303
    page = admin.get("/guide").text
    assert "version <strong>2</strong>" in page and "older than version 2" in page
    assert admin.post("/guide/xx", data={"csrf_token": token, "text": "x"}).status_code == 404
    assert admin.post("/guide/de", data={"csrf_token": token, "text": " "}).status_code == 422


def test_saved_changes_are_audited_and_are_what_mentors_get(database_url):
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        row = care.save_reply(session, "eva", None, "wait", "en", "One moment, please.", True)
        care.save_reply(session, "eva", row.id, "wait", "en", "One moment, please: I am checking.", False)
        assert session.scalar(select(SavedReply.active)) is False
        with pytest.raises(ValidationError):
            care.save_reply(session, "eva", None, "x" * 40, "en", "text", True)
        assert care.save_guide(session, "sam", "da", "Ny vejledning", new_version=True) == 2
        assert guide.text(session, "da") == ("Ny vejledning", "da")
        assert guide.text(session, "so")[1] == "da"  # no current English or Somali text: the newest one
        assert session.scalar(select(GuideText.version)) == 2
        actions = [entry.action for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions == ["save reply", "save reply", "save guide"]
    engine.dispose()
