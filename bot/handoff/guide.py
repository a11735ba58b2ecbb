"""Care for mentors: the programme's boundaries guide. Before their first duty a mentor reads it in their language
and accepts it (one button); who has not accepted the current version cannot go on duty.

The text is edited per language in the admin (`guide_text`); without a row, the shipped text (`GUIDE` in the
catalogs) is used. Saving a text may raise the guide's version (the highest `version` of any row; 1 without
rows): then every mentor accepts again before their next duty. A language whose text is older than the current
version is not shown: the mentor gets the current English text (or, without one, the newest text).
"""
from __future__ import annotations

import datetime as dt
from typing import List, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.replies import mentor_text
from common import content
from common.db.models import GuideText, Mentor, utcnow
from common.i18n import translate
from common.strings import mentor as m

FALLBACK = "en"


def current_version(session: Session) -> int:
    return session.scalar(select(func.max(GuideText.version))) or 1


def text(session: Session, lang: str) -> Tuple[str, str]:
    """The current guide for a mentor whose app speaks `lang`: (text, the language it is in)."""
    version = current_version(session)
    rows = {row.language: row for row in session.scalars(select(GuideText)).all()}
    for code in dict.fromkeys((lang, FALLBACK)):
        row = rows.get(code)
        if row is not None and row.version == version:
            return row.text, code
        if row is None and version == 1 and code in content.languages():
            return translate(code, m.GUIDE), code
    newest = max(rows.values(), key=lambda row: (row.version, row.id))
    return newest.text, newest.language


def accepted(session: Session, mentor: Mentor) -> bool:
    return mentor.guide_version is not None and mentor.guide_version >= current_version(session)


def show(session: Session, mentor: Mentor, intro: str = m.M_GUIDE_INTRO) -> Outgoing:
    """The guide with the "I have read and accept" button (`mg:<version>`)."""
    ui = mentor.ui_language
    body, _ = text(session, ui)
    button = (translate(ui, m.M_GUIDE_ACCEPT), f"mg:{current_version(session)}")
    return mentor_text(mentor, f"{translate(ui, intro)}\n\n{body}", [button])


def accept(session: Session, mentor: Mentor, version: int, now: dt.datetime | None = None) -> List[Outgoing] | None:
    """The button: stores the version accepted; None when it is the current one (the caller goes on), else the
    new version to read."""
    if version != current_version(session):
        return [show(session, mentor, m.M_GUIDE_CHANGED)]
    mentor.guide_version, mentor.guide_accepted_at = version, now or utcnow()
    return None
