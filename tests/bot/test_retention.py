"""Retention: people not seen for RETENTION_DAYS lose their rows and their Rasa conversation."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text

from bot.config import Settings
from bot.frontend import FrontEnd
from bot.rasa_client import RasaClient
from common.db import make_engine, migrate, session_factory
from common.db.models import Inbound, Person


def test_purge_expired_deletes_old_people_and_old_tracker_events(tmp_path):
    url = f"sqlite:///{tmp_path / 'product.db'}"
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    migrate(url)
    tracker = make_engine(tracker_url)
    with tracker.begin() as connection:  # the columns of Rasa's SQLTrackerStore `events` table that matter here
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL, data TEXT)"))
    now = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
    old, recent = now - dt.timedelta(days=100), now - dt.timedelta(days=3)
    sessions = session_factory(make_engine(url))
    with sessions.begin() as session:
        gone = Person(pseudonym="old", chat_id=1, last_seen_at=old)
        kept = Person(pseudonym="recent", chat_id=2, last_seen_at=recent)
        session.add_all([gone, kept])
        session.flush()
        session.add_all([Inbound(update_id=1, person_id=gone.id, kind="text", text="x"),
                         Inbound(update_id=2, person_id=kept.id, kind="text", text="y")])
    with tracker.begin() as connection:
        for sender, when in [("old", old), ("recent", old), ("recent", recent)]:
            connection.execute(text("INSERT INTO events (sender_id, timestamp, data) VALUES (:s, :t, '{}')"),
                               {"s": sender, "t": when.timestamp()})
    assistant = FrontEnd(sessions, RasaClient("http://127.0.0.1:9"), Settings(pseudonym_key="k", retention_days=90, rasa_tracker_url=tracker_url))

    assert assistant.purge_expired(now) == 1

    with sessions() as session:
        assert [p.pseudonym for p in session.scalars(select(Person))] == ["recent"]
        assert [i.update_id for i in session.scalars(select(Inbound))] == [2]
    with tracker.connect() as connection:
        rows = connection.execute(text("SELECT sender_id, timestamp FROM events")).all()
    assert rows == [("recent", recent.timestamp())]
