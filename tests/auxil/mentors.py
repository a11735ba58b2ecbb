"""Mentors in end-to-end tests whose subject is something else than onboarding: they have read and accepted the
boundaries guide before their first `/duty` (tests/handoff/test_care_e2e.py goes through the real button)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.handoff import guide
from bot.privacy import pseudonym
from common.db.models import Mentor


def accept_guide(sessions: sessionmaker[Session], pseudonym_key: str, user_id: int) -> None:
    with sessions.begin() as session:
        mentor = session.scalar(select(Mentor).where(Mentor.pseudonym == pseudonym(pseudonym_key, user_id)))
        assert mentor is not None, "register the mentor (/start CODE) first"
        guide.accept(session, mentor, guide.current_version(session))
