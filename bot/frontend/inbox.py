"""The durable inbox: a person's message is stored (committed) before it is processed, claimed by one worker with
one conditional UPDATE, and answered exactly once, oldest first, also with several bot instances on one database.
If Rasa is down the message stays pending and the retry job answers it later."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Awaitable, Callable, List, Tuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.frontend.database import Database
from bot.frontend.guard import PersonLocks
from bot.rasa_client import RasaUnavailable
from common.db import execute_dml
from common.db.models import Inbound, Person, RelayMessage, as_utc, utcnow

STALE_CLAIM = dt.timedelta(minutes=5)  # a message `processing` this long lost its worker
EMPTY_RETRY_WINDOW = dt.timedelta(minutes=10)  # a message Rasa answers with nothing is retried this long, then
# the person is asked to rephrase (an action server outage passes; a message that always fails must end somewhere)


@dataclass(frozen=True)
class Kept:
    """A pending message, as the worker that claimed it needs it."""

    id: int
    text: str
    age: dt.timedelta

    @property
    def may_retry_empty(self) -> bool:
        return self.age < EMPTY_RETRY_WINDOW


# (outgoing replies, stop processing this person's later messages)
Answer = Callable[[Kept], Awaitable[Tuple[List[Outgoing], bool]]]


def store(session: Session, person: Person, update_id: int, kind: str, text: str | None, status: str = "pending") -> None:
    session.add(Inbound(update_id=update_id, person=person, kind=kind[:16], text=text, status=status))


def _pending_ids(session: Session, person_id: int) -> List[int]:
    return list(session.scalars(
        select(Inbound.id).where(Inbound.person_id == person_id, Inbound.status == "pending").order_by(Inbound.id)
    ).all())


def _claim(session: Session, inbound_id: int) -> Kept | None:
    """Take a pending message for processing. Atomic (one UPDATE), so a message is processed by one worker only."""
    claimed = execute_dml(session,
        update(Inbound).where(Inbound.id == inbound_id, Inbound.status == "pending")
        .values(status="processing", claimed_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return None
    inbound = session.get(Inbound, inbound_id)
    if inbound is None:
        return None
    session.refresh(inbound)
    return Kept(inbound.id, inbound.text or "", utcnow() - as_utc(inbound.created_at))


def keep(session: Session, inbound_id: int) -> None:
    """Rasa did not answer: the message waits for the retry job."""
    inbound = session.get(Inbound, inbound_id)
    if inbound is not None:
        inbound.status, inbound.attempts = "pending", inbound.attempts + 1


def done(session: Session, inbound_id: int) -> None:
    """Answered. Rasa's tracker holds the conversation; no second copy here."""
    inbound = session.get(Inbound, inbound_id)
    if inbound is not None:
        inbound.status, inbound.text = "done", None


def to_case(session: Session, person_id: int, case_id: int) -> None:
    """A case opened while messages were still pending: they belong to the mentor now."""
    for later in session.scalars(select(Inbound).where(Inbound.person_id == person_id, Inbound.status == "pending")).all():
        session.add(RelayMessage(handoff_id=case_id, sender="person", kind="text", text=later.text, delivered=False))
        later.status, later.text = "done", None


def _release_stale(session: Session) -> List[int]:
    """Messages left `processing` by a worker that died go back to pending; the people with pending messages."""
    session.execute(
        update(Inbound).where(Inbound.status == "processing", Inbound.claimed_at < utcnow() - STALE_CLAIM)
        .values(status="pending").execution_options(synchronize_session=False)
    )
    oldest_first = session.scalars(
        select(Inbound.person_id).where(Inbound.status == "pending").order_by(Inbound.id).limit(500)
    ).all()
    return list(dict.fromkeys(oldest_first))


class Inbox:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._locks = PersonLocks()

    async def process(self, person_id: int, answer: Answer, on_down: Callable[[], Awaitable[List[Outgoing]]] | None) -> List[Outgoing]:
        """Answer the person's pending messages, oldest first, so their order is kept. If Rasa is down they stay
        pending (answered by the retry job later) and `on_down` says what the person hears."""
        out: List[Outgoing] = []
        async with await self._locks(person_id):
            for inbound_id in await self._db.transaction(_pending_ids, person_id):
                kept = await self._db.transaction(_claim, inbound_id)
                if kept is None:
                    continue  # another worker has it
                try:
                    replies, stop = await answer(kept)
                except RasaUnavailable:
                    await self._db.transaction(keep, kept.id)
                    return out + (await on_down() if on_down else [])
                out += replies
                if stop:
                    break
        return out

    async def people_waiting(self, limit: int = 50) -> List[int]:
        """People with kept messages, those who wrote first first (stale claims released)."""
        return (await self._db.transaction(_release_stale))[:limit]

    async def has_pending(self, person_id: int) -> bool:
        return bool(await self._db.transaction(_pending_ids, person_id))

    @property
    def locks(self) -> PersonLocks:
        return self._locks
