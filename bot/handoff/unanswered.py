"""No chat left unanswered: when a person's message waits for their mentor's reply MENTOR_REPLY_ALERT (counted
only within the mentor hours), the mentor is reminded; after MENTOR_REPLY_RELEASE the case goes back to the queue
in the same place (its created_at and urgency kept), the supervisors and the matching mentors on duty are told,
the person hears honestly what happened, and the mentor is told why.

Each step happens once per unanswered message, across bot instances: it is a conditional UPDATE of the case row
(`reply_alerted_at IS NULL`; `status = 'claimed' AND mentor_id = <the mentor>`) in the transaction that writes
the outbox rows, and only the instance whose UPDATE matched sends. A reply by the mentor (or a new claim) clears
`reply_alerted_at`, so the next unanswered message may be reminded of again.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import List

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff import figures
from bot.handoff.hours import OpeningHours
from bot.handoff.matching import notify, supervisors
from bot.handoff.replies import mentor_out, person_out
from common.db import execute_dml
from common.db.models import Handoff, RelayMessage, utcnow
from common.safety import numbers_line
from common.strings import mentor as m

logger = logging.getLogger(__name__)


def _unanswered(session: Session, case: Handoff) -> List[RelayMessage]:
    """The person's messages since the mentor last wrote, oldest first."""
    last_reply = session.scalar(select(func.max(RelayMessage.id)).where(
        RelayMessage.handoff_id == case.id, RelayMessage.sender == "mentor")) or 0
    return list(session.scalars(select(RelayMessage).where(
        RelayMessage.handoff_id == case.id, RelayMessage.sender == "person", RelayMessage.id > last_reply,
    ).order_by(RelayMessage.id)).all())


def unanswered_since(session: Session, case: Handoff) -> dt.datetime | None:
    """Since when the person has waited for a reply from the mentor on their case: the oldest message the mentor
    has not answered, but not before the claim (a new mentor's clock starts when they take the chat). None when
    the case is not claimed or nothing waits. The live desk shows the same figure (`figures.unanswered_since`)."""
    if case.status != "claimed" or case.claimed_at is None:
        return None
    return figures.unanswered_since(session, [case.id]).get(case.id)


def waited(session: Session, case: Handoff, hours: OpeningHours, now: dt.datetime) -> dt.timedelta:
    """How long the person has waited for a reply, counting mentor hours only (zero when nothing waits)."""
    since = unanswered_since(session, case)
    return hours.open_between(since, now) if since is not None else dt.timedelta(0)


def _minutes(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 60)


def check_unanswered(
    session: Session, hours: OpeningHours, alert: dt.timedelta, release: dt.timedelta, now: dt.datetime | None = None,
) -> List[Outgoing]:
    """The repeating job: remind, or give back to the queue, every claimed case whose person waits too long."""
    now = now or utcnow()
    out: List[Outgoing] = []
    for case in session.scalars(select(Handoff).where(Handoff.status == "claimed").order_by(Handoff.id)).all():
        span = waited(session, case, hours, now)
        if span >= release:
            out += release_case(session, case, span, now)
        elif span >= alert and case.reply_alerted_at is None:
            out += remind(session, case, span, now)
    return out


def remind(session: Session, case: Handoff, span: dt.timedelta, now: dt.datetime) -> List[Outgoing]:
    reminded = execute_dml(session,
        update(Handoff).where(Handoff.id == case.id, Handoff.status == "claimed", Handoff.reply_alerted_at.is_(None))
        .values(reply_alerted_at=now).execution_options(synchronize_session=False)
    ).rowcount == 1
    if not reminded or case.mentor is None:
        return []
    session.refresh(case)
    mentor = case.mentor
    switch = [] if mentor.current_case_id == case.id else [(f"#{case.id}", f"ms:{case.id}")]
    logger.info("hand-off %s: mentor %s reminded to reply", case.id, mentor.id)
    return [mentor_out(mentor, m.M_REPLY_REMINDER, switch, case=case.id, minutes=_minutes(span))]


def release_case(session: Session, case: Handoff, span: dt.timedelta, now: dt.datetime) -> List[Outgoing]:
    """Back to the queue in the same place: waiting again with its created_at and urgency; the messages the mentor
    did not answer are delivered to whoever claims it next."""
    mentor = case.mentor
    if mentor is None:
        return []
    released = execute_dml(session,
        update(Handoff).where(Handoff.id == case.id, Handoff.status == "claimed", Handoff.mentor_id == mentor.id)
        .values(status="waiting", mentor_id=None, claimed_at=None, reply_alerted_at=None, released_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if not released:
        return []
    for entry in _unanswered(session, case):
        entry.delivered = False
    session.refresh(case)
    if mentor.current_case_id == case.id:
        mentor.current_case_id = None
    minutes = _minutes(span)
    person = case.person
    logger.info("hand-off %s back to the queue: mentor %s did not reply for %s minutes", case.id, mentor.id, minutes)
    out = [
        person_out(person, case.language, m.RELEASED, numbers=numbers_line(case.language, person.country, person.region)),
        mentor_out(mentor, m.M_RELEASED, case=case.id, minutes=minutes),
    ]
    told = supervisors(session, exclude={mentor.id})
    out += [mentor_out(s, m.M_RELEASED_NOTICE, case=case.id, name=mentor.name, minutes=minutes) for s in told]
    return out + notify(session, case, exclude={mentor.id})

