"""Care for mentors end to end: fake Bot API <-> python-telegram-bot <-> the hand-off desk, mentors as Telegram users.

These flows are the mentor's side only, which never reaches Rasa: the bot runs with Rasa unreachable (a person's
message during a hand-off is then relayed without its crisis check, as when Rasa is down). The person's case is
opened as the front end opens it (desk.request), its notices going out through the outbox."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bot import outbox
from bot.privacy import pseudonym
from common.db import make_engine, session_factory
from common.db.models import Handoff, Mentor, Person, utcnow
from common.i18n import translate
from common.strings import mentor as m
from tests.conftest import start_bot
from tests.telegram.test_bot_e2e import visible

_users = itertools.count(7_400_000)  # a range of its own: the fake Bot API keeps every chat of the run


@pytest.fixture
def bot(fake_api, tmp_path):
    """The bot on its own database, without Rasa; replies go unanswered for 1 s before a reminder, 2 s before release."""
    no_rasa = SimpleNamespace(rasa_url="http://127.0.0.1:9", token="", tracker_db=tmp_path / "tracker.db")
    fake_api.route(range(7_400_000, 7_500_000), "123458:CARE")  # this module's chats go to its own bot
    running = start_bot(no_rasa, fake_api, f"sqlite:///{tmp_path / 'care.db'}", token="123458:CARE", mentor_reply_alert=1.5,
                        mentor_reply_release=4.0)
    yield running
    running.stop()


def sessions_of(bot):
    return session_factory(make_engine(bot.database_url))


def invited(api, bot, languages: str, name: str, supervisor: bool = False, language_code: str = "en") -> int:
    with sessions_of(bot).begin() as session:
        code = bot.assistant.desk.create_invite(session, name, languages.split(","), supervisor=supervisor).code
    user = next(_users)
    api.send_text(user, f"/start {code}", language_code=language_code)
    assert name in visible(api.wait_for(user, 1)[-1].text)
    return user


def on_duty(api, user: int, language_code: str = "en") -> None:
    """/duty shows the guide the first time; "I have read and accept" puts the mentor on duty."""
    seen = len(api.messages_to(user))
    api.send_text(user, "/duty", language_code=language_code)
    shown = api.wait_for(user, 1, after=seen)[-1]
    api.press(user, shown.buttons[0]["callback_data"], language_code=language_code)
    api.wait_for(user, 2, after=seen + 1)


def open_case(bot, user: int, lang: str, reason: str) -> int:
    """A person (consented) asks for a mentor, as the front end does after Rasa's signal."""
    with sessions_of(bot).begin() as session:
        person = Person(pseudonym=pseudonym("test-key", user), chat_id=user, language=lang, language_chosen=True,
                        country="DK", consent_at=utcnow())
        session.add(person)
        session.flush()
        outbox.put(session, bot.assistant.desk.request(session, person, lang, reason))
        return session.scalar(select(Handoff.id).where(Handoff.person_id == person.id))


def mentor_row(bot, user: int) -> Mentor:
    with sessions_of(bot)() as session:
        return session.scalar(select(Mentor).where(Mentor.pseudonym == pseudonym("test-key", user)))


def test_a_new_mentor_reads_and_accepts_the_guide_in_their_language_before_the_first_duty(bot, fake_api):
    user = invited(fake_api, bot, "ar", "Huda", language_code="ar")
    fake_api.send_text(user, "/duty", language_code="ar")
    guide = fake_api.wait_for(user, 1, after=1)[-1]
    assert translate("ar", m.M_GUIDE_INTRO) in visible(guide.text) and "112" in guide.text
    assert visible(guide.text).endswith(translate("ar", m.GUIDE).split("\n")[-1])  # the whole guide, in Arabic
    assert [b["text"] for b in guide.buttons] == [translate("ar", m.M_GUIDE_ACCEPT)]
    assert not mentor_row(bot, user).on_duty
    fake_api.send_text(user, "/duty on", language_code="ar")  # no duty without accepting
    assert fake_api.wait_for(user, 1, after=2)[-1].buttons[0]["callback_data"] == "mg:1"

    fake_api.press(user, "mg:1", language_code="ar")
    accepted = fake_api.wait_for(user, 2, after=3)
    assert visible(accepted[0].text) == translate("ar", m.M_GUIDE_ACCEPTED)
    assert visible(accepted[1].text).startswith(translate("ar", m.M_DUTY_ON, languages="العربية", cap=3)[:20])
    row = mentor_row(bot, user)
    assert row.on_duty and row.guide_version == 1 and row.guide_accepted_at is not None


