"""Care for mentors: after an urgent chat ends, its mentor is offered a debrief with a supervisor (one button).
Pressing it tells the supervisors on duty (or every supervisor when none is) the case number and who asks, no
person data, and confirms to the mentor. Once per case, across instances (a conditional UPDATE)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import List

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.matching import supervisors
from bot.handoff.replies import mentor_out
from common.db import execute_dml
from common.db.models import Handoff, Mentor, utcnow
from common.i18n import translate
from common.strings import mentor as m

logger = logging.getLogger(__name__)


def offer(case: Handoff, mentor: Mentor) -> Outgoing:
    """The question under a closed urgent chat, with its button (`md:<case>`)."""
    button = (translate(mentor.ui_language, m.M_DEBRIEF_BUTTON), f"md:{case.id}")
    return mentor_out(mentor, m.M_DEBRIEF_OFFER, [button], case=case.id)


def ask(session: Session, mentor: Mentor, case_id: int, now: dt.datetime | None = None) -> List[Outgoing]:
    """The mentor pressed the button: only for a closed urgent case that was theirs; a second press (or another
    instance) tells nobody again."""
    case = session.get(Handoff, case_id)
    if case is None or case.mentor_id != mentor.id or not case.urgent or case.status != "closed":
        return [mentor_out(mentor, m.M_CASE_HIDDEN)]
    told = supervisors(session, exclude={mentor.id})
    if not told:
        return [mentor_out(mentor, m.M_DEBRIEF_NOBODY)]
    first = execute_dml(session,
        update(Handoff).where(Handoff.id == case_id, Handoff.debrief_requested_at.is_(None))
        .values(debrief_requested_at=now or utcnow()).execution_options(synchronize_session=False)
    ).rowcount == 1
    out = [mentor_out(mentor, m.M_DEBRIEF_ASKED, case=case_id)]
    if first:
        logger.info("hand-off %s: mentor %s asks for a debrief", case_id, mentor.id)
        out += [mentor_out(s, m.M_DEBRIEF_NOTICE, name=mentor.name, case=case_id) for s in told]
    return out
