"""Care for people and mentors without Telegram (SQLite and PostgreSQL), with a controlled clock: the reply
reminder and the release back to the queue, counted in mentor hours; weekly hours and the weekly limit; the
debrief after an urgent chat; the boundaries guide before the first duty; saved replies and knowledge-base answers."""
from __future__ import annotations

import datetime as dt
import threading

import numpy as np
from sqlalchemy import select

from bot.exchange import Incoming
from bot.handoff import guide, kb_answers, unanswered, workload
from bot.handoff.desk import Desk, DeskSettings
from bot.handoff.hours import OpeningHours
from common import content, knowledge, retrieval
from common.db import make_engine, session_factory
from common.db.models import GuideText, Handoff, Mentor, RelayMessage, SavedReply
from common.i18n import translate
from common.strings import mentor as m
from tests.handoff.test_desk import chats, person, sessions  # noqa: F401 - sessions: the fixture

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone.utc)  # a Tuesday, 11:00 in Copenhagen
MINUTE = dt.timedelta(minutes=1)
HOURS = "mon-fri 09:00-17:00"


def make_desk(hours: str = HOURS, limit: float = 10.0) -> Desk:
    return Desk(DeskSettings("test-key", OpeningHours.parse(hours), reply_alert=dt.timedelta(minutes=30),
                             reply_release=dt.timedelta(hours=2), weekly_limit_hours=limit))


def mentor(session, desk: Desk, user_id: int, languages: str, supervisor: bool = False, on_duty: bool = True,
           ui: str = "en", accepted: bool = True) -> Mentor:
    invite = desk.create_invite(session, f"Mentor {chr(65 + user_id % 26)}", languages.split(","), supervisor=supervisor,
                                max_cases=5)
    desk.register(session, Incoming(0, user_id, user_id, "command", "", language_hint=ui), invite.code)
    found = desk.mentor_of(session, user_id)
    if accepted:
        guide.accept(session, found, guide.current_version(session))
    found.on_duty = on_duty
    session.flush()
    return found


def claimed_case(session, desk: Desk, who: Mentor, user_id: int, lang: str = "ar", reason: str = "request",
                 at: dt.datetime = NOW) -> Handoff:
    desk.request(session, person(session, user_id, lang), lang, reason, now=at)
    case = session.scalar(select(Handoff).where(Handoff.status == "waiting").order_by(Handoff.id.desc()))
    desk.claim(session, who, case.id, now=at)
    return case


def write(session, desk: Desk, case: Handoff, text: str, at: dt.datetime) -> None:
    desk.from_person(session, case.person, case.language, case, Incoming(0, case.person.chat_id, case.person.chat_id,
                                                                          "text", text), now=at)
    session.flush()


# --- no chat left unanswered ----------------------------------------------------------------------------------------
def test_open_time_between_counts_only_the_mentor_hours():
    hours = OpeningHours.parse(HOURS)
    tuesday_1650 = dt.datetime(2026, 11, 24, 15, 50, tzinfo=dt.timezone.utc)
    assert hours.open_between(tuesday_1650, tuesday_1650 + dt.timedelta(hours=5)) == dt.timedelta(minutes=10)
    assert hours.open_between(tuesday_1650, dt.datetime(2026, 11, 25, 8, 20, tzinfo=dt.timezone.utc)) == 30 * MINUTE
    friday_1600 = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.timezone.utc)
    monday_1000 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
    assert hours.open_between(friday_1600, monday_1000) == 2 * dt.timedelta(hours=1)  # the weekend does not count
    summer = dt.datetime(2026, 3, 27, 15, 0, tzinfo=dt.timezone.utc)  # Friday 16:00 CET; Monday 09:00 is CEST
    assert hours.open_between(summer, dt.datetime(2026, 3, 30, 7, 30, tzinfo=dt.timezone.utc)) == 90 * MINUTE
    assert OpeningHours.parse("").open_between(NOW, NOW + MINUTE) == MINUTE