def test_after_an_urgent_chat_the_mentor_asks_for_a_debrief_and_the_supervisor_is_told(bot, fake_api):
    mentor = invited(fake_api, bot, "so", "Faadumo")
    on_duty(fake_api, mentor)
    supervisor = invited(fake_api, bot, "da,en", "Mette", supervisor=True)
    on_duty(fake_api, supervisor)
    person = next(_users)
    case_id = open_case(bot, person, "so", "crisis")
    seen = len(fake_api.messages_to(mentor))
    notice = fake_api.wait_for(mentor, 1, after=seen)[-1]  # through the outbox
    fake_api.press(mentor, notice.buttons[0]["callback_data"])
    seen = len(fake_api.wait_for(mentor, 2, after=seen)) + seen
    told = len(fake_api.messages_to(supervisor))

    fake_api.send_text(mentor, "/end")
    ended = fake_api.wait_for(mentor, 2, after=seen)
    assert ended[0].text == translate("en", m.M_ENDED, case=case_id)
    assert ended[1].text == translate("en", m.M_DEBRIEF_OFFER, case=case_id)
    assert [b["callback_data"] for b in ended[1].buttons] == [f"md:{case_id}"]
    fake_api.press(mentor, f"md:{case_id}")
    assert fake_api.wait_for(mentor, 1, after=seen + 2)[-1].text == translate("en", m.M_DEBRIEF_ASKED, case=case_id)
    to_supervisor = [s.text for s in fake_api.wait_for(supervisor, 1, after=told)]
    assert translate("en", m.M_DEBRIEF_NOTICE, name="Faadumo", case=case_id) in to_supervisor
    with sessions_of(bot)() as session:
        assert session.get(Handoff, case_id).debrief_requested_at is not None


def test_an_unanswered_message_reminds_the_mentor_then_the_chat_goes_back_to_the_queue(bot, fake_api):
    mentor = invited(fake_api, bot, "tr", "Deniz")
    on_duty(fake_api, mentor)
    colleague = invited(fake_api, bot, "tr", "Elif")
    person = next(_users)
    case_id = open_case(bot, person, "tr", "request")
    seen = len(fake_api.messages_to(mentor))
    notice = fake_api.wait_for(mentor, 1, after=seen)[-1]
    fake_api.press(mentor, notice.buttons[0]["callback_data"])
    seen = len(fake_api.wait_for(mentor, 2, after=seen)) + seen
    heard = len(fake_api.wait_for(person, 2))  # searching + "Deniz has joined"

    on_duty(fake_api, colleague)  # on duty after the claim: hears of the chat only when it is released
    fake_api.send_text(person, "merhaba, orada mısınız?")
    assert fake_api.wait_for(mentor, 1, after=seen)[-1].text.endswith("merhaba, orada mısınız?")
    reminder = fake_api.wait_for(mentor, 1, after=seen + 1)[-1]
    assert reminder.text == translate("en", m.M_REPLY_REMINDER, case=case_id, minutes=0)
    released = fake_api.wait_for(mentor, 1, after=seen + 2)[-1]
    assert released.text == translate("en", m.M_RELEASED, case=case_id, minutes=0)
    told = visible(fake_api.wait_for(person, 1, after=heard)[-1].text)
    assert told.startswith(translate("tr", m.RELEASED, numbers="")[:50])
    offered = [s for s in fake_api.messages_to(colleague) if s.buttons and s.buttons[0]["callback_data"] == f"mc:{case_id}"]
    assert offered, "the chat is offered to the other mentors on duty"
    with sessions_of(bot)() as session:
        case = session.get(Handoff, case_id)
        assert case.status == "waiting" and case.released_at is not None
    assert len([s for s in fake_api.messages_to(mentor) if s.text == reminder.text]) == 1  # once
