"""Staff own the knowledge base (issue #15): create, edit, retire, publish and check entries (bot.admin.knowledge),
on SQLite and PostgreSQL, and what the bot's merged knowledge base (common.knowledge through the content store)
then holds."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from bot.admin import knowledge as kb
from bot.admin import service
from common import content, content_store, i18n, knowledge
from common.db import make_engine, session_factory
from common.db.models import AuditEntry, KnowledgeEntry
from tests.admin.test_app import admin as app_fixture  # noqa: F401  (the fixture `admin`: the app over HTTP)
from tests.admin.test_app import csrf, log_in

TODAY = dt.date(2026, 12, 8)
URL = "https://www.borger.dk/sundhed-og-sygdom"


def new_document(**changes) -> knowledge.Document:
    english = knowledge.Texts(
        title="can i get money back for my gym membership?",
        answer="No. The public health insurance does not pay for a gym or fitness membership.\n"
               "In an emergency call %(emergency)s.",
        examples=("does the health card pay for the gym", "fitness subscription refund from the state?"),
    )
    danish = knowledge.Texts(
        title="kan jeg få penge tilbage for mit fitnessabonnement?",
        answer="Nej. Den offentlige sygesikring betaler ikke for fitness.\nRing %(emergency)s ved akut sygdom.",
        examples=("betaler det gule kort for fitness",),
    )
    values = {"country": "DK", "topic": "costs", "source_name": "borger.dk", "source_url": URL,
              "checked": dt.date(2026, 12, 1), "texts": {"en": english, "da": danish}}
    return knowledge.Document(**{**values, **changes})


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def store(database_url):
    """The content store of this process on the test database, read on every call (TTL 0)."""
    yield content_store.configure(database_url, ttl=0)
    content_store.configure(None)


def test_every_shipped_entry_edits_as_what_the_bot_says_today():
    """Opening a shipped entry in the admin and publishing it unchanged changes nothing: the same entry, the same
    example questions, the catalogs' translations, and it passes every check."""
    for entry in knowledge.shipped().values():
        doc = knowledge.document_of(entry, content.languages())
        assert kb.problems(entry.id, doc, TODAY) == [], entry.id
        again = knowledge.Document.from_json(doc.to_json())
        assert again.entry(entry.id) == entry
        assert sorted(again.examples(entry.id)) == sorted(knowledge.shipped_examples()[entry.id])
        for (lang, msgid), text in again.translations().items():
            assert i18n.catalog(lang).gettext(msgid) == text


