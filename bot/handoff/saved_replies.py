"""Saved replies: texts staff keep per language in the admin. `/r` lists their names; `/r NAME` shows the mentor
what the person on their current chat will receive (in the mentor's own language first) with Send and Cancel;
Send relays it in the person's language (English, with a note to the mentor, when that language has none) and
logs it in the relay log like a typed message. Knowledge-base answers (`/kb`, bot.handoff.kb_answers) are
previewed and sent the same way."""
from __future__ import annotations

import datetime as dt
import re
from typing import List, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.claims import current
from bot.handoff.relay import to_person
from bot.handoff.replies import mentor_out, mentor_text
from common import content
from common.db.models import Handoff, Mentor, SavedReply
from common.i18n import translate
from common.strings import mentor as m

FALLBACK = "en"
NAME = re.compile(r"^[a-z0-9_-]{1,32}$")  # what mentors type after /r


def names(session: Session) -> List[str]:
    return list(session.scalars(select(SavedReply.name).where(SavedReply.active.is_(True)).distinct()
                                .order_by(SavedReply.name)).all())


def find(session: Session, name: str, lang: str) -> SavedReply | None:
    return session.scalar(select(SavedReply).where(
        SavedReply.name == name, SavedReply.language == lang, SavedReply.active.is_(True)))


def fill(text: str, country: str | None) -> str:
    """Phone numbers are placeholders (%(emergency)s ...), filled with the person's country's."""
    return content.fill(text, country) if country in content.COUNTRIES else text


def command(session: Session, mentor: Mentor, argument: str) -> List[Outgoing]:
    """`/r` or `/r NAME`."""
    known = names(session)
    if not argument:
        if not known:
            return [mentor_out(mentor, m.M_SAVED_NONE)]
        return [mentor_out(mentor, m.M_SAVED_LIST, names=", ".join(known))]
    case = current(session, mentor)
    if case is None:
        return [mentor_out(mentor, m.M_NO_CASE)]
    name = argument.split()[0].lower()
    reply = find(session, name, case.language) or find(session, name, FALLBACK)
    if reply is None:
        return [mentor_out(mentor, m.M_SAVED_UNKNOWN, name=name[:32], names=", ".join(known) or "–")]
    own = find(session, name, mentor.ui_language) or reply
    notes = [] if reply.language == case.language else [
        translate(mentor.ui_language, m.M_SAVED_ENGLISH, language=content.languages()[case.language].name, name=name)]
    return [preview(mentor, case, fill(reply.text, case.country), fill(own.text, case.country), f"{case.id}:{reply.id}",
                    "mr", notes)]


def preview(mentor: Mentor, case: Handoff, to_send: str, in_own_language: str, key: str, kind: str,
            notes: Sequence[str] = ()) -> Outgoing:
    """What the mentor sees before sending: the text in their language, and what the person will receive when it
    is in another language; Send (`<kind>:<key>`) and Cancel (`mx:<case>`)."""
    ui = mentor.ui_language
    parts = [*notes, translate(ui, m.M_SAVED_PREVIEW, case=case.id, language=content.languages()[case.language].name)]
    parts.append(in_own_language)
    if in_own_language != to_send:
        parts += ["―――", to_send]
    buttons = [(translate(ui, m.M_SEND), f"{kind}:{key}"), (translate(ui, m.M_CANCEL), f"mx:{case.id}")]
    return mentor_text(mentor, "\n\n".join(parts), buttons)


def theirs(session: Session, mentor: Mentor, case_id: str) -> Handoff | None:
    """The case a Send button names, while it is still this mentor's open chat."""
    case = session.get(Handoff, int(case_id)) if case_id.isdigit() else None
    return case if case is not None and case.mentor_id == mentor.id and case.status == "claimed" else None


def send(session: Session, mentor: Mentor, value: str, now: dt.datetime | None = None) -> List[Outgoing]:
    """Send (`mr:<case>:<reply>`): the saved reply in the person's language, as the mentor's message."""
    case_id, _, reply_id = value.partition(":")
    case = theirs(session, mentor, case_id)
    reply = session.get(SavedReply, int(reply_id)) if reply_id.isdigit() else None
    if case is None or reply is None or not reply.active:
        return [mentor_out(mentor, m.M_CASE_HIDDEN if case is None else m.M_NOT_SENT)]
    return sent(session, mentor, case, fill(reply.text, case.country), now)


def sent(session: Session, mentor: Mentor, case: Handoff, text: str, now: dt.datetime | None = None) -> List[Outgoing]:
    return to_person(session, mentor, case, text, now) + [mentor_out(mentor, m.M_SENT, case=case.id)]
