"""Issue #15: the answer to the question asked, for the person's own situation (actions.knowledge)."""
from __future__ import annotations

import pytest

from actions import knowledge as kb
from actions.answers import ActionAnswerPending, ActionAnswerTopic
from actions.conversation import ActionAnswerOffer, ActionDefaultFallback, ActionUpdateProfile
from common import contract, knowledge
from tests.auxil.trackers import make_tracker, slot_events

DK_LINES = {"capital": "1813", "zealand": "1818", "south": "70 11 07 07", "central": "70 11 31 31", "north": "70 15 03 00"}


def payloads(message) -> list[str]:
    return [b["payload"] for b in message.get("buttons") or []]


async def test_the_question_asked_gets_its_own_answer_with_source_and_date(dispatcher, domain):
    tracker = make_tracker("do i need a referral for the eye doctor?", intent="referral_specialist",
                           slots={"language": "en", "country": "DE", "residence_asked": True})
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith("No. With your health card (eGK) you can go straight to an eye doctor")
    assert "https://" in message["text"] and "(checked Dec 7, 2026)" in message["text"]
    assert slot_events(events)["last_entry"] == "de.referral.eye_doctor"


async def test_a_danish_town_switches_a_german_person_to_that_region_and_asks_once_to_keep_it(dispatcher, domain):
    tracker = make_tracker("my son has fever 39 at night, what do I do? we live in Aarhus", intent="out_of_hours",
                           slots={"language": "en", "country": "DE"})
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    answer, keep = dispatcher.messages
    assert DK_LINES["central"] in answer["text"]
    assert not [n for area, n in DK_LINES.items() if area != "central" and n in answer["text"]]
    assert "116117" not in answer["text"]
    assert answer["text"].startswith("If your child has a fever")  # the child variant: "my son"
    assert "Aarhus" in keep["text"] and payloads(keep) == [contract.AFFIRM, contract.DENY]
    slots = slot_events(events)
    assert (slots["country"], slots["region"], slots["previous_country"]) == ("DK", "central", "DE")
    assert slots["pending_offer"] == "keep_country"


@pytest.mark.parametrize("keep, country", [(True, "DK"), (False, "DE")])
async def test_the_person_decides_whether_the_town_changes_their_country(dispatcher, domain, keep, country):
    tracker = make_tracker("/affirm" if keep else "/deny", intent="affirm" if keep else "deny",
                           slots={"language": "en", "country": "DK", "region": "central", "previous_country": "DE",
                                  "pending_offer": "keep_country"})
    events = await ActionAnswerOffer().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots.get("country", "DK") == country and slots["pending_offer"] is None
    assert (slots.get("region", "central") is None) == (not keep)


