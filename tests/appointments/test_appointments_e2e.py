"""Appointments end to end through real HTTP: the fake Bot API <-> python-telegram-bot (its JobQueue and outbox
job) <-> the front end <-> a real SQLite database. Rasa plays no part in these paths (commands and buttons are the
front end's own), so an in-process stand-in answers the few calls the hand-off makes; the clock of the reminder
steps is the test's (`run_due(now=...)`), the delivery is the running bot's outbox job."""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.appointments import calendar, records
from bot.appointments.schedule import run_due
from bot.privacy import pseudonym
from common import content
from common.db import make_engine, migrate, session_factory
from common.db.models import Appointment, Handoff, Person, ReminderSend, as_utc, utcnow
from common.i18n import translate
from common.strings import appointments as a
from common.strings import mentor as m
from tests.auxil.fake_bot_api import FakeBotApi
from tests.auxil.mentors import accept_guide
from tests.bot.test_bad_input import EchoRasa
from tests.conftest import RunningBot
from tests.telegram.test_bot_e2e import visible

_users = itertools.count(7_300_000)  # a range of its own: the fake Bot API keeps every chat of the run
COUNTRY = {"ar": "DE", "fa": "DK", "uk": "DE", "ti": "DE", "so": "DK", "tr": "DE", "ru": "DK", "da": "DK", "de": "DE", "en": "DK"}


@pytest.fixture(scope="module")
def bot(fake_api, tmp_path_factory) -> Iterator[RunningBot]:
    from bot.config import Settings
    from bot.frontend import FrontEnd
    from bot.telegram.app import build_application

    tmp = tmp_path_factory.mktemp("appointments")
    url = f"sqlite:///{tmp / 'product.db'}"
    migrate(url)
    settings = Settings(pseudonym_key="test-key", flood_messages=100_000, rasa_tracker_url=f"sqlite:///{tmp / 'tracker.db'}")
    assistant = FrontEnd(session_factory(make_engine(url)), EchoRasa(), settings)  # type: ignore[arg-type]
    fake_api.route(range(7_300_000, 7_400_000), "123457:APPOINTMENTS")  # this module's chats go to its own bot
    application = build_application("123457:APPOINTMENTS", assistant, base_url=fake_api.base_url, chat_interval=0.02,
                                     retry_interval=5, waiting_interval=5, outbox_interval=0.1, reminder_interval=3600)
    running = RunningBot(application, assistant, url)
    yield running
    running.stop()


def sessions_of(bot: RunningBot):
    return bot.assistant.db.sessions


def person(bot: RunningBot, lang: str) -> int:
    """Someone who has consented and chosen their language and country."""
    user = next(_users)
    with sessions_of(bot).begin() as session:
        session.add(Person(pseudonym=pseudonym("test-key", user), chat_id=user, language=lang, language_chosen=True,
                           country=COUNTRY[lang], consent_at=utcnow()))
    return user


def say(api: FakeBotApi, user: int, text: str, count: int = 1):
    seen = len(api.messages_to(user))
    api.send_text(user, text)
    return api.wait_for(user, count, after=seen)


def press(api: FakeBotApi, user: int, data: str, count: int = 1):
    seen = len(api.messages_to(user))
    api.press(user, data)
    return api.wait_for(user, count, after=seen)


def appointments_of(bot: RunningBot, user: int) -> list[Appointment]:
    with sessions_of(bot)() as session:
        return list(session.scalars(select(Appointment).join(Appointment.person).options(selectinload(Appointment.steps))
                                    .where(Person.pseudonym == pseudonym("test-key", user))).all())


@pytest.mark.parametrize("lang", list(content.languages()))
def test_remind_by_buttons_in_every_language_repeats_back_and_saves(bot, fake_api, lang):
    user = person(bot, lang)
    kinds = say(fake_api, user, "/remind")[-1]
    assert visible(kinds.text) == visible(translate(lang, a.ASK_KIND))
    assert [b["text"] for b in kinds.buttons] == [translate(lang, title) for title in a.KINDS.values()]
    days = press(fake_api, user, "a:k:dentist")[-1]
    tomorrow = days.buttons[1]  # today, tomorrow, ... in the person's calendar
    zone = calendar.ZONES[COUNTRY[lang]]
    day = calendar.local(utcnow(), zone).date() + dt.timedelta(days=1)
    assert tomorrow["text"] == calendar.day_label(lang, day)
    hours = press(fake_api, user, tomorrow["callback_data"])[-1]
    minutes = press(fake_api, user, next(b["callback_data"] for b in hours.buttons if b["text"] == "10"))[-1]
    repeat = press(fake_api, user, next(b["callback_data"] for b in minutes.buttons if b["text"] == "10:30"))[-1]
    at = calendar.to_utc(day, 10, 30, zone)
    assert visible(repeat.text) == visible(translate(lang, a.REPEAT, kind=translate(lang, a.KINDS["dentist"]),
                                                     when=calendar.when(lang, at, zone)))
    assert appointments_of(bot, user) == []  # nothing is saved before Confirm
    saved = press(fake_api, user, repeat.buttons[0]["callback_data"])[-1]
    assert visible(saved.text) == visible(translate(lang, a.SAVED, evening="18:00", hours="2"))
    [appointment] = appointments_of(bot, user)
    assert (appointment.kind, as_utc(appointment.at), appointment.timezone, appointment.status) == ("dentist", at, zone, "active")
    listed = say(fake_api, user, "/reminders")[-1]
    assert [b["callback_data"] for b in listed.buttons] == [f"a:x:{appointment.id}"]


