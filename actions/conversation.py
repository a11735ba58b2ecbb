"""Small talk, language choice, yes/no, privacy and the fallback for messages not understood."""
from __future__ import annotations

from typing import List

from rasa_sdk.events import EventType, SlotSet

from actions import knowledge as kb
from actions.answers import keep_country
from actions.base import (
    OFFER_KEEP_COUNTRY,
    SLOT_LANGUAGE,
    SLOT_LANGUAGE_CHOSEN,
    SLOT_MISSES,
    SLOT_PENDING_OFFER,
    LocalizedAction,
    StaticReply,
    Turn,
)
from actions.safety import (
    OFFER_MENTOR,
    OFFER_MENTOR_AFTER_THOUGHTS,
    OFFER_MENTOR_NOT_UNDERSTOOD,
    OFFER_SAFETY,
    ActionRequestMentor,
    urgent_person,
)
from common import content, contract, safety
from common.strings import assistant as messages

OFFER_DELETE = "delete"


class ActionGreet(LocalizedAction):
    def name(self) -> str:
        return "action_greet"

    def respond(self, turn: Turn) -> List[EventType]:
        turn.say(messages.GREET)
        if not turn.country:
            turn.say(messages.ASK_COUNTRY, buttons=turn.country_buttons())
        return []


class ActionGoodbye(StaticReply):
    message = messages.GOODBYE

    def name(self) -> str:
        return "action_goodbye"


class ActionThank(StaticReply):
    message = messages.THANK

    def name(self) -> str:
        return "action_thank"


class ActionBotChallenge(StaticReply):
    message = messages.BOT_CHALLENGE

    def name(self) -> str:
        return "action_bot_challenge"


class ActionOutOfScope(StaticReply):
    message = messages.OUT_OF_SCOPE

    def name(self) -> str:
        return "action_out_of_scope"


class ActionChooseLanguage(LocalizedAction):
    """Switch language: from a picker button, or from a message that names a language."""

    def name(self) -> str:
        return "action_choose_language"

    def respond(self, turn: Turn) -> List[EventType]:
        wanted = next(turn.tracker.get_latest_entity_values("language"), None)
        text = turn.tracker.latest_message.get("text") or ""
        wanted = wanted if wanted in content.languages() else content.language_in_text(text)
        if wanted not in content.languages():
            turn.say(messages.CHOOSE_LANGUAGE, buttons=turn.language_buttons())
            return []
        turn.lang = wanted
        turn.events = [e for e in turn.events if e.get("name") != SLOT_LANGUAGE]
        turn.say(messages.LANGUAGE_SET)
        return [SlotSet(SLOT_LANGUAGE, wanted), SlotSet(SLOT_LANGUAGE_CHOSEN, True)]


class ActionChangeLanguage(ActionChooseLanguage):
    """'Can you speak Arabic?' switches at once; 'another language please' shows the picker."""

    def name(self) -> str:
        return "action_change_language"


class ActionDeleteMyData(LocalizedAction):
    def name(self) -> str:
        return "action_delete_my_data"

    def respond(self, turn: Turn) -> List[EventType]:
        turn.say(messages.DELETE_CONFIRM, buttons=turn.yes_no_buttons())
        return [SlotSet(SLOT_PENDING_OFFER, OFFER_DELETE)]


class ActionAnswerOffer(LocalizedAction):
    """Yes/no answers the last offer (a mentor, deleting data); without one, a short acknowledgement."""

    def name(self) -> str:
        return "action_answer_offer"

    resolves_safety_question = True

    def respond(self, turn: Turn) -> List[EventType]:
        offer = turn.tracker.get_slot(SLOT_PENDING_OFFER)
        said_yes = turn.tracker.get_intent_of_latest_message() == "affirm"
        cleared = [SlotSet(SLOT_PENDING_OFFER, None)]
        if offer == OFFER_SAFETY and said_yes:  # "I am safe right now": thank, and offer a person now
            turn.say(messages.SAFETY_SAFE_REPLY, buttons=turn.yes_no_buttons())
            return [SlotSet(SLOT_PENDING_OFFER, OFFER_MENTOR_AFTER_THOUGHTS)]
        if offer == OFFER_SAFETY:  # "I am not safe": a person now, urgently
            turn.say(messages.SAFETY_NOT_SAFE_REPLY, emergency=safety.EMERGENCY)
            urgent_person(turn, "not_safe")
            return cleared
        if offer == OFFER_MENTOR_AFTER_THOUGHTS and said_yes:
            return ActionRequestMentor().respond(turn, "thoughts")
        if offer in (OFFER_MENTOR, OFFER_MENTOR_NOT_UNDERSTOOD) and said_yes:
            return ActionRequestMentor().respond(turn, "distress" if offer == OFFER_MENTOR else "not_understood")
        if offer in (OFFER_MENTOR, OFFER_MENTOR_NOT_UNDERSTOOD, OFFER_MENTOR_AFTER_THOUGHTS):
            turn.say(messages.MENTOR_OFFER_DECLINED)
            return cleared
        if offer == OFFER_KEEP_COUNTRY:
            return keep_country(turn, said_yes)
        if offer == OFFER_DELETE and said_yes:
            turn.dispatcher.utter_message(json_message=contract.erase_signal())  # the front end deletes, then this is true
            turn.say(messages.DELETE_DONE)
            return cleared + [SlotSet("erase_requested", True)]
        if offer == OFFER_DELETE:
            turn.say(messages.DELETE_CANCELLED)
            return cleared
        turn.say(messages.ACKNOWLEDGE)
        return []


class ActionDefaultFallback(LocalizedAction):
    """First miss: ask to rephrase. Second miss in a row: offer a peer mentor."""

    understood = False

    def name(self) -> str:
        return "action_default_fallback"

    def respond(self, turn: Turn) -> List[EventType]:
        text = turn.tracker.latest_message.get("text") or ""
        specific = kb.answer_question(turn, text, None) if not text.startswith("/") else None
        if specific is not None:  # not one of the topics, but a question the knowledge base answers
            return specific + [SlotSet(SLOT_MISSES, 0.0)]
        misses = (turn.tracker.get_slot(SLOT_MISSES) or 0.0) + 1
        if misses >= 2:
            turn.say(messages.FALLBACK_SECOND, buttons=turn.yes_no_buttons())
            return [SlotSet(SLOT_MISSES, 0.0), SlotSet(SLOT_PENDING_OFFER, OFFER_MENTOR_NOT_UNDERSTOOD)]
        turn.say(messages.FALLBACK_FIRST)
        return [SlotSet(SLOT_MISSES, misses)]


class ActionUpdateProfile(LocalizedAction):
    """/profile: the person sets or changes their residence situation (and, in Denmark, their region)."""

    def name(self) -> str:
        return "action_update_profile"

    def respond(self, turn: Turn) -> List[EventType]:
        if turn.country is None:
            turn.say(messages.PROFILE_NEEDS_COUNTRY, buttons=turn.country_buttons())
            return []
        kb.ask_residence(turn, messages.PROFILE_INTRO)
        events: List[EventType] = [SlotSet(kb.SLOT_PENDING_ENTRY, None)]
        if turn.region_buttons():
            turn.say(messages.PROFILE_REGION, buttons=turn.region_buttons())
        return events
