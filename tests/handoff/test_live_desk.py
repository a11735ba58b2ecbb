"""What the supervisors' live desk is made of, without the web admin: the figures (waiting for an answer, chat hours
this week), the overview, reassigning and taking over a case, flags and their answers. SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.exchange import Incoming
from bot.handoff import figures, flags, reassign, workload
from common.db import make_engine, session_factory
from common.db.models import DutyPeriod, Handoff, Mentor, RelayMessage, StaffUser
from common.i18n import translate
from common.strings import mentor as m
from tests.handoff.test_desk import NOW, chats, make_desk, mentor, person

ZONE = ZoneInfo("Europe/Copenhagen")
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


def open_case(session, desk, who: Mentor, chat: int, lang: str, reason: str = "request", created: dt.datetime = NOW) -> Handoff:
    desk.request(session, person(session, chat, lang), lang, reason, now=created)
    case = session.scalar(select(Handoff).where(Handoff.status == "waiting").order_by(Handoff.id.desc()))
    case.created_at = created
    if who is not None:
        desk.claim(session, who, case.id, now=created)
    session.flush()
    return case


def said(session, case: Handoff, sender: str, at: dt.datetime, text: str = "…") -> None:
    session.add(RelayMessage(handoff_id=case.id, sender=sender, kind="text", text=text, created_at=at))
    session.flush()


# --- figures -------------------------------------------------------------------------------------------------------
def test_a_person_waits_for_an_answer_from_their_oldest_message_since_the_mentors_last_one(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 901, "ar", max_cases=5)
        waiting, answered, silent = (open_case(session, desk, amal, 40 + n, "ar") for n in range(3))
        said(session, waiting, "person", NOW + 1 * MINUTE)
        said(session, waiting, "mentor", NOW + 2 * MINUTE)
        said(session, waiting, "person", NOW + 5 * MINUTE)  # unanswered since here
        said(session, waiting, "person", NOW + 9 * MINUTE)
        said(session, answered, "person", NOW + 1 * MINUTE)
        said(session, answered, "mentor", NOW + 3 * MINUTE)
        since = figures.unanswered_since(session, [waiting.id, answered.id, silent.id])
        assert since == {waiting.id: NOW + 5 * MINUTE}
        assert figures.unanswered_since(session, []) == {}


def test_chat_hours_count_this_week_in_the_programmes_time_zone_and_overlaps_once(sessions):
    desk = make_desk()
    now = dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.timezone.utc)  # Wednesday
    monday = dt.datetime(2026, 11, 23, 0, 0, tzinfo=ZONE)  # Sunday 23:00 UTC
    assert figures.week_start(now, ZONE) == monday
    monday = monday.astimezone(dt.timezone.utc)  # the product stores UTC (SQLite keeps wall times)
    with sessions.begin() as session:
        amal, idle = mentor(session, desk, 911, "fa", max_cases=5), mentor(session, desk, 912, "fa")
        last_week = open_case(session, desk, amal, 50, "fa", created=monday - dt.timedelta(hours=2))
        last_week.closed_at, last_week.status = monday + dt.timedelta(hours=1), "closed"  # 1 h of it this week
        first = open_case(session, desk, amal, 51, "fa", created=now - dt.timedelta(hours=3))
        first.closed_at, first.status = now - dt.timedelta(hours=1), "closed"
        open_case(session, desk, amal, 52, "fa", created=now - dt.timedelta(hours=2))  # overlaps: 2 h to now, not 3
        session.flush()
        assert figures.chat_hours_this_week(session, [amal.id, idle.id], now, ZONE) == pytest.approx({amal.id: 4.0, idle.id: 0.0})
    assert figures.merged_hours([]) == 0
    assert figures.merged_hours([(now, now + MINUTE * 30), (now + MINUTE * 10, now + MINUTE * 20)]) == 0.5


# --- the overview --------------------------------------------------------------------------------------------------
def test_the_desk_lists_the_queue_as_mentors_see_it_open_chats_flags_and_who_is_on_duty(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 921, "ar", max_cases=2)
        mentor(session, desk, 922, "ar", on_duty=False)
        chat = open_case(session, desk, amal, 60, "ar", created=NOW - 30 * MINUTE)
        said(session, chat, "person", NOW - 4 * MINUTE)
        desk.from_mentor(session, amal, Incoming(1, 921, 921, "command", "/flag please look at this"))
        chat.flagged_at = NOW - 6 * MINUTE
        for n, reason in enumerate(("request", "thoughts", "distress", "crisis")):
            open_case(session, desk, None, 61 + n, "ar", reason, created=NOW - (20 - n) * MINUTE)

        view = desk.view(session, NOW)

        later = mentor(session, desk, 923, "ar")  # what a mentor's /queue shows, in the same order
        queued = [int(o.buttons[0][1][3:]) for o in desk.queue(session, later) if o.buttons]
        assert [line.id for line in view.waiting] == queued
        assert [line.risk for line in view.waiting] == [2, 1, 0, 0]  # crisis, thoughts, then by waiting time
        assert [line.since for line in view.waiting][2:] == [20 * MINUTE, 18 * MINUTE]
        assert [(entry.name, [c.case.id for c in entry.chats]) for entry in view.chats] == [(amal.name, [chat.id])]
        assert view.chats[0].chats[0].unanswered == 4 * MINUTE and view.chats[0].chats[0].flagged
        assert [(f.case.id, f.waited, f.asked_by, f.status) for f in view.flags] == [(chat.id, 6 * MINUTE, amal.name, "claimed")]
        assert [(d.name, d.load, d.cap) for d in view.on_duty] == [(amal.name, 1, 2)]
        assert view.on_duty[0].hours_this_week == pytest.approx(0.5)


def test_the_desk_shows_each_mentors_hours_on_duty_this_week_as_me_and_the_weekly_limit_count_them(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 926, "fa")
        session.add(DutyPeriod(mentor_id=amal.id, started_at=NOW - dt.timedelta(hours=3), ended_at=NOW - dt.timedelta(hours=1)))
        session.add(DutyPeriod(mentor_id=amal.id, started_at=NOW - 30 * MINUTE))  # on duty now
        session.flush()

        view = desk.view(session, NOW)

        assert [d.duty_hours_this_week for d in view.on_duty if d.mentor_id == amal.id] == [pytest.approx(2.5)]
        assert workload.weekly_hours(session, amal, NOW, ZONE) == dt.timedelta(hours=2.5)


# --- reassigning ---------------------------------------------------------------------------------------------------
def test_a_supervisor_moves_an_open_chat_both_mentors_and_the_person_are_told(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 931, "so")
        busy = mentor(session, desk, 932, "so")
        elsewhere = open_case(session, desk, busy, 70, "so")
        case = open_case(session, desk, amal, 71, "so")
        desk.from_person(session, case.person, "so", case, Incoming(1, 71, 71, "text", "ma joogtaa?"))
        assert [who.id for who, _ in desk.eligible(session, case)] == [busy.id]  # not its own mentor

        out = desk.reassign(session, case, busy)

        assert case.mentor_id == busy.id and case.status == "claimed"
        assert amal.current_case_id is None and busy.current_case_id == elsewhere.id  # not switched away
        to_old = [o.text for o in out if o.chat_id == amal.chat_id]
        assert to_old == [translate("en", m.M_REASSIGNED_AWAY, {"case": case.id, "name": busy.name})]
        to_new = [o for o in out if o.chat_id == busy.chat_id]
        assert to_new[0].text.startswith(f"A supervisor has passed chat #{case.id}") and to_new[0].buttons == [(f"#{case.id}", f"ms:{case.id}")]
        assert any(f"#{case.id}" in o.text and "so" in o.text.lower() for o in to_new[1:])  # the request's summary
        to_person = [o.text for o in out if o.chat_id == 71]
        first = busy.name.split()[0]
        assert to_person == [translate("so", m.MENTOR_CHANGED, {"name": first})] and busy.name not in to_person[0]


def test_a_waiting_request_given_to_a_mentor_is_theirs_and_the_other_notices_say_taken(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        tigrinya = mentor(session, desk, 941, "ti")
        out = desk.request(session, person(session, 80, "ti"), "ti", "request", now=NOW)
        for n, notice in enumerate(o for o in out if o.notification_id):
            desk.record_notification(session, notice.notification_id, 5000 + n)
        case = session.scalar(select(Handoff))
        desk.from_person(session, case.person, "ti", case, Incoming(2, 80, 80, "text", "ሰላም"))
        off_duty = mentor(session, desk, 942, "ti", on_duty=False)

        out = desk.reassign(session, case, off_duty)

        assert case.mentor_id == off_duty.id and off_duty.current_case_id == case.id
        assert any(o.chat_id == off_duty.chat_id and o.text.endswith("ሰላም") for o in out)  # kept while waiting
        edits = [o for o in out if o.edit_message_id]
        assert [(o.chat_id, o.text) for o in edits] == [(tigrinya.chat_id, translate("en", m.M_TAKEN, {"case": case.id, "name": off_duty.name}))]
        assert [o.text for o in out if o.chat_id == 80] == [translate("ti", m.MENTOR_JOINED, {"name": off_duty.name.split()[0]})]


def test_a_case_goes_only_to_an_active_mentor_who_serves_it_and_not_when_it_changed_meanwhile(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        russian, arabic = mentor(session, desk, 951, "ru"), mentor(session, desk, 952, "ar")
        gone = mentor(session, desk, 953, "ru")
        gone.active = False
        case = open_case(session, desk, None, 90, "ru")
        for to, problem in ((arabic, "does not take ru requests in DK"), (gone, "deactivated")):
            with pytest.raises(reassign.NotPossible, match=problem):
                desk.reassign(session, case, to)
        desk.claim(session, russian, case.id)
        with pytest.raises(reassign.NotPossible, match="already"):
            desk.reassign(session, case, russian)
        case.status = "closed"
        with pytest.raises(reassign.NotPossible, match="closed"):
            desk.reassign(session, case, arabic)


def test_a_claim_at_the_moment_of_a_reassignment_is_never_overwritten(database_url):
    """The supervisor loaded the case while it waited; a mentor claims it before the supervisor's move lands."""
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    desk = make_desk()
    with sessions.begin() as session:
        claimer, other = mentor(session, desk, 961, "uk").id, mentor(session, desk, 962, "uk").id
        case_id = open_case(session, desk, None, 91, "uk").id
    supervisor_view = sessions()
    seen = supervisor_view.get(Handoff, case_id)
    assert seen.status == "waiting"
    claimed = threading.Thread(target=lambda: _claim(sessions, desk, claimer, case_id))
    claimed.start()
    claimed.join()
    with pytest.raises(reassign.NotPossible, match="changed meanwhile"):
        desk.reassign(supervisor_view, seen, supervisor_view.get(Mentor, other))
    supervisor_view.rollback()
    supervisor_view.close()
    with sessions() as session:
        assert session.get(Handoff, case_id).mentor_id == claimer
    engine.dispose()


