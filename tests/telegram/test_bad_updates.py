"""Whole Telegram updates, property-based: odd, malformed-looking, unknown and future update types sent through the
fake Bot API to the real bot (python-telegram-bot's parsing, our handlers, Rasa). Every private message or button
press gets a reply; everything else is a clean ignore; the error handler never fires."""
from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.e2e
_users = itertools.count(5_100_000)

WEIRD_TEXT = st.lists(st.one_of(
    st.sampled_from(["\u202e", "\u200b", "\u200f", "\ufeff", "\x07", "🙂", "👨‍👩‍👧", "\n", " ", "ا", "я", "ሰ", "%s", "/"]),
    st.text(min_size=1, max_size=6)), min_size=1, max_size=40).map("".join).filter(lambda t: t.strip())
CONTENT = st.one_of(
    WEIRD_TEXT.map(lambda t: {"text": t}),
    st.just({"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 512, "height": 512,
                         "is_animated": False, "is_video": False}}),
    st.just({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}}),
    st.just({"dice": {"emoji": "🎲", "value": 4}}),
    st.just({"location": {"latitude": 0.0, "longitude": 0.0}}),
    st.just({"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}], "caption": "\u202eabc"}),
    st.dictionaries(st.sampled_from(["future_feature", "quantum_sticker", "story_reply_v9"]),
                    st.dictionaries(st.text(max_size=4), st.integers()), min_size=1, max_size=2),  # fields from the future
)


def private(user: int, kind: str, content: dict) -> dict:
    message = {"message_id": user % 10_000, "date": int(time.time()), "chat": {"id": user, "type": "private"},
               "from": {"id": user, "is_bot": False, "first_name": "X"}, **content}
    if kind == "edited_message":
        message["edit_date"] = int(time.time())
    return {kind: message}


UPDATES = st.one_of(
    st.tuples(st.just("reply"), st.sampled_from(["message", "edited_message"]), CONTENT),
    st.tuples(st.just("reply"), st.just("callback_query"), st.text(max_size=64)),
    st.tuples(st.just("ignore"), st.sampled_from(["channel_post", "my_chat_member", "future_update_type", "poll"]), st.just({})),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(update=UPDATES)
def test_every_update_gets_a_reply_or_a_clean_ignore(telegram_bot, fake_api, update):
    expect, kind, payload = update
    user = next(_users)
    errors = telegram_bot.application.bot_data.get("errors", 0)
    if kind == "callback_query":
        fake_api.press(user, payload)
    elif expect == "reply":
        fake_api.send_update(private(user, kind, payload))
    elif kind == "channel_post":
        fake_api.send_update({kind: {"message_id": 1, "date": int(time.time()), "chat": {"id": -100 - user, "type": "channel"},
                                     "text": "news"}})
    elif kind == "my_chat_member":
        member = {"user": {"id": user, "is_bot": False, "first_name": "X"}, "status": "kicked", "until_date": 0}
        fake_api.send_update({kind: {"chat": {"id": user, "type": "private"}, "from": member["user"], "date": int(time.time()),
                                     "old_chat_member": {**member, "status": "member"}, "new_chat_member": member}})
    else:
        fake_api.send_update({kind: {"id": "x", "anything": [1, 2, 3]}})
    if expect == "reply":
        replies = fake_api.wait_for(user, 1, timeout=20)
        assert replies[0].text.strip()
    else:
        time.sleep(0.5)
        assert fake_api.messages_to(user) == []
    assert telegram_bot.application.bot_data.get("errors", 0) == errors, "the error handler fired"


def test_an_update_the_library_cannot_read_does_not_stop_polling(telegram_bot, fake_api):
    """A `poll` without its required fields makes python-telegram-bot's parser raise; polling must move on."""
    fake_api.send_update({"poll": {"id": "1"}})
    user = next(_users)
    fake_api.send_text(user, "/start")
    assert fake_api.wait_for(user, 1, timeout=20)[0].buttons  # the consent question: the bot is still answering
