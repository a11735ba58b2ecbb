"""Every command in Telegram's menu, sent through the fake Bot API in three languages, gets its real answer (never
"technical trouble"): the registered commands are the ones people tap, so each one is tried as a person would."""
from __future__ import annotations

import itertools
from typing import List

import pytest

from bot.telegram.app import COMMANDS
from common import content, pickers
from common.i18n import translate
from common.strings import appointments as appointment_messages
from common.strings import assistant as assistant_messages
from common.strings import mentor as mentor_messages
from common.strings import person as ui
from tests.telegram.test_bot_e2e import onboard, visible

pytestmark = pytest.mark.e2e
_users = itertools.count(970_000)


def first_line(lang: str, message: str, **values) -> str:
    """The part of a translated message before its first placeholder value or line break: what must show."""
    text = visible(translate(lang, message, values))
    return text.split("\n")[0][:40]


def expected(lang: str, country: str) -> dict[str, str]:
    language = content.languages()[lang].name
    return {
        "start": first_line(lang, ui.READY),
        "menu": first_line(lang, ui.MENU),
        "language": first_line(lang, assistant_messages.CHOOSE_LANGUAGE),
        "country": first_line(lang, ui.CHOOSE_COUNTRY),
        "mentor": first_line(lang, mentor_messages.SEARCHING, language=language),
        "end": first_line(lang, mentor_messages.REQUEST_CANCELLED),
        "help": first_line(lang, ui.HELP),
        "privacy": first_line(lang, ui.PRIVACY_DETAILS, days=90),
        "mydata": pickers.country_name(lang, country),
        "profile": first_line(lang, assistant_messages.PROFILE_INTRO),
        "remind": first_line(lang, appointment_messages.ASK_KIND),
        "reminders": first_line(lang, appointment_messages.NONE),
        "delete": first_line(lang, assistant_messages.DELETE_CONFIRM),
    }


def next_texts(api, user: int, after: int, wanted: str) -> List[str]:
    """The bot's messages after the first `after`, once one of them contains `wanted` (or a timeout error)."""
    for count in range(1, 6):
        texts = [visible(m.text) for m in api.wait_for(user, count, after=after)]
        if any(wanted in text for text in texts):
            return texts
    raise AssertionError(f"no reply containing {wanted!r}: {texts}")


@pytest.mark.parametrize("lang, country", [("ar", "DK"), ("uk", "DE"), ("da", "DK")])
def test_every_registered_command_gets_its_real_answer(telegram_bot, fake_api, lang, country):
    user = next(_users)
    sent = onboard(fake_api, user, lang, country)
    trouble = [visible(translate(lang, ui.TRY_AGAIN)), visible(translate(lang, ui.RASA_DOWN))]
    answers = expected(lang, country)
    assert set(answers) == set(COMMANDS)  # every command of the menu is tried
    for command in COMMANDS:
        fake_api.send_text(user, f"/{command}", language_code=lang)
        texts = next_texts(fake_api, user, sent, answers[command])
        sent += len(texts)
        assert not any(t[:40] in text for text in texts for t in trouble), (command, texts)
    my_data = [visible(m.text) for m in fake_api.messages_to(user) if content.languages()[lang].name in visible(m.text)]
    assert my_data, "/mydata names the chosen language"
