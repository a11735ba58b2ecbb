"""Insight: topics per language and not-understood messages from Rasa's tracker store, hand-off figures."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from bot.admin import insight
from common.db import make_engine, migrate, session_factory
from common.db.models import Appointment, Handoff, Person

DAY = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.timezone.utc)


def test_insight_counts_topics_per_language_lists_misunderstood_messages_and_handoffs(tmp_path):
    url = f"sqlite:///{tmp_path / 'product.db'}"
    migrate(url)
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with tracker.begin() as connection:  # the columns of Rasa's SQLTrackerStore `events` table
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                                "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"))
        for sender, intent, said, when in [
            ("p-ar", "find_gp", "ابغى دكتور", DAY), ("p-ar", "find_gp", "طبيب عام", DAY), ("p-ar", "interpreter", "مترجم", DAY),
            ("p-da", "nlu_fallback", "blæksprutte?", DAY), ("p-da", "nlu_fallback", "/request_mentor", DAY),
            ("p-da", "dental_care", "tandlæge", DAY - dt.timedelta(days=60)),
        ]:
            connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
                                    "VALUES (:s, 'user', :t, :i, :d)"),
                               {"s": sender, "t": when.timestamp(), "i": intent, "d": json.dumps({"text": said})})
    sessions = session_factory(make_engine(url))
    with sessions.begin() as db:
        ar, da = Person(pseudonym="p-ar", chat_id=1, language="ar"), Person(pseudonym="p-da", chat_id=2, language="da")
        db.add_all([ar, da])
        db.flush()
        db.add_all([
            Handoff(person_id=ar.id, language="ar", reason="crisis", status="closed", created_at=DAY,
                    claimed_at=DAY + dt.timedelta(minutes=4), rating=5),
            Handoff(person_id=da.id, language="da", reason="request", status="closed", created_at=DAY + dt.timedelta(days=7),
                    claimed_at=DAY + dt.timedelta(days=7, minutes=10), rating=3),
            Handoff(person_id=da.id, language="da", reason="request", status="waiting", created_at=DAY + dt.timedelta(days=8)),
        ])
    with sessions() as db:
        data = insight.collect(db, tracker, dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert data.topics == {"ar": {"find_gp": 2, "interpreter": 1}}  # the 60-day-old question is outside the period
    assert [(lang, said) for _, lang, said in data.not_understood] == [("da", "blæksprutte?")]
    assert data.handoffs_per_week == [("2026-W46", 1), ("2026-W47", 2)]
    assert data.median_minutes_to_claim == 7.0 and data.average_rating == 4.0
    assert insight.to_csv(data, "topics").splitlines() == ["language,topic,messages", "ar,find_gp,2", "ar,interpreter,1"]
    tracker.dispose()


def test_insight_counts_appointments_set_follow_up_answers_and_help_asked_after_them(tmp_path):
    url = f"sqlite:///{tmp_path / 'product.db'}"
    migrate(url)
    sessions = session_factory(make_engine(url))
    with sessions.begin() as db:
        fa = Person(pseudonym="p-fa", chat_id=3, language="fa")
        db.add(fa)
        db.flush()
        def appointment(set_by: str, confirmed: bool, outcome: str | None, days: int = 0) -> Appointment:
            return Appointment(person_id=fa.id, at=DAY + dt.timedelta(days=3), timezone="Europe/Copenhagen", country="DK",
                               kind="gp", set_by=set_by, confirmed=confirmed, outcome=outcome,
                               created_at=DAY + dt.timedelta(days=days))
        db.add_all([
            appointment("person", True, "fine"), appointment("person", True, "help"), appointment("person", True, None),
            appointment("mentor", True, "next"),
            appointment("mentor", False, None),  # proposed by a mentor, not confirmed: no reminder was set
            appointment("person", True, "unclear", days=-60),  # outside the period
            Handoff(person_id=fa.id, language="fa", reason="appointment", status="waiting", created_at=DAY),
        ])
    with sessions() as db:
        data = insight.collect(db, None, dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert data.appointments_set == {"person": 3, "mentor": 1}
    assert data.follow_ups == {"fine": 1, "help": 1, "next": 1}
    assert data.help_after_appointments == 1
