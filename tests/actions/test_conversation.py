"""Language choice, yes/no after an offer, and the two-step fallback."""
from __future__ import annotations

from actions.conversation import (
    ActionAnswerOffer,
    ActionChangeLanguage,
    ActionChooseLanguage,
    ActionDefaultFallback,
    ActionGreet,
)
from common import content
from common.i18n import translate
from common.strings import assistant as messages
from tests.auxil.trackers import make_tracker, slot_events


async def test_choose_language_button_switches_and_is_remembered(dispatcher, domain):
    tracker = make_tracker(
        '/choose_language{"language":"ar"}',
        intent="choose_language",
        entities=[{"entity": "language", "value": "ar"}],
        slots={"language": "en"},
    )
    events = await ActionChooseLanguage().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots["language"] == "ar" and slots["language_chosen"] is True
    assert dispatcher.messages[0]["text"] == translate("ar", messages.LANGUAGE_SET)
    assert any("\u0600" <= ch <= "\u06ff" for ch in dispatcher.messages[0]["text"])


async def test_change_language_naming_a_language_switches_at_once(dispatcher, domain):
    tracker = make_tracker("can you write in turkish", intent="change_language", slots={"language": "en"})
    events = await ActionChangeLanguage().run(dispatcher, tracker, domain)
    assert slot_events(events)["language"] == "tr"


async def test_change_language_without_a_name_shows_the_picker(dispatcher, domain):
    tracker = make_tracker("other language please", intent="change_language", slots={"language": "en"})
    await ActionChangeLanguage().run(dispatcher, tracker, domain)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == [lang.name for lang in content.languages().values()]
    assert "العربية" in titles and "ትግርኛ" in titles


async def test_explicit_choice_wins_over_detection(dispatcher, domain):
    tracker = make_tracker(
        "hello, I would like some information please", intent="greet", slots={"language": "fa", "language_chosen": True}
    )
    events = await ActionGreet().run(dispatcher, tracker, domain)
    assert "language" not in slot_events(events)
    assert dispatcher.messages[0]["text"] == translate("fa", messages.GREET)


async def test_detected_language_is_used_without_a_choice(dispatcher, domain):
    tracker = make_tracker("hej, jeg har brug for hjælp med at finde en læge", intent="greet", slots={"language": "en"})
    events = await ActionGreet().run(dispatcher, tracker, domain)
    assert slot_events(events)["language"] == "da"


async def test_fallback_asks_to_rephrase_then_offers_a_mentor(dispatcher, domain):
    first = await ActionDefaultFallback().run(dispatcher, make_tracker("blorp", intent="nlu_fallback", slots={"language": "en"}), domain)
    assert slot_events(first)["misses"] == 1
    assert not dispatcher.messages[0]["buttons"]
    second = await ActionDefaultFallback().run(
        dispatcher, make_tracker("blorp blorp", intent="nlu_fallback", slots={"language": "en", "misses": 1.0}), domain
    )
    assert slot_events(second)["pending_offer"] == "mentor_nlu"
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == ["/affirm", "/deny"]


async def test_yes_after_a_mentor_offer_requests_a_mentor(dispatcher, domain):
    tracker = make_tracker("yes", intent="affirm", slots={"language": "en", "pending_offer": "mentor"})
    events = await ActionAnswerOffer().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots["handoff_requested"] is True and slots["pending_offer"] is None


async def test_yes_after_the_not_understood_offer_asks_the_front_end_for_a_mentor(dispatcher, domain):
    tracker = make_tracker("yes", intent="affirm", slots={"language": "en", "pending_offer": "mentor_nlu"}, metadata={"handoff": True})
    await ActionAnswerOffer().run(dispatcher, tracker, domain)
    assert [m.get("custom") for m in dispatcher.messages] == [
        {"handoff": {"reason": "not_understood"}},
        {"state": {"language": "en", "country": None, "language_chosen": False, "region": None, "residence": None}},  # so the front end needs no slot request
    ]


async def test_yes_after_a_delete_offer_asks_the_front_end_to_erase(dispatcher, domain):
    tracker = make_tracker("yes", intent="affirm", slots={"language": "en", "pending_offer": "delete"})
    await ActionAnswerOffer().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0].get("custom") == {"erase": True}
    assert dispatcher.messages[1]["text"]


async def test_no_after_a_delete_offer_deletes_nothing(dispatcher, domain):
    tracker = make_tracker("no", intent="deny", slots={"language": "en", "pending_offer": "delete"})
    events = await ActionAnswerOffer().run(dispatcher, tracker, domain)
    assert "erase_requested" not in slot_events(events)
    assert dispatcher.messages[0]["text"] == messages.DELETE_CANCELLED


async def test_yes_without_an_offer_is_acknowledged(dispatcher, domain):
    tracker = make_tracker("ok", intent="affirm", slots={"language": "en"})
    await ActionAnswerOffer().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == messages.ACKNOWLEDGE


async def test_understood_reply_resets_the_miss_count(dispatcher, domain):
    tracker = make_tracker("hi", intent="greet", slots={"language": "en", "misses": 1.0, "country": "DK"})
    events = await ActionGreet().run(dispatcher, tracker, domain)
    assert slot_events(events)["misses"] == 0.0
