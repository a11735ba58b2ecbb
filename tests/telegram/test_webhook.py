"""Webhook mode (the scale-out path): Telegram's calls carry the secret token; others are refused."""
from __future__ import annotations

import socket

import httpx
import pytest

from common.i18n import translate
from common.strings import person as ui

pytestmark = pytest.mark.e2e
SECRET = "webhook-secret-for-tests"


@pytest.fixture(scope="module")
def webhook_bot(stack, tmp_path_factory):
    from bot.config import Settings
    from bot.frontend import FrontEnd
    from bot.rasa_client import RasaClient
    from bot.telegram.app import build_application
    from common.db import make_engine, migrate, session_factory
    from tests.auxil.fake_bot_api import FakeBotApi
    from tests.conftest import RunningBot

    api = FakeBotApi().start()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    database_url = f"sqlite:///{tmp_path_factory.mktemp('webhook') / 'common.db'}"
    migrate(database_url)
    assistant = FrontEnd(
        session_factory(make_engine(database_url)), RasaClient(stack.rasa_url, stack.token),
        Settings(pseudonym_key="test-key"),
    )
    application = build_application("654321:WEBHOOK", assistant, base_url=api.base_url, chat_interval=0.05)
    running = RunningBot(application, assistant, database_url, webhook={
        "listen": "127.0.0.1", "port": port, "url_path": "telegram", "secret_token": SECRET,
        "webhook_url": f"http://127.0.0.1:{port}/telegram",
    })
    yield api, f"http://127.0.0.1:{port}/telegram"
    running.stop()
    api.stop()


def test_webhook_update_with_secret_is_answered(webhook_bot):
    api, url = webhook_bot
    assert api.calls("setWebhook")[0].params["secret_token"] == SECRET
    update = {"update_id": 1, "message": api.message(555_001, language_code="tr", text="/start")}
    response = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=10)
    assert response.status_code == 200
    reply = api.wait_for(555_001, 1)[0]
    assert reply.text == translate("tr", ui.PRIVACY_NOTICE, days=90)


def test_webhook_call_without_the_secret_is_refused(webhook_bot):
    api, url = webhook_bot
    update = {"update_id": 2, "message": api.message(555_002, text="/start")}
    response = httpx.post(url, json=update, timeout=10)
    assert response.status_code == 403
    assert api.messages_to(555_002) == []
