"""action_answer_topic / action_set_country: country-specific answers with their source, in the person's language."""
from __future__ import annotations

import pytest

from actions.answers import ActionAnswerTopic, ActionSetCountry
from common import content
from tests.auxil.trackers import make_tracker, slot_events

TOPICS = sorted(content.topics())


@pytest.mark.parametrize("country", content.COUNTRIES)
@pytest.mark.parametrize("topic", TOPICS)
async def test_action_answer_topic_answers_every_topic_with_source(dispatcher, domain, topic, country):
    tracker = make_tracker("?", intent=topic, slots={"language": "en", "country": country, "region": "central"})
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    answer = content.answer(topic, country)
    assert answer.source_url in message["text"]
    assert "%(" not in message["text"], "an unfilled placeholder reached the user"
    assert slot_events(events).get("pending_topic", "unset") in (None, "unset")
    offers_mentor = [b["payload"] for b in message["buttons"]] == ["/request_mentor"]
    assert offers_mentor == (topic in ("social_services", "mental_health_services"))


@pytest.mark.parametrize(
    "country, region, lang, expected, not_expected",
    [
        # issue #15: Denmark gives only the person's region's line (it was all five regions' before)
        ("DK", "capital", "da", ["1813"], ["116117", "1818", "70 11 07 07"]),
        ("DE", None, "de", ["116117"], ["1813"]),
        ("DK", "south", "ar", ["70 11 07 07"], ["116117", "1813"]),
        ("DE", None, "uk", ["116117"], ["1813"]),
    ],
)
async def test_out_of_hours_differs_by_country(dispatcher, domain, country, region, lang, expected, not_expected):
    tracker = make_tracker("...", intent="out_of_hours", slots={"language": lang, "language_chosen": True, "country": country, "region": region})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    for number in expected:
        assert number in text
    for number in not_expected:
        assert number not in text


async def test_answer_is_in_the_chosen_language(dispatcher, domain):
    tracker = make_tracker("x", intent="find_gp", slots={"language": "da", "language_chosen": True, "country": "DK"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    english = content.answer("find_gp", "DK").text
    assert dispatcher.messages[0]["text"].split("\n")[0] != english.split("\n")[0]
    assert "læge" in dispatcher.messages[0]["text"]


async def test_unknown_country_asks_first_and_remembers_the_question(dispatcher, domain):
    tracker = make_tracker("I need a family doctor", intent="find_gp", slots={"language": "en"})
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    [ask] = dispatcher.messages
    assert [b["payload"] for b in ask["buttons"]] == [
        '/inform_country{"country":"DK"}',
        '/inform_country{"country":"DE"}',
    ]
    assert slot_events(events)["pending_topic"] == "find_gp"


async def test_country_named_in_the_question_is_used(dispatcher, domain):
    tracker = make_tracker("how do i find a doctor in germany", intent="find_gp", slots={"language": "en"})
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert "116117" in dispatcher.messages[0]["text"]
    assert slot_events(events)["country"] == "DE"


async def test_set_country_from_button_answers_the_waiting_question(dispatcher, domain):
    tracker = make_tracker(
        '/inform_country{"country":"DK"}',
        intent="inform_country",
        entities=[{"entity": "country", "value": "DK"}],
        slots={"language": "en", "pending_topic": "health_card"},
    )
    events = await ActionSetCountry().run(dispatcher, tracker, domain)
    assert "sundhedskort" in dispatcher.messages[0]["text"]
    slots = slot_events(events)
    assert slots["country"] == "DK"
    assert slots["pending_topic"] is None


async def test_set_country_from_text_without_pending_question_confirms(dispatcher, domain):
    tracker = make_tracker("ich wohne in deutschland", intent="inform_country", slots={"language": "de", "language_chosen": True})
    events = await ActionSetCountry().run(dispatcher, tracker, domain)
    assert slot_events(events)["country"] == "DE"
    assert "Deutschland" in dispatcher.messages[0]["text"]


async def test_set_country_without_a_country_asks_again(dispatcher, domain):
    tracker = make_tracker("i live here", intent="inform_country", slots={"language": "en"})
    await ActionSetCountry().run(dispatcher, tracker, domain)
    assert len(dispatcher.messages[0]["buttons"]) == 2


async def test_answers_list_places_in_the_persons_town_from_the_directory(dispatcher, domain, tmp_path):
    from bot.admin import service
    from common import content_store
    from common.db import make_engine, migrate, session_factory

    url = f"sqlite:///{tmp_path / 'directory.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as db:
        service.save_service(db, "eva", None, {
            "kind": "interpreter", "name": "Tolkeservice Midt", "country": "DK", "city": "Aarhus",
            "phone": "+45 87 13 00 00", "opening_hours": "man-fre 8-16", "languages": "ar,fa", "url": "https://www.rm.dk/",
            "active": "on"})
    engine.dispose()
    content_store.configure(url, ttl=0)
    try:
        asked = make_tracker("احتاج مترجم عند الطبيب في Aarhus", intent="interpreter", slots={"language": "ar", "country": "DK", "residence_asked": True})
        events = await ActionAnswerTopic().run(dispatcher, asked, domain)
        text = dispatcher.messages[0]["text"]
        assert "Tolkeservice Midt" in text and "+45 87 13 00 00" in text and "العربية" in text
        assert slot_events(events)["city"] == "Aarhus"
        elsewhere = make_tracker("need an interpreter", intent="interpreter", slots={"language": "en", "country": "DK", "residence_asked": True})
        await ActionAnswerTopic().run(dispatcher, elsewhere, domain)
        assert "Tolkeservice Midt" not in dispatcher.messages[1]["text"]
        assert "Interpreter Aarhus" in dispatcher.messages[1]["text"]  # how to ask for places near you
        germany = make_tracker("Dolmetscher in Berlin?", intent="interpreter", slots={"language": "de", "country": "DE", "residence_asked": True})
        await ActionAnswerTopic().run(dispatcher, germany, domain)
        assert "Tolkeservice" not in dispatcher.messages[2]["text"]
        # issue #15: a Danish town named by a person set to Germany: the answer follows the town, asked once
        switched = make_tracker("Dolmetscher in Aarhus?", intent="interpreter", slots={"language": "de", "country": "DE", "residence_asked": True})
        events = await ActionAnswerTopic().run(dispatcher, switched, domain)
        assert "Tolkeservice Midt" in dispatcher.messages[3]["text"]
        assert [b["payload"] for b in dispatcher.messages[4]["buttons"]] == ["/affirm", "/deny"]
        assert slot_events(events)["country"] == "DK" and slot_events(events)["previous_country"] == "DE"
    finally:
        content_store.configure(None)
