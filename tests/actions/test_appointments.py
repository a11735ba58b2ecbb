"""Appointment reminders in the person's own words: the action hands the words to the front end (bot.appointments
reads the day and time and repeats them back); without the front end it points to /remind."""
from __future__ import annotations

import pytest

from actions.appointments import ActionSetReminder
from common import contract
from common.i18n import translate
from common.strings import appointments as messages
from tests.auxil.trackers import make_tracker

WORDS = "موعدي عند الدكتور الخميس الساعة ٩"


async def test_action_set_reminder_hands_the_words_to_the_front_end(dispatcher, domain):
    metadata = contract.Metadata(language="ar", handoff=True).to_dict()
    tracker = make_tracker(WORDS, intent="set_reminder", slots={"language": "ar", "language_chosen": True, "country": "DE"},
                           metadata=metadata)
    await ActionSetReminder().run(dispatcher, tracker, domain)
    signals = contract.Signals.read(message.get("custom") for message in dispatcher.messages)
    assert signals.remind == WORDS and signals.acts
    assert not [message for message in dispatcher.messages if message.get("text")]  # the front end answers


@pytest.mark.parametrize("lang", ["ar", "ti", "da"])
async def test_without_the_front_end_the_person_is_pointed_to_remind(dispatcher, domain, lang):
    tracker = make_tracker("remind me", intent="set_reminder", slots={"language": lang, "language_chosen": True})
    await ActionSetReminder().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == translate(lang, messages.USE_REMIND)
    assert contract.Signals.read(message.get("custom") for message in dispatcher.messages).remind is None
