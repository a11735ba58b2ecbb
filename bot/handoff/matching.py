"""Matching: which on-duty mentors can take a case (language, country, load), and the notice each one gets with
its Claim button and a summary of the request."""
from __future__ import annotations

from typing import Iterable, List

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from bot.handoff.replies import mentor_out
from common import content
from common.db.models import Handoff, Mentor, Notification
from common.i18n import translate
from common.strings import appointments as appointment_messages
from common.strings import assistant as assistant_messages
from common.strings import mentor as m

REASONS = {"crisis": m.M_REASON_CRISIS, "not_safe": m.M_REASON_NOT_SAFE, "thoughts": m.M_REASON_THOUGHTS,
           "distress": m.M_REASON_DISTRESS, "request": m.M_REASON_REQUEST, "not_understood": m.M_REASON_NOT_UNDERSTOOD,
           "appointment": appointment_messages.M_REASON_APPOINTMENT}
URGENT_REASONS = {"crisis", "not_safe"}  # imminent danger, or "I am not safe": every mentor of the language and supervisors


def risk(case: Handoff) -> int:
    """How the queue is ordered: urgent (imminent danger, not safe), then thoughts of suicide, then the rest."""
    return 2 if case.urgent else 1 if case.reason == "thoughts" else 0


def by_risk(cases: Iterable[Handoff]) -> List[Handoff]:
    """Highest risk first, then who has waited longest."""
    return sorted(cases, key=lambda case: (-risk(case), case.id))


def load(session: Session, mentor: Mentor) -> int:
    return session.scalar(
        select(func.count(Handoff.id)).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed")
    ) or 0


def candidates(session: Session, case: Handoff, exclude: Iterable[int] = ()) -> List[Mentor]:
    """On-duty mentors who speak the person's language and work in their country, least loaded first, with
    room for another chat; for an urgent case also those at capacity, and every on-duty supervisor."""
    skip = set(exclude)
    mentors = session.scalars(select(Mentor).where(Mentor.active.is_(True), Mentor.on_duty.is_(True))).all()
    chosen = []
    for mentor in mentors:
        if mentor.id in skip:
            continue
        mentor_load = load(session, mentor)
        if mentor.is_supervisor:
            if case.urgent:
                chosen.append((mentor_load, mentor))
        elif mentor.serves(case.language, case.country) and (case.urgent or mentor_load < mentor.max_cases):
            chosen.append((mentor_load, mentor))
    before = helped_before(session, case)  # back to the same mentor when possible: they come first
    return [mentor for _, mentor in sorted(chosen, key=lambda pair: (pair[1].id not in before, pair[0], pair[1].id))]


def helped_before(session: Session, case: Handoff) -> dict[int, int]:
    """Mentors who had an earlier case of this person: mentor id -> their latest such case."""
    rows = session.execute(select(Handoff.mentor_id, func.max(Handoff.id)).where(
        Handoff.person_id == case.person_id, Handoff.id != case.id, Handoff.mentor_id.is_not(None),
    ).group_by(Handoff.mentor_id)).all()
    return {mentor_id: case_id for mentor_id, case_id in rows}


def notify(session: Session, case: Handoff, exclude: Iterable[int] = ()) -> List[Outgoing]:
    return [notice(session, case, mentor) for mentor in candidates(session, case, exclude)]


def notice(session: Session, case: Handoff, mentor: Mentor) -> Outgoing:
    notification = Notification(handoff_id=case.id, mentor_id=mentor.id, chat_id=mentor.chat_id)
    session.add(notification)
    session.flush()
    out = mentor_out(mentor, m.M_REQUEST, [(translate(mentor.ui_language, m.M_CLAIM), f"mc:{case.id}")],
                     **request_values(case, mentor))
    earlier = helped_before(session, case).get(mentor.id)
    if earlier is not None:  # the person may prefer someone they know (after an appointment, for example)
        out.text += "\n" + translate(mentor.ui_language, m.M_HELPED_BEFORE, case=earlier)
    out.notification_id = notification.id
    return out


def request_values(case: Handoff, mentor: Mentor) -> dict:
    ui = mentor.ui_language
    return dict(
        case=case.id,
        urgent=translate(ui, m.M_URGENT) if case.urgent else translate(ui, m.M_RISK_THOUGHTS) if risk(case) == 1 else "",
        language=content.languages()[case.language].name, country=case.country or "?",
        summary=summary(case, ui),
    )


def summary(case: Handoff, ui: str) -> str:
    lines = [translate(ui, m.M_SUMMARY_REASON, reason=translate(ui, REASONS.get(case.reason, m.M_REASON_REQUEST)))]
    titles = [translate(ui, assistant_messages.TOPIC_TITLES[t]) for t in case.topics.split(",") if t in assistant_messages.TOPIC_TITLES]
    if titles:
        lines.append(translate(ui, m.M_SUMMARY_TOPICS, topics=", ".join(titles)))
    if case.summary:
        lines.append(translate(ui, m.M_SUMMARY_LAST))
        lines += [f"“{line}”" for line in case.summary.splitlines()]
    return "\n".join(lines)


def record_notification(session: Session, notification_id: int, message_id: int) -> None:
    notification = session.get(Notification, notification_id)
    if notification is not None:
        notification.message_id = message_id


def supervisors(session: Session, exclude: Iterable[int] = ()) -> List[Mentor]:
    """Who hears of a flag, a debrief request, a chat gone back to the queue: the supervisors on duty, or every
    active supervisor when none is on duty."""
    everyone = session.scalars(select(Mentor).where(Mentor.active.is_(True), Mentor.role == "supervisor")
                               .order_by(Mentor.id)).all()
    skip = set(exclude)
    return [s for s in ([s for s in everyone if s.on_duty] or list(everyone)) if s.id not in skip]


def tell_supervisors(session: Session, case: Handoff, exclude: Iterable[int] = (), by: Mentor | None = None) -> List[Outgoing]:
    return [
        mentor_out(s, m.M_FLAG_NOTICE, name=by.name, case=case.id) if by is not None
        else mentor_out(s, m.M_REQUEST, **request_values(case, s))
        for s in supervisors(session, exclude)
    ]