async def test_an_adult_gets_the_adult_answer(dispatcher, domain):
    tracker = make_tracker("i have fever 39 at night and my doctor is closed, what should i do", intent="out_of_hours",
                           slots={"language": "en", "country": "DK", "region": "north"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Fever is often not dangerous") and DK_LINES["north"] in text


async def test_unknown_region_is_asked_once_with_buttons_then_the_question_is_answered(dispatcher, domain):
    asked = make_tracker("my son has fever 39 at night, what do I do?", intent="out_of_hours",
                         slots={"language": "en", "country": "DK"})
    events = slot_events(await ActionAnswerTopic().run(dispatcher, asked, domain))
    assert payloads(dispatcher.messages[0]) == [contract.inform_region(a) for a in DK_LINES]
    assert events["pending_entry"] == "dk.out_of_hours.child_fever_night" and events["about_child"] is True
    tapped = make_tracker(contract.inform_region("south"), intent="inform_region",
                          entities=[{"entity": "region", "value": "south"}],
                          slots={"language": "en", "country": "DK", **events})
    after = slot_events(await ActionAnswerPending().run(dispatcher, tapped, domain))
    text = dispatcher.messages[1]["text"]
    assert text.startswith("If your child has a fever") and DK_LINES["south"] in text and "1813" not in text
    assert after["region"] == "south" and after["pending_entry"] is None


async def test_the_out_of_hours_leaflet_asks_for_the_region_too(dispatcher, domain):
    tracker = make_tracker("lægevagt", intent="out_of_hours", slots={"language": "da", "country": "DK"})
    events = slot_events(await ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert payloads(dispatcher.messages[0]) == [contract.inform_region(a) for a in DK_LINES]
    tapped = make_tracker(contract.inform_region("capital"), intent="inform_region",
                          entities=[{"entity": "region", "value": "capital"}],
                          slots={"language": "da", "country": "DK", **events})
    await ActionAnswerPending().run(dispatcher, tapped, domain)
    text = dispatcher.messages[1]["text"]
    assert "1813" in text and "1818" not in text and "Region Hovedstaden" in text


async def test_residence_is_asked_once_never_required_and_remembered(dispatcher, domain):
    first = make_tracker("how do i find a family doctor in germany?", intent="find_gp",
                         slots={"language": "en", "country": "DE"})
    events = slot_events(await ActionAnswerTopic().run(dispatcher, first, domain))
    general, question = dispatcher.messages
    assert general["text"].startswith("In Germany you choose your family doctor (Hausarzt) yourself")
    assert payloads(question) == [contract.inform_residence(r) for r in ("asylblg", "insured", "ukraine", "skip")]
    assert events["residence_asked"] is True and events["pending_entry"] == "de.find_gp.how_to_find"
    tapped = make_tracker(contract.inform_residence("asylblg"), intent="inform_residence",
                          entities=[{"entity": "residence", "value": "asylblg"}],
                          slots={"language": "en", "country": "DE", **events})
    after = slot_events(await ActionAnswerPending().run(dispatcher, tapped, domain))
    assert after["residence"] == "asylblg"
    assert dispatcher.messages[2]["text"].split("\n")[0] == knowledge.entry("de.find_gp.how_to_find").residence[
        "asylblg"].split("\n")[0]
    again = make_tracker("do i need a referral for the eye doctor?", intent="referral_specialist",
                         slots={"language": "en", "country": "DE", "residence": "asylblg", "residence_asked": True})
    await ActionAnswerTopic().run(dispatcher, again, domain)
    assert len(dispatcher.messages) == 4, "asked once: no second residence question"
    assert dispatcher.messages[3]["text"].split("\n")[0] == knowledge.entry("de.referral.eye_doctor").residence[
        "asylblg"].split("\n")[0]


async def test_skipping_the_residence_question_is_remembered(dispatcher, domain):
    tapped = make_tracker(contract.inform_residence("skip"), intent="inform_residence",
                          entities=[{"entity": "residence", "value": "skip"}],
                          slots={"language": "en", "country": "DE", "pending_entry": "de.find_gp.how_to_find"})
    events = slot_events(await ActionAnswerPending().run(dispatcher, tapped, domain))
    assert events["residence_asked"] is True and "residence" not in events
    assert len(dispatcher.messages) == 1 and "/profile" in dispatcher.messages[0]["text"]


async def test_and_in_germany_answers_the_same_question_for_germany(dispatcher, domain):
    tracker = make_tracker("and in germany?", intent="referral_specialist",
                           slots={"language": "en", "country": "DK", "last_entry": "dk.referral.eye_doctor",
                                  "residence_asked": True})
    events = slot_events(await ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert events["last_entry"] == "de.referral.eye_doctor" and events["country"] == "DE"
    assert "Augenarzt" in dispatcher.messages[0]["text"]


async def test_what_about_my_child_answers_the_last_question_for_a_child(dispatcher, domain):
    tracker = make_tracker("what about my child?", intent="pregnancy_child_health",
                           slots={"language": "en", "country": "DK", "region": "central",
                                  "last_entry": "dk.out_of_hours.child_fever_night", "about_child": False})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith("If your child has a fever")


async def test_a_question_the_classifier_did_not_place_is_still_answered_from_the_knowledge_base(dispatcher, domain):
    tracker = make_tracker("do i need a referral for the eye doctor?", intent="nlu_fallback",
                           slots={"language": "en", "country": "DK", "residence_asked": True})
    events = slot_events(await ActionDefaultFallback().run(dispatcher, tracker, domain))
    assert dispatcher.messages[0]["text"].startswith("No. In Denmark you can go straight to an eye doctor")
    assert events["misses"] == 0.0


async def test_two_close_entries_are_offered_as_buttons_and_the_chosen_one_answers(dispatcher, domain, monkeypatch):
    close = (knowledge.entry("de.referral.eye_doctor"), knowledge.entry("de.referral.gynaecologist"))
    monkeypatch.setattr(kb, "pick", lambda turn, text, topic: kb.Pick(close=close))
    tracker = make_tracker("which doctors without referral", intent="referral_specialist",
                           slots={"language": "en", "country": "DE"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert payloads(dispatcher.messages[0]) == [contract.choose_entry(e.id) for e in close] + [contract.choose_entry("none")]
    chosen = make_tracker(contract.choose_entry("de.referral.gynaecologist"), intent="choose_entry",
                          entities=[{"entity": "entry", "value": "de.referral.gynaecologist"}],
                          slots={"language": "en", "country": "DE", "residence_asked": True})
    await ActionAnswerPending().run(dispatcher, chosen, domain)
    assert dispatcher.messages[1]["text"].split("\n")[0] == close[1].answer.split("\n")[0]


async def test_an_entry_not_yet_translated_falls_back_to_the_translated_leaflet(dispatcher, domain, monkeypatch):
    monkeypatch.setattr(kb, "live", lambda entry, lang: False)
    tracker = make_tracker("do i need a referral for the eye doctor?", intent="referral_specialist",
                           slots={"language": "en", "country": "DE"})
    events = slot_events(await ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert dispatcher.messages[0]["text"].startswith("In Germany your Hausarzt gives you a referral")
    assert events["last_entry"] is None


async def test_profile_offers_the_residence_situations_and_the_danish_regions(dispatcher, domain):
    tracker = make_tracker(contract.UPDATE_PROFILE, intent="update_profile", slots={"language": "en", "country": "DK"})
    await ActionUpdateProfile().run(dispatcher, tracker, domain)
    residence, region = dispatcher.messages
    assert payloads(residence) == [contract.inform_residence(r) for r in ("asylum", "resident", "ukraine", "skip")]
    assert payloads(region) == [contract.inform_region(a) for a in DK_LINES]
