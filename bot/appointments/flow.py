"""The person's side: `/remind` (buttons: kind -> day -> hour -> minutes -> repeat back -> Confirm/Change, or
`/remind <their own words>`), `/reminders` (list, cancel), and the buttons under reminders and follow-ups.

Stateless: the callback data carries what was chosen so far (`a:t:dentist:20261208:1030`, well under Telegram's
64 bytes), so nothing half-made is stored. Every press is checked against who pressed it (`records.of_person`).
Button data: a:k kind, a:p day page, a:d day, a:h hour, a:t time (repeat back), a:s save, a:new start again,
a:x cancel, a:g "I'll go", a:m cancel or move, a:help mentor, a:f follow-up answer, a:y / a:n a mentor's proposal.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Sequence, Tuple

from sqlalchemy.orm import Session

from bot.appointments import calendar, checklist, messages, records
from bot.appointments.parse import parse_appointment
from bot.appointments.schedule import Timing
from bot.exchange import Outgoing
from bot.handoff.replies import mentor_out
from common import content
from common.db.models import Appointment, Mentor, Person
from common.i18n import translate
from common.strings import appointments as a

DAYS_PER_PAGE = 14
MAX_PAGES = 13  # about half a year ahead
HOURS = range(6, 21)
MINUTES = range(0, 60, 5)


@dataclass(frozen=True)
class Help:
    """"I need help" was pressed: the front end opens a mentor request (reason `appointment`)."""

    appointment_id: int


@dataclass(frozen=True)
class Moment:
    """What a press is evaluated against: who, in which language, and when (tests control the clock)."""

    person: Person
    lang: str
    timing: Timing
    now: dt.datetime


def say(moment: Moment, message: str, buttons: Sequence[Tuple[str, str]] = (), **values: object) -> Outgoing:
    return Outgoing(moment.person.chat_id, translate(moment.lang, message, values), list(buttons),
                    content.languages()[moment.lang].rtl)


def country_buttons(lang: str) -> List[Tuple[str, str]]:
    from bot.frontend.people import country_buttons as pickers

    return pickers(lang)


# --- /remind ---------------------------------------------------------------------------------------------------------
def remind(session: Session, moment: Moment, argument: str = "") -> List[Outgoing]:
    """`/remind`: the kind picker; `/remind <text>`: the day and time read from the text, repeated back."""
    if moment.person.country not in calendar.ZONES:
        return [say(moment, a.NEED_COUNTRY, country_buttons(moment.lang))]
    if argument:
        zone = calendar.zone_of(moment.person.country)
        parsed = parse_appointment(argument, moment.lang, moment.now, zone)
        if parsed is not None:
            stamp = parsed.local.strftime("%Y%m%d:%H%M")
            if parsed.kind is not None:
                return repeat_back(moment, parsed.kind, stamp)
            return [say(moment, a.ASK_KIND, kind_buttons(moment.lang, f"t:{{kind}}:{stamp}"))]
        return [say(moment, a.NOT_UNDERSTOOD_TIME), ask_kind(moment)]
    return [ask_kind(moment)]


def kind_buttons(lang: str, then: str = "k:{kind}") -> List[Tuple[str, str]]:
    return [(translate(lang, a.KINDS[kind]), "a:" + then.format(kind=kind)) for kind in checklist.KINDS]


def ask_kind(moment: Moment) -> Outgoing:
    return say(moment, a.ASK_KIND, kind_buttons(moment.lang))


def today(moment: Moment) -> dt.date:
    return calendar.local(moment.now, calendar.zone_of(moment.person.country or "DK")).date()


def ask_day(moment: Moment, kind: str, page: int) -> Outgoing:
    first = today(moment) + dt.timedelta(days=page * DAYS_PER_PAGE)
    days = [first + dt.timedelta(days=n) for n in range(DAYS_PER_PAGE)]
    buttons = [(calendar.day_label(moment.lang, day), f"a:d:{kind}:{day:%Y%m%d}") for day in days]
    if page + 1 < MAX_PAGES:
        buttons.append((translate(moment.lang, a.LATER), f"a:p:{kind}:{page + 1}"))
    return say(moment, a.ASK_DATE, buttons)


def repeat_back(moment: Moment, kind: str, stamp: str) -> List[Outgoing]:
    """"Dentist: Tuesday, 8 December 2026, 10:30. Is that right?" with Confirm / Change (or: that time is past)."""
    at = _at(moment, stamp)
    if at is None:
        return [ask_kind(moment)]
    if at <= moment.now:
        return [say(moment, a.IN_PAST), ask_day(moment, kind, 0)]
    zone = calendar.zone_of(moment.person.country or "DK")
    text_values = dict(kind=messages.kind_name(moment.lang, kind), when=calendar.when(moment.lang, at, zone))
    buttons = [(translate(moment.lang, a.CONFIRM), f"a:s:{kind}:{stamp}"), (translate(moment.lang, a.CHANGE), "a:new")]
    return [say(moment, a.REPEAT, buttons, **text_values)]


def _at(moment: Moment, stamp: str) -> dt.datetime | None:
    """"20261208:1030" in the person's zone, as UTC; None when it is no valid time."""
    day, _, time = stamp.partition(":")
    try:
        date = dt.datetime.strptime(day, "%Y%m%d").date()
        hour, minute = int(time[:2]), int(time[2:])
        return calendar.to_utc(date, hour, minute, calendar.zone_of(moment.person.country or "DK"))
    except (ValueError, OverflowError):  # forged data: a day that does not exist, the year 1
        return None


