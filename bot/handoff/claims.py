"""Claims: a mentor takes a waiting case (first claim wins, atomically), hands it back, loses access, or closes it.
The mentor's current case is the one their messages go to."""
from __future__ import annotations

import datetime as dt
import logging
from typing import List

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff import debrief
from bot.handoff.matching import load, notify, request_values
from bot.handoff.relay import relay_to_mentor
from bot.handoff.replies import mentor_out, person_label, person_out
from bot.handoff.workload import end_duty
from common.db import execute_dml
from common.db.models import Handoff, Mentor, utcnow
from common.i18n import translate
from common.strings import mentor as m

logger = logging.getLogger(__name__)


def claim(session: Session, mentor: Mentor, case_id: int, now: dt.datetime | None = None) -> List[Outgoing]:
    """First claim wins: one conditional UPDATE, atomic on SQLite and PostgreSQL alike. The caller commits."""
    case = session.get(Handoff, case_id)
    if case is None:
        return [mentor_out(mentor, m.M_ALREADY_TAKEN, case=case_id)]
    if not mentor.active or not mentor.serves(case.language, case.country):
        return [mentor_out(mentor, m.M_NOT_ALLOWED)]
    if case.status != "waiting":
        return [mentor_out(mentor, m.M_ALREADY_TAKEN, case=case_id)]
    if load(session, mentor) >= mentor.max_cases and not case.urgent:
        return [mentor_out(mentor, m.M_AT_CAPACITY, cap=mentor.max_cases)]
    won = execute_dml(session,
        update(Handoff).where(Handoff.id == case_id, Handoff.status == "waiting")
        .values(status="claimed", mentor_id=mentor.id, claimed_at=now or utcnow(), reply_alerted_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount == 1  # a second UPDATE on PostgreSQL waits for the first one's row lock, then matches nothing
    if not won:
        return [mentor_out(mentor, m.M_ALREADY_TAKEN, case=case_id)]
    session.refresh(case)
    mentor.current_case_id = case.id
    person = case.person
    logger.info("hand-off %s claimed by mentor %s", case.id, mentor.id)
    out = [mentor_out(mentor, m.M_CLAIMED, case=case.id, person=person_label(person)),
           mentor_out(mentor, m.M_REQUEST, **request_values(case, mentor))]
    waiting = [entry for entry in case.relayed if entry.sender == "person" and not entry.delivered]
    if waiting:
        out.append(mentor_out(mentor, m.M_LEFT_WHILE_WAITING, case=case.id))
        out += relay_to_mentor(case, mentor, waiting)
    out.append(person_out(person, case.language, m.MENTOR_JOINED, name=mentor.name))
    return out + retract(session, case, mentor)


def retract(session: Session, case: Handoff, winner: Mentor | None) -> List[Outgoing]:
    """Change every notification of the case to "taken" (or "closed"), so nobody presses Claim in vain."""
    out = []
    for notification in list(case.notifications):
        other = session.get(Mentor, notification.mentor_id)
        if other is None or notification.message_id is None:
            continue
        if winner is None:
            text = translate(other.ui_language, m.M_ALREADY_TAKEN, {"case": case.id})
        elif other.id == winner.id:
            text = translate(other.ui_language, m.M_TAKEN_BY_YOU, {"case": case.id})
        else:
            text = translate(other.ui_language, m.M_TAKEN, {"case": case.id, "name": winner.name})
        out.append(Outgoing(notification.chat_id, text, edit_message_id=notification.message_id))
        session.delete(notification)
    return out


def current(session: Session, mentor: Mentor) -> Handoff | None:
    """The case a mentor's messages go to: the one they last claimed or switched to, while it is theirs."""
    case = session.get(Handoff, mentor.current_case_id) if mentor.current_case_id else None
    if case is not None and case.mentor_id == mentor.id and case.status == "claimed":
        return case
    case = session.scalar(
        select(Handoff).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed").order_by(Handoff.claimed_at.desc())
    )
    mentor.current_case_id = case.id if case else None
    return case


def handover(session: Session, case: Handoff, mentor: Mentor) -> List[Outgoing]:
    """Back to the queue; every other mentor who can take it is notified, and the person is told."""
    case.status, case.mentor_id, case.claimed_at = "waiting", None, None
    mentor.current_case_id = None
    session.flush()
    out = [mentor_out(mentor, m.M_HANDED_OVER, case=case.id), person_out(case.person, case.language, m.HANDED_OVER)]
    return out + notify(session, case, exclude={mentor.id})


def deactivate(session: Session, mentor: Mentor) -> List[Outgoing]:
    """Remove a mentor's access; their open chats go back to the queue. The people are told, the other mentors
    notified, and the mentor is told why (the caller puts these in the outbox, in the same transaction)."""
    end_duty(session, mentor)
    mentor.active, mentor.on_duty = False, False
    out: List[Outgoing] = []
    cases = session.scalars(select(Handoff).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed")).all()
    for case in cases:
        out += handover(session, case, mentor)[1:]  # [0] is "you passed it on": not what happened here
    return [mentor_out(mentor, m.M_DEACTIVATED, count=len(cases))] + out


def close(session: Session, case: Handoff, by_mentor: bool = False) -> List[Outgoing]:
    """Close a claimed case; the person gets the rating question, and after an urgent chat the mentor is offered a
    debrief with a supervisor. The front end resumes the paused Rasa conversation by itself: the closed case in the
    database says so. `by_mentor`: the mentor ended it (/end) and hears it is closed."""
    case.status, case.closed_at = "closed", utcnow()
    if case.mentor is not None and case.mentor.current_case_id == case.id:
        case.mentor.current_case_id = None
    person, lang = case.person, case.language
    stars = [(str(n), f"g:{case.id}:{n}") for n in range(1, 6)]
    logger.info("hand-off %s closed", case.id)
    out = [person_out(person, lang, m.CHAT_ENDED), person_out(person, lang, m.RATE, stars)]
    if by_mentor and case.mentor is not None:
        out.append(mentor_out(case.mentor, m.M_ENDED, case=case.id))
    return out + ([debrief.offer(case, case.mentor)] if case.urgent and case.mentor is not None else [])
