"""Who is writing, whether they consented, which language to answer in, and the pickers they choose from."""
from __future__ import annotations

from typing import Any, List, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.privacy import pseudonym
from common import content, language, pickers
from common.db.models import Person, utcnow
from common.i18n import translate
from common.strings import person as messages

Buttons = List[Tuple[str, str]]


def find_or_create(session: Session, key: str, user_id: int, chat_id: int) -> Person:
    """The person behind a Telegram account, by keyed pseudonym (the account itself is never stored)."""
    person = session.scalar(select(Person).where(Person.pseudonym == pseudonym(key, user_id)))
    if person is None:
        person = Person(pseudonym=pseudonym(key, user_id), chat_id=chat_id)
        session.add(person)
        session.flush()
    person.chat_id = chat_id
    person.last_seen_at = utcnow()
    return person


def lang_of(person: Person, text: str = "", hint: str | None = None, default: str = "en") -> str:
    """The language to answer in (choice > confident detection > current > Telegram's hint > default)."""
    return language.resolve(
        text=text if not text.startswith("/") else "",
        chosen=person.language if person.language_chosen else None,
        current=person.language,
        hint=hint,
        default=default,
    )


def say(chat_id: int, lang: str, message: str, buttons: Sequence[Tuple[str, str]] = (), **values: Any) -> Outgoing:
    """One message to a person's chat, translated, with its text direction."""
    return Outgoing(chat_id, translate(lang, message, values), list(buttons), content.languages()[lang].rtl)


def say_text(chat_id: int, lang: str, text: str, buttons: Sequence[Tuple[str, str]] = ()) -> Outgoing:
    """One message already in the person's language."""
    return Outgoing(chat_id, text, list(buttons), content.languages()[lang].rtl)


def language_buttons() -> Buttons:
    return [(name, f"l:{code}") for name, code in pickers.languages()]


def country_buttons(lang: str) -> Buttons:
    return [(title, f"k:{code}") for title, code in pickers.countries(lang)]


def topic_buttons(lang: str) -> Buttons:
    return [(title, f"t:{topic}") for title, topic in pickers.topics(lang)]


def consent_prompt(chat_id: int, lang: str, retention_days: int) -> Outgoing:
    buttons = [(translate(lang, messages.CONSENT_YES), "c:yes"), (translate(lang, messages.CONSENT_NO), "c:no")]
    return say(chat_id, lang, messages.PRIVACY_NOTICE, buttons, days=retention_days)


def country_of_location(latitude: float, longitude: float) -> str | None:
    """DK or DE from a shared location (rough boxes; the border strip is decided by latitude)."""
    in_dk = 54.55 <= latitude <= 57.8 and 8.0 <= longitude <= 15.3
    in_de = 47.2 <= latitude <= 55.1 and 5.8 <= longitude <= 15.1
    if in_dk and in_de:
        return "DK" if latitude >= 54.85 else "DE"
    return "DK" if in_dk else "DE" if in_de else None
