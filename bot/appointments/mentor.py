"""A mentor sets a reminder for the person on their case: `/remind CASE YYYY-MM-DD HH:MM TEXT`.

The person gets a confirmation request (Confirm / Decline, `a:y` / `a:n` in bot.appointments.flow); nothing is
scheduled until they confirm, so no reminder arrives from nowhere. Only the case's own mentor (or a supervisor) can
propose one; the time is the person's local time (their country's zone)."""
from __future__ import annotations

import datetime as dt
import re
from typing import List

from sqlalchemy.orm import Session

from bot.appointments import calendar, records
from bot.exchange import Outgoing
from bot.handoff.replies import mentor_out, person_out
from common import content
from common.db.models import Handoff, Mentor
from common.i18n import translate
from common.strings import appointments as a
from common.strings import mentor as m

LISTED = ("proposed", "active")
USAGE = re.compile(r"^(\d+)\s+(\d{4}-\d{2}-\d{2})\s+(\d{1,2}):(\d{2})(?:\s+(.*))?$", re.S)


def propose(session: Session, mentor: Mentor, argument: str, now: dt.datetime) -> List[Outgoing]:
    """The mentor's `/remind ...`: the person is asked to confirm; the mentor hears that they were asked."""
    found = USAGE.match(argument.strip())
    if not found:
        return [mentor_out(mentor, a.M_REMIND_USAGE)]
    case = session.get(Handoff, int(found.group(1)))
    if case is None or not (case.mentor_id == mentor.id or mentor.is_supervisor):
        return [mentor_out(mentor, m.M_CASE_HIDDEN)]
    person = case.person
    country = person.country or case.country or "DK"
    try:
        day = dt.date.fromisoformat(found.group(2))
        at = calendar.to_utc(day, int(found.group(3)), int(found.group(4)), calendar.zone_of(country))
    except ValueError:
        return [mentor_out(mentor, a.M_REMIND_USAGE)]
    if at <= now:
        return [mentor_out(mentor, a.IN_PAST)]
    if person.country is None:
        person.country = country
    place = (found.group(5) or "").strip()
    appointment = records.create(session, person, "other", at, place=place, mentor=mentor)
    appointment.handoff_id = case.id
    lang = person.language if person.language in content.languages() else case.language
    buttons = [(translate(lang, a.YES_REMIND), f"a:y:{appointment.id}"), (translate(lang, a.NO_THANKS), f"a:n:{appointment.id}")]
    asked = person_out(person, lang, a.PROPOSED, buttons, name=mentor.name, when=calendar.when(lang, at, appointment.timezone),
                       place=place or "–")
    told = mentor_out(mentor, a.M_REMIND_SENT, case=case.id, when=calendar.when(mentor.ui_language, at, appointment.timezone))
    return [told, asked]


def listed(case: Handoff, mentor: Mentor) -> List[str]:
    """The person's coming appointments for the mentor's `/case N` (kind, local time, place, whether confirmed)."""
    lang = mentor.ui_language
    items = [item for item in case.person.appointments if item.status in LISTED]
    if not items:
        return []
    lines = ["", translate(lang, a.M_APPOINTMENTS)]
    for item in items:
        kind = translate(lang, a.KINDS.get(item.kind, a.KINDS["other"]))
        place = f", {item.place}" if item.place else ""
        waiting = " (?)" if item.status == "proposed" else ""
        lines.append(f"– {calendar.when(lang, item.at, item.timezone)}: {kind}{place}{waiting}")
    return lines