def _claim(sessions, desk, mentor_id: int, case_id: int) -> None:
    with sessions.begin() as session:
        desk.claim(session, session.get(Mentor, mentor_id), case_id)


def test_taking_over_needs_the_staff_members_own_telegram_supervisor_account(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 971, "de")
        own = mentor(session, desk, 972, "en", supervisor=True, on_duty=False)
        case = open_case(session, desk, amal, 92, "de")
        staff = StaffUser(username="sam", password_hash="x", role="supervisor")
        session.add(staff)
        session.flush()
        with pytest.raises(reassign.NotPossible, match="not linked"):
            desk.take_over(session, case, staff)
        staff.mentor_id = amal.id  # a mentor account, not a supervisor's
        with pytest.raises(reassign.NotPossible, match="not linked"):
            desk.take_over(session, case, staff)
        staff.mentor_id = own.id
        out = desk.take_over(session, case, staff)
        assert case.mentor_id == own.id and own.chat_id in chats(out) and amal.chat_id in chats(out)


# --- flags -----------------------------------------------------------------------------------------------------------
def test_a_flag_records_when_and_who_and_its_answer_reaches_the_mentor_once(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 981, "tr")
        supervisor = mentor(session, desk, 982, "en", supervisor=True)
        case = open_case(session, desk, amal, 93, "tr")
        out = desk.from_mentor(session, amal, Incoming(1, 981, 981, "command", "/flag is this a crisis?"))
        assert out[0].text == translate("en", m.M_FLAGGED, {"case": case.id})
        notice = [o.text for o in out if o.chat_id == supervisor.chat_id]
        assert notice == [translate("en", m.M_FLAG_NOTICE, {"name": amal.name, "case": case.id}) + "\n“is this a crisis?”"]
        assert (case.flagged, case.flagged_by_id, case.flag_note) == (True, amal.id, "is this a crisis?")
        assert case.flagged_at is not None

        answer = desk.answer_flag(session, case, "Sam", "Yes: give the numbers again and stay with them.", now=NOW)

        assert [(o.chat_id, o.text) for o in answer] == [(amal.chat_id, translate("en", m.M_FLAG_ANSWER, {
            "name": "Sam", "case": case.id, "text": "Yes: give the numbers again and stay with them."}))]
        assert (case.flagged, case.flag_answered_by) == (False, "Sam") and case.flag_answered_at is not None
        with pytest.raises(flags.NotPossible, match="no open flag"):
            desk.answer_flag(session, case, "Eva", "me too")
        desk.from_mentor(session, amal, Incoming(2, 981, 981, "command", "/flag"))  # flagged again, without words
        assert case.flagged and case.flag_note is None and case.flag_answered_at is None
        with pytest.raises(flags.NotPossible, match="Write the answer"):
            desk.answer_flag(session, case, "Sam", "   ")
