"""Emergency, crisis and distress: answered at once, whatever the dialogue state, numbers first."""
from __future__ import annotations

from typing import List

from rasa_sdk.events import EventType, SlotSet

from actions.base import SLOT_PENDING_OFFER, LocalizedAction, Turn
from common import safety
from common.strings import assistant as messages

OFFER_MENTOR = "mentor"  # offered after emotional distress
OFFER_MENTOR_NOT_UNDERSTOOD = "mentor_nlu"  # offered after two messages the assistant did not understand


class ActionEmergency(LocalizedAction):
    """112 first. Never waits for the country: 112 works in both."""

    def name(self) -> str:
        return "action_emergency"

    def respond(self, turn: Turn) -> List[EventType]:
        if not turn.answer_topic("emergency"):
            turn.dispatcher.utter_message(text=safety.emergency_reply(turn.lang))
        return []


class ActionCrisis(LocalizedAction):
    """Crisis and suicide-prevention numbers of the person's country first, then a person."""

    def name(self) -> str:
        return "action_crisis"

    def respond(self, turn: Turn) -> List[EventType]:
        turn.dispatcher.utter_message(text=safety.crisis_reply(turn.lang, turn.country))
        if turn.front_end_hands_off:
            turn.hand_off("crisis")  # urgent: every on-duty mentor of the language and every supervisor
        else:
            turn.say(messages.MENTOR_REQUEST)
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

    def name(self) -> str:
        return "action_request_mentor"

    def respond(self, turn: Turn, reason: str = "request") -> List[EventType]:
        if turn.front_end_hands_off:
            turn.hand_off(reason)  # the front end says who is coming, or honestly that nobody is free
        else:
            turn.say(messages.MENTOR_REQUEST)
        return [SlotSet(SLOT_PENDING_OFFER, None), SlotSet("handoff_requested", True)]
