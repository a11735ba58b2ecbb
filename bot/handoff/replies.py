"""What every part of the hand-off sends: a message to a person or a mentor in their language, and how a mentor
sees a person."""
from __future__ import annotations

from typing import Any, Sequence, Tuple

from bot.exchange import Outgoing
from common import content
from common.db.models import Mentor, Person
from common.i18n import translate


def person_label(person: Person) -> str:
    """How a mentor sees a person: a short pseudonym, never a name or account."""
    return f"P-{person.pseudonym[:6]}"


def mentor_out(mentor: Mentor, message: str, buttons: Sequence[Tuple[str, str]] = (), **values: Any) -> Outgoing:
    lang = mentor.ui_language
    return Outgoing(mentor.chat_id, translate(lang, message, values), list(buttons), content.languages()[lang].rtl)


def mentor_text(mentor: Mentor, text: str, buttons: Sequence[Tuple[str, str]] = ()) -> Outgoing:
    """A text already in the mentor's language (several translated parts put together)."""
    return Outgoing(mentor.chat_id, text, list(buttons), content.languages()[mentor.ui_language].rtl)


def person_out(person: Person, lang: str, message: str, buttons: Sequence[Tuple[str, str]] = (), **values: Any) -> Outgoing:
    return Outgoing(person.chat_id, translate(lang, message, values), list(buttons), content.languages()[lang].rtl)


def language_names(mentor: Mentor) -> str:
    return ", ".join(content.languages()[code].name for code in mentor.language_list if code in content.languages())
