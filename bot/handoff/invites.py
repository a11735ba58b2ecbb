"""Invites and registration: staff invite a peer mentor with a one-time code; `/start <code>` makes the Telegram
account that sends it a mentor. A mentor is known by a pseudonym of their Telegram account, never by its id."""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Iterable, List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.exchange import Incoming, Outgoing
from bot.handoff.replies import language_names, mentor_out
from bot.privacy import pseudonym
from common import content
from common.db.models import Invite, Mentor, as_utc, utcnow
from common.i18n import translate
from common.strings import mentor as m

logger = logging.getLogger(__name__)


def mentor_of(session: Session, pseudonym_key: str, user_id: int) -> Mentor | None:
    key = pseudonym(pseudonym_key, user_id)
    return session.scalar(select(Mentor).where(Mentor.pseudonym == key, Mentor.active.is_(True)))


def create_invite(
    session: Session, invite_days: int, name: str, languages: Iterable[str], countries: Iterable[str] = (),
    supervisor: bool = False, max_cases: int = 3, now: dt.datetime | None = None,
) -> Invite:
    codes = [code.strip() for code in languages if code.strip()]
    unknown = [code for code in codes if code not in content.languages()]
    if not codes or unknown:
        raise ValueError(f"languages must be some of {', '.join(content.languages())}; got {', '.join(codes) or 'none'}")
    places = [c.strip().upper() for c in countries if c.strip()]
    if any(c not in content.COUNTRIES for c in places):
        raise ValueError(f"countries must be some of {', '.join(content.COUNTRIES)}")
    invite = Invite(
        code=secrets.token_urlsafe(16), name=name.strip()[:64], languages=",".join(codes), countries=",".join(places),
        role="supervisor" if supervisor else "mentor", max_cases=max_cases,
        expires_at=(now or utcnow()) + dt.timedelta(days=invite_days),
    )
    session.add(invite)
    session.flush()
    return invite


def register(session: Session, pseudonym_key: str, incoming: Incoming, code: str) -> List[Outgoing] | None:
    """`/start <code>`: the invite makes this Telegram account a mentor. None if `code` is no invite at all
    (a person's `/start` with some other parameter)."""
    invite = session.scalar(select(Invite).where(Invite.code == code))
    hint = (incoming.language_hint or "en").split("-")[0]
    ui = hint if hint in content.languages() else "en"
    if invite is None or invite.used_at is not None or as_utc(invite.expires_at) < utcnow():
        out = Outgoing(incoming.chat_id, translate(ui, m.M_INVITE_INVALID), rtl=content.languages()[ui].rtl)
        return [out] if invite is not None or len(code) >= 16 else None
    key = pseudonym(pseudonym_key, incoming.user_id)
    mentor = session.scalar(select(Mentor).where(Mentor.pseudonym == key))
    if mentor is None:
        mentor = Mentor(pseudonym=key, chat_id=incoming.chat_id, name=invite.name)
        session.add(mentor)
    mentor.name, mentor.languages, mentor.countries = invite.name, invite.languages, invite.countries
    mentor.role, mentor.max_cases, mentor.active, mentor.on_duty = invite.role, invite.max_cases, True, False
    mentor.chat_id, mentor.ui_language = incoming.chat_id, ui
    session.flush()
    invite.used_at, invite.mentor_id = utcnow(), mentor.id
    logger.info("mentor %s registered (%s)", mentor.id, mentor.role)
    return [welcome(mentor)]


def welcome(mentor: Mentor) -> Outgoing:
    """Who the mentor is here: name, role and languages (after registering, and on a plain `/start`)."""
    role = translate(mentor.ui_language, m.M_ROLE_SUPERVISOR if mentor.is_supervisor else m.M_ROLE_MENTOR)
    return mentor_out(mentor, m.M_WELCOME, name=mentor.name, role=role, languages=language_names(mentor))
