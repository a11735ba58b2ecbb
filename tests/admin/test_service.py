"""Web admin logic without HTTP: drafts and publishing, outdated/missing translations, revert, .po import/export."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot.admin import service
from common import content, content_store
from common.db import make_engine, session_factory
from common.db.models import AuditEntry, TranslationOverride
from common.i18n import translate

URL = "https://www.sundhed.dk/borger/"


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


def test_a_published_danish_answer_is_what_the_store_serves_within_its_ttl(sessions, database_url):
    store = content_store.ContentStore(database_url, ttl=0.2)
    assert store.answer("find_gp", "DK", "da") is None
    with sessions.begin() as db:
        service.save_draft(db, "eva", "find_gp", "DK", "da", "Ring til %(emergency)s eller din læge.", "sundhed.dk", URL)
        assert service.answer_view(db, "find_gp", "DK", "da").status == "draft"
    assert store.answer("find_gp", "DK", "da") is None  # a draft is not live
    with sessions.begin() as db:
        service.publish(db, "eva", "find_gp", "DK", "da")
    time.sleep(0.3)
    published = store.answer("find_gp", "DK", "da")
    assert published.text == "Ring til %(emergency)s eller din læge." and published.source_url == URL
    assert content.fill(published.text, "DK") == "Ring til 112 eller din læge."
    store.close()


def test_translations_older_than_the_english_source_are_outdated(sessions):
    with sessions.begin() as db:
        assert service.answer_view(db, "dental_care", "DE", "de").status == "built-in"
        service.save_draft(db, "eva", "dental_care", "DE", "de", "Zahnarzt: …", "KZBV", "https://www.kzbv.de/")
        service.publish(db, "eva", "dental_care", "DE", "de")
        assert service.answer_view(db, "dental_care", "DE", "de").status == "published"
        service.save_draft(db, "eva", "dental_care", "DE", "en", "Dentist: …", "KZBV", "https://www.kzbv.de/")
        service.publish(db, "eva", "dental_care", "DE", "en")
        assert service.answer_view(db, "dental_care", "DE", "de").status == "outdated"
        assert service.answer_view(db, "dental_care", "DE", "tr").status == "outdated"
        assert service.answer_view(db, "dental_care", "DK", "tr").status == "built-in"


@pytest.mark.parametrize("text, source_url, problem", [
    ("Call %(lifline)s", URL, "Unknown placeholders: %(lifline)s"),
    ("100% free", URL, "single % sign"),
    ("", URL, "empty"),
    ("Call %(emergency)s", "http://example.org", "https://"),
])
def test_answers_that_would_mislead_are_refused(sessions, text, source_url, problem):
    with sessions.begin() as db:
        with pytest.raises(service.ValidationError) as refused:
            service.save_draft(db, "eva", "find_gp", "DK", "da", text, "sundhed.dk", source_url)
    assert problem in str(refused.value)


def test_revert_puts_the_answer_back_and_is_audited(sessions):
    with sessions.begin() as db:
        service.save_draft(db, "eva", "costs", "DK", "ar", "نص أول", "sundhed.dk", URL)
        service.publish(db, "eva", "costs", "DK", "ar")
        service.save_draft(db, "eva", "costs", "DK", "ar", "نص خاطئ", "sundhed.dk", URL)
        service.publish(db, "eva", "costs", "DK", "ar")
        wrong = db.scalars(select(AuditEntry).where(AuditEntry.action == "publish").order_by(AuditEntry.id)).all()[-1]
        service.revert(db, "admin", wrong.id)
        assert service.answer_view(db, "costs", "DK", "ar").text == "نص أول"
        assert db.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == f"revert #{wrong.id}"


def po_with(entries: list[tuple[str, str]]) -> bytes:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, msgstr in entries:
        lines += [f"msgid {msgid!r}".replace("'", '"'), f"msgstr {msgstr!r}".replace("'", '"'), ""]
    return "\n".join(lines).encode()


def test_po_import_with_a_broken_placeholder_is_refused_with_its_line_and_imports_nothing(sessions):
    good = ("Which country do you live in?", "Hvilket land bor du i nu?")
    fine = ("Costs", "Hvad koster det")
    data = po_with([good, fine]) + (
        b'\nmsgid "%(name)s, a peer mentor, has joined the chat. What you write here now goes to %(name)s, not to the '
        b'assistant. %(name)s does not see your Telegram account. Send /end to finish the chat."\n'
        b'msgstr "%(navn)s er her."\n'
    )
    with sessions.begin() as db:
        with pytest.raises(service.ValidationError) as refused:
            service.import_po(db, "tina", "da", data)
    assert refused.value.problems == ["line 11: placeholder problem: missing %(name)s; unknown %(navn)s"]
    with sessions() as db:
        assert db.scalars(select(TranslationOverride)).all() == []


def test_po_round_trip_changes_what_the_bot_says(sessions, database_url):
    with sessions() as db:
        exported = service.export_po(db, "da")
    assert b'msgid "Which country do you live in?"' in exported
    changed = exported.replace(
        ('msgstr "' + translate("da", "Which country do you live in?") + '"').encode(), b'msgstr "Hvilket land bor du i nu?"')
    assert changed != exported
    with sessions.begin() as db:
        assert service.import_po(db, "tina", "da", changed) == 1
    content_store.configure(database_url, ttl=0)
    try:
        assert translate("da", "Which country do you live in?") == "Hvilket land bor du i nu?"
        assert translate("de", "Which country do you live in?") != "Hvilket land bor du i nu?"
    finally:
        content_store.configure(None)
    assert translate("da", "Which country do you live in?") != "Hvilket land bor du i nu?"


def test_unknown_msgids_and_unreadable_files_are_refused(sessions):
    with sessions.begin() as db:
        with pytest.raises(service.ValidationError) as unknown:
            service.import_po(db, "tina", "tr", po_with([("Hello from nowhere", "Merhaba")]))
        assert unknown.value.problems[0].startswith("line 5: unknown msgid")
        with pytest.raises(service.ValidationError):
            service.import_po(db, "tina", "tr", b'msgid "unterminated\nmsgstr ""\n')


def test_directory_entries_are_validated_and_listed_by_town_in_the_persons_language_first(sessions, database_url):
    place = {"kind": "interpreter", "country": "DK", "city": "Aarhus", "phone": "+45 87 13 00 00",
             "url": "https://www.rm.dk/", "active": "on"}
    with sessions.begin() as db:
        service.save_service(db, "eva", None, {**place, "name": "Tolkeservice Midt", "languages": "ar,fa,ti"})
        service.save_service(db, "eva", None, {**place, "name": "A-Tolk", "languages": "uk,ru"})
        service.save_service(db, "eva", None, {**place, "name": "Lukket Tolk", "languages": "ar", "active": ""})
        with pytest.raises(service.ValidationError) as refused:
            service.save_service(db, "eva", None, {**place, "name": "X", "languages": "xx", "url": "http://x"})
        assert len(refused.value.problems) == 2
    store = content_store.ContentStore(database_url, ttl=0)
    assert [p.name for p in store.places("interpreter", "DK", "aarhus", "ti")] == ["Tolkeservice Midt", "A-Tolk"]
    assert [p.name for p in store.places("interpreter", "DK", "Aarhus", "uk")] == ["A-Tolk", "Tolkeservice Midt"]
    assert store.city_in_text("hvor finder jeg en tolk i aarhus?", "DK") == "Aarhus"
    assert store.city_in_text("تعبت من العيش في آرهوس", "DE") is None
    store.close()


def test_a_directory_change_can_be_reverted(sessions):
    place = {"kind": "gp", "country": "DE", "city": "Köln", "name": "Praxis Dr. A", "languages": "tr,ar", "active": "on"}
    with sessions.begin() as db:
        created = service.save_service(db, "eva", None, place)
        service.save_service(db, "eva", created.id, {**place, "name": "Praxis Dr. B (wrong)"})
        wrong = db.scalars(select(AuditEntry).where(AuditEntry.entity == f"service:{created.id}").order_by(AuditEntry.id)).all()
        service.revert(db, "ada", wrong[-1].id)
        assert created.name == "Praxis Dr. A" and created.active
        service.revert(db, "ada", wrong[0].id)  # reverting the creation takes it out of the bot's answers
        assert not created.active
