"""Answers to navigation questions, right for the person's country."""
from __future__ import annotations

from typing import List

from rasa_sdk.events import EventType, SlotSet

from actions.base import SLOT_PENDING_TOPIC, LocalizedAction, Turn
from common import content
from common.strings import assistant as messages


class ActionAnswerTopic(LocalizedAction):
    """Answer the topic of the latest intent; ask for the country first if it is not known yet."""

    def name(self) -> str:
        return "action_answer_topic"

    def respond(self, turn: Turn) -> List[EventType]:
        topic = turn.tracker.get_intent_of_latest_message()
        if topic not in content.topics():
            turn.say(messages.FALLBACK_FIRST)
            return []
        if turn.answer_topic(topic):
            return [SlotSet(SLOT_PENDING_TOPIC, None)]
        turn.say(messages.ASK_COUNTRY, buttons=turn.country_buttons())
        return [SlotSet(SLOT_PENDING_TOPIC, topic)]


class ActionSetCountry(LocalizedAction):
    """Remember the person's country; then answer the question that was waiting for it."""

    def name(self) -> str:
        return "action_set_country"

    def respond(self, turn: Turn) -> List[EventType]:
        from_button = next(turn.tracker.get_latest_entity_values("country"), None)
        if from_button in content.COUNTRIES:
            turn.country = from_button
            turn.events = [e for e in turn.events if e.get("name") != "country"]
            turn.events.append(SlotSet("country", from_button))
        if not turn.country:
            turn.say(messages.ASK_COUNTRY, buttons=turn.country_buttons())
            return []
        pending = turn.tracker.get_slot(SLOT_PENDING_TOPIC)
        if pending and turn.answer_topic(pending):
            return [SlotSet(SLOT_PENDING_TOPIC, None)]
        turn.say(messages.COUNTRY_SET, country_name=turn.country_name(turn.country))
        return []
