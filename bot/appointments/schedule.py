"""The reminder steps of an appointment and the job that sends the due ones.

Steps: `day_before` (a fixed local time the day before, in the person's zone, so a daylight-saving change in
between does not move it), `hours_before` (some hours before) and `follow_up` (some hours after). A step whose time
has already passed when the appointment is saved is not planned. `run_due` claims each due step with one
conditional UPDATE (`sent_at` from NULL) and writes its message to the outbox in the same transaction: a second
runner (another bot instance) matches nothing, and after a restart a step already claimed stays claimed. The
outbox then delivers it once (bot.outbox).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Dict

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from bot import outbox
from bot.appointments import calendar, messages
from common.db import execute_dml
from common.db.models import Appointment, ReminderSend, as_utc

logger = logging.getLogger(__name__)

STEPS = ("day_before", "hours_before", "follow_up")


@dataclass(frozen=True)
class Timing:
    day_before_at: dt.time = dt.time(18, 0)
    hours_before: dt.timedelta = dt.timedelta(hours=2)
    follow_up: dt.timedelta = dt.timedelta(hours=3)

    @classmethod
    def from_settings(cls, settings: Any) -> Timing:
        """From bot.config.Settings (REMINDER_DAY_BEFORE_AT, REMINDER_HOURS_BEFORE, REMINDER_FOLLOW_UP_HOURS)."""
        hour, _, minute = settings.reminder_day_before_at.partition(":")
        return cls(dt.time(int(hour), int(minute or 0)), dt.timedelta(hours=settings.reminder_hours_before),
                   dt.timedelta(hours=settings.reminder_follow_up_hours))


def due_times(at: dt.datetime, zone: str, timing: Timing) -> Dict[str, dt.datetime]:
    """When each step is due (UTC) for an appointment at `at` (UTC) in `zone`."""
    day_before = calendar.local(at, zone).date() - dt.timedelta(days=1)
    return {
        "day_before": calendar.to_utc(day_before, timing.day_before_at.hour, timing.day_before_at.minute, zone),
        "hours_before": as_utc(at) - timing.hours_before,
        "follow_up": as_utc(at) + timing.follow_up,
    }


def plan(session: Session, appointment: Appointment, timing: Timing, now: dt.datetime) -> None:
    """Create the steps still ahead (the reminders only while before the appointment)."""
    for step, due in due_times(appointment.at, appointment.timezone, timing).items():
        if due > now and (step == "follow_up" or due < as_utc(appointment.at)):
            session.add(ReminderSend(appointment=appointment, step=step, due_at=due))
    session.flush()


def run_due(session: Session, now: dt.datetime, limit: int = 100) -> int:
    """Claim the due steps and put their messages in the outbox (the caller's transaction); how many were queued.
    A step whose appointment was cancelled, or a reminder whose appointment is already over (the bot was down), is
    claimed as skipped: nothing is sent."""
    due = session.scalars(
        select(ReminderSend.id).where(ReminderSend.sent_at.is_(None), ReminderSend.due_at <= now)
        .order_by(ReminderSend.due_at).limit(limit)
    ).all()
    won = [
        step_id for step_id in due
        if execute_dml(session,
            update(ReminderSend).where(ReminderSend.id == step_id, ReminderSend.sent_at.is_(None))
            .values(sent_at=now).execution_options(synchronize_session=False)
        ).rowcount == 1  # on PostgreSQL a second runner waits for this row lock, then matches nothing
    ]
    if not won:
        return 0
    steps = session.scalars(
        select(ReminderSend).where(ReminderSend.id.in_(won))
        .options(joinedload(ReminderSend.appointment).joinedload(Appointment.person))
        .order_by(ReminderSend.due_at).execution_options(populate_existing=True)
    ).all()
    queued = 0
    for step in steps:
        appointment = step.appointment
        over = step.step != "follow_up" and now >= as_utc(appointment.at)
        if appointment.status != "active" or over:
            step.skipped = True
            continue
        outbox.put(session, [messages.for_step(appointment, step.step)])
        queued += 1
        logger.info("appointment %s: %s queued", appointment.id, step.step)
    return queued