def save(session: Session, moment: Moment, kind: str, stamp: str) -> List[Outgoing]:
    at = _at(moment, stamp)
    if at is None or kind not in checklist.KINDS:
        return [ask_kind(moment)]
    if at <= moment.now:
        return [say(moment, a.IN_PAST), ask_day(moment, kind, 0)]
    records.save(session, moment.person, kind, at, moment.timing, moment.now)
    return [saved(moment)]


def saved(moment: Moment) -> Outgoing:
    """"Saved. I will remind you the day before at 18:00 and 2 hours before ..." (the configured times)."""
    hours = moment.timing.hours_before.total_seconds() / 3600
    return say(moment, a.SAVED, evening=moment.timing.day_before_at.strftime("%H:%M"), hours=f"{hours:g}")


# --- /reminders ------------------------------------------------------------------------------------------------------
def reminders(session: Session, moment: Moment) -> List[Outgoing]:
    upcoming = records.upcoming(session, moment.person.id, moment.now)
    if not upcoming:
        return [say(moment, a.NONE)]
    buttons = [(f"✕ {messages.kind_name(moment.lang, item.kind)}: {messages.when(moment.lang, item)}", f"a:x:{item.id}")
               for item in upcoming]
    return [say(moment, a.LIST, buttons)]


# --- buttons ---------------------------------------------------------------------------------------------------------
def press(session: Session, moment: Moment, value: str) -> List[Outgoing] | Help:
    """A press of an `a:` button (`value` is what follows "a:")."""
    parts = value.split(":")
    action, args = parts[0], parts[1:]
    if action == "new":
        return remind(session, moment)
    if action in ("k", "p", "d", "h", "t", "s"):
        return _picking(session, moment, action, args)
    if not args or not args[0].isdigit() or len(args[0]) > 9:  # an id, not a number a database column cannot hold
        return []
    appointment = records.of_person(session, moment.person, int(args[0]))
    if appointment is None:
        return []
    return _about(session, moment, action, appointment, args[1:])


def _picking(session: Session, moment: Moment, action: str, args: List[str]) -> List[Outgoing]:
    if moment.person.country not in calendar.ZONES:
        return [say(moment, a.NEED_COUNTRY, country_buttons(moment.lang))]
    kind = args[0] if args else ""
    if kind not in checklist.KINDS:
        return [ask_kind(moment)]
    if action == "k":
        return [ask_day(moment, kind, 0)]
    if action == "p":
        page = int(args[1]) if len(args) > 1 and args[1].isdigit() else 0
        return [ask_day(moment, kind, min(page, MAX_PAGES - 1))]
    day = args[1] if len(args) > 1 else ""
    if action == "d":
        return [say(moment, a.ASK_HOUR, [(f"{hour:02d}", f"a:h:{kind}:{day}:{hour:02d}") for hour in HOURS])]
    if action == "h":
        hour = args[2] if len(args) > 2 else ""
        return [say(moment, a.ASK_MINUTE, [(f"{hour}:{minute:02d}", f"a:t:{kind}:{day}:{hour}{minute:02d}") for minute in MINUTES])]
    stamp = f"{day}:{args[2] if len(args) > 2 else ''}"
    if action == "t":
        return repeat_back(moment, kind, stamp)
    return save(session, moment, kind, stamp)


def _about(session: Session, moment: Moment, action: str, appointment: Appointment, rest: List[str]) -> List[Outgoing] | Help:
    """The buttons under a reminder, a follow-up, the list, or a mentor's proposal."""
    when = messages.when(moment.lang, appointment)
    if action == "x":
        records.cancel(appointment)
        return [say(moment, a.CANCELLED, when=when)]
    if action == "g":
        return [say(moment, a.GOOD_LUCK)]
    if action == "m":
        buttons = [(translate(moment.lang, a.CANCEL_REMINDER), f"a:x:{appointment.id}"),
                   (translate(moment.lang, a.NEW_TIME), "a:new")]
        text = checklist.how_to_cancel(moment.lang, appointment.country)
        return [Outgoing(moment.person.chat_id, text, buttons, content.languages()[moment.lang].rtl)]
    if action == "help":
        return Help(appointment.id)
    if action == "f":
        return _follow_up(session, moment, appointment, rest[0] if rest else "")
    if action in ("y", "n"):
        return _proposal(session, moment, appointment, action == "y", when)
    return []


def _follow_up(session: Session, moment: Moment, appointment: Appointment, answer: str) -> List[Outgoing] | Help:
    if answer not in ("fine", "unclear", "next", "help"):
        return []
    appointment.outcome = answer
    if appointment.status == "active":
        appointment.status = "done"
    if answer == "fine":
        return [say(moment, a.GLAD)]
    if answer == "unclear":
        return [say(moment, a.NOT_UNDERSTOOD_HELP, [(translate(moment.lang, a.NEED_HELP), f"a:help:{appointment.id}")])]
    if answer == "next":
        return [ask_kind(moment)]
    return Help(appointment.id)


def _proposal(session: Session, moment: Moment, appointment: Appointment, accepted: bool, when: str) -> List[Outgoing]:
    """The person's answer to a mentor's reminder; the mentor is told either way."""
    if appointment.status != "proposed":
        return []
    mentor = session.get(Mentor, appointment.mentor_id) if appointment.mentor_id else None
    if accepted:
        records.confirm(session, appointment, moment.timing, moment.now)
        out = [saved(moment)]
        told = a.M_REMIND_CONFIRMED
    else:
        appointment.status = "declined"
        out = [say(moment, a.DECLINED)]
        told = a.M_REMIND_DECLINED
    if mentor is not None:
        mentor_when = calendar.when(mentor.ui_language, appointment.at, appointment.timezone)
        out.append(mentor_out(mentor, told, case=appointment.handoff_id or "?", when=mentor_when))
    return out
