"""What the admin keeps for mentors, as plain functions over the database (the routes are thin; tests call these):
saved replies per language (editors and supervisors) and the boundaries guide per language (supervisors). Every
change is in the audit log with the state before and after. Phone numbers in both are placeholders
(%(emergency)s ...) filled with the person's country's numbers, never typed in."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Dict, List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin.service import ValidationError, audit
from bot.handoff import guide
from bot.handoff.saved_replies import NAME
from common import content
from common.db.models import GuideText, SavedReply, utcnow
from common.i18n import translate
from common.strings import mentor as m

MAX_REPLY_CHARS = 2000
MAX_GUIDE_CHARS = 3500  # one Telegram message with the intro line and the button


def _placeholder_problems(text: str) -> List[str]:
    known = set(content.numbers("DK")) & set(content.numbers("DE"))  # filled in either country
    unknown = sorted(content.placeholders(text) - known)
    if unknown:
        return [f"Unknown placeholders: {', '.join('%(' + u + ')s' for u in unknown)} (known: {', '.join(sorted(known))})."]
    return []


def _reply_state(row: SavedReply | None) -> str | None:
    return None if row is None else json.dumps({"name": row.name, "language": row.language, "text": row.text,
                                                "active": row.active})


def replies(session: Session) -> List[SavedReply]:
    return list(session.scalars(select(SavedReply).order_by(SavedReply.name, SavedReply.language)).all())


def save_reply(session: Session, username: str, reply_id: int | None, name: str, language: str, text: str,
               active: bool) -> SavedReply:
    """Create or change a saved reply (one name, one language). ValidationError says what is wrong."""
    name, text = name.strip().lower(), text.replace("\r\n", "\n").strip()
    problems = []
    if not NAME.match(name):
        problems.append("The name is one word of 1-32 lower-case letters, digits, - or _ (mentors type /r NAME).")
    if language not in content.languages():
        problems.append(f"The language must be one of {', '.join(content.languages())}.")
    if not text or len(text) > MAX_REPLY_CHARS:
        problems.append(f"The text has 1-{MAX_REPLY_CHARS} characters.")
    problems += _placeholder_problems(text)
    row = session.get(SavedReply, reply_id) if reply_id else None
    twin = session.scalar(select(SavedReply).where(SavedReply.name == name, SavedReply.language == language))
    if twin is not None and twin is not row:
        problems.append(f"There is already a saved reply \"{name}\" in this language: change that one.")
    if problems:
        raise ValidationError(problems)
    before = _reply_state(row)
    if row is None:
        row = SavedReply()
        session.add(row)
    row.name, row.language, row.text, row.active = name, language, text, active
    row.updated_at, row.updated_by = utcnow(), username
    session.flush()
    audit(session, username, "save reply", f"reply:{row.id}", before, _reply_state(row))
    return row


@dataclass
class GuideView:
    language: str
    text: str  # what a mentor with this language reads now
    edited: bool  # staff changed it (else the shipped text)
    current: bool  # written for the current version (else mentors of this language read the fallback)


def guide_views(session: Session) -> List[GuideView]:
    version = guide.current_version(session)
    rows: Dict[str, GuideText] = {row.language: row for row in session.scalars(select(GuideText)).all()}
    views = []
    for code in content.languages():
        row = rows.get(code)
        if row is not None:
            views.append(GuideView(code, row.text, True, row.version == version))
        else:
            views.append(GuideView(code, translate(code, m.GUIDE), False, version == 1))
    return views


def save_guide(session: Session, username: str, language: str, text: str, new_version: bool) -> int:
    """Save one language's guide; `new_version`: every mentor accepts it again before their next duty. Returns
    the guide's version."""
    text = text.replace("\r\n", "\n").strip()
    problems = []
    if language not in content.languages():
        problems.append(f"The language must be one of {', '.join(content.languages())}.")
    if not text or len(text) > MAX_GUIDE_CHARS:
        problems.append(f"The guide has 1-{MAX_GUIDE_CHARS} characters.")
    if problems:
        raise ValidationError(problems)
    version = guide.current_version(session) + (1 if new_version else 0)
    row = session.scalar(select(GuideText).where(GuideText.language == language))
    before = None if row is None else json.dumps({"text": row.text, "version": row.version})
    if row is None:
        row = GuideText(language=language)
        session.add(row)
    row.text, row.version, row.updated_at, row.updated_by = text, version, utcnow(), username
    session.flush()
    audit(session, username, "save guide", f"guide:{language}", before, json.dumps({"text": text, "version": version}))
    return version
