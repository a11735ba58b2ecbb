"""Issue #15, "staff own the knowledge": an entry staff publish in the web admin is answered by the actions in the
same process, without a restart or a training run, and a retired one no longer is (common.retrieval follows the
knowledge base's version and embeds only the new example questions)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from actions.answers import ActionAnswerPending, ActionAnswerTopic
from bot.admin import knowledge as kb
from common import content_store, contract, knowledge, retrieval
from common.db import make_engine, session_factory
from tests.auxil.trackers import make_tracker, slot_events

TODAY = dt.date(2026, 12, 8)
GYM = knowledge.Document(
    country="DK", topic="costs", source_name="borger.dk", source_url="https://www.borger.dk/sundhed-og-sygdom",
    checked=dt.date(2026, 12, 1), texts={
        "en": knowledge.Texts(
            title="can i get money back for my gym membership?",
            answer="No. The public health insurance does not pay for a gym or fitness membership.",
            examples=("does the health card pay for the gym", "fitness subscription refund from the state?")),
        "da": knowledge.Texts(
            title="kan jeg få penge tilbage for mit fitnessabonnement?",
            answer="Nej. Den offentlige sygesikring betaler ikke for fitness.",
            examples=("betaler det gule kort for fitness", "får jeg tilskud til fitnesscenter")),
    })


@pytest.fixture
def live(database_url):
    """The actions' process reading the test database (content store TTL 0) with the real retrieval index; the
    shipped index is put back afterwards."""
    shipped = retrieval.index()
    content_store.configure(database_url, ttl=0)
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()
    content_store.configure(None)
    retrieval.reset(shipped)


async def ask(dispatcher, domain, text: str, lang: str = "en", topic: str = "costs") -> tuple[str, dict]:
    tracker = make_tracker(text, intent=topic, slots={"language": lang, "country": "DK", "region": "capital",
                                                      "residence_asked": True})
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    return dispatcher.messages[-1]["text"], slot_events(events)


async def test_a_published_entry_is_answered_in_the_same_process_and_a_retired_one_no_longer(dispatcher, domain, live):
    shipped = retrieval.index()
    before, slots = await ask(dispatcher, domain, "does the health card pay for the gym?")
    assert slots.get("last_entry") != "dk.costs.gym"
    with live.begin() as db:
        kb.save_draft(db, "eva", "dk.costs.gym", GYM, TODAY, new=True)
    assert retrieval.wait_current(5) is shipped  # a draft changes nothing
    with live.begin() as db:
        kb.publish(db, "eva", "dk.costs.gym", TODAY)

    updated = retrieval.wait_current(60)
    assert updated is not None and updated is not shipped and updated.version == knowledge.current().version
    shipped_texts = {text for found in knowledge.shipped_examples().values() for _, text in found}
    new_texts = {text for _, text in GYM.examples("dk.costs.gym")} - shipped_texts
    assert updated.embedded == len(new_texts) > 0  # only the new example questions, not the ~9,600 shipped
    text, slots = await ask(dispatcher, domain, "does the health card pay for the gym?")
    assert text.startswith("No. The public health insurance does not pay for a gym or fitness membership.")
    assert "borger.dk" in text and slots["last_entry"] == "dk.costs.gym"
    text, slots = await ask(dispatcher, domain, "betaler det gule kort for fitness?", lang="da")
    assert text.startswith("Nej. Den offentlige sygesikring betaler ikke for fitness.") and slots["last_entry"] == "dk.costs.gym"
    text, slots = await ask(dispatcher, domain, "sağlık kartı spor salonu üyeliğimi ödüyor mu?", lang="tr")
    assert slots.get("language", "tr") == "tr" and slots.get("last_entry") != "dk.costs.gym"  # no Turkish answer: the leaflet
    assert not text.startswith("No. The public health insurance")

    with live.begin() as db:
        kb.retire(db, "eva", "dk.costs.gym")
        kb.retire(db, "eva", "dk.referral.eye_doctor")  # a shipped entry
    assert retrieval.wait_current(60) is not None
    text, slots = await ask(dispatcher, domain, "does the health card pay for the gym?")
    assert slots.get("last_entry") != "dk.costs.gym" and not text.startswith("No. The public health insurance")
    text, slots = await ask(dispatcher, domain, "do i need a referral for the eye doctor?", topic="referral_specialist")
    assert slots.get("last_entry") != "dk.referral.eye_doctor"
    assert not text.startswith("No. In Denmark you can go straight to an eye doctor")


async def test_until_the_update_is_swapped_in_the_old_index_answers(dispatcher, domain, live):
    """ready() never waits for an update: the question is answered with the index it has, whole."""
    shipped = retrieval.index()
    with live.begin() as db:
        kb.save_draft(db, "eva", "dk.costs.gym", GYM, TODAY, new=True)
        kb.publish(db, "eva", "dk.costs.gym", TODAY)
    assert retrieval.ready() is shipped  # starts the update in the background
    assert retrieval.wait_current(60) is not shipped


async def test_an_entry_for_one_region_asks_for_the_region_and_answers_only_there(dispatcher, domain, live):
    with live.begin() as db:
        kb.save_draft(db, "eva", "dk.costs.gym_south", dataclasses.replace(GYM, region="south"), TODAY, new=True)
        kb.publish(db, "eva", "dk.costs.gym_south", TODAY)
    assert retrieval.wait_current(60) is not None
    unknown = make_tracker("does the health card pay for the gym?", intent="costs",
                           slots={"language": "en", "country": "DK", "residence_asked": True})
    events = slot_events(await ActionAnswerTopic().run(dispatcher, unknown, domain))
    assert events["pending_entry"] == "dk.costs.gym_south"  # the region is asked first, with its buttons
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]][:1] == [contract.inform_region("capital")]
    text, slots = await ask(dispatcher, domain, "does the health card pay for the gym?")  # region: capital
    assert slots.get("last_entry") != "dk.costs.gym_south" and not text.startswith("No. The public health insurance")
    tapped = make_tracker(contract.inform_region("south"), intent="inform_region",
                          entities=[{"entity": "region", "value": "south"}],
                          slots={"language": "en", "country": "DK", "residence_asked": True, **events})
    await ActionAnswerPending().run(dispatcher, tapped, domain)
    assert dispatcher.messages[-1]["text"].startswith("No. The public health insurance does not pay for a gym")


async def test_an_entry_retired_is_not_answered_even_before_the_index_is_updated(dispatcher, domain, live, monkeypatch):
    shipped = retrieval.index()
    monkeypatch.setattr(retrieval, "refresh", lambda: None)  # the update never comes: the old index answers
    with live.begin() as db:
        kb.retire(db, "eva", "dk.referral.eye_doctor")
    text, slots = await ask(dispatcher, domain, "do i need a referral for the eye doctor?", topic="referral_specialist")
    assert retrieval.ready() is shipped and "dk.referral.eye_doctor" in [m.entry.id for m in shipped.scores(
        "do i need a referral for the eye doctor?", "DK")[:1]]
    assert slots.get("last_entry") != "dk.referral.eye_doctor"
    assert not text.startswith("No. In Denmark you can go straight to an eye doctor")
