"""Reassignment by a supervisor on the live desk: a waiting or open case goes to another mentor who serves its
language and country, or the supervisor takes it over with their own Telegram supervisor account. The mentor who
had it and the one who gets it are told, and the person hears the new mentor's first name only (the caller puts
the messages in the outbox, in the same transaction)."""
from __future__ import annotations

import datetime as dt
from typing import List, Tuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.claims import current, retract
from bot.handoff.matching import load, request_values
from bot.handoff.relay import relay_to_mentor
from bot.handoff.replies import mentor_out, person_label, person_out
from common.db import execute_dml
from common.db.models import Handoff, Mentor, StaffUser, utcnow
from common.strings import mentor as m


class NotPossible(ValueError):
    """The case cannot go to that mentor; the message says why (shown to the supervisor)."""


def first_name(mentor: Mentor) -> str:
    """What the person is told of a new mentor: the first word of the name the mentor registered with."""
    return (mentor.name.split() or ["?"])[0]


def eligible(session: Session, case: Handoff) -> List[Tuple[Mentor, int]]:
    """Active mentors (and supervisors) who serve the case's language and country, other than its mentor, with their
    open chats: on duty first, then the least loaded."""
    mentors = session.scalars(select(Mentor).where(Mentor.active.is_(True))).all()
    found = [(mentor, load(session, mentor)) for mentor in mentors
             if mentor.id != case.mentor_id and mentor.serves(case.language, case.country)]
    return sorted(found, key=lambda pair: (not pair[0].on_duty, pair[1], pair[0].name, pair[0].id))


def reassign(session: Session, case: Handoff, to: Mentor, now: dt.datetime | None = None) -> List[Outgoing]:
    """Give a waiting or open case to `to`. One conditional UPDATE (the status and mentor the supervisor saw), so a
    mentor's claim or another supervisor's move at the same moment is never overwritten: NotPossible instead."""
    if case.status not in ("waiting", "claimed"):
        raise NotPossible(f"Case #{case.id} is closed.")
    if not to.active:
        raise NotPossible(f"{to.name} is deactivated.")
    if to.id == case.mentor_id:
        raise NotPossible(f"Case #{case.id} is already {to.name}'s.")
    if not to.serves(case.language, case.country):
        raise NotPossible(f"{to.name} does not take {case.language} requests{' in ' + case.country if case.country else ''}.")
    before = case.mentor if case.status == "claimed" else None
    becomes_current = current(session, to) is None  # a mentor busy in another chat is not switched away from it
    same = Handoff.mentor_id.is_(None) if case.mentor_id is None else Handoff.mentor_id == case.mentor_id
    won = execute_dml(session,
        update(Handoff).where(Handoff.id == case.id, Handoff.status == case.status, same)
        .values(status="claimed", mentor_id=to.id, claimed_at=case.claimed_at or now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if not won:
        raise NotPossible(f"Case #{case.id} changed meanwhile (claimed, moved or closed): look at it again.")
    session.refresh(case)
    out: List[Outgoing] = []
    if before is not None:
        if before.current_case_id == case.id:
            before.current_case_id = None
        out.append(mentor_out(before, m.M_REASSIGNED_AWAY, case=case.id, name=to.name))
    if becomes_current:
        to.current_case_id = case.id
    switch = [] if becomes_current else [(f"#{case.id}", f"ms:{case.id}")]
    out += [mentor_out(to, m.M_REASSIGNED_TO_YOU, switch, case=case.id, person=person_label(case.person)),
            mentor_out(to, m.M_REQUEST, **request_values(case, to))]
    waiting = [entry for entry in case.relayed if entry.sender == "person" and not entry.delivered]
    if waiting:
        out.append(mentor_out(to, m.M_LEFT_WHILE_WAITING, case=case.id))
        out += relay_to_mentor(case, to, waiting)
    if becomes_current:
        out.append(mentor_out(to, m.M_SWITCHED, case=case.id))
    joined = m.MENTOR_CHANGED if before is not None else m.MENTOR_JOINED
    out.append(person_out(case.person, case.language, joined, name=first_name(to)))
    return out + retract(session, case, to)


def supervisor_account(session: Session, staff: StaffUser) -> Mentor | None:
    """The staff member's own Telegram account as an active supervisor (linked by an admin on the Accounts page)."""
    mentor = session.get(Mentor, staff.mentor_id) if staff.mentor_id else None
    return mentor if mentor is not None and mentor.active and mentor.is_supervisor else None


def take_over(session: Session, case: Handoff, staff: StaffUser, now: dt.datetime | None = None) -> List[Outgoing]:
    """The supervisor becomes the case's mentor, through their linked Telegram supervisor account."""
    mentor = supervisor_account(session, staff)
    if mentor is None:
        raise NotPossible("Your account is not linked to an active Telegram supervisor account: an admin links it "
                          "on the Accounts page.")
    return reassign(session, case, mentor, now)
