"""The supervision record: supervisors log the supervision sessions they hold with mentors (the date, the mentor,
topics from a fixed list and a short note) and see when each mentor last had one. It holds no person's data: the
topics are categories, and a note that looks like a case number or a phone number is refused."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.db.models import Mentor, SupervisionSession

TOPICS = {
    "role": "Role and boundaries",
    "safety": "Crisis and safety",
    "self_care": "Self-care and stress",
    "hard_chat": "A difficult chat (no details)",
    "culture": "Culture and language",
    "referrals": "Referrals and services",
    "routines": "Tools and routines",
}
MAX_NOTE = 300  # supervision_session.note
EARLIEST = dt.date(2000, 1, 1)
# what would identify a case or a person: a case number (#12), a phone or id number (6+ digits, spaces allowed)
PERSON_DATA = re.compile(r"#\s*\d|(?:\d[\s./-]?){6,}")


@dataclass(frozen=True)
class LastSession:
    mentor: Mentor
    held_on: dt.date | None  # None: never

    def days_ago(self, today: dt.date) -> int | None:
        return (today - self.held_on).days if self.held_on else None


def record(session: Session, by: str, held_on: str, mentor_id: str, topics: Iterable[str], note: str,
           today: dt.date) -> SupervisionSession:
    """Log one session; ValueError (every problem, one sentence each) when something is missing or wrong."""
    problems: List[str] = []
    day = today
    try:
        day = dt.date.fromisoformat(held_on.strip())
        if not EARLIEST <= day <= today:
            problems.append(f"The date must be between {EARLIEST.isoformat()} and today.")
    except ValueError:
        problems.append("Give the date of the session (YYYY-MM-DD).")
    mentor = session.get(Mentor, int(mentor_id)) if mentor_id.isascii() and mentor_id.isdigit() and len(mentor_id) < 10 else None
    if mentor is None or not mentor.active:
        problems.append("Choose one of the active mentors.")
    chosen = list(dict.fromkeys(topics))
    if not chosen or any(topic not in TOPICS for topic in chosen):
        problems.append("Choose at least one topic from the list.")
    note = note.replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE:
        problems.append(f"The note is too long: at most {MAX_NOTE} characters.")
    if PERSON_DATA.search(note):
        problems.append("The note seems to name a case or a number: the record keeps no person's data.")
    if problems:
        raise ValueError(" ".join(problems))
    assert mentor is not None
    entry = SupervisionSession(held_on=day, mentor_id=mentor.id, topics=",".join(chosen), note=note, recorded_by=by)
    session.add(entry)
    session.flush()
    return entry


def last_sessions(session: Session) -> List[LastSession]:
    """Every active mentor with the date of their last supervision session: never or longest ago first."""
    last: Dict[int, dt.date] = {mentor_id: held_on for mentor_id, held_on in session.execute(
        select(SupervisionSession.mentor_id, func.max(SupervisionSession.held_on)).group_by(SupervisionSession.mentor_id)
    ).all()}
    mentors = session.scalars(select(Mentor).where(Mentor.active.is_(True)).order_by(Mentor.name, Mentor.id)).all()
    rows = [LastSession(mentor, last.get(mentor.id)) for mentor in mentors]
    return sorted(rows, key=lambda row: row.held_on or dt.date.min)


def recent(session: Session, limit: int = 30) -> List[SupervisionSession]:
    return list(session.scalars(
        select(SupervisionSession).order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc()).limit(limit)
    ).all())


def topic_titles(codes: str) -> str:
    return ", ".join(TOPICS.get(code, code) for code in codes.split(",") if code)
