"""Erase (/delete) and retention: the person's rows here and their conversation in Rasa's tracker store."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, List

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.desk import Desk
from common.db import make_engine
from common.db.models import Appointment, Inbound, Person, RelayMessage, utcnow

logger = logging.getLogger(__name__)


class Privacy:
    def __init__(self, desk: Desk, tracker_url: str | None, retention_days: int) -> None:
        self._desk = desk
        self._tracker_url = tracker_url
        self.retention_days = retention_days

    def erase(self, session: Session, person: Person) -> List[Outgoing]:
        """Delete the person's rows here (cases, relay log and notes included) and their conversation in Rasa's
        tracker store. A mentor on an open case is told that the person ended it (what is returned)."""
        out: List[Outgoing] = []
        case = self._desk.open_case(session, person)
        if case is not None:
            out = [o for o in self._desk.end_by_person(session, person, case.language, case) if o.chat_id != person.chat_id]
        sender = person.pseudonym
        session.execute(delete(Inbound).where(Inbound.person_id == person.id))
        session.delete(person)
        self._tracker_sql("DELETE FROM events WHERE sender_id = :sender", sender=sender)
        return out

    def purge_expired(self, session: Session, now: dt.datetime | None = None) -> tuple[int, List[Outgoing]]:
        """Retention: delete people not seen for `retention_days` (rows and conversation), appointments whose time
        is older than that, and every tracker event older than that. Returns how many people were deleted, and what their mentors are told."""
        cutoff = (now or utcnow()) - dt.timedelta(days=self.retention_days)
        expired = session.scalars(
            select(Person).where(func.coalesce(Person.last_seen_at, Person.created_at) < cutoff)
        ).all()
        out: List[Outgoing] = []
        for person in expired:
            out += self.erase(session, person)
        session.execute(delete(RelayMessage).where(RelayMessage.created_at < cutoff))
        # appointments (and their reminder steps, by cascade) once their time is older than the retention period
        session.execute(delete(Appointment).where(Appointment.at < cutoff))
        self._tracker_sql("DELETE FROM events WHERE timestamp < :cutoff", cutoff=cutoff.timestamp())
        return len(expired), out

    def _tracker_sql(self, statement: str, **params: Any) -> None:
        """Run a DELETE on Rasa's SQL tracker store (the `events` table Rasa creates)."""
        if not self._tracker_url:
            return
        engine = make_engine(self._tracker_url)
        try:
            with engine.begin() as connection:
                connection.execute(text(statement), params)
        except OperationalError as error:  # no conversation stored yet: nothing to delete
            logger.info("tracker store has no events table yet: %s", error.__class__.__name__)
        finally:
            engine.dispose()
