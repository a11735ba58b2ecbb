"""Emergency and crisis: the right numbers first, for the person's country, in their language."""
from __future__ import annotations

import pytest

from actions.safety import ActionCrisis, ActionEmergency, ActionEmotionalDistress, ActionRequestMentor
from common import content
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
    assert dispatcher.messages[2].get("custom") == {"state": {"language": "ar", "country": "DE", "language_chosen": False}}
    assert len(dispatcher.messages) == 3


async def test_request_mentor_with_a_front_end_that_hands_off(dispatcher, domain):
    tracker = make_tracker("a person please", intent="request_mentor", slots={"language": "en"}, metadata={"handoff": True})
    await ActionRequestMentor().run(dispatcher, tracker, domain)
    assert [m.get("custom") for m in dispatcher.messages][:1] == [{"handoff": {"reason": "request"}}]
