"""The mentor's side: what a mentor sends (a command, or a message relayed to the person on their current case) and
presses (Claim, switch case, accept the guide, debrief, send a saved reply). Commands: /duty [on|off], /queue,
/languages <codes>, /cases, /case <id>, /end, /handover, /note <text>, /flag [text], /start, /me, /team
(supervisors), /r [NAME], /kb WORDS, /remind CASE DATE TIME TEXT."""
from __future__ import annotations

import datetime as dt
from typing import List
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.appointments import mentor as appointments_mentor
from bot.exchange import Incoming, Outgoing
from bot.handoff import debrief, flags, guide, kb_answers, relay, saved_replies, workload
from bot.handoff.claims import claim, close, current, handover
from bot.handoff.invites import welcome
from bot.handoff.matching import by_risk, notice, request_values
from bot.handoff.replies import language_names, mentor_out, mentor_text, person_label
from common import content
from common.db.models import CaseNote, Handoff, Mentor, utcnow
from common.i18n import translate
from common.strings import mentor as m

UTC = ZoneInfo("UTC")
WEEKLY_LIMIT_HOURS = 10.0


def from_mentor(session: Session, mentor: Mentor, incoming: Incoming, zone: ZoneInfo = UTC,
                limit_hours: float = WEEKLY_LIMIT_HOURS, now: dt.datetime | None = None) -> List[Outgoing]:
    """A mentor's command, or a message for the person on their current case. `zone` and `limit_hours` are the
    programme's time zone and weekly limit (for /me and /team)."""
    if incoming.kind == "command":
        return command(session, mentor, incoming.text.strip(), zone, limit_hours, now)
    case = current(session, mentor)
    if case is None:
        return [mentor_out(mentor, m.M_NO_CASE)]
    return relay.from_mentor(session, mentor, case, incoming, now)


def mentor_press(session: Session, mentor: Mentor, data: str, now: dt.datetime | None = None) -> List[Outgoing]:
    kind, _, value = data.partition(":")
    if kind == "mr":
        return saved_replies.send(session, mentor, value, now)
    if kind == "mk":
        return kb_answers.send(session, mentor, value, now)
    if not value.isdigit():
        return [mentor_out(mentor, m.M_HELP)]
    if kind == "mx":
        return [mentor_out(mentor, m.M_NOT_SENT)]
    if kind == "md":
        return debrief.ask(session, mentor, int(value), now)
    if kind == "mg":
        return guide.accept(session, mentor, int(value), now) or [mentor_out(mentor, m.M_GUIDE_ACCEPTED)] + duty(
            session, mentor, True, now)
    if kind == "mc":
        return claim(session, mentor, int(value))
    if kind == "ms":
        case = session.get(Handoff, int(value))
        if case is None or case.mentor_id != mentor.id or case.status != "claimed":
            return [mentor_out(mentor, m.M_CASE_HIDDEN)]
        mentor.current_case_id = case.id
        return [mentor_out(mentor, m.M_SWITCHED, case=case.id)]
    return [mentor_out(mentor, m.M_HELP)]


