"""Answers to navigation questions, right for the person's country, region and situation."""
from __future__ import annotations

from typing import List

from rasa_sdk.events import EventType, SlotSet

from actions import knowledge as kb
from actions.base import (
    OFFER_KEEP_COUNTRY,
    SLOT_COUNTRY,
    SLOT_PENDING_OFFER,
    SLOT_PENDING_TOPIC,
    SLOT_PREVIOUS_COUNTRY,
    SLOT_REGION,
    LocalizedAction,
    Turn,
)
from common import content, places
from common.strings import assistant as messages

SLOT_PENDING_QUESTION = "pending_question"  # the words of a question waiting for the country or the region


def needs_region(turn: Turn, topic: str) -> bool:
    """Whether the topic leaflet names the region's number while the region is not known."""
    answer = content.answer(topic, turn.country) if turn.country else None
    return bool(answer and turn.region is None and content.placeholders(answer.text) & set(places.AREA_PLACEHOLDERS))


def answer(turn: Turn, topic: str | None, text: str) -> List[EventType]:
    """The specific answer if the knowledge base has one, else the topic's leaflet; ask first what is missing."""
    if not turn.country:
        turn.say(messages.ASK_COUNTRY, buttons=turn.country_buttons())
        return [SlotSet(SLOT_PENDING_TOPIC, topic), SlotSet(SLOT_PENDING_QUESTION, text)]
    specific = kb.answer_question(turn, text, topic)
    if specific is not None:
        return specific + [SlotSet(SLOT_PENDING_TOPIC, None), SlotSet(SLOT_PENDING_QUESTION, None)]
    if topic is None or topic not in content.topics():
        return []
    if needs_region(turn, topic):
        turn.say(messages.ASK_REGION, buttons=turn.region_buttons())
        return [SlotSet(SLOT_PENDING_TOPIC, topic), SlotSet(SLOT_PENDING_QUESTION, None),
                SlotSet(kb.SLOT_PENDING_ENTRY, None)]
    turn.answer_topic(topic)
    return [SlotSet(SLOT_PENDING_TOPIC, None), SlotSet(SLOT_PENDING_QUESTION, None),
            SlotSet(kb.SLOT_LAST_ENTRY, None)]


def ask_keep_country(turn: Turn) -> List[EventType]:
    """A town in the other country switched this answer: ask once whether to keep the change."""
    assert turn.town is not None and turn.country is not None
    turn.say(messages.TOWN_SWITCH, buttons=turn.yes_no_buttons(), town=turn.town.name,
             country_name=turn.country_name(turn.country))
    return [SlotSet(SLOT_PENDING_OFFER, OFFER_KEEP_COUNTRY), SlotSet(SLOT_PREVIOUS_COUNTRY, turn.switched_from)]


def keep_country(turn: Turn, keep: bool) -> List[EventType]:
    """The person's answer to "shall I answer for <country> from now on?"."""
    previous = turn.tracker.get_slot(SLOT_PREVIOUS_COUNTRY)
    cleared = [SlotSet(SLOT_PENDING_OFFER, None), SlotSet(SLOT_PREVIOUS_COUNTRY, None)]
    if keep or previous not in content.COUNTRIES:
        turn.say(messages.TOWN_SWITCH_KEPT, country_name=turn.country_name(turn.country or ""))
        return cleared
    turn.country, turn.region = previous, None
    turn.say(messages.TOWN_SWITCH_REVERTED, country_name=turn.country_name(previous))
    return cleared + [SlotSet(SLOT_COUNTRY, previous), SlotSet(SLOT_REGION, None)]


class ActionAnswerTopic(LocalizedAction):
    """Answer a navigation question; ask for the country first if it is not known yet."""

    def name(self) -> str:
        return "action_answer_topic"

    def respond(self, turn: Turn) -> List[EventType]:
        topic = turn.tracker.get_intent_of_latest_message()
        if topic not in content.topics():
            turn.say(messages.FALLBACK_FIRST)
            return []
        text = turn.tracker.latest_message.get("text") or ""
        events = answer(turn, topic, "" if text.startswith("/") else text)
        if turn.switched_from:
            events += ask_keep_country(turn)
        return events


class ActionSetCountry(LocalizedAction):
    """Remember the person's country; then answer the question that was waiting for it."""

    def name(self) -> str:
        return "action_set_country"

    def respond(self, turn: Turn) -> List[EventType]:
        from_button = next(turn.tracker.get_latest_entity_values("country"), None)
        if from_button in content.COUNTRIES:
            if from_button != turn.country:
                turn.region = None
                turn.events = [e for e in turn.events if e.get("name") != SLOT_REGION]
                turn.events.append(SlotSet(SLOT_REGION, None))
            turn.country = from_button
            turn.events = [e for e in turn.events if e.get("name") != "country"]
            turn.events.append(SlotSet("country", from_button))
        if not turn.country:
            turn.say(messages.ASK_COUNTRY, buttons=turn.country_buttons())
            return []
        pending = turn.tracker.get_slot(SLOT_PENDING_TOPIC)
        question = turn.tracker.get_slot(SLOT_PENDING_QUESTION) or ""
        if pending or question:
            return answer(turn, pending, question)
        turn.say(messages.COUNTRY_SET, country_name=turn.country_name(turn.country))
        return []


class ActionAnswerPending(LocalizedAction):
    """A region, residence situation or entry chosen with a button: answer the question that waited for it."""

    def name(self) -> str:
        return "action_answer_pending"

    def respond(self, turn: Turn) -> List[EventType]:
        pending_topic = turn.tracker.get_slot(SLOT_PENDING_TOPIC)
        if pending_topic and not turn.tracker.get_slot(kb.SLOT_PENDING_ENTRY):
            events = kb.apply_choice(turn)
            if turn.region is not None or not needs_region(turn, pending_topic):
                turn.answer_topic(pending_topic)
                return events + [SlotSet(SLOT_PENDING_TOPIC, None)]
            turn.say(messages.ASK_REGION, buttons=turn.region_buttons())
            return events
        return kb.answer_pending(turn)
