"""Figures about mentors' chats that the supervisors' live desk shows: since when a person has waited for their
mentor's answer, and how many hours a mentor has spent in chats this week. Plain functions over the database (or
over plain values), each taking `now`, so tests control time."""
from __future__ import annotations

import datetime as dt
from typing import Dict, Iterable, List, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.handoff.workload import week_start
from common.db.models import Handoff, RelayMessage, as_utc

__all__ = ["chat_hours_this_week", "merged_hours", "unanswered_since", "week_start"]


def unanswered_since(session: Session, case_ids: Iterable[int]) -> Dict[int, dt.datetime]:
    """For each case with messages its mentor has not answered yet: the time of the person's oldest such message
    (the person has waited for an answer since then). A case whose person wrote nothing since the mentor's last
    message is not in the result. Messages kept while the case waited count too: nobody has answered them."""
    ids = list(case_ids)
    if not ids:
        return {}
    last_answer = (
        select(RelayMessage.handoff_id, func.max(RelayMessage.created_at).label("at"))
        .where(RelayMessage.handoff_id.in_(ids), RelayMessage.sender == "mentor")
        .group_by(RelayMessage.handoff_id).subquery()
    )
    rows = session.execute(
        select(RelayMessage.handoff_id, func.min(RelayMessage.created_at))
        .outerjoin(last_answer, last_answer.c.handoff_id == RelayMessage.handoff_id)
        .where(RelayMessage.handoff_id.in_(ids), RelayMessage.sender == "person",
               or_(last_answer.c.at.is_(None), RelayMessage.created_at > last_answer.c.at))
        .group_by(RelayMessage.handoff_id)
    ).all()
    claimed: Dict[int, dt.datetime] = {
        case_id: as_utc(at) for case_id, at in session.execute(
            select(Handoff.id, Handoff.claimed_at).where(Handoff.id.in_(ids), Handoff.claimed_at.is_not(None)))}
    # not before the claim: a new mentor's clock starts when they take the chat (as the reply alerts count)
    return {case_id: max(as_utc(at), claimed.get(case_id, as_utc(at))) for case_id, at in rows}


def merged_hours(intervals: Iterable[Tuple[dt.datetime, dt.datetime]]) -> float:
    """Hours covered by the intervals, overlaps counted once (two chats at the same time are one hour's work)."""
    total = dt.timedelta(0)
    end_so_far: dt.datetime | None = None
    for start, end in sorted(intervals):
        if end_so_far is not None and start < end_so_far:
            start = end_so_far
        if end > start:
            total += end - start
            end_so_far = end
    return total.total_seconds() / 3600


def chat_hours_this_week(session: Session, mentor_ids: Iterable[int], now: dt.datetime, zone: ZoneInfo) -> Dict[int, float]:
    """Hours each mentor had at least one chat open this week (Monday 00:00 in `zone` until `now`): from a case's
    claim to its end (or now). A chat handed back to the queue or moved to a colleague counts for the mentor who has
    it now (the case keeps one claim time)."""
    ids = list(mentor_ids)
    now = now.astimezone(dt.timezone.utc)  # SQLite compares stored UTC wall times: every bound in UTC
    since = week_start(now, zone).astimezone(dt.timezone.utc)
    intervals: Dict[int, List[Tuple[dt.datetime, dt.datetime]]] = {mentor_id: [] for mentor_id in ids}
    if not ids:
        return {}
    rows = session.execute(
        select(Handoff.mentor_id, Handoff.claimed_at, Handoff.closed_at)
        .where(Handoff.mentor_id.in_(ids), Handoff.claimed_at.is_not(None), Handoff.claimed_at < now,
               or_(Handoff.closed_at.is_(None), Handoff.closed_at > since))
    ).all()
    for mentor_id, claimed_at, closed_at in rows:
        start = max(as_utc(claimed_at), since)
        end = min(as_utc(closed_at), now) if closed_at is not None else now
        intervals[mentor_id].append((start, end))
    return {mentor_id: merged_hours(spans) for mentor_id, spans in intervals.items()}
