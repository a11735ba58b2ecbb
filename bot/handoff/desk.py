"""The hand-off desk: requests, matching by language, atomic claims, the relay, and the mentor's tools.

Plain functions over the database (tests call them without Telegram). The hand-off state in the product database
is the source of truth: while a case is open the person's messages go to the mentor (or wait for one), never to
Rasa, whose conversation is paused. Neither side ever sees the other's Telegram account: everything goes through
the bot, media by `copyMessage` (which carries no sender).
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any, Iterable, List, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.exchange import Incoming, Outgoing
from bot.handoff import matching, relay
from bot.handoff.hours import OpeningHours
from bot.handoff.replies import language_names, mentor_out, person_label, person_out
from bot.privacy import pseudonym
from common import content
from common.db.models import CaseNote, Handoff, Invite, Mentor, Person, as_utc, utcnow
from common.i18n import translate
from common.safety import numbers_line
from common.strings import mentor as m

logger = logging.getLogger(__name__)
__all__ = ["Desk", "DeskSettings", "person_out"]  # person_out lives in replies; bot/assistant.py imports it from here

OPEN = ("waiting", "claimed")
MAX_SUMMARY_MESSAGES = 3
MAX_SUMMARY_CHARS = 300


@dataclass
class DeskSettings:
    pseudonym_key: str
    hours: OpeningHours
    timeout: dt.timedelta = dt.timedelta(minutes=5)
    invite_days: int = 7


class Desk:
    @classmethod
    def from_settings(cls, settings: Any) -> Desk:
        """From the product's settings (bot.config.Settings or bot.assistant.Settings: same field names)."""
        return cls(DeskSettings(
            pseudonym_key=settings.pseudonym_key,
            hours=OpeningHours.parse(settings.mentor_hours, settings.mentor_timezone),
            timeout=dt.timedelta(seconds=settings.handoff_timeout),
            invite_days=settings.invite_days,
        ))

    def __init__(self, settings: DeskSettings) -> None:
        self.settings = settings

    # --- lookups ------------------------------------------------------------------------------------------------
    def mentor_of(self, session: Session, user_id: int) -> Mentor | None:
        key = pseudonym(self.settings.pseudonym_key, user_id)
        return session.scalar(select(Mentor).where(Mentor.pseudonym == key, Mentor.active.is_(True)))

    @staticmethod
    def open_case(session: Session, person: Person) -> Handoff | None:
        return session.scalar(
            select(Handoff).where(Handoff.person_id == person.id, Handoff.status.in_(OPEN)).order_by(Handoff.id.desc())
        )

    load = staticmethod(matching.load)

    # --- invites and registration -----------------------------------------------------------------------------
    def create_invite(
        self, session: Session, name: str, languages: Iterable[str], countries: Iterable[str] = (),
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
            expires_at=(now or utcnow()) + dt.timedelta(days=self.settings.invite_days),
        )
        session.add(invite)
        session.flush()
        return invite

    def register(self, session: Session, incoming: Incoming, code: str) -> List[Outgoing] | None:
        """`/start <code>`: the invite makes this Telegram account a mentor. None if `code` is no invite at all
        (a person's `/start` with some other parameter)."""
        invite = session.scalar(select(Invite).where(Invite.code == code))
        hint = (incoming.language_hint or "en").split("-")[0]
        ui = hint if hint in content.languages() else "en"
        if invite is None or invite.used_at is not None or as_utc(invite.expires_at) < utcnow():
            out = Outgoing(incoming.chat_id, translate(ui, m.M_INVITE_INVALID), rtl=content.languages()[ui].rtl)
            return [out] if invite is not None or len(code) >= 16 else None
        key = pseudonym(self.settings.pseudonym_key, incoming.user_id)
        mentor = session.scalar(select(Mentor).where(Mentor.pseudonym == key))
        if mentor is None:
            mentor = Mentor(pseudonym=key, chat_id=incoming.chat_id, name=invite.name)
            session.add(mentor)
        mentor.name, mentor.languages, mentor.countries = invite.name, invite.languages, invite.countries
        mentor.role, mentor.max_cases, mentor.active, mentor.on_duty = invite.role, invite.max_cases, True, False
        mentor.chat_id, mentor.ui_language = incoming.chat_id, ui
        session.flush()
        invite.used_at, invite.mentor_id = utcnow(), mentor.id
        role = translate(ui, m.M_ROLE_SUPERVISOR if mentor.is_supervisor else m.M_ROLE_MENTOR)
        logger.info("mentor %s registered (%s)", mentor.id, mentor.role)
        return [mentor_out(mentor, m.M_WELCOME, name=mentor.name, role=role, languages=language_names(mentor))]

    # --- the person's side ----------------------------------------------------------------------------------------
    def request(
        self, session: Session, person: Person, lang: str, reason: str, topics: Sequence[str] = (),
        summary: Sequence[str] = (), now: dt.datetime | None = None,
    ) -> List[Outgoing]:
        """Open a case and notify the mentors who can take it. Crisis requests are urgent: every on-duty mentor of
        the language and every on-duty supervisor is told. The caller pauses the Rasa conversation."""
        now = now or utcnow()
        case = self.open_case(session, person)
        if case is not None:
            if reason == "crisis" and not case.urgent:
                return self.escalate(session, case, lang)
            return [person_out(person, lang, m.ALREADY_WAITING if case.status == "waiting" else m.IN_MENTOR_CHAT)]
        case = Handoff(
            person=person, language=lang, country=person.country, reason=reason, urgent=reason == "crisis",
            topics=",".join(dict.fromkeys(topics))[:200],
            summary="\n".join(text[:MAX_SUMMARY_CHARS] for text in list(summary)[-MAX_SUMMARY_MESSAGES:]),
        )
        session.add(case)
        session.flush()
        out = [
            person_out(person, lang, m.SEARCHING_URGENT) if case.urgent
            else person_out(person, lang, m.SEARCHING, language=content.languages()[lang].name)
        ]
        notices = self.notify(session, case)
        if not notices or not self.settings.hours.is_open(now):
            out.append(self.no_mentor(person, lang, now))
            case.told_no_mentor_at = now
        logger.info("hand-off %s requested (%s, %s), %s mentors notified", case.id, reason, lang, len(notices))
        return out + notices

    def escalate(self, session: Session, case: Handoff, lang: str) -> List[Outgoing]:
        """A crisis while a case is open: mark it urgent and tell its mentor, or everyone who can take it."""
        case.urgent, case.reason = True, "crisis"
        person = case.person
        if case.status == "claimed" and case.mentor is not None:
            out = [mentor_out(case.mentor, m.M_REQUEST, case=case.id, urgent=translate(case.mentor.ui_language, m.M_URGENT),
                              language=content.languages()[case.language].name, country=case.country or "?",
                              summary=translate(case.mentor.ui_language, m.M_SUMMARY_REASON,
                                                reason=translate(case.mentor.ui_language, m.M_REASON_CRISIS)))]
            return out + matching.tell_supervisors(session, case, exclude={case.mentor.id})
        return [person_out(person, lang, m.SEARCHING_URGENT)] + self.notify(session, case)

    from_person = staticmethod(relay.from_person)

    def end_by_person(self, session: Session, person: Person, lang: str, case: Handoff) -> List[Outgoing]:
        if case.status == "waiting":
            case.status, case.closed_at = "closed", utcnow()
            return [person_out(person, lang, m.REQUEST_CANCELLED)] + self._retract(session, case, None)
        mentor = case.mentor
        out = self._close(session, case)
        if mentor is not None:
            out.append(mentor_out(mentor, m.M_PERSON_ENDED, person=person_label(person), case=case.id))
        return out

    def rate(self, session: Session, person: Person, lang: str, value: str) -> List[Outgoing] | None:
        """Button `g:<case>:<1-5>`; None when it is not this person's closed, unrated case."""
        case_id, _, score = value.partition(":")
        if not (case_id.isdigit() and score.isdigit() and 1 <= int(score) <= 5):
            return None
        case = session.get(Handoff, int(case_id))
        if case is None or case.person_id != person.id or case.status != "closed" or case.rating is not None:
            return None
        case.rating = int(score)
        return [person_out(person, lang, m.RATED)]

    def no_mentor(self, person: Person, lang: str, now: dt.datetime) -> Outgoing:
        hours = self.settings.hours
        opening = hours.next_opening(now)
        return person_out(
            person, lang, m.NO_MENTOR_NOW,
            hours=translate(lang, m.ALWAYS_OPEN) if hours.always else hours.describe(lang),
            opening=translate(lang, m.SOON) if opening is None or hours.is_open(now) else hours.format_opening(opening, lang),
            numbers=numbers_line(lang, person.country),
        )

    # --- matching ---------------------------------------------------------------------------------------------------
    candidates = staticmethod(matching.candidates)
    notify = staticmethod(matching.notify)
    summary = staticmethod(matching.summary)
    record_notification = staticmethod(matching.record_notification)

    # --- the mentor's side ------------------------------------------------------------------------------------------
    def claim(self, session: Session, mentor: Mentor, case_id: int, now: dt.datetime | None = None) -> List[Outgoing]:
        """First claim wins: one conditional UPDATE, atomic on SQLite and PostgreSQL alike. The caller commits."""
        case = session.get(Handoff, case_id)
        if case is None:
            return [mentor_out(mentor, m.M_ALREADY_TAKEN, case=case_id)]
        if not mentor.active or not mentor.serves(case.language, case.country):
            return [mentor_out(mentor, m.M_NOT_ALLOWED)]
        if case.status != "waiting":
            return [mentor_out(mentor, m.M_ALREADY_TAKEN, case=case_id)]
        if self.load(session, mentor) >= mentor.max_cases and not case.urgent:
            return [mentor_out(mentor, m.M_AT_CAPACITY, cap=mentor.max_cases)]
        won = session.execute(
            update(Handoff).where(Handoff.id == case_id, Handoff.status == "waiting")
            .values(status="claimed", mentor_id=mentor.id, claimed_at=now or utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount == 1  # a second UPDATE on PostgreSQL waits for the first one's row lock, then matches nothing
        if not won:
            return [mentor_out(mentor, m.M_ALREADY_TAKEN, case=case_id)]
        session.refresh(case)
        mentor.current_case_id = case.id
        person = case.person
        logger.info("hand-off %s claimed by mentor %s", case.id, mentor.id)
        out = [mentor_out(mentor, m.M_CLAIMED, case=case.id, person=person_label(person)),
               mentor_out(mentor, m.M_REQUEST, **matching.request_values(case, mentor))]
        waiting = [entry for entry in case.relayed if entry.sender == "person" and not entry.delivered]
        if waiting:
            out.append(mentor_out(mentor, m.M_LEFT_WHILE_WAITING, case=case.id))
            out += relay.relay_to_mentor(case, mentor, waiting)
        out.append(person_out(person, case.language, m.MENTOR_JOINED, name=mentor.name))
        return out + self._retract(session, case, mentor)

    def _retract(self, session: Session, case: Handoff, winner: Mentor | None) -> List[Outgoing]:
        """Change every notification of the case to "taken" (or "closed"), so nobody presses Claim in vain."""
        out = []
        for notification in list(case.notifications):
            other = session.get(Mentor, notification.mentor_id)
            if other is None or notification.message_id is None:
                continue
            if winner is None:
                text = translate(other.ui_language, m.M_ALREADY_TAKEN, {"case": case.id})
            elif other.id == winner.id:
                text = translate(other.ui_language, m.M_TAKEN_BY_YOU, {"case": case.id})
            else:
                text = translate(other.ui_language, m.M_TAKEN, {"case": case.id, "name": winner.name})
            out.append(Outgoing(notification.chat_id, text, edit_message_id=notification.message_id))
            session.delete(notification)
        return out

    def from_mentor(self, session: Session, mentor: Mentor, incoming: Incoming) -> List[Outgoing]:
        """A mentor's command, or a message for the person on their current case."""
        if incoming.kind == "command":
            return self._mentor_command(session, mentor, incoming.text.strip())
        case = self._current(session, mentor)
        if case is None:
            return [mentor_out(mentor, m.M_NO_CASE)]
        return relay.from_mentor(session, mentor, case, incoming)

    def _current(self, session: Session, mentor: Mentor) -> Handoff | None:
        case = session.get(Handoff, mentor.current_case_id) if mentor.current_case_id else None
        if case is not None and case.mentor_id == mentor.id and case.status == "claimed":
            return case
        case = session.scalar(
            select(Handoff).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed").order_by(Handoff.claimed_at.desc())
        )
        mentor.current_case_id = case.id if case else None
        return case

    def mentor_press(self, session: Session, mentor: Mentor, data: str) -> List[Outgoing]:
        kind, _, value = data.partition(":")
        if not value.isdigit():
            return [mentor_out(mentor, m.M_HELP)]
        if kind == "mc":
            return self.claim(session, mentor, int(value))
        if kind == "ms":
            case = session.get(Handoff, int(value))
            if case is None or case.mentor_id != mentor.id or case.status != "claimed":
                return [mentor_out(mentor, m.M_CASE_HIDDEN)]
            mentor.current_case_id = case.id
            return [mentor_out(mentor, m.M_SWITCHED, case=case.id)]
        return [mentor_out(mentor, m.M_HELP)]

    def _mentor_command(self, session: Session, mentor: Mentor, text: str) -> List[Outgoing]:
        command, _, argument = text.partition(" ")
        command = command.split("@")[0].lstrip("/").lower()
        argument = argument.strip()
        if command == "duty":
            return self.duty(session, mentor, {"on": True, "off": False}.get(argument.lower(), not mentor.on_duty))
        if command == "queue":
            return self.queue(session, mentor)
        if command == "languages":
            codes = [code.strip().lower() for code in argument.replace(" ", ",").split(",") if code.strip()]
            if codes and all(code in content.languages() for code in codes):
                mentor.languages = ",".join(dict.fromkeys(codes))
            return [mentor_out(mentor, m.M_LANGUAGES, languages=language_names(mentor),
                               example=mentor.languages, codes=", ".join(content.languages()))]
        if command == "cases":
            cases = session.scalars(select(Handoff).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed")).all()
            if not cases:
                return [mentor_out(mentor, m.M_NO_CASE)]
            return [mentor_out(mentor, m.M_CASES, [(f"#{c.id} {person_label(c.person)}", f"ms:{c.id}") for c in cases])]
        if command == "case":
            case = session.get(Handoff, int(argument)) if argument.isdigit() else None
            if case is None or not (mentor.is_supervisor or case.mentor_id == mentor.id):
                return [mentor_out(mentor, m.M_CASE_HIDDEN)]
            return [self._case_view(case, mentor)]
        if command in ("end", "handover", "note", "flag"):
            case = self._current(session, mentor)
            if case is None:
                return [mentor_out(mentor, m.M_NO_CASE)]
            if command == "end":
                return self._close(session, case) + [mentor_out(mentor, m.M_ENDED, case=case.id)]
            if command == "handover":
                return self.handover(session, case, mentor)
            if command == "note":
                if not argument:
                    return [mentor_out(mentor, m.M_NOTE_EMPTY)]
                session.add(CaseNote(handoff_id=case.id, mentor_id=mentor.id, text=argument))
                return [mentor_out(mentor, m.M_NOTE_SAVED, case=case.id)]
            case.flagged = True
            return [mentor_out(mentor, m.M_FLAGGED, case=case.id)] + matching.tell_supervisors(session, case, exclude={mentor.id}, by=mentor)
        if command == "start" and not argument:
            role = translate(mentor.ui_language, m.M_ROLE_SUPERVISOR if mentor.is_supervisor else m.M_ROLE_MENTOR)
            return [mentor_out(mentor, m.M_WELCOME, name=mentor.name, role=role, languages=language_names(mentor))]
        return [mentor_out(mentor, m.M_HELP)]

    def duty(self, session: Session, mentor: Mentor, on: bool) -> List[Outgoing]:
        mentor.on_duty = on
        if not on:
            return [mentor_out(mentor, m.M_DUTY_OFF)]
        out = [mentor_out(mentor, m.M_DUTY_ON, languages=language_names(mentor), cap=mentor.max_cases)]
        # requests left while nobody was on duty reach the first mentor who comes
        waiting = session.scalars(select(Handoff).where(Handoff.status == "waiting").order_by(Handoff.id)).all()
        for case in waiting:
            if mentor.serves(case.language, case.country) and (case.urgent or not mentor.is_supervisor):
                out.append(matching.notice(session, case, mentor))
        return out

    def queue(self, session: Session, mentor: Mentor) -> List[Outgoing]:
        waiting = [
            case for case in session.scalars(select(Handoff).where(Handoff.status == "waiting").order_by(Handoff.id))
            if mentor.serves(case.language, case.country)
        ]
        if not waiting:
            return [mentor_out(mentor, m.M_QUEUE_EMPTY)]
        return [mentor_out(mentor, m.M_QUEUE)] + [matching.notice(session, case, mentor) for case in waiting]

    def handover(self, session: Session, case: Handoff, mentor: Mentor) -> List[Outgoing]:
        """Back to the queue; every other mentor who can take it is notified, and the person is told."""
        case.status, case.mentor_id, case.claimed_at = "waiting", None, None
        mentor.current_case_id = None
        session.flush()
        out = [mentor_out(mentor, m.M_HANDED_OVER, case=case.id), person_out(case.person, case.language, m.HANDED_OVER)]
        return out + self.notify(session, case, exclude={mentor.id})

    def deactivate(self, session: Session, mentor: Mentor) -> List[Outgoing]:
        """Remove a mentor's access; their open chats go back to the queue (the people are told)."""
        mentor.active, mentor.on_duty = False, False
        out: List[Outgoing] = []
        for case in session.scalars(select(Handoff).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed")).all():
            out += self.handover(session, case, mentor)[1:]
        return out

    def _close(self, session: Session, case: Handoff) -> List[Outgoing]:
        """Close a claimed case; the person gets the rating question. The front end resumes the paused Rasa conversation
        by itself: the closed case in the database says so."""
        case.status, case.closed_at = "closed", utcnow()
        if case.mentor is not None and case.mentor.current_case_id == case.id:
            case.mentor.current_case_id = None
        person, lang = case.person, case.language
        stars = [(str(n), f"g:{case.id}:{n}") for n in range(1, 6)]
        logger.info("hand-off %s closed", case.id)
        return [person_out(person, lang, m.CHAT_ENDED), person_out(person, lang, m.RATE, stars)]

    def _case_view(self, case: Handoff, mentor: Mentor) -> Outgoing:
        lines = [translate(mentor.ui_language, m.M_REQUEST, matching.request_values(case, mentor)), "",
                 translate(mentor.ui_language, m.M_NOTES, {"case": case.id})]
        lines += [f"– {note.created_at:%Y-%m-%d %H:%M}: {note.text}" for note in case.notes]
        return Outgoing(mentor.chat_id, "\n".join(lines), rtl=content.languages()[mentor.ui_language].rtl)

    # --- jobs -----------------------------------------------------------------------------------------------------
    def check_waiting(self, session: Session, now: dt.datetime | None = None) -> List[Outgoing]:
        """People waiting longer than the timeout hear honestly that nobody is free, once."""
        now = now or utcnow()
        cases = session.scalars(
            select(Handoff).where(Handoff.status == "waiting", Handoff.told_no_mentor_at.is_(None),
                                  Handoff.created_at < now - self.settings.timeout)
        ).all()
        out = []
        for case in cases:  # with several bot instances each runs this job: one UPDATE decides who tells
            told = session.execute(
                update(Handoff).where(Handoff.id == case.id, Handoff.told_no_mentor_at.is_(None))
                .values(told_no_mentor_at=now).execution_options(synchronize_session=False)
            ).rowcount
            if told:
                out.append(self.no_mentor(case.person, case.language, now))
        return out