def test_the_mentor_is_reminded_once_then_the_chat_goes_back_to_the_queue_once(sessions):  # noqa: F811
    desk = make_desk()
    with sessions.begin() as session:
        amal, other = mentor(session, desk, 1101, "ar"), mentor(session, desk, 1102, "ar")
        supervisor = mentor(session, desk, 1103, "da", supervisor=True)
        case = claimed_case(session, desk, amal, 11, reason="thoughts")
        created, case_id = case.created_at, case.id
        write(session, desk, case, "هل أنت هنا؟", NOW + MINUTE)
        assert desk.unanswered_since(session, case) == NOW + MINUTE
        assert desk.check_unanswered(session, NOW + 30 * MINUTE) == []  # 29 minutes
        reminder = desk.check_unanswered(session, NOW + 31 * MINUTE)
        assert chats(reminder) == [amal.chat_id]
        assert reminder[0].text == translate("en", m.M_REPLY_REMINDER, case=case_id, minutes=30)
        assert desk.check_unanswered(session, NOW + 32 * MINUTE) == []  # once
        assert desk.check_unanswered(session, NOW + 120 * MINUTE) == []  # 119 minutes

        released = desk.check_unanswered(session, NOW + 121 * MINUTE)

        to = {o.chat_id: o for o in released if not o.buttons}
        assert to[11].text.startswith(translate("ar", m.RELEASED, numbers="")[:60]) and "70 201 201" in to[11].text
        assert to[amal.chat_id].text == translate("en", m.M_RELEASED, case=case_id, minutes=120)
        assert to[supervisor.chat_id].text == translate("en", m.M_RELEASED_NOTICE, case=case_id, name=amal.name, minutes=120)
        assert [o.chat_id for o in released if o.buttons] == [other.chat_id]  # offered to the others, not to Amal
        session.refresh(case)
        assert case.status == "waiting" and case.mentor_id is None and amal.current_case_id is None
        assert case.created_at == created and case.reason == "thoughts"  # keeps their place and their risk level
        assert desk.check_unanswered(session, NOW + 200 * MINUTE) == []  # once

        joined = desk.claim(session, other, case_id, now=NOW + 130 * MINUTE)
        assert any(o.chat_id == other.chat_id and "هل أنت هنا؟" in o.text for o in joined)  # what waited is delivered


def test_nothing_fires_outside_mentor_hours_and_the_count_resumes_at_the_next_opening(sessions):  # noqa: F811
    desk = make_desk()
    late = dt.datetime(2026, 11, 24, 15, 50, tzinfo=dt.timezone.utc)  # Tuesday 16:50 in Copenhagen
    with sessions.begin() as session:
        amal = mentor(session, desk, 1111, "ar")
        case = claimed_case(session, desk, amal, 12, at=late)
        write(session, desk, case, "مرحبا", late)
        assert desk.check_unanswered(session, dt.datetime(2026, 11, 24, 21, 0, tzinfo=dt.timezone.utc)) == []  # 22:00
        assert desk.check_unanswered(session, dt.datetime(2026, 11, 25, 8, 19, tzinfo=dt.timezone.utc)) == []  # 29 min
        reminded = desk.check_unanswered(session, dt.datetime(2026, 11, 25, 8, 20, tzinfo=dt.timezone.utc))
        assert chats(reminded) == [amal.chat_id]


def test_a_reply_clears_the_reminder_and_the_next_unanswered_message_counts_from_its_own_time(sessions):  # noqa: F811
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 1121, "ar")
        case = claimed_case(session, desk, amal, 13)
        write(session, desk, case, "سؤال", NOW)
        assert chats(desk.check_unanswered(session, NOW + 31 * MINUTE)) == [amal.chat_id]
        desk.from_mentor(session, amal, Incoming(0, 1121, 1121, "text", "أنا هنا"), now=NOW + 40 * MINUTE)
        session.flush()
        assert case.reply_alerted_at is None and desk.unanswered_since(session, case) is None
        assert desk.check_unanswered(session, NOW + 300 * MINUTE) == []  # answered: nothing waits
        write(session, desk, case, "سؤال آخر", NOW + 301 * MINUTE)
        assert desk.check_unanswered(session, NOW + 330 * MINUTE) == []
        assert chats(desk.check_unanswered(session, NOW + 331 * MINUTE)) == [amal.chat_id]


def test_two_instances_checking_at_the_same_moment_remind_once_and_release_once(database_url):
    """Two bot instances run the job in their own threads and connections, released together by a barrier."""
    engine = make_engine(database_url)
    sessions = session_factory(engine)  # noqa: F811 - its own, for two threads
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 1131, "uk")
        mentor(session, desk, 1132, "uk")
        case = claimed_case(session, desk, amal, 14, lang="uk")
        write(session, desk, case, "привіт", NOW)
    for at in (NOW + 31 * MINUTE, NOW + 121 * MINUTE):
        barrier = threading.Barrier(2)
        results: list = []

        def run(at=at, barrier=barrier, results=results) -> None:
            with sessions() as session:
                barrier.wait()
                results.append(desk.check_unanswered(session, at))
                session.commit()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(len(found) > 0 for found in results) == [False, True], results
    with sessions() as session:
        assert session.get(Handoff, case.id).status == "waiting"
    engine.dispose()


