"""A person's request for a mentor, from the person's side: open a case (or make it urgent), end it, rate it, and
hear honestly when nobody is free. While a case is open the person's messages go to the mentor (or wait for one),
never to Rasa, whose conversation is paused."""
from __future__ import annotations

import datetime as dt
import logging
from typing import List, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.claims import close, retract
from bot.handoff.hours import OpeningHours
from bot.handoff.matching import REASONS, URGENT_REASONS, notify, tell_supervisors
from bot.handoff.replies import mentor_out, person_label, person_out
from common import content
from common.db import execute_dml
from common.db.models import Handoff, Person, utcnow
from common.i18n import translate
from common.safety import numbers_line
from common.strings import mentor as m

logger = logging.getLogger(__name__)

OPEN = ("waiting", "claimed")
MAX_SUMMARY_MESSAGES = 3
MAX_SUMMARY_CHARS = 300


def open_case(session: Session, person: Person) -> Handoff | None:
    return session.scalar(
        select(Handoff).where(Handoff.person_id == person.id, Handoff.status.in_(OPEN)).order_by(Handoff.id.desc())
    )


def request(
    session: Session, hours: OpeningHours, person: Person, lang: str, reason: str, topics: Sequence[str] = (),
    summary: Sequence[str] = (), now: dt.datetime | None = None,
) -> List[Outgoing]:
    """Open a case and notify the mentors who can take it. Crisis requests are urgent: every on-duty mentor of
    the language and every on-duty supervisor is told. The caller pauses the Rasa conversation."""
    now = now or utcnow()
    case = open_case(session, person)
    if case is not None:
        if reason in URGENT_REASONS and not case.urgent:
            return escalate(session, case, lang, reason)
        return [person_out(person, lang, m.ALREADY_WAITING if case.status == "waiting" else m.IN_MENTOR_CHAT)]
    case = Handoff(
        person=person, language=lang, country=person.country, reason=reason, urgent=reason in URGENT_REASONS,
        topics=",".join(dict.fromkeys(topics))[:200],
        summary="\n".join(text[:MAX_SUMMARY_CHARS] for text in list(summary)[-MAX_SUMMARY_MESSAGES:]),
    )
    session.add(case)
    session.flush()
    out = [
        person_out(person, lang, m.SEARCHING_URGENT) if case.urgent
        else person_out(person, lang, m.SEARCHING, language=content.languages()[lang].name)
    ]
    notices = notify(session, case)
    if not notices or not hours.is_open(now):
        out.append(no_mentor(hours, person, lang, now))
        case.told_no_mentor_at = now
    logger.info("hand-off %s requested (%s, %s), %s mentors notified", case.id, reason, lang, len(notices))
    return out + notices


def escalate(session: Session, case: Handoff, lang: str, reason: str = "crisis") -> List[Outgoing]:
    """A crisis while a case is open: mark it urgent and tell its mentor, or everyone who can take it."""
    case.urgent, case.reason = True, reason
    person = case.person
    if case.status == "claimed" and case.mentor is not None:
        out = [mentor_out(case.mentor, m.M_REQUEST, case=case.id, urgent=translate(case.mentor.ui_language, m.M_URGENT),
                          language=content.languages()[case.language].name, country=case.country or "?",
                          summary=translate(case.mentor.ui_language, m.M_SUMMARY_REASON,
                                            reason=translate(case.mentor.ui_language, REASONS[reason])))]
        return out + tell_supervisors(session, case, exclude={case.mentor.id})
    return [person_out(person, lang, m.SEARCHING_URGENT)] + notify(session, case)


def end_by_person(session: Session, person: Person, lang: str, case: Handoff) -> List[Outgoing]:
    if case.status == "waiting":
        case.status, case.closed_at = "closed", utcnow()
        return [person_out(person, lang, m.REQUEST_CANCELLED)] + retract(session, case, None)
    mentor = case.mentor
    out = close(session, case)
    if mentor is not None:
        out.append(mentor_out(mentor, m.M_PERSON_ENDED, person=person_label(person), case=case.id))
    return out


def rate(session: Session, person: Person, lang: str, value: str) -> List[Outgoing] | None:
    """Button `g:<case>:<1-5>`; None when it is not this person's closed, unrated case."""
    case_id, _, score = value.partition(":")
    if not (case_id.isdigit() and score.isdigit() and 1 <= int(score) <= 5):
        return None
    case = session.get(Handoff, int(case_id))
    if case is None or case.person_id != person.id or case.status != "closed" or case.rating is not None:
        return None
    case.rating = int(score)
    return [person_out(person, lang, m.RATED)]


def no_mentor(hours: OpeningHours, person: Person, lang: str, now: dt.datetime) -> Outgoing:
    opening = hours.next_opening(now)
    return person_out(
        person, lang, m.NO_MENTOR_NOW,
        hours=translate(lang, m.ALWAYS_OPEN) if hours.always else hours.describe(lang),
        opening=translate(lang, m.SOON) if opening is None or hours.is_open(now) else hours.format_opening(opening, lang),
        numbers=numbers_line(lang, person.country, person.region),
    )


def check_waiting(session: Session, hours: OpeningHours, timeout: dt.timedelta, now: dt.datetime | None = None) -> List[Outgoing]:
    """People waiting longer than the timeout hear honestly that nobody is free, once."""
    now = now or utcnow()
    cases = session.scalars(
        select(Handoff).where(Handoff.status == "waiting", Handoff.told_no_mentor_at.is_(None),
                              Handoff.created_at < now - timeout)
    ).all()
    out = []
    for case in cases:  # with several bot instances each runs this job: one UPDATE decides who tells
        told = execute_dml(session,
            update(Handoff).where(Handoff.id == case.id, Handoff.told_no_mentor_at.is_(None))
            .values(told_no_mentor_at=now).execution_options(synchronize_session=False)
        ).rowcount
        if told:
            out.append(no_mentor(hours, case.person, case.language, now))
    return out