def test_a_new_entry_is_a_draft_until_published_then_it_answers_in_its_languages(sessions, store):
    with sessions.begin() as db:
        kb.save_draft(db, "eva", "dk.costs.gym", new_document(), TODAY, new=True)
        [view] = kb.search(kb.views(db), query="gym membership")
        assert (view.entry_id, view.status, view.pending) == ("dk.costs.gym", "draft", False)
    assert knowledge.entry("dk.costs.gym") is None  # a draft is not answered with
    assert knowledge.current().version == knowledge.SHIPPED
    with sessions.begin() as db:
        kb.publish(db, "eva", "dk.costs.gym", TODAY)
    entry = knowledge.entry("dk.costs.gym")
    assert entry is not None and entry.topic == "costs" and entry.country == "DK"
    assert entry.questions[0] == "can i get money back for my gym membership?" and len(entry.questions) == 3
    assert ("da", "betaler det gule kort for fitness") in knowledge.examples()["dk.costs.gym"]
    assert knowledge.current().version != knowledge.SHIPPED
    # the Danish text is the entry's own translation; a language it has no answer in stays untranslated
    assert i18n.translate("da", entry.answer, content.numbers("DK")).startswith("Nej. Den offentlige sygesikring")
    assert "Ring 112 ved akut sygdom" in i18n.translate("da", entry.answer, content.numbers("DK"))
    assert i18n.has_translation("da", entry.title) and not i18n.has_translation("tr", entry.answer)
    with sessions() as db:
        actions = [(a.action, a.entity) for a in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions == [("save draft", "knowledge:dk.costs.gym"), ("publish", "knowledge:dk.costs.gym")]
        [view] = [v for v in kb.views(db) if v.entry_id == "dk.costs.gym"]
        assert view.status == "published" and view.languages == ("da", "en")


def test_a_shipped_entry_edited_and_published_replaces_it_by_id(sessions, store):
    shipped = knowledge.shipped()["dk.referral.eye_doctor"]
    with sessions.begin() as db:
        doc = kb.document(db, "dk.referral.eye_doctor")
        english = dataclasses.replace(doc.texts["en"], answer=doc.texts["en"].answer + "\n• (changed by staff)")
        danish = dataclasses.replace(doc.texts["da"], answer=doc.texts["da"].answer + "\n• (ændret)")
        changed = dataclasses.replace(doc, checked=TODAY, texts={**doc.texts, "en": english, "da": danish})
        kb.save_draft(db, "eva", "dk.referral.eye_doctor", changed, TODAY)
        assert knowledge.entry("dk.referral.eye_doctor") == shipped  # the draft is not live
        [view] = [v for v in kb.views(db) if v.entry_id == "dk.referral.eye_doctor"]
        assert (view.status, view.pending) == ("shipped", True)
        kb.publish(db, "eva", "dk.referral.eye_doctor", TODAY)
    live = knowledge.entry("dk.referral.eye_doctor")
    assert live.answer.endswith("(changed by staff)") and live.checked == TODAY
    assert i18n.translate("da", live.answer).endswith("(ændret)")
    assert len(knowledge.entries()) == len(knowledge.shipped())


def test_retiring_hides_a_shipped_entry_and_restoring_brings_it_back(sessions, store):
    with sessions.begin() as db:
        kb.retire(db, "eva", "de.referral.eye_doctor")
    assert knowledge.entry("de.referral.eye_doctor") is None
    assert "de.referral.eye_doctor" not in knowledge.examples()
    assert knowledge.counterpart("dk.referral.eye_doctor", "DE") is None
    with sessions.begin() as db:
        [view] = kb.search(kb.views(db), status="retired")
        assert view.entry_id == "de.referral.eye_doctor"
        kb.restore(db, "eva", "de.referral.eye_doctor")
    assert knowledge.entry("de.referral.eye_doctor") == knowledge.shipped()["de.referral.eye_doctor"]


def test_a_publish_is_reverted_from_the_audit_log(sessions, store):
    with sessions.begin() as db:
        kb.save_draft(db, "eva", "dk.costs.gym", new_document(), TODAY, new=True)
        kb.publish(db, "eva", "dk.costs.gym", TODAY)
    assert knowledge.entry("dk.costs.gym") is not None
    with sessions.begin() as db:
        published = db.scalar(select(AuditEntry).where(AuditEntry.action == "publish"))
        assert service.revert(db, "ada", published.id) == "knowledge:dk.costs.gym"
        row = db.scalar(select(KnowledgeEntry))
        assert (row.status, row.published) == ("draft", None) and json.loads(row.draft)["topic"] == "costs"
    assert knowledge.entry("dk.costs.gym") is None


@pytest.mark.parametrize("entry_id, changes, problem", [
    ("dk.costs.gym", {"texts": {"en": knowledge.Texts("gym?", "Call 70 201 201 for help.", examples=("a", "b"))}},
     "the phone number 70 201 201 is written as digits"),
    ("dk.costs.gym", {"texts": {"en": knowledge.Texts("gym?", "Ring 112 now.", examples=("a", "b"))}},
     "the phone number 112 is written as digits"),
    ("dk.costs.gym", {"texts": {"en": knowledge.Texts("gym?", "Call %(lifline)s.", examples=("a", "b"))}},
     "unknown placeholders %(lifline)s"),
    ("dk.costs.gym", {"texts": {"en": knowledge.Texts("gym?", "It is 100% free.", examples=("a", "b"))}},
     "a single % sign"),
    ("dk.costs.gym", {"texts": {"en": knowledge.Texts("gym?", "No.", examples=())}}, "At least 3 English example"),
    ("dk.costs.gym", {"texts": {"en": knowledge.Texts("", "No.", examples=("a", "b", "c"))}}, "English title and answer"),
    ("dk.costs.gym", {"source_url": "http://www.borger.dk/"}, "full https:// address"),
    ("dk.costs.gym", {"source_url": "https://"}, "full https:// address"),
    ("dk.costs.gym", {"source_name": " "}, "names its official source"),
    ("dk.costs.gym", {"checked": TODAY + dt.timedelta(days=1)}, "cannot be in the future"),
    ("dk.costs.gym", {"topic": "gym"}, "Topic must be one of"),
    ("dk.costs.gym", {"region": "bavaria"}, "Region must be one of: capital, zealand"),
    ("de.costs.gym", {"country": "DE", "region": "capital"}, "do not depend on the region"),
    ("de.costs.gym", {}, "The id starts with the country: dk."),
    ("DK costs gym", {}, "The id is <country>.<topic>.<what>"),
    ("dk.costs.gym", {"texts": {"en": new_document().texts["en"],
                                "da": knowledge.Texts("fitness?", "Nej. Ring 112.", examples=())}},
     "the phone number 112 is written as digits"),
    ("dk.costs.gym", {"texts": {"en": new_document().texts["en"],
                                "da": knowledge.Texts("fitness?", "Nej.", examples=())}},
     "Dansk answer: the same placeholders as the English text (%(emergency)s)"),
    ("dk.costs.gym", {"texts": {"en": dataclasses.replace(new_document().texts["en"], child="A child: %(emergency)s."),
                                "da": new_document().texts["da"]}}, "Dansk: the same variants as the English"),
    ("dk.costs.gym", {"texts": {"en": dataclasses.replace(new_document().texts["en"], residence={"insured": "x"})}},
     "Residence situations of DK: asylum, resident, ukraine"),
])
def test_entries_that_would_mislead_are_refused_and_nothing_is_stored(sessions, entry_id, changes, problem):
    with sessions.begin() as db:
        with pytest.raises(service.ValidationError) as refused:
            kb.save_draft(db, "eva", entry_id, new_document(**changes), TODAY, new=True)
        assert any(problem in p for p in refused.value.problems), refused.value.problems
        assert db.scalar(select(KnowledgeEntry)) is None and db.scalar(select(AuditEntry)) is None


def test_a_web_address_with_digits_is_not_a_phone_number():
    assert kb.phone_numbers("Search on 116117.de or call %(on_call_doctor)s.") == []
    assert kb.phone_numbers("Call 116117 or 116 117.") == ["116117", "116 117"]
    assert kb.phone_numbers("Since June 2022, up to 18 years, 10 €.") == []


def test_an_id_is_taken_once_and_a_shipped_entry_keeps_its_country_and_topic(sessions):
    with sessions.begin() as db:
        with pytest.raises(service.ValidationError, match="already is an entry"):
            kb.save_draft(db, "eva", "dk.referral.eye_doctor", new_document(topic="referral_specialist"), TODAY, new=True)
        with pytest.raises(service.ValidationError, match="keeps its country and topic"):
            kb.save_draft(db, "eva", "dk.referral.eye_doctor", new_document(), TODAY)
        with pytest.raises(service.ValidationError, match="no entry"):
            kb.save_draft(db, "eva", "dk.costs.gym", new_document(), TODAY)


def test_stale_facts_are_listed_oldest_first_until_checked_again(sessions, store):
    with sessions.begin() as db:
        kb.save_draft(db, "eva", "dk.costs.gym", new_document(checked=dt.date(2025, 6, 1)), TODAY, new=True)
        kb.publish(db, "eva", "dk.costs.gym", TODAY)
        old = dataclasses.replace(kb.document(db, "dk.referral.eye_doctor"), checked=dt.date(2025, 3, 1))
        kb.save_draft(db, "eva", "dk.referral.eye_doctor", old, TODAY)
        kb.publish(db, "eva", "dk.referral.eye_doctor", TODAY)
        kb.save_draft(db, "eva", "dk.costs.not_yet", new_document(checked=dt.date(2020, 1, 1)), TODAY, new=True)
        assert [v.entry_id for v in kb.stale(db, TODAY)] == ["dk.referral.eye_doctor", "dk.costs.gym"]
        kb.save_draft(db, "eva", "dk.costs.gym", new_document(checked=TODAY), TODAY)
        assert [v.entry_id for v in kb.stale(db, TODAY)] == ["dk.referral.eye_doctor", "dk.costs.gym"]  # a draft
        kb.publish(db, "eva", "dk.costs.gym", TODAY)
        assert [v.entry_id for v in kb.stale(db, TODAY)] == ["dk.referral.eye_doctor"]
        kb.retire(db, "eva", "dk.referral.eye_doctor")
        assert kb.stale(db, TODAY) == []  # a retired entry is not answered with: nothing to check


def test_the_preview_is_the_answer_a_person_gets_with_numbers_and_source():
    doc = new_document(texts={**new_document().texts, "en": dataclasses.replace(
        new_document().texts["en"], answer="Call %(out_of_hours)s in %(region_name)s, or %(emergency)s.")}, region="south")
    text = kb.preview(doc, "en")
    assert text.startswith("Call 70 11 07 07 in Region Syddanmark, or 112.")
    assert text.endswith("Source: borger.dk – https://www.borger.dk/sundhed-og-sygdom (checked Dec 1, 2026)")
    assert kb.preview(doc, "da").startswith("Nej. Den offentlige sygesikring betaler ikke for fitness.\nRing 112")
    assert kb.preview(doc, "da").endswith(i18n.translate("da", "Source: %(name)s – %(url)s (checked %(date)s)", name="borger.dk",
                                                         url=URL, date=i18n.format_date(dt.date(2026, 12, 1), "da")))
    assert kb.preview(doc, "tr") is None  # no Turkish answer: a Turkish speaker gets the leaflet


# --- over HTTP (Starlette's TestClient): the routes are thin, refusals are the admin's pages -----------------------
FORM = {"entry_id": "dk.costs.gym", "country": "DK", "topic": "costs", "region": "", "source_name": "borger.dk",
        "source_url": URL, "checked": "2026-12-01", "en_title": "can i get money back for my gym membership?",
        "en_answer": "No. Call %(emergency)s in an emergency.", "en_examples": "gym paid by the state?\r\nfitness refund",
        "da_title": "fitness?", "da_answer": "Nej. Ring %(emergency)s ved akut sygdom.", "action": "publish"}


def test_the_pages_need_a_login_and_an_editor_creates_and_retires_an_entry(app_fixture):  # noqa: F811
    client = app_fixture

    for path in ("/knowledge", "/knowledge/stale", "/knowledge/new", "/knowledge/dk.referral.eye_doctor"):
        assert client.get(path).status_code == 303
    log_in(client, "eva")
    token = csrf(client, "/knowledge/new")
    assert client.post("/knowledge/new", data={**FORM, "csrf_token": token, "checked": "31.12.2026"}).status_code == 422
    created = client.post("/knowledge/new", data={**FORM, "csrf_token": token})
    assert created.status_code == 303 and created.headers["location"] == "/knowledge/dk.costs.gym?done=publish"
    page = client.get("/knowledge/dk.costs.gym?lang=da")
    assert page.status_code == 200 and "Nej. Ring 112 ved akut sygdom." in page.text  # the Danish preview
    again = client.post("/knowledge/new", data={**FORM, "csrf_token": token})
    assert again.status_code == 422 and "already is an entry dk.costs.gym" in again.text
    assert "dk.costs.gym" in client.get("/knowledge", params={"q": "gym", "country": "DK"}).text
    assert client.post("/knowledge/dk.costs.gym/retire", data={"csrf_token": token}).status_code == 303
    assert "dk.costs.gym" in client.get("/knowledge", params={"status": "retired"}).text
    assert client.post("/knowledge/dk.costs.gym/retire", data={}).status_code == 403  # no CSRF token
    for path in ("/knowledge/no.such.entry", "/knowledge/" + "x" * 300):
        assert client.get(path).status_code == 404
        assert client.post(path, data={**FORM, "csrf_token": token}).status_code == 404
        assert client.post(f"{path}/restore", data={"csrf_token": token}).status_code == 404


def test_a_translation_left_unchanged_when_the_english_changes_is_outdated_until_updated(sessions, store):
    with sessions.begin() as db:
        doc = kb.document(db, "dk.referral.eye_doctor")
        assert doc.outdated() == []
        english = dataclasses.replace(doc.texts["en"], answer=doc.texts["en"].answer + "\n• Bring your glasses.")
        kb.save_draft(db, "eva", "dk.referral.eye_doctor", dataclasses.replace(doc, texts={**doc.texts, "en": english}), TODAY)
        changed = kb.document(db, "dk.referral.eye_doctor")
        assert changed.outdated() == ["ar", "da", "de", "fa", "ru", "so", "ti", "tr", "uk"]
        danish = dataclasses.replace(changed.texts["da"], answer=changed.texts["da"].answer + "\n• Tag dine briller med.")
        kb.save_draft(db, "eva", "dk.referral.eye_doctor", dataclasses.replace(changed, texts={**changed.texts, "da": danish}), TODAY)
        kb.publish(db, "eva", "dk.referral.eye_doctor", TODAY)
        [view] = [v for v in kb.views(db) if v.entry_id == "dk.referral.eye_doctor"]
        assert "da" not in view.outdated and view.outdated == ("ar", "de", "fa", "ru", "so", "ti", "tr", "uk")
    # the bot still answers with an outdated translation (as for topic answers); the page asks to update it
    assert i18n.translate("de", knowledge.entry("dk.referral.eye_doctor").answer) == i18n.catalog("de").gettext(
        knowledge.shipped()["dk.referral.eye_doctor"].answer)


def test_two_editors_creating_the_same_id_at_once_store_one_entry(postgres_url):
    """The second save waits for the first (the id is unique in the database) and then fails, so the admin answers
    it with a 409 page instead of a second entry."""
    import threading

    from sqlalchemy.exc import IntegrityError

    from common.db import migrate

    migrate(postgres_url)
    engine = make_engine(postgres_url)
    sessions = session_factory(engine)
    failed: list[Exception] = []
    first = sessions()
    kb.save_draft(first, "eva", "dk.costs.gym", new_document(), TODAY, new=True)  # flushed, not committed

    def second() -> None:
        with sessions() as db:
            try:
                kb.save_draft(db, "ada", "dk.costs.gym", new_document(), TODAY, new=True)
                db.commit()
            except IntegrityError as error:
                failed.append(error)

    racing = threading.Thread(target=second)
    racing.start()
    racing.join(1.0)
    assert racing.is_alive()  # waiting for the first transaction
    first.commit()
    racing.join(20)
    first.close()
    assert len(failed) == 1
    with sessions() as db:
        assert [row.created_by for row in db.scalars(select(KnowledgeEntry))] == ["eva"]
    engine.dispose()
