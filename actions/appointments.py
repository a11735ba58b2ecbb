"""Appointment reminders asked for in the person's own words ("remind me, dentist Tuesday 10:30").

The front end does the work (bot.appointments): it reads the day and time from the text, repeats them back in the
person's language and calendar format, and saves nothing before the person confirms. This action only hands the
words over through the payload contract; a channel without the front end is told to use /remind."""
from __future__ import annotations

from typing import List

from rasa_sdk.events import EventType

from actions.base import LocalizedAction, Turn
from common import contract
from common.strings import appointments as messages


class ActionSetReminder(LocalizedAction):
    """intent set_reminder -> the remind signal with the person's words."""

    def name(self) -> str:
        return "action_set_reminder"

    def respond(self, turn: Turn) -> List[EventType]:
        if turn.front_end_hands_off:
            turn.dispatcher.utter_message(json_message=contract.remind_signal(turn.tracker.latest_message.get("text") or ""))
        else:
            turn.say(messages.USE_REMIND)
        return []
