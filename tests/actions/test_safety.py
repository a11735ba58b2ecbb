"""Emergency and crisis: the right numbers first, for the person's country, in their language."""
from __future__ import annotations

import pytest

from actions.answers import ActionAnswerTopic
from actions.conversation import ActionAnswerOffer
from actions.safety import ActionCrisis, ActionEmergency, ActionEmotionalDistress, ActionRequestMentor
from common import content
from common.i18n import translate
from common.strings import assistant as messages
from tests.auxil.trackers import make_tracker, slot_events

LANGS = sorted(content.languages())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("country", ["DK", "DE", None])
async def test_action_emergency_gives_112_first(dispatcher, domain, lang, country):
    tracker = make_tracker("!!!", intent="emergency", slots={"language": lang, "language_chosen": True, "country": country})
    await ActionEmergency().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]["text"]
    visible = "".join(ch for ch in first if ch not in "\u200e\u200f")  # RTL catalogs mark numbers left-to-right
    numbers = [token for token in visible.replace("\n", " ").split() if any(ch.isdigit() for ch in token)]
    assert numbers and numbers[0].strip(".,:;()!،") == "112", first


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "country, must_contain",
    [("DK", ["112", "70 201 201"]), ("DE", ["112", "0800 111 0 111", "0800 111 0 222"]), (None, ["112", "70 201 201", "0800 111 0 111"])],
)
async def test_action_crisis_gives_the_country_crisis_lines(dispatcher, domain, lang, country, must_contain):
    tracker = make_tracker("...", intent="crisis", slots={"language": lang, "language_chosen": True, "country": country})
    await ActionCrisis().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]["text"]
    for number in must_contain:
        assert number in first
    assert len(dispatcher.messages) == 2, "numbers first, then the way to a person"


async def test_distress_offers_a_mentor_and_waits_for_the_answer(dispatcher, domain):
    tracker = make_tracker("i feel so alone", intent="emotional_distress", slots={"language": "en"})
    events = await ActionEmotionalDistress().run(dispatcher, tracker, domain)
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]
    assert slot_events(events)["pending_offer"] == "mentor"


async def test_request_mentor_marks_the_handoff(dispatcher, domain):
    tracker = make_tracker("i want to talk to a person", intent="request_mentor", slots={"language": "en"})
    events = await ActionRequestMentor().run(dispatcher, tracker, domain)
    assert slot_events(events)["handoff_requested"] is True
    assert "112" in dispatcher.messages[0]["text"]


async def test_with_a_front_end_that_hands_off_the_crisis_numbers_come_first_then_an_urgent_handoff(dispatcher, domain):
    tracker = make_tracker("...", intent="crisis", slots={"language": "ar", "country": "DE"}, metadata={"handoff": True})
    await ActionCrisis().run(dispatcher, tracker, domain)
    assert "0800 111 0 111" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1].get("custom") == {"handoff": {"reason": "crisis"}}
    assert dispatcher.messages[2].get("custom") == {"state": {"language": "ar", "country": "DE", "language_chosen": False,
                                                           "region": None, "residence": None}}
    assert len(dispatcher.messages) == 3


async def test_request_mentor_with_a_front_end_that_hands_off(dispatcher, domain):
    tracker = make_tracker("a person please", intent="request_mentor", slots={"language": "en"}, metadata={"handoff": True})
    await ActionRequestMentor().run(dispatcher, tracker, domain)
    assert [m.get("custom") for m in dispatcher.messages][:1] == [{"handoff": {"reason": "request"}}]


HANDS_OFF = {"handoff": True}


def texts(dispatcher) -> list[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


def signals(dispatcher) -> list[dict]:
    return [m["custom"] for m in dispatcher.messages if m.get("custom") and "state" not in m["custom"]]


async def test_imminent_danger_gets_the_numbers_then_an_urgent_handoff(dispatcher, domain):
    tracker = make_tracker("i took all my pills", intent="crisis", slots={"language": "en", "country": "DK"},
                           metadata=HANDS_OFF, triage={"level": "imminent", "net_only": False, "model_intent": "crisis"})
    await ActionCrisis().run(dispatcher, tracker, domain)
    assert "70 201 201" in texts(dispatcher)[0]
    assert signals(dispatcher) == [{"handoff": {"reason": "crisis"}}]


@pytest.mark.parametrize("lang", LANGS)
async def test_thoughts_get_the_numbers_then_the_safety_question_and_no_alert(dispatcher, domain, lang):
    tracker = make_tracker("...", intent="crisis", slots={"language": lang, "language_chosen": True, "country": "DE"},
                           metadata=HANDS_OFF, triage={"level": "thoughts", "net_only": False, "model_intent": "crisis"})
    events = await ActionCrisis().run(dispatcher, tracker, domain)
    assert "0800 111 0 111" in texts(dispatcher)[0]
    question = dispatcher.messages[1]
    assert question["text"] == translate(lang, messages.SAFETY_QUESTION)
    assert [b["payload"] for b in question["buttons"]] == ["/affirm", "/deny", "/request_mentor"]
    assert signals(dispatcher) == []  # nobody alerted before the person answers
    assert slot_events(events)["pending_offer"] == "safety"


async def test_only_the_keyword_net_fired_numbers_then_the_health_answer_then_the_safety_question(dispatcher, domain):
    tracker = make_tracker("ضرسي عم يقتلني", intent="crisis", slots={"language": "ar", "country": "DE"},
                           metadata=HANDS_OFF, triage={"level": "thoughts", "net_only": True, "model_intent": "dental_care"})
    await ActionCrisis().run(dispatcher, tracker, domain)
    shown = texts(dispatcher)
    assert "0800 111 0 111" in shown[0]
    assert shown[1].startswith(translate("ar", content.answer("dental_care", "DE").text, content.numbers("DE"))[:40])
    assert shown[2] == translate("ar", messages.SAFETY_QUESTION)
    assert signals(dispatcher) == []


async def test_safe_now_thanks_and_offers_a_mentor(dispatcher, domain):
    tracker = make_tracker("yes", intent="affirm", slots={"language": "en", "pending_offer": "safety"}, metadata=HANDS_OFF)
    events = await ActionAnswerOffer().run(dispatcher, tracker, domain)
    assert texts(dispatcher)[0] == translate("en", messages.SAFETY_SAFE_REPLY)
    assert slot_events(events)["pending_offer"] == "mentor_thoughts"
    assert signals(dispatcher) == []


async def test_not_safe_opens_an_urgent_handoff(dispatcher, domain):
    tracker = make_tracker("no", intent="deny", slots={"language": "da", "pending_offer": "safety"}, metadata=HANDS_OFF)
    await ActionAnswerOffer().run(dispatcher, tracker, domain)
    assert texts(dispatcher)[0] == translate("da", messages.SAFETY_NOT_SAFE_REPLY, emergency="112")
    assert signals(dispatcher) == [{"handoff": {"reason": "not_safe"}}]


async def test_an_unanswered_safety_question_is_asked_again_never_taken_as_safe(dispatcher, domain):
    tracker = make_tracker("where is a dentist", intent="dental_care", slots={"language": "en", "country": "DK",
                                                                             "pending_offer": "safety"})
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert texts(dispatcher)[-1] == translate("en", messages.SAFETY_AGAIN)
    assert slot_events(events)["pending_offer"] == "safety"
