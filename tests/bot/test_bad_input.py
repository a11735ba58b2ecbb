"""Bad input, property-based (hypothesis): whatever a person types or presses gets a clear reply, or a clean
ignore, never a crash, never someone else's data touched. Rasa is replaced by an in-process stand-in here;
tests/telegram/test_bad_updates.py sends whole Telegram updates through the real bot and Rasa."""
from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Dict, List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.config import Settings
from bot.exchange import Incoming
from bot.frontend import FrontEnd
from bot.privacy import pseudonym
from bot.rasa_client import RasaReply
from common import content
from common.db import make_engine, migrate, session_factory
from common.db.models import Handoff, Inbound, Person
from common.i18n import translate
from common.strings import person as ui

NASTY = st.sampled_from(["\u202e", "\u202d", "\u200b", "\u200f", "\ufeff", "\x00", "\x07", "\u0301", "🙂", "👨‍👩‍👧",
                         "\n", "\t", " ", "ا", "ሰ", "я", "%", "%(x)s", "{", "/", "<b>", "\\"])
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(NASTY, st.text(max_size=5)), max_size=60).map("".join),
    st.integers(4000, 20000).map(lambda n: "ä" * n),
    st.just("🙂" * 3000),
)


class EchoRasa:
    """Answers every message with a reply, like the REST channel; `/model/parse` says out_of_scope."""

    def __init__(self) -> None:
        self.received: List[str] = []

    async def send(self, sender: str, text: str, metadata: Dict[str, Any] | None = None) -> List[RasaReply]:
        self.received.append(text)
        return [RasaReply(text="ok", buttons=[{"title": "Yes", "payload": "/affirm"}])]

    async def slots(self, sender: str) -> Dict[str, Any]:
        return {}

    async def parse(self, text: str) -> Dict[str, Any]:
        return {"intent": {"name": "out_of_scope"}}

    async def user_events(self, sender: str) -> List[Dict[str, Any]]:
        return []

    async def append_event(self, sender: str, event: str) -> None:
        pass

    async def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('bad') / 'product.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    rasa = EchoRasa()
    bot = FrontEnd(sessions, rasa, Settings(pseudonym_key="k", flood_messages=10**6))  # type: ignore[arg-type]
    now = dt.datetime.now(dt.timezone.utc)
    with sessions.begin() as db:  # a consented person per language, and a bystander with a closed, unrated case
        for number, code in enumerate(content.languages(), start=1):
            db.add(Person(pseudonym=pseudonym("k", number), chat_id=number, language=code, language_chosen=True,
                          country="DK", consent_at=now))
        bystander = Person(pseudonym=pseudonym("k", 999), chat_id=999, language="en", country="DE", consent_at=now)
        db.add(bystander)
        db.flush()
        db.add(Handoff(person_id=bystander.id, language="en", reason="request", status="closed"))
    yield bot, sessions, rasa
    engine.dispose()


_ids = iter(range(10**6, 10**9))
LANGS = list(content.languages())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, who=st.integers(1, len(LANGS)))
def test_any_text_gets_a_reply_in_the_persons_language(world, text, who):
    bot, sessions, _ = world
    out = asyncio.run(bot.handle(Incoming(next(_ids), who, who, "text", text)))
    assert out, "silence"
    assert all(reply.chat_id == who and reply.text.strip() for reply in out)
    lang = LANGS[who - 1]
    known = {translate(lang, m) for m in (ui.EMPTY_TEXT, ui.TOO_LONG)} | {"ok"}
    assert all(reply.text in known for reply in out), [r.text[:60] for r in out]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.text(max_size=64), st.sampled_from(["g:1:5", "g:1:1", "mc:1", "ms:1", "d:maybe", "l:xx", "k:SE",
                                                               "t:nonsense", "r:", "r:/restart", "c:", ":", "g:1", "g:x:9",
                                                               "a:x:99999999999999999999", "a:t:gp:00010101:0030",
                                                               "a:s:gp:20261308:1030", "a:f:1:next", "a:y:1", "a:p:gp:x",
                                                               "a:h:zz", "a:"])))
def test_any_button_data_gets_a_reply_and_never_touches_someone_elses_case(world, data):
    bot, sessions, _ = world
    out = asyncio.run(bot.press(Incoming(next(_ids), 3, 3, "button", data)))
    assert out and all(reply.chat_id == 3 and reply.text.strip() for reply in out)
    with sessions() as db:
        case = db.scalar(select(Handoff).join(Handoff.person).where(Person.chat_id == 999))
        assert case.rating is None and case.status == "closed"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["voice", "audio", "video_note", "photo", "video", "document", "sticker", "location",
                             "contact", "edited", "other", "poll", "dice", "unknown-future-kind"]), who=st.integers(1, len(LANGS)))
def test_any_kind_of_message_gets_a_reply(world, kind, who):
    bot, _, _ = world
    out = asyncio.run(bot.handle(Incoming(next(_ids), who, who, kind, "")))
    assert out and all(reply.chat_id == who and reply.text.strip() for reply in out)


def test_a_flood_gets_one_polite_notice_then_a_clean_ignore_and_nothing_reaches_rasa(tmp_path):
    url = f"sqlite:///{tmp_path / 'flood.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    rasa = EchoRasa()
    bot = FrontEnd(sessions, rasa, Settings(pseudonym_key="k", flood_messages=5, flood_seconds=60))  # type: ignore[arg-type]
    with sessions.begin() as db:
        db.add(Person(pseudonym=pseudonym("k", 7), chat_id=7, language="tr", language_chosen=True, country="DE",
                      consent_at=dt.datetime.now(dt.timezone.utc)))
    replies = [asyncio.run(bot.handle(Incoming(n, 7, 7, "text", f"mesaj {n}"))) for n in range(1, 10)]
    assert [len(r) for r in replies] == [1, 1, 1, 1, 1, 1, 0, 0, 0]
    assert replies[5][0].text == translate("tr", ui.FLOOD)
    assert rasa.received == [f"mesaj {n}" for n in range(1, 6)]
    with sessions() as db:  # nothing half-done is left behind
        assert set(db.scalars(select(Inbound.status))) == {"done"}
    engine.dispose()
