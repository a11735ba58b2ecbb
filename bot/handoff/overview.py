"""What the supervisors' live desk shows, as plain values: the waiting queue (in the order mentors see it), open
chats per mentor with how long the person has waited for an answer, open flags and how long they have waited, and
the mentors on duty with their load, cap and hours this week.

Only what mentors already see of a case: its number, language, country, reason and risk, and times; never a
person's name, pseudonym, summary or message text."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Dict, List
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.handoff.figures import chat_hours_this_week, unanswered_since
from bot.handoff.matching import by_risk, risk
from bot.handoff.workload import weekly_hours
from common.db.models import Handoff, Mentor, as_utc


@dataclass(frozen=True)
class CaseLine:
    """One case as the desk lists it."""

    id: int
    language: str
    country: str | None
    reason: str
    risk: int  # matching.risk: 2 urgent, 1 thoughts of suicide, 0 the rest
    since: dt.timedelta  # waiting: since the request; open: since the claim

    @classmethod
    def of(cls, case: Handoff, start: dt.datetime, now: dt.datetime) -> CaseLine:
        return cls(case.id, case.language, case.country, case.reason, risk(case), now - as_utc(start))


@dataclass(frozen=True)
class OpenChat:
    case: CaseLine
    unanswered: dt.timedelta | None  # since the person's oldest message the mentor has not answered; None: none
    flagged: bool


@dataclass
class MentorChats:
    mentor_id: int
    name: str
    on_duty: bool
    chats: List[OpenChat] = field(default_factory=list)


@dataclass(frozen=True)
class Flag:
    case: CaseLine
    waited: dt.timedelta  # since the flag was raised
    asked_by: str  # the mentor's name
    status: str  # the case's status: waiting, claimed or closed


@dataclass(frozen=True)
class OnDuty:
    mentor_id: int
    name: str
    supervisor: bool
    languages: str
    load: int
    cap: int
    hours_this_week: float
    duty_hours_this_week: float = 0.0  # on duty (the figure of /me, /team and the weekly limit)


@dataclass
class DeskView:
    at: dt.datetime
    waiting: List[CaseLine]
    chats: List[MentorChats]
    flags: List[Flag]
    on_duty: List[OnDuty]


def desk_view(session: Session, now: dt.datetime, zone: ZoneInfo) -> DeskView:
    """The desk at `now` (a handful of queries, whatever the number of cases)."""
    waiting_cases = by_risk(session.scalars(select(Handoff).where(Handoff.status == "waiting")).all())
    open_cases = session.scalars(select(Handoff).where(Handoff.status == "claimed").order_by(Handoff.claimed_at)).all()
    flagged = session.scalars(select(Handoff).where(Handoff.flagged.is_(True)).order_by(Handoff.flagged_at)).all()
    on_duty = session.scalars(select(Mentor).where(Mentor.active.is_(True), Mentor.on_duty.is_(True))
                              .order_by(Mentor.name, Mentor.id)).all()
    loads: Dict[int | None, int] = {mentor_id: count for mentor_id, count in session.execute(
        select(Handoff.mentor_id, func.count(Handoff.id)).where(Handoff.status == "claimed").group_by(Handoff.mentor_id)
    ).all()}
    unanswered = unanswered_since(session, [case.id for case in open_cases])
    hours = chat_hours_this_week(session, [mentor.id for mentor in on_duty], now, zone)

    chats: Dict[int, MentorChats] = {}
    for case in open_cases:
        mentor = case.mentor
        if mentor is None:
            continue
        entry = chats.setdefault(mentor.id, MentorChats(mentor.id, mentor.name, mentor.on_duty))
        since = unanswered.get(case.id)
        entry.chats.append(OpenChat(CaseLine.of(case, case.claimed_at or case.created_at, now),
                                    now - since if since is not None else None, case.flagged))
    for entry in chats.values():  # the person waiting longest for an answer first
        entry.chats.sort(key=lambda chat: -(chat.unanswered or dt.timedelta(0)).total_seconds())
    return DeskView(
        at=now,
        waiting=[CaseLine.of(case, case.created_at, now) for case in waiting_cases],
        chats=sorted(chats.values(), key=lambda entry: (entry.name, entry.mentor_id)),
        flags=[Flag(CaseLine.of(case, case.created_at, now), now - as_utc(case.flagged_at or case.created_at),
                    case.flagged_by.name if case.flagged_by else "?", case.status) for case in flagged],
        on_duty=[OnDuty(mentor.id, mentor.name, mentor.is_supervisor, mentor.languages, loads.get(mentor.id, 0),
                        mentor.max_cases, hours.get(mentor.id, 0.0),
                        weekly_hours(session, mentor, now, zone).total_seconds() / 3600) for mentor in on_duty],
    )
