"""Appointments in the database: create (by the person, or proposed by a mentor), confirm, cancel, list."""
from __future__ import annotations

import datetime as dt
from typing import List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.appointments import calendar
from bot.appointments.schedule import Timing, plan
from common.db.models import Appointment, Mentor, Person

LISTED = ("proposed", "active")


def save(session: Session, person: Person, kind: str, at: dt.datetime, timing: Timing, now: dt.datetime) -> Appointment:
    """The person's own appointment, active at once (they confirmed it on the screen that repeated it back), with
    its steps planned. Confirm pressed twice (two devices, a slow network) gives one appointment."""
    existing = session.scalar(select(Appointment).where(
        Appointment.person_id == person.id, Appointment.at == at, Appointment.kind == kind,
        Appointment.status.in_(LISTED)))
    if existing is not None:
        return existing
    appointment = create(session, person, kind, at)
    plan(session, appointment, timing, now)
    return appointment


def create(session: Session, person: Person, kind: str, at: dt.datetime, place: str = "", mentor: Mentor | None = None) -> Appointment:
    """An appointment row: the person's own is active; a mentor's is only proposed, and nothing is planned until
    the person confirms (`confirm`)."""
    country = person.country or "DK"
    appointment = Appointment(
        person=person, kind=kind, at=at, timezone=calendar.zone_of(country), country=country, place=place[:300],
        set_by="mentor" if mentor else "person", mentor_id=mentor.id if mentor else None,
        confirmed=mentor is None, status="proposed" if mentor else "active",
    )
    session.add(appointment)
    session.flush()
    return appointment


def of_person(session: Session, person: Person, appointment_id: int) -> Appointment | None:
    """The person's own appointment (button data says which; it is checked against who pressed)."""
    appointment = session.get(Appointment, appointment_id)
    return appointment if appointment is not None and appointment.person_id == person.id else None


def confirm(session: Session, appointment: Appointment, timing: Timing, now: dt.datetime) -> bool:
    """The person accepts a mentor's proposal: it becomes active and its steps are planned (once)."""
    if appointment.status != "proposed":
        return False
    appointment.status, appointment.confirmed = "active", True
    plan(session, appointment, timing, now)
    return True


def cancel(appointment: Appointment) -> bool:
    """No more reminders for it (the steps not yet sent are skipped by the job)."""
    if appointment.status not in LISTED:
        return False
    appointment.status = "cancelled"
    return True


def upcoming(session: Session, person_id: int, now: dt.datetime) -> List[Appointment]:
    """Active appointments not yet over, soonest first."""
    return list(session.scalars(select(Appointment).where(
        Appointment.person_id == person_id, Appointment.status == "active", Appointment.at > now,
    ).order_by(Appointment.at)).all())


def all_of(session: Session, person_id: int) -> List[Appointment]:
    """Everything stored about the person's appointments (/mydata)."""
    return list(session.scalars(select(Appointment).where(Appointment.person_id == person_id).order_by(Appointment.at)).all())
