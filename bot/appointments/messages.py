"""What a person receives about an appointment: the repeat-back, the reminders with their checklist and buttons,
and the follow-up — in their language, with times in their zone and calendar format."""
from __future__ import annotations

from typing import List, Sequence, Tuple

from bot.appointments import calendar, checklist
from bot.exchange import Outgoing
from common import content
from common.db.models import Appointment
from common.i18n import translate
from common.strings import appointments as a

Buttons = List[Tuple[str, str]]


def lang_of(appointment: Appointment) -> str:
    language = appointment.person.language
    return language if language in content.languages() else "en"


def kind_name(lang: str, kind: str) -> str:
    return translate(lang, a.KINDS.get(kind, a.KINDS["other"]))


def when(lang: str, appointment: Appointment) -> str:
    return calendar.when(lang, appointment.at, appointment.timezone)


def to_person(appointment: Appointment, text: str, buttons: Sequence[Tuple[str, str]] = ()) -> Outgoing:
    lang = lang_of(appointment)
    return Outgoing(appointment.person.chat_id, text, list(buttons), content.languages()[lang].rtl)


def reminder_buttons(lang: str, appointment_id: int) -> Buttons:
    return [(translate(lang, a.GOING), f"a:g:{appointment_id}"),
            (translate(lang, a.CANCEL_OR_MOVE), f"a:m:{appointment_id}"),
            (translate(lang, a.NEED_HELP), f"a:help:{appointment_id}")]


def follow_up_buttons(lang: str, appointment_id: int) -> Buttons:
    return [(translate(lang, a.WENT_FINE), f"a:f:{appointment_id}:fine"),
            (translate(lang, a.DID_NOT_UNDERSTAND), f"a:f:{appointment_id}:unclear"),
            (translate(lang, a.NEXT_APPOINTMENT), f"a:f:{appointment_id}:next"),
            (translate(lang, a.NEED_HELP), f"a:f:{appointment_id}:help")]


def reminder(appointment: Appointment, step: str) -> Outgoing:
    """The day-before or hours-before reminder: when, where, the checklist, and the three buttons."""
    lang = lang_of(appointment)
    message = a.REMINDER_DAY_BEFORE if step == "day_before" else a.REMINDER_SOON
    lines = [translate(lang, message, kind=kind_name(lang, appointment.kind), when=when(lang, appointment))]
    if appointment.place:
        lines.append(translate(lang, a.PLACE, place=appointment.place))
    listed = checklist.render(lang, appointment.country, appointment.kind)
    if listed:
        lines += ["", listed]
    return to_person(appointment, "\n".join(lines), reminder_buttons(lang, appointment.id))


def follow_up(appointment: Appointment) -> Outgoing:
    lang = lang_of(appointment)
    text = translate(lang, a.FOLLOW_UP, kind=kind_name(lang, appointment.kind), when=when(lang, appointment))
    return to_person(appointment, text, follow_up_buttons(lang, appointment.id))


def for_step(appointment: Appointment, step: str) -> Outgoing:
    return follow_up(appointment) if step == "follow_up" else reminder(appointment, step)
