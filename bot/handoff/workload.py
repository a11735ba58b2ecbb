"""Care for mentors: their hours on duty and chats taken this week (`/me`; `/team` and the admin for supervisors),
and a kind note, once a week, to a mentor over the programme's MENTOR_WEEKLY_LIMIT_HOURS (supervisors are told).

Hours are summed from duty periods (`duty_period`: `/duty on` to `/duty off` or deactivation), within the week
that began on Monday 00:00 in MENTOR_TIMEZONE. The weekly note is decided by a conditional UPDATE of the mentor's
`limit_noted_week`, so one bot instance sends it.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import List
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.matching import load, supervisors
from bot.handoff.replies import mentor_out, mentor_text
from common.db import execute_dml
from common.db.models import DutyPeriod, Handoff, Mentor, as_utc, utcnow
from common.i18n import translate
from common.strings import mentor as m

logger = logging.getLogger(__name__)


def week_start(now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Monday 00:00 of `now`'s week in the programme's time zone, in UTC (SQLite compares stored UTC as text)."""
    local = now.astimezone(zone).date()
    monday = dt.datetime.combine(local - dt.timedelta(days=local.weekday()), dt.time(0), tzinfo=zone)
    return monday.astimezone(dt.timezone.utc)


def week_name(now: dt.datetime, zone: ZoneInfo) -> str:
    year, week, _ = now.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def start_duty(session: Session, mentor: Mentor, now: dt.datetime | None = None) -> None:
    """Open a duty period (none if one is open already)."""
    if open_period(session, mentor) is None:
        session.add(DutyPeriod(mentor_id=mentor.id, started_at=now or utcnow()))


def end_duty(session: Session, mentor: Mentor, now: dt.datetime | None = None) -> None:
    period = open_period(session, mentor)
    if period is not None:
        period.ended_at = now or utcnow()


def open_period(session: Session, mentor: Mentor) -> DutyPeriod | None:
    return session.scalar(select(DutyPeriod).where(DutyPeriod.mentor_id == mentor.id, DutyPeriod.ended_at.is_(None)))


def weekly_hours(session: Session, mentor: Mentor, now: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    """Time on duty this week up to `now` (a period still open counts until `now`)."""
    start = week_start(now, zone)
    periods = session.scalars(select(DutyPeriod).where(
        DutyPeriod.mentor_id == mentor.id, or_(DutyPeriod.ended_at.is_(None), DutyPeriod.ended_at > start),
    )).all()
    total = dt.timedelta(0)
    for period in periods:
        begin = max(as_utc(period.started_at), start)
        end = min(as_utc(period.ended_at), now) if period.ended_at is not None else now
        total += max(end - begin, dt.timedelta(0))
    return total


def weekly_cases(session: Session, mentor: Mentor, now: dt.datetime, zone: ZoneInfo) -> int:
    """Chats the mentor took this week (and still holds or closed)."""
    return session.scalar(select(func.count(Handoff.id)).where(
        Handoff.mentor_id == mentor.id, Handoff.claimed_at >= week_start(now, zone),
        Handoff.claimed_at <= now.astimezone(dt.timezone.utc),
    )) or 0


@dataclass(frozen=True)
class Week:
    """One mentor's week, as `/me`, `/team` and the admin show it."""

    mentor_id: int
    name: str
    hours: float
    cases: int
    open_cases: int
    over_limit: bool


def week_of(session: Session, mentor: Mentor, now: dt.datetime, zone: ZoneInfo, limit_hours: float) -> Week:
    hours = weekly_hours(session, mentor, now, zone).total_seconds() / 3600
    return Week(mentor.id, mentor.name, round(hours, 1), weekly_cases(session, mentor, now, zone), load(session, mentor),
                hours > limit_hours)


def team(session: Session, now: dt.datetime, zone: ZoneInfo, limit_hours: float) -> List[Week]:
    """Every active mentor's week, most hours first (for supervisors: `/team`, the admin)."""
    mentors = session.scalars(select(Mentor).where(Mentor.active.is_(True)).order_by(Mentor.id)).all()
    weeks = [week_of(session, mentor, now, zone, limit_hours) for mentor in mentors]
    return sorted(weeks, key=lambda week: (-week.hours, week.mentor_id))


def me(session: Session, mentor: Mentor, now: dt.datetime, zone: ZoneInfo, limit_hours: float) -> Outgoing:
    week = week_of(session, mentor, now, zone, limit_hours)
    return mentor_out(mentor, m.M_ME, hours=_number(week.hours), cases=week.cases, limit=_number(limit_hours),
                      open=week.open_cases)


def team_view(session: Session, mentor: Mentor, now: dt.datetime, zone: ZoneInfo, limit_hours: float) -> Outgoing:
    ui = mentor.ui_language
    lines = [translate(ui, m.M_TEAM)]
    for week in team(session, now, zone, limit_hours):
        over = f" – {translate(ui, m.M_TEAM_OVER)}" if week.over_limit else ""
        lines.append(f"{week.name}: {_number(week.hours)} h, {week.cases}{over}")
    return mentor_text(mentor, "\n".join(lines))


def check_limits(session: Session, zone: ZoneInfo, limit_hours: float, now: dt.datetime | None = None) -> List[Outgoing]:
    """The repeating job: a mentor over the weekly limit gets a kind note once a week; the supervisors are told."""
    now = now or utcnow()
    week = week_name(now, zone)
    out: List[Outgoing] = []
    for mentor in session.scalars(select(Mentor).where(Mentor.active.is_(True)).order_by(Mentor.id)).all():
        if mentor.limit_noted_week == week:
            continue
        hours = weekly_hours(session, mentor, now, zone).total_seconds() / 3600
        if hours <= limit_hours:
            continue
        noted = execute_dml(session,
            update(Mentor).where(Mentor.id == mentor.id,
                                 or_(Mentor.limit_noted_week.is_(None), Mentor.limit_noted_week != week))
            .values(limit_noted_week=week).execution_options(synchronize_session=False)
        ).rowcount == 1
        if not noted:
            continue
        session.refresh(mentor)
        logger.info("mentor %s over the weekly limit (%.1f h)", mentor.id, hours)
        spent, limit = _number(round(hours, 1)), _number(limit_hours)
        out.append(mentor_out(mentor, m.M_OVER_LIMIT, hours=spent, limit=limit))
        out += [mentor_out(s, m.M_OVER_LIMIT_NOTICE, name=mentor.name, hours=spent, limit=limit)
                for s in supervisors(session, exclude={mentor.id})]
    return out


def _number(value: float) -> str:
    """10 -> "10", 10.5 -> "10.5"."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
