"""`python -m bot run` (what `make run` calls) starts the whole product against a Bot API server and stops
cleanly on Ctrl-C."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.telegram.render import tappable
from common import places
from tests.auxil.answers import expected_answer
from tests.conftest import _free_port
from tests.telegram.test_bot_e2e import QUESTIONS, onboard, visible

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def listening(port: int) -> bool:
    """Something accepts TCP connections on the port (an HTTP request could time out on a busy machine)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            return True
    except OSError:
        return False


@pytest.fixture
def own_api():
    """A Bot API server of its own: the session's fake is already polled by the in-process bot."""
    from tests.auxil.fake_bot_api import FakeBotApi

    api = FakeBotApi().start()
    yield api
    api.stop()


def test_run_command_serves_telegram_and_stops_on_ctrl_c(own_api, tmp_path):
    fake_api = own_api
    rasa_port, action_port, admin_port = _free_port(), _free_port(), _free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "999:RUN-COMMAND-TEST",
        "TELEGRAM_API_BASE_URL": fake_api.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'product.db'}",
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "ADMIN_PORT": str(admin_port),
        "TELEGRAM_CHAT_INTERVAL": "0.05",
        "RASA_TRACKER_DB": str(tmp_path / "tracker.db"),
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "run.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while not any(c.params.get("language_code") == "ti" for c in fake_api.calls("setMyCommands")):
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the product did not start"
            time.sleep(0.5)
        user = 777_001
        fake_api.send_text(user, "/start", language_code="de")
        reply = fake_api.wait_for(user, 1, timeout=60)[0]
        assert reply.text.startswith("Willkommen")  # privacy notice in the phone's language
        assert listening(rasa_port) and listening(action_port)
        assert httpx.get(f"http://127.0.0.1:{admin_port}/login", timeout=10).status_code == 200  # the web admin
        # a whole first conversation in every language, through the product as `make run` starts it
        for offset, (lang, country, question, topic) in enumerate(QUESTIONS, start=1):
            user = 777_100 + offset
            sent = onboard(fake_api, user, lang, country)
            fake_api.send_text(user, question)
            answer = fake_api.wait_for(user, 1, after=sent)[0]
            town = places.town_in_text(question)
            expected = tappable(expected_answer(lang, country, question, topic, town.area if town else None))
            assert visible(answer.text).startswith(visible(expected)), (lang, answer.text[:80])
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    assert process.returncode == 0
    assert not listening(rasa_port) and not listening(action_port) and not listening(admin_port)