OWN_WORDS = [  # (language, what a person writes after /remind, the kind read, the local time read)
    ("ar", "موعدي عند الدكتور الخميس الساعة ٩", "gp", "09:00"),
    ("de", "Zahnarzt Dienstag 10:30", "dentist", "10:30"),
    ("en", "remind me, dentist Tuesday 10:30", "dentist", "10:30"),
    ("fa", "دندانپزشک سه‌شنبه ساعت ۱۰:۳۰", "dentist", "10:30"),
    ("uk", "стоматолог у вівторок о 10:30", "dentist", "10:30"),
    ("ru", "зубной во вторник в 10:30", "dentist", "10:30"),
    ("tr", "dişçi salı 10:30", "dentist", "10:30"),
    ("da", "tandlæge tirsdag kl. 10.30", "dentist", "10:30"),
    ("so", "dhakhtarka ilkaha talaado 10:30", "dentist", "10:30"),
    ("ti", "ሆስፒታል ሓሙስ ሰዓት 14:00", "hospital", "14:00"),
]


@pytest.mark.parametrize("lang, words, kind, time", OWN_WORDS)
def test_remind_in_own_words_repeats_back_before_saving(bot, fake_api, lang, words, kind, time):
    user = person(bot, lang)
    repeat = say(fake_api, user, f"/remind {words}")[-1]
    assert [b["callback_data"].split(":")[:3] for b in repeat.buttons] == [["a", "s", kind], ["a", "new"]]
    press(fake_api, user, repeat.buttons[0]["callback_data"])
    [appointment] = appointments_of(bot, user)
    assert appointment.kind == kind
    assert calendar.local(appointment.at, appointment.timezone).strftime("%H:%M") == time


def _due(bot: RunningBot, appointment_id: int, step: str) -> dt.datetime:
    with sessions_of(bot)() as session:
        return as_utc(session.scalar(select(ReminderSend.due_at).where(
            ReminderSend.appointment_id == appointment_id, ReminderSend.step == step)))


def _saved(bot: RunningBot, user: int, kind: str, in_hours: float) -> int:
    with sessions_of(bot).begin() as session:
        who = session.scalar(select(Person).where(Person.pseudonym == pseudonym("test-key", user)))
        return records.save(session, who, kind, utcnow() + dt.timedelta(hours=in_hours), bot.assistant.timing, utcnow()).id


def _run_due(bot: RunningBot, now: dt.datetime) -> int:
    with sessions_of(bot).begin() as session:
        return run_due(session, now)


def register_mentor(bot: RunningBot, api: FakeBotApi, languages: str, name: str) -> int:
    with sessions_of(bot).begin() as session:
        code = bot.assistant.desk.create_invite(session, name, languages.split(",")).code
    user = next(_users)
    say(api, user, f"/start {code}")
    accept_guide(sessions_of(bot), "test-key", user)  # onboarding itself: tests/handoff/test_care_e2e.py
    say(api, user, "/duty")
    return user


def test_the_reminder_arrives_with_its_checklist_and_i_need_help_reaches_a_mentor(bot, fake_api):
    mentor = register_mentor(bot, fake_api, "so", "Hodan")
    user = person(bot, "so")
    appointment_id = _saved(bot, user, "gp", in_hours=30)
    seen = len(fake_api.messages_to(user))
    assert _run_due(bot, _due(bot, appointment_id, "day_before")) >= 1  # the other tests' steps due by then too
    reminder = fake_api.wait_for(user, 1, after=seen)[-1]  # delivered by the bot's outbox job
    assert "sundhedskort" in reminder.text  # Denmark's checklist, in Somali
    assert reminder.text.startswith(translate("so", a.REMINDER_DAY_BEFORE, kind=translate("so", a.KINDS["gp"]),
                                              when=calendar.when("so", utcnow() + dt.timedelta(hours=30), "Europe/Copenhagen"))[:30])
    assert [b["text"] for b in reminder.buttons] == [translate("so", t) for t in (a.GOING, a.CANCEL_OR_MOVE, a.NEED_HELP)]
    cancel = press(fake_api, user, f"a:m:{appointment_id}")[-1]
    assert translate("so", "To cancel or move it, call the clinic as early as possible. If an interpreter was booked "
                     "for you and you do not come, you may have to pay a fee.") in cancel.text
    mentor_seen = len(fake_api.messages_to(mentor))
    press(fake_api, user, f"a:help:{appointment_id}")
    notice = fake_api.wait_for(mentor, 1, after=mentor_seen)[-1]
    assert translate("en", a.M_REASON_APPOINTMENT) in notice.text
    with sessions_of(bot)() as session:
        case = session.scalar(select(Handoff).join(Handoff.person).where(Person.chat_id == user))
        assert (case.reason, case.status) == ("appointment", "waiting")
    assert _run_due(bot, _due(bot, appointment_id, "day_before")) == 0  # sent once