# --- weekly hours and the weekly limit ------------------------------------------------------------------------------
def test_weekly_hours_and_cases_from_duty_periods_and_one_kind_note_a_week_over_the_limit(sessions):  # noqa: F811
    desk = make_desk(limit=2)
    monday = dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.timezone.utc)  # Monday 00:00 in Copenhagen
    with sessions.begin() as session:
        amal = mentor(session, desk, 1141, "ar", on_duty=False)
        supervisor = mentor(session, desk, 1142, "en", supervisor=True)
        desk.duty(session, amal, False, now=monday - dt.timedelta(days=1))  # already off: no period
        desk.duty(session, amal, True, now=monday - dt.timedelta(hours=1))  # Sunday night: one hour is last week
        desk.duty(session, amal, False, now=monday + dt.timedelta(hours=2))
        claimed_case(session, desk, amal, 15, at=monday + MINUTE)
        desk.duty(session, amal, True, now=NOW)
        assert desk.weekly_hours(session, amal, NOW + 30 * MINUTE) == dt.timedelta(hours=2, minutes=30)
        me = desk.from_mentor(session, amal, Incoming(0, 1141, 1141, "command", "/me"), now=NOW + 30 * MINUTE)
        assert me[0].text == translate("en", m.M_ME, hours="2.5", cases=1, limit="2", open=1)
        team = desk.from_mentor(session, supervisor, Incoming(0, 1142, 1142, "command", "/team"), now=NOW + 30 * MINUTE)
        assert f"{amal.name}: 2.5 h, 1 – {translate('en', m.M_TEAM_OVER)}" in team[0].text
        assert "/team" not in desk.from_mentor(session, amal, Incoming(0, 1141, 1141, "command", "/team"))[0].text

        assert desk.check_limits(session, NOW - MINUTE) == []  # 1 h 59 min
        noted = desk.check_limits(session, NOW + 2 * MINUTE)
        assert chats(noted) == [amal.chat_id, supervisor.chat_id]
        assert noted[0].text == translate("en", m.M_OVER_LIMIT, hours="2", limit="2")
        assert desk.check_limits(session, NOW + dt.timedelta(hours=5)) == []  # once a week
        assert desk.team(session, NOW + 5 * MINUTE)[0].over_limit
        next_week = NOW + dt.timedelta(days=7)
        assert chats(desk.check_limits(session, next_week)) == [amal.chat_id, supervisor.chat_id]  # on duty all week


# --- debrief ---------------------------------------------------------------------------------------------------------
def test_after_an_urgent_chat_the_mentor_is_offered_a_debrief_and_the_supervisor_on_duty_is_told_once(sessions):  # noqa: F811
    desk = make_desk(hours="")
    with sessions.begin() as session:
        huda = mentor(session, desk, 1151, "ar")
        on_duty = mentor(session, desk, 1152, "en", supervisor=True)
        off_duty = mentor(session, desk, 1153, "en", supervisor=True, on_duty=False)
        case = claimed_case(session, desk, huda, 16, reason="crisis")
        ended = desk.from_mentor(session, huda, Incoming(0, 1151, 1151, "command", "/end"))
        offer = ended[-1]
        assert offer.chat_id == huda.chat_id and offer.text == translate("en", m.M_DEBRIEF_OFFER, case=case.id)
        assert offer.buttons == [(translate("en", m.M_DEBRIEF_BUTTON), f"md:{case.id}")]
        assert ended[-2].text == translate("en", m.M_ENDED, case=case.id)

        asked = desk.mentor_press(session, huda, offer.buttons[0][1])
        assert [(o.chat_id, o.text) for o in asked] == [
            (huda.chat_id, translate("en", m.M_DEBRIEF_ASKED, case=case.id)),
            (on_duty.chat_id, translate("en", m.M_DEBRIEF_NOTICE, name=huda.name, case=case.id)),
        ]  # the case number and who asks: no person data
        assert off_duty.chat_id not in chats(asked)
        assert chats(desk.mentor_press(session, huda, offer.buttons[0][1])) == [huda.chat_id]  # told once
        other = mentor(session, desk, 1154, "ar")
        assert desk.mentor_press(session, other, f"md:{case.id}")[0].text == translate("en", m.M_CASE_HIDDEN)

        calm = claimed_case(session, desk, huda, 17)
        ended = desk.from_mentor(session, huda, Incoming(0, 1151, 1151, "command", "/end"))
        assert not any(o.buttons for o in ended if o.chat_id == huda.chat_id) and calm.status == "closed"


