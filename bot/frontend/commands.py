"""The person's commands: /start /menu /language /country /profile /remind /reminders /mentor /end /help /privacy
/mydata /delete.

(The mentor's commands are the hand-off desk's: bot.handoff.) Each returns the replies to send."""
from __future__ import annotations

from typing import TYPE_CHECKING, List

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.appointments import flow as appointments
from bot.appointments import messages as appointment_messages
from bot.appointments import records as appointment_records
from bot.exchange import Incoming, Outgoing
from bot.frontend import people
from common import content, contract, pickers, places
from common.db.models import Handoff, Inbound, Person, utcnow
from common.i18n import translate
from common.strings import appointments as appointment_strings
from common.strings import assistant as assistant_messages
from common.strings import person as messages

if TYPE_CHECKING:
    from bot.frontend.routing import Arrival, FrontEnd

# the commands shown in Telegram's menu (setMyCommands), with their descriptions
MENU = messages.COMMANDS


def name_of(text: str) -> tuple[str, str]:
    """("mydata", "") from "/mydata@brobygger_bot"; the argument after a space."""
    command, _, argument = text.partition(" ")
    return command.split("@")[0].lstrip("/").lower(), argument.strip()


async def run(front: FrontEnd, first: Arrival, text: str, incoming: Incoming) -> List[Outgoing]:
    command, argument = name_of(text)
    lang, chat, days = first.lang, first.view.chat_id, front.settings.retention_days
    if command == "start":
        if not first.consented:
            return [people.consent_prompt(chat, lang, days)]
        return [people.say(chat, lang, messages.READY, people.topic_buttons(lang))]
    if command == "privacy":
        details = translate(lang, messages.PRIVACY_DETAILS, days=days)
        return [people.say_text(chat, lang, f"{details}\n\n{translate(lang, appointment_strings.PRIVACY, days=days)}")]
    if command == "help":
        return [people.say(chat, lang, messages.HELP)]
    if command == "language":
        return [people.say(chat, lang, assistant_messages.CHOOSE_LANGUAGE, people.language_buttons())]
    if command == "delete":
        answers = [(title, f"d:{value}") for title, value in pickers.yes_no(lang)]
        return [people.say(chat, lang, assistant_messages.DELETE_CONFIRM, answers)]
    if command == "mydata":
        return [await front.db.transaction(my_data, first.person_id, lang)]
    if not first.consented:
        return [people.consent_prompt(chat, lang, days)]
    if command == "profile":
        return await front.relay(first.person_id, contract.UPDATE_PROFILE, incoming.language_hint, lang)
    if command == "country":
        return [people.say(chat, lang, messages.CHOOSE_COUNTRY, people.country_buttons(lang))]
    if command == "menu":
        return [people.say(chat, lang, messages.MENU, people.topic_buttons(lang))]
    if command in ("remind", "reminders"):
        return await front.db.transaction(_appointments, front, first, command, argument)
    if command == "end" and first.case_id is not None:
        ended = await front.db.transaction(_end, front, first)
        await front.resume_closed()
        return ended
    if command == "mentor":
        if first.case_id is not None:
            return await front.db.transaction(_again, front, first)
        return await front.relay(first.person_id, contract.REQUEST_MENTOR, incoming.language_hint, lang)
    return [people.say(chat, lang, messages.HELP)]


def my_data(session: Session, person_id: int, lang: str) -> Outgoing:
    """What is stored about the person, in their language."""
    person = session.get(Person, person_id)
    assert person is not None  # the caller just found or created them
    count = session.scalar(select(func.count(Inbound.id)).where(Inbound.person_id == person.id)) or 0
    not_set = translate(lang, messages.NOT_SET)
    stored = translate(lang, messages.MY_DATA, {
        "language": content.languages()[person.language].name if person.language in content.languages() else not_set,
        "country": pickers.country_name(lang, person.country) if person.country in content.COUNTRIES else not_set,
        "consent": person.consent_at.date().isoformat() if person.consent_at else not_set,
        "count": count,
    })
    appointments = [
        translate(lang, appointment_strings.MY_DATA_APPOINTMENT, when=appointment_messages.when(lang, item),
                  kind=appointment_messages.kind_name(lang, item.kind))
        for item in appointment_records.all_of(session, person.id)
    ]
    area = places.area(person.country, person.region)
    residence = pickers.residence_name(lang, person.country, person.residence)
    situation = "\n".join([translate(lang, messages.MY_DATA_SITUATION, region=area.name() if area else not_set,
                                     residence=residence or not_set)] + appointments)
    # the situation lines go before the last line ("Delete everything with /delete.")
    head, _, last = stored.rpartition("\n")
    return people.say_text(person.chat_id, lang, f"{head}\n{situation}\n{last}" if head else f"{stored}\n{situation}")


def _appointments(session: Session, front: FrontEnd, first: Arrival, command: str, argument: str) -> List[Outgoing]:
    person = session.get(Person, first.person_id)
    if person is None:
        return []
    moment = appointments.Moment(person, first.lang, front.timing, utcnow())
    if command == "reminders":
        return appointments.reminders(session, moment)
    return appointments.remind(session, moment, argument)


def _end(session: Session, front: FrontEnd, first: Arrival) -> List[Outgoing]:
    person, case = session.get(Person, first.person_id), session.get(Handoff, first.case_id)
    if person is None or case is None:
        return []
    return front.desk.end_by_person(session, person, first.lang, case)


def _again(session: Session, front: FrontEnd, first: Arrival) -> List[Outgoing]:
    person = session.get(Person, first.person_id)
    return front.desk.request(session, person, first.lang, "request") if person is not None else []
