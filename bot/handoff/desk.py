"""The hand-off desk: requests, matching by language, atomic claims, the relay, and the mentor's tools.

Plain functions over the database (tests call them without Telegram). The hand-off state in the product database
is the source of truth: while a case is open the person's messages go to the mentor (or wait for one), never to
Rasa, whose conversation is paused. Neither side ever sees the other's Telegram account: everything goes through
the bot, media by `copyMessage` (which carries no sender).

Each concept has its module in this package: `invites` (invites, registration), `requests` (the person's side,
the "nobody free" job), `matching` (who is notified, and the notice), `claims` (claim, handover, deactivate,
close), `relay` (messages both ways), `mentor_commands` (what a mentor sends and presses), `hours` (opening
hours), `replies` (messages to either side), and the care for people and mentors: `unanswered` (reminder and
release when a reply does not come), `workload` (weekly hours and cases, the weekly limit), `debrief` (after an
urgent chat), `guide` (the boundaries guide before the first duty), `saved_replies` and `kb_answers` (answers a
mentor sends); for the supervisors' live desk in the web admin: `overview` (what it shows), `figures` (waiting for
an answer, chat hours this week), `reassign` (move or take over a case), `flags` (/flag and its answer).
`Desk` is the one entry point the front end, the admin, the CLI and
the tests call: it holds the settings and hands each call to its module.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, List, Sequence

from sqlalchemy.orm import Session

from bot.exchange import Incoming, Outgoing
from bot.handoff import claims, flags, invites, matching, mentor_commands, overview, reassign, relay, requests, unanswered, workload
from bot.handoff.hours import OpeningHours
from common.db.models import Handoff, Invite, Mentor, Person

__all__ = ["Desk", "DeskSettings"]


@dataclass
class DeskSettings:
    pseudonym_key: str
    hours: OpeningHours
    timeout: dt.timedelta = dt.timedelta(minutes=5)
    invite_days: int = 7
    reply_alert: dt.timedelta = dt.timedelta(minutes=30)  # MENTOR_REPLY_ALERT (mentor hours)
    reply_release: dt.timedelta = dt.timedelta(hours=2)  # MENTOR_REPLY_RELEASE (mentor hours)
    weekly_limit_hours: float = 10.0  # MENTOR_WEEKLY_LIMIT_HOURS


class Desk:
    @classmethod
    def from_settings(cls, settings: Any) -> Desk:
        """From the product's settings (bot.config.Settings)."""
        return cls(DeskSettings(
            pseudonym_key=settings.pseudonym_key,
            hours=OpeningHours.parse(settings.mentor_hours, settings.mentor_timezone),
            timeout=dt.timedelta(seconds=settings.handoff_timeout),
            invite_days=settings.invite_days,
            reply_alert=dt.timedelta(seconds=settings.mentor_reply_alert),
            reply_release=dt.timedelta(seconds=settings.mentor_reply_release),
            weekly_limit_hours=settings.mentor_weekly_limit_hours,
        ))

    def __init__(self, settings: DeskSettings) -> None:
        self.settings = settings

    # --- lookups ------------------------------------------------------------------------------------------------
    def mentor_of(self, session: Session, user_id: int) -> Mentor | None:
        return invites.mentor_of(session, self.settings.pseudonym_key, user_id)

    open_case = staticmethod(requests.open_case)
    load = staticmethod(matching.load)

    # --- invites and registration -----------------------------------------------------------------------------
    def create_invite(
        self, session: Session, name: str, languages: Iterable[str], countries: Iterable[str] = (),
        supervisor: bool = False, max_cases: int = 3, now: dt.datetime | None = None,
    ) -> Invite:
        return invites.create_invite(session, self.settings.invite_days, name, languages, countries, supervisor, max_cases, now)

    def register(self, session: Session, incoming: Incoming, code: str) -> List[Outgoing] | None:
        return invites.register(session, self.settings.pseudonym_key, incoming, code)

    # --- the person's side ----------------------------------------------------------------------------------------
    def request(
        self, session: Session, person: Person, lang: str, reason: str, topics: Sequence[str] = (),
        summary: Sequence[str] = (), now: dt.datetime | None = None,
    ) -> List[Outgoing]:
        return requests.request(session, self.settings.hours, person, lang, reason, topics, summary, now)

    escalate = staticmethod(requests.escalate)
    from_person = staticmethod(relay.from_person)
    end_by_person = staticmethod(requests.end_by_person)
    rate = staticmethod(requests.rate)

    def no_mentor(self, person: Person, lang: str, now: dt.datetime) -> Outgoing:
        return requests.no_mentor(self.settings.hours, person, lang, now)

    # --- matching ---------------------------------------------------------------------------------------------------
    candidates = staticmethod(matching.candidates)
    notify = staticmethod(matching.notify)
    summary = staticmethod(matching.summary)
    record_notification = staticmethod(matching.record_notification)

    # --- the mentor's side ------------------------------------------------------------------------------------------
    claim = staticmethod(claims.claim)

    def from_mentor(self, session: Session, mentor: Mentor, incoming: Incoming, now: dt.datetime | None = None) -> List[Outgoing]:
        return mentor_commands.from_mentor(session, mentor, incoming, self.settings.hours.zone,
                                           self.settings.weekly_limit_hours, now)

    mentor_press = staticmethod(mentor_commands.mentor_press)
    duty = staticmethod(mentor_commands.duty)
    queue = staticmethod(mentor_commands.queue)
    handover = staticmethod(claims.handover)
    deactivate = staticmethod(claims.deactivate)

    # --- the supervisors' live desk (web admin) -----------------------------------------------------------------
    def view(self, session: Session, now: dt.datetime) -> overview.DeskView:
        return overview.desk_view(session, now, self.settings.hours.zone)

    eligible = staticmethod(reassign.eligible)
    take_over = staticmethod(reassign.take_over)
    reassign = staticmethod(reassign.reassign)  # last: the name is the module's until here
    answer_flag = staticmethod(flags.answer)

    # --- jobs -----------------------------------------------------------------------------------------------------
    def check_waiting(self, session: Session, now: dt.datetime | None = None) -> List[Outgoing]:
        return requests.check_waiting(session, self.settings.hours, self.settings.timeout, now)

    def check_unanswered(self, session: Session, now: dt.datetime | None = None) -> List[Outgoing]:
        """Remind mentors of unanswered messages, give chats back to the queue (MENTOR_REPLY_ALERT/_RELEASE)."""
        return unanswered.check_unanswered(session, self.settings.hours, self.settings.reply_alert,
                                           self.settings.reply_release, now)

    def check_limits(self, session: Session, now: dt.datetime | None = None) -> List[Outgoing]:
        """The kind note to mentors over MENTOR_WEEKLY_LIMIT_HOURS, once a week; supervisors are told."""
        return workload.check_limits(session, self.settings.hours.zone, self.settings.weekly_limit_hours, now)

    def check_mentors(self, session: Session, now: dt.datetime | None = None) -> List[Outgoing]:
        """The care job: both checks above, in the caller's transaction (their messages go to the outbox)."""
        return self.check_unanswered(session, now) + self.check_limits(session, now)

    # --- care: what the supervisors' desk shows ------------------------------------------------------------------------
    def unanswered_for(self, session: Session, case: Handoff, now: dt.datetime) -> dt.timedelta:
        """How long the person on a claimed case has waited for a reply (mentor hours only)."""
        return unanswered.waited(session, case, self.settings.hours, now)

    unanswered_since = staticmethod(unanswered.unanswered_since)

    def weekly_hours(self, session: Session, mentor: Mentor, now: dt.datetime) -> dt.timedelta:
        return workload.weekly_hours(session, mentor, now, self.settings.hours.zone)

    def team(self, session: Session, now: dt.datetime) -> List[workload.Week]:
        """Every active mentor's hours and chats this week, and who is over the limit."""
        return workload.team(session, now, self.settings.hours.zone, self.settings.weekly_limit_hours)
