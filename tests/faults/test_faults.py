"""Faults with real processes: the action server killed, Rasa killed and restarted, Rasa stalled (SIGSTOP), the
database locked. Every accepted message is answered exactly once after recovery, and the person always hears
something within a few seconds. A stack of its own, so the other tests' servers are not disturbed."""
from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time

import httpx
import pytest
import sqlalchemy as sa

from bot.config import Settings
from bot.runner import Stack
from common.i18n import translate
from common.strings import person as ui
from tests.auxil.answers import expected_answer
from tests.auxil.fake_bot_api import FakeBotApi
from tests.auxil.mentors import accept_guide
from tests.conftest import POSTGRES_URL, _free_port, _postgres_database, start_bot
from tests.telegram.test_bot_e2e import onboard, visible

pytestmark = pytest.mark.e2e
_users = itertools.count(6_100_000)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    settings = Settings(rasa_port=_free_port(), action_port=_free_port(), database_url=f"sqlite:///{tmp / 'product.db'}")
    stack = Stack(settings, log_dir=tmp / "log", tracker_db=tmp / "tracker.db").start()
    api = FakeBotApi().start()
    bot = start_bot(stack, api, settings.database_url, flood_messages=100_000)
    bot.assistant.bridge.rasa._http.timeout = httpx.Timeout(4.0)  # "a few seconds" for the stalled-Rasa test
    yield stack, api, bot
    bot.stop()
    api.stop()
    stack.stop()


def dental(lang: str = "da", question: str = "jeg har ondt i en tand, hvor finder jeg en tandlæge") -> str:
    """The answer to a Danish dental question (the specific entry, else the leaflet: tests.auxil.answers)."""
    return expected_answer(lang, "DK", question, "dental_care")[:60]


def answers_after(api, user: int, sent: int, seconds: float) -> list[str]:
    time.sleep(seconds)  # long enough for a duplicate to show up, if there were one
    return [visible(m.text) for m in api.messages_to(user)[sent:]]


def test_action_server_killed_then_back(world):
    stack, api, bot = world
    user = next(_users)
    sent = onboard(api, user, "da", "DK")
    os.killpg(stack.processes["actions"].pid, signal.SIGKILL)
    stack.processes["actions"].wait()
    started = time.monotonic()
    api.send_text(user, "jeg har ondt i en tand, hvor finder jeg en tandlæge")
    first = api.wait_for(user, 1, after=sent, timeout=15)[0]
    assert time.monotonic() - started < 8
    assert first.text == translate("da", ui.RASA_DOWN)
    stack.start_actions()
    stack.wait_ready()
    api.wait_for(user, 2, after=sent, timeout=30)
    texts = answers_after(api, user, sent, 3)
    assert texts[0] == translate("da", ui.RASA_DOWN)
    assert [t for t in texts[1:] if t.startswith(dental()[:40])] == texts[1:] and len(texts) == 2  # answered once


def test_rasa_killed_and_restarted(world):
    stack, api, bot = world
    user = next(_users)
    sent = onboard(api, user, "da", "DK")
    os.killpg(stack.processes["rasa"].pid, signal.SIGKILL)
    stack.processes["rasa"].wait()
    api.send_text(user, "jeg skal bruge en tandlæge")
    assert api.wait_for(user, 1, after=sent, timeout=10)[0].text == translate("da", ui.RASA_DOWN)
    stack.start_rasa()
    stack.wait_ready()
    api.wait_for(user, 2, after=sent, timeout=60)
    texts = answers_after(api, user, sent, 3)
    assert len(texts) == 2 and texts[1].startswith(dental(question="jeg skal bruge en tandlæge")[:40])


def test_rasa_stalled_the_person_hears_at_once_and_gets_one_answer_after(world):
    stack, api, bot = world
    user = next(_users)
    sent = onboard(api, user, "da", "DK")
    rasa = stack.processes["rasa"].pid
    os.kill(rasa, signal.SIGSTOP)
    try:
        started = time.monotonic()
        api.send_text(user, "hvor finder jeg en tandlæge?")
        assert api.wait_for(user, 1, after=sent, timeout=15)[0].text == translate("da", ui.RASA_DOWN)
        assert time.monotonic() - started < 8
    finally:
        os.kill(rasa, signal.SIGCONT)
    api.wait_for(user, 2, after=sent, timeout=60)
    texts = answers_after(api, user, sent, 4)
    assert len(texts) == 2 and texts[1].startswith(dental(question="hvor finder jeg en tandlæge?")[:40])


@contextlib.contextmanager
def bot_on_postgres(stack):
    """A bot of its own on a fresh PostgreSQL database; yields (api, bot, outage) where `outage()` is a context in
    which the database refuses every connection (as if its server were down) and afterwards comes back."""
    databases = _postgres_database()
    url = next(databases)
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")

    def allow(yes: bool) -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if yes else "false"}'))
            if not yes:
                connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                                   {"n": name})

    @contextlib.contextmanager
    def outage():
        allow(False)
        try:
            yield
        finally:
            allow(True)

    api = FakeBotApi().start()
    bot = start_bot(stack, api, url, flood_messages=100_000)
    try:
        yield api, bot, outage
    finally:
        bot.stop()
        api.stop()
        allow(True)
        admin.dispose()
        for _ in databases:  # drops the database
            pass


def test_database_down_the_person_is_told_to_send_again_and_then_answered(world):
    """The product database (PostgreSQL) refuses connections mid-conversation, then comes back."""
    with bot_on_postgres(world[0]) as (api, bot, outage):
        user = next(_users)
        sent = onboard(api, user, "da", "DK")
        with outage():
            started = time.monotonic()
            api.send_text(user, "hvor finder jeg en tandlæge?")
            reply = api.wait_for(user, 1, after=sent, timeout=20)[0]
            assert reply.text == translate("da", ui.TRY_AGAIN)  # honest: it could not be stored
            assert time.monotonic() - started < 8
        api.send_text(user, "hvor finder jeg en tandlæge?")
        assert visible(api.wait_for(user, 2, after=sent, timeout=30)[1].text).startswith(dental()[:40])


def test_database_down_mid_handoff_then_the_relay_goes_on(world):
    with bot_on_postgres(world[0]) as (api, bot, outage):
        with bot.assistant.db.sessions.begin() as db:
            code = bot.assistant.desk.create_invite(db, "Sara", ["da"]).code
        mentor, person = next(_users), next(_users)
        api.send_text(mentor, f"/start {code}")
        api.wait_for(mentor, 1)
        accept_guide(bot.assistant.db.sessions, "test-key", mentor)  # the boundaries guide, read before the first duty
        api.send_text(mentor, "/duty on")
        api.wait_for(mentor, 2)
        sent = onboard(api, person, "da", "DK")
        api.send_text(person, "/mentor")
        notice = api.wait_for(mentor, 3)[-1]
        api.press(mentor, notice.buttons[0]["callback_data"])
        sent += len(api.wait_for(person, 2, after=sent))  # searching + "Sara has joined"
        seen = len(api.wait_for(mentor, 4))
        with outage():
            api.send_text(person, "er du der stadig?")
            assert api.wait_for(person, 1, after=sent, timeout=20)[-1].text == translate("da", ui.TRY_AGAIN)
            sent += 1
        api.send_text(person, "er du der stadig?")
        assert api.wait_for(mentor, 1, after=seen, timeout=30)[-1].text.endswith("er du der stadig?")
        api.send_text(mentor, "ja, jeg er her")
        assert visible(api.wait_for(person, 1, after=sent, timeout=30)[-1].text).endswith("ja, jeg er her")
