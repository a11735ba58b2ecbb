"""How long the reminder job takes to claim due steps and queue their messages (docs/appointments.md).

Usage: .venv-app/bin/python scripts/reminder_benchmark.py [--count 2000] [--postgres URL]
Creates COUNT appointments (for COUNT people, half DK, half DE) in a fresh SQLite file (and a fresh PostgreSQL
database when --postgres is given), makes all their day-before steps due, and times `run_due` until none is left
(batches of 100, as the job does), then prints steps per second."""
from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import uuid

import sqlalchemy as sa

from bot.appointments import records
from bot.appointments.schedule import Timing, run_due
from common.db import make_engine, migrate, session_factory
from common.db.models import Person

NOW = dt.datetime(2027, 3, 20, 9, 0, tzinfo=dt.timezone.utc)


def measure(url: str, count: int) -> float:
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        for n in range(count):
            person = Person(pseudonym=f"p{n}", chat_id=n, language="ar", country="DK" if n % 2 else "DE", consent_at=NOW)
            session.add(person)
            session.flush()
            records.save(session, person, "gp", NOW + dt.timedelta(days=2, minutes=n % 600), Timing(), NOW)
    start = time.perf_counter()
    sent = 0
    while True:
        with sessions.begin() as session:
            queued = run_due(session, NOW + dt.timedelta(days=1, hours=12))
        if not queued:
            break
        sent += queued
    elapsed = time.perf_counter() - start
    engine.dispose()
    assert sent == count, sent
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite: {measure(f'sqlite:///{tmp}/bench.db', args.count):.0f} steps/s ({args.count} due steps)")
    if args.postgres:
        admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"brobygger_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            url = admin.url.set(database=name).render_as_string(hide_password=False)
            print(f"PostgreSQL: {measure(url, args.count):.0f} steps/s ({args.count} due steps)")
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