# --- the boundaries guide ----------------------------------------------------------------------------------------------
def test_a_new_mentor_reads_and_accepts_the_guide_in_their_language_before_the_first_duty(sessions):  # noqa: F811
    desk = make_desk(hours="")
    with sessions.begin() as session:
        new = mentor(session, desk, 1161, "fa", on_duty=False, ui="fa", accepted=False)
        shown = desk.from_mentor(session, new, Incoming(0, 1161, 1161, "command", "/duty"))
        assert not new.on_duty and len(shown) == 1
        assert translate("fa", m.GUIDE) in shown[0].text and translate("fa", m.M_GUIDE_INTRO) in shown[0].text
        assert shown[0].buttons == [(translate("fa", m.M_GUIDE_ACCEPT), "mg:1")] and shown[0].rtl
        pressed = desk.mentor_press(session, new, "mg:1")
        assert pressed[0].text == translate("fa", m.M_GUIDE_ACCEPTED) and new.on_duty and new.guide_version == 1

        # staff change the guide and ask everyone to accept again: the next duty shows the new text
        session.add(GuideText(language="fa", text="راهنمای تازه", version=2))
        session.flush()
        desk.duty(session, new, False)
        again = desk.duty(session, new, True)
        assert "راهنمای تازه" in again[0].text and again[0].buttons[0][1] == "mg:2" and not new.on_duty
        assert translate("fa", m.M_GUIDE_CHANGED) in desk.mentor_press(session, new, "mg:1")[0].text  # an old button
        english = mentor(session, desk, 1162, "so", on_duty=False, ui="so", accepted=False)
        session.add(GuideText(language="en", text="The new guide", version=2))
        session.flush()
        assert "The new guide" in desk.duty(session, english, True)[0].text  # Somali is not current: English


# --- saved replies and knowledge-base answers ----------------------------------------------------------------------
def test_r_sends_a_saved_reply_in_the_persons_language_after_a_preview_in_the_mentors(sessions):  # noqa: F811
    desk = make_desk(hours="")
    with sessions.begin() as session:
        session.add_all([
            SavedReply(name="hello", language="ar", text="مرحباً! أنا هنا لمساعدتك. في حالة الطوارئ: %(emergency)s"),
            SavedReply(name="hello", language="da", text="Hej! Jeg er her for at hjælpe. Nødopkald: %(emergency)s"),
            SavedReply(name="hello", language="en", text="Hello! I am here to help. Emergency: %(emergency)s"),
            SavedReply(name="wait", language="en", text="Please wait a moment, I am checking."),
            SavedReply(name="old", language="en", text="not used", active=False),
        ])
        sara = mentor(session, desk, 1171, "ar,ti", ui="da")
        assert desk.from_mentor(session, sara, Incoming(0, 1171, 1171, "command", "/r hello"))[0].text == \
            translate("da", m.M_NO_CASE)
        case = claimed_case(session, desk, sara, 18)
        listed = desk.from_mentor(session, sara, Incoming(0, 1171, 1171, "command", "/r"))
        assert listed[0].text == translate("da", m.M_SAVED_LIST, names="hello, wait")

        shown = desk.from_mentor(session, sara, Incoming(0, 1171, 1171, "command", "/r hello"))[0]
        assert shown.text.index("Nødopkald: 112") < shown.text.index("في حالة الطوارئ: 112")  # her language first
        send, cancel = shown.buttons
        assert send[0] == translate("da", m.M_SEND) and cancel == (translate("da", m.M_CANCEL), f"mx:{case.id}")
        assert desk.mentor_press(session, sara, cancel[1])[0].text == translate("da", m.M_NOT_SENT)
        out = desk.mentor_press(session, sara, send[1])
        assert out[0].chat_id == 18 and out[0].text == translate("ar", m.FROM_MENTOR, name=sara.name,
                                                                   text="مرحباً! أنا هنا لمساعدتك. في حالة الطوارئ: 112")
        assert out[1].text == translate("da", m.M_SENT, case=case.id)
        logged = session.scalars(select(RelayMessage).where(RelayMessage.handoff_id == case.id,
                                                            RelayMessage.sender == "mentor")).all()
        assert [entry.text for entry in logged] == ["مرحباً! أنا هنا لمساعدتك. في حالة الطوارئ: 112"]

        fallback = desk.from_mentor(session, sara, Incoming(0, 1171, 1171, "command", "/r wait"))[0]
        assert fallback.text.startswith(translate("da", m.M_SAVED_ENGLISH, language="العربية", name="wait"))
        assert translate("da", m.M_SAVED_UNKNOWN, name="old", names="hello, wait") == \
            desk.from_mentor(session, sara, Incoming(0, 1171, 1171, "command", "/r old"))[0].text
        other = mentor(session, desk, 1172, "ar")
        assert desk.mentor_press(session, other, send[1])[0].text == translate("en", m.M_CASE_HIDDEN)  # not their chat