def test_the_follow_up_offers_the_next_reminder(bot, fake_api):
    user = person(bot, "tr")
    appointment_id = _saved(bot, user, "specialist", in_hours=1)
    seen = len(fake_api.messages_to(user))
    assert _run_due(bot, _due(bot, appointment_id, "follow_up")) >= 1
    follow_up = fake_api.wait_for(user, 1, after=seen)[-1]
    assert [b["callback_data"] for b in follow_up.buttons] == [f"a:f:{appointment_id}:{x}" for x in ("fine", "unclear", "next", "help")]
    kinds = press(fake_api, user, f"a:f:{appointment_id}:next")[-1]
    assert visible(kinds.text) == visible(translate("tr", a.ASK_KIND))
    assert kinds.buttons[0]["callback_data"] == "a:k:gp"
    [appointment] = appointments_of(bot, user)
    assert (appointment.outcome, appointment.status) == ("next", "done")


def test_a_mentor_set_reminder_needs_the_persons_confirmation(bot, fake_api):
    mentor = register_mentor(bot, fake_api, "fa", "Reza")
    user = person(bot, "fa")
    with sessions_of(bot).begin() as session:
        who = session.scalar(select(Person).where(Person.chat_id == user))
        mentor_id = bot.assistant.desk.mentor_of(session, mentor).id
        case = Handoff(person=who, language="fa", country="DK", reason="request", status="claimed", mentor_id=mentor_id)
        session.add(case)
        session.flush()
        case_id = case.id
    day = calendar.local(utcnow(), "Europe/Copenhagen").date() + dt.timedelta(days=3)
    mentor_seen, seen = len(fake_api.messages_to(mentor)), len(fake_api.messages_to(user))
    fake_api.send_text(mentor, f"/remind {case_id} {day.isoformat()} 10:30 Dr. Jensen, Vesterbrogade 5")
    asked = fake_api.wait_for(user, 1, after=seen)[-1]
    at = calendar.to_utc(day, 10, 30, "Europe/Copenhagen")
    assert visible(asked.text) == visible(translate("fa", a.PROPOSED, name="Reza", when=calendar.when("fa", at, "Europe/Copenhagen"),
                                                    place="Dr. Jensen, Vesterbrogade 5"))
    told = fake_api.wait_for(mentor, 1, after=mentor_seen)[-1]
    assert told.text == translate("en", a.M_REMIND_SENT, case=case_id, when=calendar.when("en", at, "Europe/Copenhagen"))
    [proposed] = appointments_of(bot, user)
    assert proposed.status == "proposed"
    with sessions_of(bot)() as session:  # nothing is scheduled before the person says yes
        assert session.scalar(select(func.count(ReminderSend.id)).where(ReminderSend.appointment_id == proposed.id)) == 0
    mentor_seen = len(fake_api.messages_to(mentor))
    press(fake_api, user, f"a:y:{proposed.id}")
    confirmed = fake_api.wait_for(mentor, 1, after=mentor_seen)[-1]
    assert confirmed.text == translate("en", a.M_REMIND_CONFIRMED, case=case_id, when=calendar.when("en", at, "Europe/Copenhagen"))
    [active] = appointments_of(bot, user)
    assert active.status == "active" and [s.step for s in active.steps] == ["day_before", "hours_before", "follow_up"]
    case_view = say(fake_api, mentor, f"/case {case_id}")[-1]
    assert "Vesterbrogade 5" in case_view.text
    other = register_mentor(bot, fake_api, "fa", "Someone else")  # not this case's mentor
    refused = say(fake_api, other, f"/remind {case_id} {day.isoformat()} 11:00 x")[-1]
    assert refused.text == translate("en", m.M_CASE_HIDDEN)


def test_delete_leaves_no_appointment_behind(bot, fake_api):
    user = person(bot, "uk")
    _saved(bot, user, "hospital", in_hours=48)
    mydata = say(fake_api, user, "/mydata")[-1]
    assert translate("uk", a.KINDS["hospital"]) in mydata.text
    privacy = say(fake_api, user, "/privacy")[-1]
    assert visible(translate("uk", a.PRIVACY, days=90)) in visible(privacy.text)
    confirm = say(fake_api, user, "/delete")[-1]
    press(fake_api, user, confirm.buttons[0]["callback_data"])
    with sessions_of(bot)() as session:
        assert session.scalar(select(func.count(Appointment.id))) == session.scalar(
            select(func.count(Appointment.id)).join(Appointment.person))  # none orphaned
        assert session.scalar(select(func.count(Person.id)).where(Person.chat_id == user)) == 0
        assert session.scalar(select(func.count(ReminderSend.id)).where(
            ~ReminderSend.appointment_id.in_(select(Appointment.id)))) == 0
    assert appointments_of(bot, user) == []
