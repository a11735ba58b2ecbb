"""The relay: messages between a person and the mentor on their case. Neither side ever sees the other's Telegram
account: text goes through the bot, media by `copyMessage` (which carries no sender)."""
from __future__ import annotations

import datetime as dt
from typing import List, Sequence

from sqlalchemy.orm import Session

from bot.exchange import Incoming, Outgoing
from bot.handoff.replies import mentor_out, person_out
from common.db.models import Handoff, Mentor, Person, RelayMessage, utcnow
from common.strings import mentor as m

RELAYABLE = {"voice", "audio", "video_note", "photo", "video", "document", "sticker", "location", "contact", "animation"}


def from_person(session: Session, person: Person, lang: str, case: Handoff, incoming: Incoming,
                now: dt.datetime | None = None) -> List[Outgoing]:
    """A message while a case is open: relayed to the mentor, or kept for the next one."""
    kind = "text" if incoming.kind == "text" else incoming.kind
    if kind not in RELAYABLE and kind != "text":
        return [person_out(person, lang, m.NOT_RELAYED)]
    text = incoming.text.strip() if kind == "text" else None
    entry = RelayMessage(
        handoff_id=case.id, sender="person", kind=kind, text=text,
        from_chat_id=None if kind == "text" else incoming.chat_id,
        message_id=None if kind == "text" else incoming.message_id,
        delivered=case.status == "claimed", created_at=now or utcnow(),
    )
    session.add(entry)
    if case.status == "waiting" or case.mentor is None:
        return [person_out(person, lang, m.KEPT_FOR_MENTOR)]
    return relay_to_mentor(case, case.mentor, [entry])


def relay_to_mentor(case: Handoff, mentor: Mentor, entries: Sequence[RelayMessage]) -> List[Outgoing]:
    switch = [] if mentor.current_case_id == case.id else [(f"#{case.id}", f"ms:{case.id}")]
    out: List[Outgoing] = []
    for entry in entries:
        if entry.kind == "text":
            out.append(mentor_out(mentor, m.M_FROM_PERSON, switch, case=case.id, text=entry.text or ""))
        else:
            out.append(mentor_out(mentor, m.M_MEDIA_FROM_PERSON, case=case.id))
            out.append(Outgoing(mentor.chat_id, "", switch, copy_from=(entry.from_chat_id or 0, entry.message_id or 0)))
        entry.delivered = True
    return out


def from_mentor(session: Session, mentor: Mentor, case: Handoff, incoming: Incoming,
                now: dt.datetime | None = None) -> List[Outgoing]:
    """A mentor's message (not a command) for the person on their current case."""
    if incoming.kind == "text":
        return to_person(session, mentor, case, incoming.text.strip(), now)
    if incoming.kind in RELAYABLE:
        _answered(session, case, RelayMessage(handoff_id=case.id, sender="mentor", kind=incoming.kind,
                                              from_chat_id=incoming.chat_id, message_id=incoming.message_id,
                                              created_at=now or utcnow()))
        return [Outgoing(case.person.chat_id, "", copy_from=(incoming.chat_id, incoming.message_id))]
    return [mentor_out(mentor, m.NOT_RELAYED)]


def to_person(session: Session, mentor: Mentor, case: Handoff, text: str, now: dt.datetime | None = None) -> List[Outgoing]:
    """A text from the mentor to the person on the case (typed, a saved reply, a knowledge-base answer), logged."""
    _answered(session, case, RelayMessage(handoff_id=case.id, sender="mentor", kind="text", text=text,
                                          created_at=now or utcnow()))
    return [person_out(case.person, case.language, m.FROM_MENTOR, name=mentor.name, text=text)]


def _answered(session: Session, case: Handoff, entry: RelayMessage) -> None:
    """The mentor wrote: the person's messages are answered, so the reminder may come again for the next one."""
    session.add(entry)
    case.reply_alerted_at = None
