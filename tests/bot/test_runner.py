"""`python -m bot run` without a Telegram token: the terminal chat runs on the stack it started."""
from __future__ import annotations

import signal

import pytest

from bot import local_chat, runner
from bot.config import Settings


def test_without_a_telegram_token_the_terminal_chat_gets_the_settings_and_the_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    chats = []
    monkeypatch.setattr(runner.Stack, "start", lambda self, admin=False: started.append(admin) or self)
    monkeypatch.setattr(runner.Stack, "stop", lambda self: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # run() installs a SIGTERM handler: not in the test process
    monkeypatch.setattr(local_chat, "chat", lambda *args, **kwargs: chats.append((args, kwargs)))
    settings = Settings(telegram_bot_token="", rasa_token="secret")

    assert runner.run(settings) == 0

    assert started == [True]
    [(args, kwargs)] = chats
    assert args[0] is settings and not kwargs
    assert isinstance(args[1], runner.Stack) and args[1].token == "secret"
