"""Emergency, crisis and distress: answered at once, whatever the dialogue state, numbers first."""
from __future__ import annotations

from typing import List

from rasa_sdk.events import EventType, SlotSet

from actions.base import OFFER_SAFETY, SLOT_PENDING_OFFER, LocalizedAction, Turn
from common import content, contract, safety
from common.strings import assistant as messages

OFFER_MENTOR = "mentor"  # offered after emotional distress
OFFER_MENTOR_NOT_UNDERSTOOD = "mentor_nlu"  # offered after two messages the assistant did not understand
# OFFER_SAFETY (actions.base): "are you safe right now?" asked: yes = safe, no = not safe (never assumed safe)
OFFER_MENTOR_AFTER_THOUGHTS = "mentor_thoughts"  # a mentor offered to someone with thoughts of suicide who is safe now


class ActionEmergency(LocalizedAction):
    """112 first. Never waits for the country: 112 works in both."""

    def name(self) -> str:
        return "action_emergency"

    def respond(self, turn: Turn) -> List[EventType]:
        if not turn.answer_topic("emergency"):
            turn.dispatcher.utter_message(text=safety.emergency_reply(turn.lang))
        return []


def ask_if_safe(turn: Turn, message: str = messages.SAFETY_QUESTION) -> List[EventType]:
    """The direct, kind safety question, with buttons; a mentor is one tap away."""
    turn.say(message, buttons=[
        {"title": turn.t(messages.SAFETY_SAFE), "payload": contract.AFFIRM},
        {"title": turn.t(messages.SAFETY_NOT_SAFE), "payload": contract.DENY},
        {"title": turn.t(messages.TALK_TO_MENTOR), "payload": contract.REQUEST_MENTOR},
    ])
    return [SlotSet(SLOT_PENDING_OFFER, OFFER_SAFETY)]


def urgent_person(turn: Turn, reason: str) -> None:
    """An urgent hand-off: every on-duty mentor of the language and every supervisor (or, without a front end that
    hands off, how to reach one)."""
    if turn.front_end_hands_off:
        turn.hand_off(reason)
    else:
        turn.say(messages.MENTOR_REQUEST)


class ActionCrisis(LocalizedAction):
    """Numbers first, always. Then by the triage level (rasa_components.crisis_triage): imminent danger gets an urgent
    hand-off; thoughts of suicide get the safety question with a mentor offered now; a message only the keyword net
    took for a crisis also gets the answer to its health question, then the safety question."""

    resolves_safety_question = True

    def name(self) -> str:
        return "action_crisis"

    def respond(self, turn: Turn) -> List[EventType]:
        turn.dispatcher.utter_message(text=safety.crisis_reply(turn.lang, turn.country, turn.region))
        triage = turn.tracker.latest_message.get("triage") or {}
        if triage.get("net_only"):
            topic = triage.get("model_intent")
            if topic in content.topics() and topic not in ("emergency", "mental_health_services"):
                turn.answer_topic(topic)
            return ask_if_safe(turn)
        if triage.get("level") == "thoughts":
            return ask_if_safe(turn)
        urgent_person(turn, "crisis")  # imminent, or no triage (an older model): today's urgent path
        return []


class ActionEmotionalDistress(LocalizedAction):
    """Acknowledge, then offer a peer mentor; the person decides (yes/no)."""

    def name(self) -> str:
        return "action_emotional_distress"

    def respond(self, turn: Turn) -> List[EventType]:
        turn.say(messages.DISTRESS, buttons=turn.yes_no_buttons())
        return [SlotSet(SLOT_PENDING_OFFER, OFFER_MENTOR)]


class ActionRequestMentor(LocalizedAction):
    """The person wants a human. The hand-off itself is done by the front end (bot.handoff)."""

    resolves_safety_question = True

    def name(self) -> str:
        return "action_request_mentor"

    def respond(self, turn: Turn, reason: str = "request") -> List[EventType]:
        if turn.front_end_hands_off:
            turn.hand_off(reason)  # the front end says who is coming, or honestly that nobody is free
        else:
            turn.say(messages.MENTOR_REQUEST)
        return [SlotSet(SLOT_PENDING_OFFER, None), SlotSet("handoff_requested", True)]
