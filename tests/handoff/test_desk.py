"""The hand-off desk without Telegram or Rasa: invites, matching by language, atomic claims, access, timeouts."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from bot.exchange import Incoming
from bot.handoff import guide
from bot.handoff.desk import Desk, DeskSettings
from bot.handoff.hours import OpeningHours
from bot.privacy import pseudonym
from common.db import make_engine, session_factory
from common.db.models import Handoff, Mentor, Person
from common.i18n import translate
from common.strings import mentor as m

KEY = "test-key"
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone.utc)  # a Tuesday, 11:00 in Copenhagen


def make_desk(hours: str = "", timeout: float = 300) -> Desk:
    return Desk(DeskSettings(KEY, OpeningHours.parse(hours), timeout=dt.timedelta(seconds=timeout)))


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


def mentor(session, desk: Desk, user_id: int, languages: str, supervisor: bool = False, on_duty: bool = True,
           max_cases: int = 3, countries: str = "") -> Mentor:
    name = "Mentor " + "".join("ABCDEFGHIJ"[int(digit)] for digit in str(user_id))  # no digits: ids must not leak
    invite = desk.create_invite(session, name, languages.split(","), countries.split(","),
                                supervisor=supervisor, max_cases=max_cases)
    desk.register(session, Incoming(0, user_id, user_id, "command", f"/start {invite.code}"), invite.code)
    found = desk.mentor_of(session, user_id)
    guide.accept(session, found, guide.current_version(session))  # read and accepted the boundaries guide
    found.on_duty = on_duty
    session.flush()
    return found


def person(session, user_id: int, lang: str = "ar", country: str = "DK") -> Person:
    found = Person(pseudonym=pseudonym(KEY, user_id), chat_id=user_id, language=lang, country=country, consent_at=NOW)
    session.add(found)
    session.flush()
    return found


def chats(out) -> list[int]:
    return [o.chat_id for o in out]


def test_an_invite_works_once_and_expires(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        invite = desk.create_invite(session, "Amal", ["ar", "fa"], ["DK"])
        welcome = desk.register(session, Incoming(1, 501, 501, "command", "", language_hint="ar"), invite.code)
        assert "Amal" in welcome[0].text and welcome[0].rtl
        registered = desk.mentor_of(session, 501)
        assert registered.language_list == ["ar", "fa"] and not registered.on_duty and registered.ui_language == "ar"
        assert registered.pseudonym != "501" and registered.chat_id == 501
        again = desk.register(session, Incoming(2, 502, 502, "command", ""), invite.code)
        assert again[0].text == translate("en", m.M_INVITE_INVALID)
        assert desk.mentor_of(session, 502) is None
        old = desk.create_invite(session, "Late", ["ar"], now=NOW - dt.timedelta(days=30))
        assert desk.register(session, Incoming(3, 503, 503, "command", ""), old.code)[0].text == translate("en", m.M_INVITE_INVALID)
        assert desk.register(session, Incoming(4, 504, 504, "command", ""), "ref") is None  # not an invite at all
        with pytest.raises(ValueError):
            desk.create_invite(session, "X", ["xx"])


def test_only_mentors_who_speak_the_language_are_notified_least_loaded_first(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        arabic = mentor(session, desk, 601, "ar")
        tigrinya_busy = mentor(session, desk, 602, "ti,en")
        tigrinya_free = mentor(session, desk, 603, "ti")
        mentor(session, desk, 604, "ti", on_duty=False)
        mentor(session, desk, 605, "ti", countries="DE")  # works only in Germany
        supervisor = mentor(session, desk, 606, "de", supervisor=True)
        earlier = desk.request(session, person(session, 1, "ti"), "ti", "request", now=NOW)
        desk.claim(session, tigrinya_busy, int(earlier[-1].buttons[0][1].split(":")[1]))

        out = desk.request(session, person(session, 2, "ti", "DK"), "ti", "request", topics=["interpreter"],
                           summary=["i need interpreter for hospital"], now=NOW)

        notices = [o for o in out if o.buttons]
        assert chats(notices) == [tigrinya_free.chat_id, tigrinya_busy.chat_id]
        assert arabic.chat_id not in chats(out) and supervisor.chat_id not in chats(out)
        assert "Interpreter" in notices[0].text and "i need interpreter for hospital" in notices[0].text
        assert all(o.notification_id for o in notices)


def test_an_arabic_only_mentor_cannot_take_a_tigrinya_chat_even_with_forged_callback_data(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        arabic = mentor(session, desk, 611, "ar")
        out = desk.request(session, person(session, 3, "ti"), "ti", "request", now=NOW)
        case = session.scalar(select(Handoff))
        assert arabic.chat_id not in chats(out)
        assert desk.mentor_press(session, arabic, f"mc:{case.id}")[0].text == translate("en", m.M_NOT_ALLOWED)
        assert case.status == "waiting" and case.mentor_id is None
        assert arabic.chat_id not in chats(desk.queue(session, arabic)[1:])


def test_first_claim_wins_and_the_others_see_taken(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        first, second = mentor(session, desk, 621, "fa"), mentor(session, desk, 622, "fa")
        out = desk.request(session, person(session, 4, "fa"), "fa", "request", now=NOW)
        for number, notice in enumerate(o for o in out if o.notification_id):
            desk.record_notification(session, notice.notification_id, 9000 + number)
        case_id = session.scalar(select(Handoff.id))

        won = desk.claim(session, second, case_id)
        lost = desk.claim(session, first, case_id)

        assert lost[0].text == translate("en", m.M_ALREADY_TAKEN, {"case": case_id})
        edits = {o.chat_id: o.text for o in won if o.edit_message_id}
        assert edits == {first.chat_id: translate("en", m.M_TAKEN, {"case": case_id, "name": second.name}),
                         second.chat_id: translate("en", m.M_TAKEN_BY_YOU, {"case": case_id})}
        told = [o for o in won if o.chat_id == 4]
        assert told and second.name in told[0].text and "621" not in told[0].text and "622" not in told[0].text


def test_two_mentors_pressing_at_the_same_moment_exactly_one_wins(database_url):
    """Each mentor's claim runs in its own thread with its own connection, released together, 10 times."""
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    desk = make_desk()
    with sessions.begin() as session:
        ids = [mentor(session, desk, 700 + n, "uk", max_cases=50).id for n in range(2)]
    for round_ in range(10):
        with sessions.begin() as session:
            desk.request(session, person(session, 800 + round_, "uk"), "uk", "request", now=NOW)
            case_id = session.scalar(select(Handoff.id).where(Handoff.status == "waiting"))
        barrier = threading.Barrier(2)
        results: dict[int, str] = {}

        def press(mentor_id: int, barrier=barrier, results=results, case_id=case_id) -> None:
            with sessions() as session:
                who = session.get(Mentor, mentor_id)
                barrier.wait()
                results[mentor_id] = desk.claim(session, who, case_id)[0].text
                session.commit()

        threads = [threading.Thread(target=press, args=(mentor_id,)) for mentor_id in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        taken = translate("en", m.M_ALREADY_TAKEN, {"case": case_id})
        assert sorted(text == taken for text in results.values()) == [False, True], results
        with sessions() as session:
            case = session.get(Handoff, case_id)
            assert case.status == "claimed" and case.mentor_id in ids
    engine.dispose()


def test_a_crisis_is_urgent_for_every_mentor_of_the_language_and_every_supervisor(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        full = mentor(session, desk, 631, "ar", max_cases=1)
        desk.claim(session, full, int(desk.request(session, person(session, 5), "ar", "request", now=NOW)[-1].buttons[0][1][3:]))
        supervisor = mentor(session, desk, 632, "de", supervisor=True)
        german = mentor(session, desk, 633, "de")
        out = desk.request(session, person(session, 6, "ar"), "ar", "crisis", now=NOW)
        assert out[0].text == translate("ar", m.SEARCHING_URGENT)
        urgent = [o for o in out if o.buttons]
        assert set(chats(urgent)) == {full.chat_id, supervisor.chat_id}  # even a mentor at capacity hears of it
        assert german.chat_id not in chats(out)
        assert translate("en", m.M_URGENT) in urgent[0].text


def test_nobody_on_duty_gets_an_honest_reply_with_the_next_opening_and_the_numbers(sessions):
    desk = make_desk(hours="mon-fri 09:00-17:00")
    evening = dt.datetime(2026, 11, 27, 20, 0, tzinfo=dt.timezone.utc)  # Friday 21:00 in Copenhagen
    with sessions.begin() as session:
        out = desk.request(session, person(session, 7, "de", "DE"), "de", "request", now=evening)
        assert len(out) == 2
        assert "Montag" in out[1].text and "09:00" in out[1].text and "0800 111 0 111" in out[1].text and "112" in out[1].text
        assert desk.check_waiting(session, evening + dt.timedelta(hours=1)) == []  # told once already


def test_waiting_too_long_is_told_once(sessions):
    desk = make_desk(timeout=60)
    with sessions.begin() as session:
        mentor(session, desk, 641, "so")
        out = desk.request(session, person(session, 8, "so", "DK"), "so", "request", now=NOW)
        assert len([o for o in out if o.chat_id == 8]) == 1  # a mentor was notified: no "nobody" yet
        session.flush()
    with sessions.begin() as session:
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)
        told = desk.check_waiting(session, later)
        assert chats(told) == [8] and "70 201 201" in told[0].text
        assert desk.check_waiting(session, later + dt.timedelta(minutes=5)) == []


def test_messages_left_while_waiting_reach_the_mentor_who_claims(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        someone = person(session, 9, "ru")
        desk.request(session, someone, "ru", "request", now=NOW)
        case = desk.open_case(session, someone)
        desk.from_person(session, someone, "ru", case, Incoming(1, 9, 9, "text", "мне нужен врач"))
        desk.from_person(session, someone, "ru", case, Incoming(2, 9, 9, "voice", "", message_id=77))
        late = mentor(session, desk, 651, "ru")
        notices = desk.duty(session, late, True)
        assert any(o.buttons == [(translate("en", m.M_CLAIM), f"mc:{case.id}")] for o in notices)
        out = desk.claim(session, late, case.id)
        to_mentor = [o for o in out if o.chat_id == late.chat_id]
        assert any("мне нужен врач" in o.text for o in to_mentor)
        assert any(o.copy_from == (9, 77) for o in to_mentor)


def test_case_notes_and_summary_only_for_the_mentor_on_the_case_and_supervisors(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        on_case, other = mentor(session, desk, 661, "tr"), mentor(session, desk, 662, "tr")
        supervisor = mentor(session, desk, 663, "en", supervisor=True)
        desk.request(session, person(session, 10, "tr"), "tr", "request", now=NOW)
        case_id = session.scalar(select(Handoff.id))
        desk.claim(session, on_case, case_id)
        desk.from_mentor(session, on_case, Incoming(1, 661, 661, "command", "/note needs a Turkish-speaking GP"))
        hidden = translate("en", m.M_CASE_HIDDEN)
        assert desk.from_mentor(session, other, Incoming(2, 662, 662, "command", f"/case {case_id}"))[0].text == hidden
        assert desk.mentor_press(session, other, f"ms:{case_id}")[0].text == hidden
        assert desk.from_mentor(session, other, Incoming(3, 662, 662, "command", "/end"))[0].text == translate("en", m.M_NO_CASE)
        seen = desk.from_mentor(session, supervisor, Incoming(4, 663, 663, "command", f"/case {case_id}"))[0].text
        assert "needs a Turkish-speaking GP" in seen
        flagged = desk.from_mentor(session, on_case, Incoming(5, 661, 661, "command", "/flag"))
        assert supervisor.chat_id in chats(flagged)


def test_handover_puts_the_case_back_and_notifies_the_others(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        first, second = mentor(session, desk, 671, "da"), mentor(session, desk, 672, "da")
        desk.request(session, person(session, 11, "da"), "da", "request", now=NOW)
        case_id = session.scalar(select(Handoff.id))
        desk.claim(session, first, case_id)
        out = desk.from_mentor(session, first, Incoming(1, 671, 671, "command", "/handover"))
        assert [o.chat_id for o in out if o.buttons] == [second.chat_id]
        assert any(o.chat_id == 11 for o in out)
        assert session.get(Handoff, case_id).status == "waiting"


def test_a_mentor_sets_their_languages(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        amal = mentor(session, desk, 681, "ar")
        desk.from_mentor(session, amal, Incoming(1, 681, 681, "command", "/languages ar, fa"))
        assert amal.language_list == ["ar", "fa"]
        desk.from_mentor(session, amal, Incoming(2, 681, 681, "command", "/languages klingon"))
        assert amal.language_list == ["ar", "fa"]  # unknown codes change nothing
        out = desk.request(session, person(session, 12, "fa"), "fa", "request", now=NOW)
        assert amal.chat_id in chats(out)


def test_the_queue_is_ordered_by_risk_then_by_waiting_time_and_shows_the_level(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        desk.request(session, person(session, 31, "ar"), "ar", "request", now=NOW)
        desk.request(session, person(session, 32, "ar"), "ar", "thoughts", now=NOW)
        desk.request(session, person(session, 33, "ar"), "ar", "distress", now=NOW)
        desk.request(session, person(session, 34, "ar"), "ar", "not_safe", now=NOW)
        later = mentor(session, desk, 691, "ar")
        out = desk.queue(session, later)
        notices = [o for o in out if o.buttons]
        by_person = {case.id: case.person.chat_id for case in session.scalars(select(Handoff))}
        order = [by_person[int(o.buttons[0][1].split(":")[1])] for o in notices]
        assert order == [34, 32, 31, 33]  # not safe (urgent), thoughts, then the others by waiting time
        assert translate("en", m.M_URGENT) in notices[0].text
        assert translate("en", m.M_RISK_THOUGHTS) in notices[1].text
        assert session.get(Handoff, next(i for i, chat in by_person.items() if chat == 34)).urgent


def test_a_persons_earlier_mentor_comes_first_and_is_told_they_helped_before(sessions):
    desk = make_desk()
    with sessions.begin() as session:
        first, known = mentor(session, desk, 8101, "ti"), mentor(session, desk, 8102, "ti")
        someone = person(session, 8103, "ti", "DE")
        earlier = Handoff(person=someone, language="ti", country="DE", reason="request", status="closed", mentor_id=known.id)
        session.add(earlier)
        session.flush()
        out = desk.request(session, someone, "ti", "appointment", now=NOW)
        case = desk.open_case(session, someone)
        assert [m_.id for m_ in desk.candidates(session, case)] == [known.id, first.id]
        notices = {o.chat_id: o.text for o in out if o.chat_id in (8101, 8102)}
        assert translate("en", m.M_HELPED_BEFORE, case=earlier.id) in notices[8102]
        assert translate("en", m.M_HELPED_BEFORE, case=earlier.id) not in notices[8101]