def _words_encoder(texts):
    """A stand-in for e5: a bag of hashed words, so the test needs no model."""
    vectors = np.zeros((len(texts), 64), np.float32)
    for row, text in enumerate(texts):
        for word in retrieval.normalise(text).casefold().split():
            vectors[row, hash(word.strip("?.,!")) % 64] += 1
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_kb_offers_the_best_entry_in_the_mentors_language_and_sends_it_in_the_persons(sessions):  # noqa: F811
    desk = make_desk(hours="")
    entries = {key: entry for key, entry in knowledge.entries().items() if entry.country == "DK"}
    retrieval.reset(retrieval.Index(entries, knowledge.examples(), _words_encoder, cache_dir=None))
    try:
        with sessions.begin() as session:
            sara = mentor(session, desk, 1181, "ar", ui="da")
            case = claimed_case(session, desk, sara, 19)
            wanted = next(e for e in entries.values() if not e.needs_area and e.questions)
            shown = desk.from_mentor(session, sara, Incoming(0, 1181, 1181, "command", f"/kb {wanted.questions[0]}"))[0]
            kind, case_id, entry_id = shown.buttons[0][1].split(":")
            assert (kind, int(case_id)) == ("mk", case.id) and len(shown.buttons[0][1].encode()) <= 64
            entry = knowledge.entry(entry_id)
            values = content.numbers("DK")
            assert translate("da", entry.answer, values) in shown.text and translate("ar", entry.answer, values) in shown.text
            out = desk.mentor_press(session, sara, shown.buttons[0][1])
            assert out[0].chat_id == 19 and translate("ar", entry.answer, values) in out[0].text
            assert desk.from_mentor(session, sara, Incoming(0, 1181, 1181, "command", "/kb"))[0].text == \
                translate("da", m.M_KB_EMPTY)
    finally:
        retrieval.reset(None)


def test_kb_while_the_index_loads_says_so_and_builds_it_once_in_the_background(sessions):  # noqa: F811
    retrieval.reset(None)
    started: list = []
    assert kb_answers.index(start=lambda: started.append(1)) is None
    assert kb_answers.index(start=lambda: started.append(1)) is None
    assert started == [1]
    kb_answers._building.release()
    desk = make_desk(hours="")
    with sessions.begin() as session:
        sara = mentor(session, desk, 1191, "ar")
        claimed_case(session, desk, sara, 20)
        kb_answers._building.acquire()  # as if a build were running
        try:
            loading = desk.from_mentor(session, sara, Incoming(0, 1191, 1191, "command", "/kb interpreter doctor"))
        finally:
            kb_answers._building.release()
        assert loading[0].text == translate("en", m.M_KB_LOADING)


def test_unanswered_since_ignores_what_came_before_the_claim(sessions):  # noqa: F811
    desk = make_desk(hours="")
    with sessions.begin() as session:
        desk.request(session, person(session, 21, "ti"), "ti", "request", now=NOW)
        case = session.scalar(select(Handoff).order_by(Handoff.id.desc()))
        write(session, desk, case, "ሰላም", NOW)
        later = mentor(session, desk, 1201, "ti")
        desk.claim(session, later, case.id, now=NOW + dt.timedelta(hours=3))
        assert unanswered.unanswered_since(session, case) == NOW + dt.timedelta(hours=3)
        assert workload.week_name(NOW, OpeningHours.parse("").zone) == "2026-W48"
