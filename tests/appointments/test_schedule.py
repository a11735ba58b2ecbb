"""Reminder steps on real databases with a controlled clock: due at the right local times (also across the
daylight-saving change of 2027-03-28 in both zones), claimed once by two concurrent runners, still sent once
after a restart, and never for a cancelled or finished appointment."""
from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot import outbox
from bot.appointments import calendar, records
from bot.appointments.schedule import Timing, due_times, run_due
from bot.privacy import pseudonym
from common.db import make_engine, session_factory
from common.db.models import Appointment, OutboxMessage, Person, ReminderSend, as_utc

UTC = dt.timezone.utc
TIMING = Timing(dt.time(18, 0), dt.timedelta(hours=2), dt.timedelta(hours=3))
NOW = dt.datetime(2027, 3, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


def person(session, user_id: int, lang: str = "ar", country: str = "DK") -> Person:
    found = Person(pseudonym=pseudonym("k", user_id), chat_id=user_id, language=lang, country=country, consent_at=NOW)
    session.add(found)
    session.flush()
    return found


def local(at: dt.datetime, zone: str) -> tuple:
    moment = at.astimezone(ZoneInfo(zone))
    return moment.date().isoformat(), moment.strftime("%H:%M")


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Europe/Berlin"])
def test_steps_fall_at_the_right_local_times_across_the_spring_dst_change(zone):
    # Sunday 28 March 2027: clocks go from 02:00 CET to 03:00 CEST in both zones
    at = calendar.to_utc(dt.date(2027, 3, 28), 10, 0, zone)
    assert at == dt.datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST
    due = due_times(at, zone, TIMING)
    assert local(due["day_before"], zone) == ("2027-03-27", "18:00")  # still CET the evening before
    assert due["day_before"] == dt.datetime(2027, 3, 27, 17, 0, tzinfo=UTC)
    assert local(due["hours_before"], zone) == ("2027-03-28", "08:00")
    assert local(due["follow_up"], zone) == ("2027-03-28", "13:00")
    # the day after the change: 23 hours lie between "the day before at 18:00" and the day itself at 18:00
    monday = calendar.to_utc(dt.date(2027, 3, 29), 9, 0, zone)
    assert due_times(monday, zone, TIMING)["day_before"] == dt.datetime(2027, 3, 28, 16, 0, tzinfo=UTC)  # 18:00 CEST
    # an appointment early in the morning of the change: two hours before is measured in real time
    early = calendar.to_utc(dt.date(2027, 3, 28), 4, 0, zone)  # 04:00 CEST = 02:00 UTC
    assert local(due_times(early, zone, TIMING)["hours_before"], zone) == ("2027-03-28", "01:00")  # CET


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Europe/Berlin"])
def test_the_autumn_change_and_a_time_in_the_spring_gap(zone):
    at = calendar.to_utc(dt.date(2027, 11, 1), 9, 30, zone)  # the day after the autumn change (31 October)
    assert local(due_times(at, zone, TIMING)["day_before"], zone) == ("2027-10-31", "18:00")
    gap = calendar.to_utc(dt.date(2027, 3, 28), 2, 30, zone)  # 02:30 does not exist that night: 03:30 on the clock
    assert local(gap, zone) == ("2027-03-28", "03:30")


def test_due_steps_are_sent_at_their_time_once_with_the_checklist(sessions):
    at = calendar.to_utc(dt.date(2027, 3, 28), 10, 0, "Europe/Copenhagen")
    with sessions.begin() as session:
        appointment = records.save(session, person(session, 1), "gp", at, TIMING, NOW)
        appointment_id = appointment.id
    with sessions.begin() as session:
        assert run_due(session, dt.datetime(2027, 3, 27, 16, 59, tzinfo=UTC)) == 0  # 17:59 local: not yet
        assert run_due(session, dt.datetime(2027, 3, 27, 17, 0, tzinfo=UTC)) == 1
        assert run_due(session, dt.datetime(2027, 3, 27, 17, 30, tzinfo=UTC)) == 0  # already sent
    with sessions.begin() as session:
        [(_, message)] = outbox.claim(session)
    assert message.chat_id == 1 and message.rtl
    assert "sundhedskort" in message.text and "tolk" in message.text  # the Danish checklist, in Arabic
    assert [data for _, data in message.buttons] == [f"a:g:{appointment_id}", f"a:m:{appointment_id}", f"a:help:{appointment_id}"]
    with sessions.begin() as session:
        assert run_due(session, dt.datetime(2027, 3, 28, 6, 0, tzinfo=UTC)) == 1  # 08:00 CEST: two hours before
        assert run_due(session, dt.datetime(2027, 3, 28, 11, 0, tzinfo=UTC)) == 1  # 13:00: how did it go?
    with sessions.begin() as session:
        texts = [message for _, message in outbox.claim(session)]
    assert [data for _, data in texts[-1].buttons][0] == f"a:f:{appointment_id}:fine"


def test_steps_already_past_when_saved_are_not_planned(sessions):
    with sessions.begin() as session:
        soon = records.save(session, person(session, 2, "de", "DE"), "dentist", NOW + dt.timedelta(hours=1), TIMING, NOW)
        assert [step.step for step in soon.steps] == ["follow_up"]


def test_a_cancelled_appointment_and_a_reminder_whose_time_has_passed_send_nothing(sessions):
    with sessions.begin() as session:
        someone = person(session, 3)
        cancelled = records.save(session, someone, "gp", NOW + dt.timedelta(days=3), TIMING, NOW)
        records.cancel(cancelled)
        missed = records.save(session, someone, "hospital", NOW + dt.timedelta(days=2), TIMING, NOW)
        missed_id = missed.id
    with sessions.begin() as session:  # the bot was down until after the appointment: no late reminder
        assert run_due(session, NOW + dt.timedelta(days=2, hours=1)) == 0
        steps = session.scalars(select(ReminderSend).where(ReminderSend.appointment_id == missed_id)).all()
        assert {s.step: s.skipped for s in steps if s.sent_at} == {"day_before": True, "hours_before": True}
        assert run_due(session, NOW + dt.timedelta(days=2, hours=4)) == 1  # the follow-up still comes


def _runner(sessions, now, barrier, results, errors):
    try:
        barrier.wait(10)
        with sessions.begin() as session:
            results.append(run_due(session, now))
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)


