"""Insight for program staff: where the bot fails people, what they ask, how hand-offs go.

Only aggregates and pseudonymous data: topics per language and not-understood messages come from Rasa's tracker
store (under pseudonyms; a person who asked to be deleted has no events left there), hand-off figures from the
product database. Dates are UTC days, `start` inclusive, `end` exclusive.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Tuple

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from common.db.models import Appointment, Handoff, Person, as_utc
from common.strings import assistant as assistant_messages


@dataclass
class Insight:
    start: dt.date
    end: dt.date
    topics: Dict[str, Counter] = field(default_factory=dict)  # language -> intent -> count
    not_understood: List[Tuple[str, str, str]] = field(default_factory=list)  # (time, language, text), newest first
    handoffs_per_week: List[Tuple[str, int]] = field(default_factory=list)
    minutes_to_claim: List[float] = field(default_factory=list)
    ratings: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    # appointments (issue #17), counts only: set in the period by whom, follow-up answers, mentor asked for afterwards
    appointments_set: Counter = field(default_factory=Counter)  # person | mentor (confirmed by the person)
    follow_ups: Counter = field(default_factory=Counter)  # fine | unclear | next | help
    help_after_appointments: int = 0  # hand-offs opened from a reminder's or follow-up's "I need help"

    @property
    def median_minutes_to_claim(self) -> float | None:
        return round(statistics.median(self.minutes_to_claim), 1) if self.minutes_to_claim else None

    @property
    def average_rating(self) -> float | None:
        total = sum(self.ratings.values())
        return round(sum(score * n for score, n in self.ratings.items()) / total, 2) if total else None


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def collect(db: Session, tracker: Engine | None, start: dt.date, end: dt.date) -> Insight:
    result = Insight(start, end)
    languages = dict(db.execute(select(Person.pseudonym, Person.language)).tuples().all())
    if tracker is not None:
        try:
            with tracker.connect() as connection:
                rows = connection.execute(text(
                    "SELECT sender_id, intent_name, timestamp, data FROM events "
                    "WHERE type_name = 'user' AND timestamp >= :start AND timestamp < :end ORDER BY timestamp DESC"
                ), {"start": _utc(start).timestamp(), "end": _utc(end).timestamp()}).all()
        except (OperationalError, ProgrammingError):  # no conversation stored yet
            rows = []
        topics: Dict[str, Counter] = defaultdict(Counter)
        for sender, intent, timestamp, data in rows:
            language = languages.get(sender) or "?"
            if intent in assistant_messages.TOPIC_TITLES:
                topics[language][intent] += 1
            elif intent == "nlu_fallback" and len(result.not_understood) < 200:
                said = (json.loads(data).get("text") or "") if data else ""
                if said and not said.startswith("/"):
                    when = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
                    result.not_understood.append((when, language, said[:300]))
        result.topics = dict(sorted(topics.items()))
    weeks: Counter = Counter()
    for case in db.scalars(select(Handoff).where(Handoff.created_at >= _utc(start), Handoff.created_at < _utc(end))):
        created = as_utc(case.created_at)
        year, week, _ = created.isocalendar()
        weeks[f"{year}-W{week:02d}"] += 1
        result.reasons[case.reason] += 1
        if case.claimed_at is not None:
            result.minutes_to_claim.append((as_utc(case.claimed_at) - created).total_seconds() / 60)
        if case.rating:
            result.ratings[case.rating] += 1
    result.handoffs_per_week = sorted(weeks.items())
    in_period = (Appointment.created_at >= _utc(start), Appointment.created_at < _utc(end))
    for set_by, outcome in db.execute(select(Appointment.set_by, Appointment.outcome).where(
            *in_period, Appointment.confirmed.is_(True))).tuples():
        result.appointments_set[set_by] += 1
        if outcome:
            result.follow_ups[outcome] += 1
    result.help_after_appointments = result.reasons.get("appointment", 0)
    return result


TABLES = ("topics", "not_understood", "handoffs")  # the tables insight.csv serves; also the file names' allow-list
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes Excel or LibreOffice read a cell as a formula


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs (OWASP, CSV injection): a text starting with
    = + - @, a tab or a carriage return gets a leading single quote. Numbers are written as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV with every cell made safe (safe_cell): the one way the admin writes CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def to_csv(insight: Insight, table: str) -> str:
    """One of the page's tables as CSV (topics, not_understood, handoffs), every cell made safe: not-understood
    messages are whatever anybody wrote to the bot."""
    rows: List[Iterable[object]]
    if table == "topics":
        rows = [["language", "topic", "messages"]]
        rows += [[language, topic, n] for language, counts in insight.topics.items() for topic, n in counts.most_common()]
    elif table == "not_understood":
        rows = [["time_utc", "language", "text"], *insight.not_understood]
    else:
        rows = [["week", "handoffs"], *insight.handoffs_per_week]
    return csv_text(rows)
