"""Flags: a mentor asks the supervisors to look at a case (`/flag [TEXT]`), and a supervisor answers on the live
desk; the answer goes to the mentor who asked, in Telegram (the caller puts it in the outbox, in the same
transaction). When a case was flagged, by whom, and when and by which staff member it was answered are kept on
the case, so the desk shows how long each flag has waited."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import List

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.matching import tell_supervisors
from bot.handoff.replies import mentor_out
from common.db import execute_dml
from common.db.models import Handoff, Mentor, utcnow
from common.strings import mentor as m

MAX_NOTE = 500  # handoff.flag_note
MAX_ANSWER = 2000


class NotPossible(ValueError):
    """The flag cannot be answered (none open, already answered, an empty answer); the message says why."""


def flag(session: Session, case: Handoff, mentor: Mentor, note: str = "", now: dt.datetime | None = None) -> List[Outgoing]:
    """The mentor asks for supervision on a case; the supervisors are told, with the mentor's words if any."""
    note = note.strip()[:MAX_NOTE]
    case.flagged, case.flagged_at, case.flagged_by_id, case.flag_note = True, now or utcnow(), mentor.id, note or None
    case.flag_answered_at, case.flag_answered_by = None, None
    notices = tell_supervisors(session, case, exclude={mentor.id}, by=mentor)
    if note:
        notices = [dataclasses.replace(notice, text=f"{notice.text}\n“{note}”") for notice in notices]
    return [mentor_out(mentor, m.M_FLAGGED, case=case.id)] + notices


def answer(session: Session, case: Handoff, by: str, text: str, now: dt.datetime | None = None) -> List[Outgoing]:
    """A supervisor answers the case's open flag: recorded on the case, and sent to the mentor who asked (or the
    mentor on the case, if the one who asked has no access any more). `by` is how the mentor sees the supervisor.
    Two supervisors answering at once: one conditional UPDATE decides; the other gets NotPossible."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise NotPossible("Write the answer for the mentor.")
    if len(text) > MAX_ANSWER:
        raise NotPossible(f"The answer is too long: at most {MAX_ANSWER:,} characters.")
    if not case.flagged:
        raise NotPossible(f"Case #{case.id} has no open flag: it was answered already, or never flagged.")
    won = execute_dml(session,
        update(Handoff).where(Handoff.id == case.id, Handoff.flagged.is_(True))
        .values(flagged=False, flag_answered_at=now or utcnow(), flag_answered_by=by[:64])
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if not won:
        raise NotPossible(f"Case #{case.id} has no open flag: another supervisor answered it just now.")
    session.refresh(case)
    asked = case.flagged_by if case.flagged_by is not None and case.flagged_by.active else case.mentor
    if asked is None or not asked.active:
        return []
    return [mentor_out(asked, m.M_FLAG_ANSWER, name=by, case=case.id, text=text)]