def test_two_concurrent_runners_send_each_step_once(postgres_url):
    from common.db import migrate

    migrate(postgres_url)
    engine_a, engine_b = make_engine(postgres_url), make_engine(postgres_url)
    first, second = session_factory(engine_a), session_factory(engine_b)
    try:
        with first.begin() as session:
            for user in range(10, 30):
                records.save(session, person(session, user), "gp", NOW + dt.timedelta(days=2, minutes=user), TIMING, NOW)
        due = NOW + dt.timedelta(days=2, hours=-1)  # both reminders of all 20 are due
        for _ in range(3):
            barrier, results, errors = threading.Barrier(2), [], []
            threads = [threading.Thread(target=_runner, args=(s, due, barrier, results, errors)) for s in (first, second)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert not errors
        with first() as session:
            assert session.scalar(select(func.count(OutboxMessage.id))) == 40
            assert session.scalar(select(func.count(ReminderSend.id)).where(ReminderSend.sent_at.is_(None))) == 20
    finally:
        engine_a.dispose()
        engine_b.dispose()


def test_a_restart_between_setting_and_the_time_still_sends_once(sessions):
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    with sessions.begin() as session:
        appointment = records.save(session, person(session, 40, "uk", "DE"), "specialist", NOW + dt.timedelta(days=1), TIMING, NOW)
        day_before = as_utc(appointment.steps[0].due_at)
    sessions.kw["bind"].dispose()  # the instance stops
    for _ in range(2):  # a new instance (its own engine) comes up after the time, twice
        engine = make_engine(url)
        with session_factory(engine).begin() as session:
            run_due(session, day_before + dt.timedelta(minutes=5))
        engine.dispose()
    with sessions() as session:
        assert session.scalar(select(func.count(OutboxMessage.id))) == 1
        assert session.scalar(select(Appointment.status)) == "active"


def test_retention_deletes_appointments_older_than_the_retention_period_with_their_steps(sessions):
    from bot.frontend.privacy import Privacy
    from tests.handoff.test_desk import make_desk

    with sessions.begin() as session:
        someone = person(session, 50)
        someone.last_seen_at = NOW
        earlier = NOW - dt.timedelta(days=5)
        records.save(session, someone, "gp", NOW - dt.timedelta(days=2), TIMING, earlier)  # 11 days old 9 days later
        records.save(session, someone, "dentist", NOW + dt.timedelta(days=1), TIMING, earlier)
    with sessions.begin() as session:
        deleted, _ = Privacy(make_desk(), None, retention_days=10).purge_expired(session, NOW + dt.timedelta(days=9))
    assert deleted == 0  # the person was seen 9 days ago: kept; their old appointment is not
    with sessions() as session:
        assert session.scalars(select(Appointment.kind)).all() == ["dentist"]
        assert session.scalar(select(func.count(ReminderSend.id))) == 3