def command(session: Session, mentor: Mentor, text: str, zone: ZoneInfo = UTC, limit_hours: float = WEEKLY_LIMIT_HOURS,
            now: dt.datetime | None = None) -> List[Outgoing]:
    name, _, argument = text.partition(" ")
    name = name.split("@")[0].lstrip("/").lower()
    argument = argument.strip()
    if name == "duty":
        return duty(session, mentor, {"on": True, "off": False}.get(argument.lower(), not mentor.on_duty), now)
    if name == "me":
        return [workload.me(session, mentor, now or utcnow(), zone, limit_hours)]
    if name == "team" and mentor.is_supervisor:
        return [workload.team_view(session, mentor, now or utcnow(), zone, limit_hours)]
    if name == "r":
        return saved_replies.command(session, mentor, argument)
    if name == "kb":
        return kb_answers.command(session, mentor, argument)
    if name == "queue":
        return queue(session, mentor)
    if name == "languages":
        codes = [code.strip().lower() for code in argument.replace(" ", ",").split(",") if code.strip()]
        if codes and all(code in content.languages() for code in codes):
            mentor.languages = ",".join(dict.fromkeys(codes))
        return [mentor_out(mentor, m.M_LANGUAGES, languages=language_names(mentor),
                           example=mentor.languages, codes=", ".join(content.languages()))]
    if name == "cases":
        cases = session.scalars(select(Handoff).where(Handoff.mentor_id == mentor.id, Handoff.status == "claimed")).all()
        if not cases:
            return [mentor_out(mentor, m.M_NO_CASE)]
        return [mentor_out(mentor, m.M_CASES, [(f"#{c.id} {person_label(c.person)}", f"ms:{c.id}") for c in cases])]
    if name == "case":
        case = session.get(Handoff, int(argument)) if argument.isdigit() else None
        if case is None or not (mentor.is_supervisor or case.mentor_id == mentor.id):
            return [mentor_out(mentor, m.M_CASE_HIDDEN)]
        return [case_view(case, mentor)]
    if name in ("end", "handover", "note", "flag"):
        case = current(session, mentor)
        if case is None:
            return [mentor_out(mentor, m.M_NO_CASE)]
        if name == "end":
            return close(session, case, by_mentor=True)
        if name == "handover":
            return handover(session, case, mentor)
        if name == "note":
            if not argument:
                return [mentor_out(mentor, m.M_NOTE_EMPTY)]
            session.add(CaseNote(handoff_id=case.id, mentor_id=mentor.id, text=argument))
            return [mentor_out(mentor, m.M_NOTE_SAVED, case=case.id)]
        return flags.flag(session, case, mentor, argument)
    if name == "remind":
        return appointments_mentor.propose(session, mentor, argument, utcnow())
    if name == "start" and not argument:
        return [welcome(mentor)]
    return [help_text(mentor)]


def help_text(mentor: Mentor) -> Outgoing:
    parts = [m.M_HELP, m.M_HELP_CARE] + ([m.M_HELP_SUPERVISOR] if mentor.is_supervisor else [])
    return mentor_text(mentor, "\n".join(translate(mentor.ui_language, part) for part in parts))


def duty(session: Session, mentor: Mentor, on: bool, now: dt.datetime | None = None) -> List[Outgoing]:
    """On or off duty (a duty period for the weekly hours). Going on duty needs the current boundaries guide
    accepted: until then the mentor gets the guide with its button instead."""
    if on and not guide.accepted(session, mentor):
        return [guide.show(session, mentor)]
    if mentor.on_duty != on:
        (workload.start_duty if on else workload.end_duty)(session, mentor, now)
    mentor.on_duty = on
    if not on:
        return [mentor_out(mentor, m.M_DUTY_OFF)]
    out = [mentor_out(mentor, m.M_DUTY_ON, languages=language_names(mentor), cap=mentor.max_cases)]
    # requests left while nobody was on duty reach the first mentor who comes
    waiting = by_risk(session.scalars(select(Handoff).where(Handoff.status == "waiting")).all())
    for case in waiting:
        if mentor.serves(case.language, case.country) and (case.urgent or not mentor.is_supervisor):
            out.append(notice(session, case, mentor))
    return out


def queue(session: Session, mentor: Mentor) -> List[Outgoing]:
    waiting = [  # highest risk first, then who has waited longest
        case for case in by_risk(session.scalars(select(Handoff).where(Handoff.status == "waiting")).all())
        if mentor.serves(case.language, case.country)
    ]
    if not waiting:
        return [mentor_out(mentor, m.M_QUEUE_EMPTY)]
    return [mentor_out(mentor, m.M_QUEUE)] + [notice(session, case, mentor) for case in waiting]


def case_view(case: Handoff, mentor: Mentor) -> Outgoing:
    lines = [translate(mentor.ui_language, m.M_REQUEST, request_values(case, mentor)), "",
             translate(mentor.ui_language, m.M_NOTES, {"case": case.id})]
    lines += [f"– {note.created_at:%Y-%m-%d %H:%M}: {note.text}" for note in case.notes]
    lines += appointments_mentor.listed(case, mentor)
    return Outgoing(mentor.chat_id, "\n".join(lines), rtl=content.languages()[mentor.ui_language].rtl)
