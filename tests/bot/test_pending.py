"""Nothing lost, nothing twice: a message is claimed by one worker, kept while Rasa is down, answered in order."""
from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Dict, List

import pytest
from sqlalchemy import select, update

from bot.config import Settings
from bot.exchange import Incoming
from bot.frontend import FrontEnd
from bot.privacy import pseudonym
from bot.rasa_client import RasaReply, RasaUnavailable
from common.db import make_engine, session_factory
from common.db.models import Inbound, Person


class SlowRasa:
    """A stand-in for the Rasa REST channel that answers each message with its own text, slowly, and can be down."""

    def __init__(self) -> None:
        self.received: List[str] = []
        self.down = False
        self.delay = 0.0

    async def send(self, sender: str, text: str, metadata: Dict[str, Any] | None = None) -> List[RasaReply]:
        if self.down:
            raise RasaUnavailable("connection refused")
        self.received.append(text)
        await asyncio.sleep(self.delay)
        if text == "crash":  # Rasa's REST channel answers [] when a component or action fails
            return []
        return [RasaReply(text=f"re: {text}", buttons=[])]

    async def slots(self, sender: str) -> Dict[str, Any]:
        return {}

    async def close(self) -> None:
        pass


@pytest.fixture
def assistant(database_url):
    """On SQLite and on PostgreSQL (where a server runs): claims must be atomic on both."""
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    rasa = SlowRasa()
    bot = FrontEnd(sessions, rasa, Settings(pseudonym_key="key"))  # type: ignore[arg-type]
    with sessions.begin() as session:  # a person who has consented and chosen a language
        session.add(Person(pseudonym=pseudonym("key", 7), chat_id=7, language="en", consent_at=dt.datetime.now(dt.timezone.utc)))
    yield bot, rasa, sessions
    engine.dispose()


def text(update_id: int, body: str) -> Incoming:
    return Incoming(update_id=update_id, user_id=7, chat_id=7, kind="text", text=body)


async def test_retry_job_does_not_answer_a_message_that_is_being_processed(assistant):
    bot, rasa, _ = assistant
    rasa.delay = 0.3
    handling = asyncio.create_task(bot.handle(text(1, "hello")))
    await asyncio.sleep(0.1)  # the message is stored and on its way to Rasa
    retried = await bot.retry_pending()
    replies = await handling
    assert rasa.received == ["hello"]
    assert [r.text for r in replies] + [r.text for r in retried] == ["re: hello"]


async def test_messages_kept_while_rasa_is_down_are_answered_later_in_order(assistant):
    bot, rasa, sessions = assistant
    rasa.down = True
    first = await bot.handle(text(1, "one"))
    second = await bot.handle(text(2, "two"))
    assert "trouble" in first[-1].text and "trouble" in second[-1].text
    rasa.down = False
    third = await bot.handle(text(3, "three"))  # the older ones go first
    assert [r.text for r in third] == ["re: one", "re: two", "re: three"]
    assert await bot.retry_pending() == []
    with sessions() as session:
        assert set(session.scalars(select(Inbound.status))) == {"done"}
        assert set(session.scalars(select(Inbound.text))) == {None}


async def test_retry_answers_kept_messages_and_a_message_whose_worker_died(assistant):
    bot, rasa, sessions = assistant
    rasa.down = True
    await bot.handle(text(1, "one"))
    rasa.down = False
    with sessions.begin() as session:  # a worker claimed this one and died before answering
        person = session.scalar(select(Person))
        session.add(Inbound(update_id=2, person=person, kind="text", text="two", status="processing",
                            claimed_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)))
    assert [r.text for r in await bot.retry_pending()] == ["re: one", "re: two"]


async def test_a_recent_claim_is_left_to_its_worker(assistant):
    bot, rasa, sessions = assistant
    with sessions.begin() as session:
        person = session.scalar(select(Person))
        session.add(Inbound(update_id=1, person=person, kind="text", text="busy", status="processing",
                            claimed_at=dt.datetime.now(dt.timezone.utc)))
    assert await bot.retry_pending() == []
    assert rasa.received == []


async def test_duplicate_update_is_ignored(assistant):
    bot, rasa, sessions = assistant
    await bot.handle(text(1, "hello"))
    assert await bot.handle(text(1, "hello")) == []
    assert rasa.received == ["hello"]


async def test_when_rasa_answers_nothing_the_person_is_asked_to_rephrase_not_left_in_silence(assistant):
    from common.i18n import translate
    from common.strings import assistant as assistant_messages
    from common.strings import person as ui

    bot, rasa, sessions = assistant
    first = await bot.handle(text(1, "crash"))  # maybe the action server is down: kept, retried
    assert [r.text for r in first] == [translate("en", ui.RASA_DOWN)]
    assert await bot.retry_pending() == []  # second try: still nothing, still kept
    with sessions.begin() as session:  # ten minutes later it still fails: not an outage, ask to rephrase
        session.execute(update(Inbound).values(created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=11)))
    assert [r.text for r in await bot.retry_pending()] == [translate("en", assistant_messages.FALLBACK_FIRST)]
    assert rasa.received == ["crash"] * 3
    with sessions() as session:
        assert list(session.scalars(select(Inbound.status))) == ["done"]
