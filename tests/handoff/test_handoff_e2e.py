"""Hand-off end to end: fake Bot API <-> python-telegram-bot <-> Rasa + actions, people and mentors as Telegram users."""
from __future__ import annotations

import itertools

import httpx
import pytest
from sqlalchemy import select

from bot.privacy import pseudonym
from common.db import make_engine, session_factory
from common.db.models import Handoff, Person
from common.i18n import translate
from common.strings import mentor as m
from common.strings import person as ui
from tests.auxil.fake_bot_api import FakeBotApi
from tests.auxil.mentors import accept_guide
from tests.conftest import start_bot
from tests.telegram.test_bot_e2e import onboard, visible

pytestmark = pytest.mark.e2e

_users = itertools.count(950_000)
VOICE = {"voice": {"file_id": "voice-file", "file_unique_id": "v1", "duration": 3, "mime_type": "audio/ogg"}}


def new_user() -> int:
    return next(_users)


def sessions_of(bot):
    return session_factory(make_engine(bot.database_url))


def register_mentor(api, bot, languages: str, name: str, supervisor: bool = False, on_duty: bool = True) -> int:
    """Staff create an invite; the mentor opens the link (`/start <code>`) and goes on duty."""
    with sessions_of(bot).begin() as session:
        code = bot.assistant.desk.create_invite(session, name, languages.split(","), supervisor=supervisor).code
    user = new_user()
    api.send_text(user, f"/start {code}")
    assert name in api.wait_for(user, 1)[-1].text
    accept_guide(sessions_of(bot), "test-key", user)  # onboarding itself: tests/handoff/test_care_e2e.py
    if on_duty:
        api.send_text(user, "/duty")
        api.wait_for(user, 2)
    return user


def off_duty(api, *mentors: int) -> None:
    for user in mentors:
        sent = len(api.messages_to(user))
        api.send_text(user, "/duty off")
        api.wait_for(user, 1, after=sent)


def copies_to(api, chat_id: int):
    return [c for c in api.calls("copyMessage") if int(c.params["chat_id"]) == chat_id]


def case_of(bot, user: int) -> Handoff:
    with sessions_of(bot)() as session:
        return session.scalar(
            select(Handoff).join(Handoff.person).where(Person.pseudonym == pseudonym("test-key", user))
            .order_by(Handoff.id.desc())
        )


def tracker(stack, user: int) -> dict:
    response = httpx.get(f"{stack.rasa_url}/conversations/{pseudonym('test-key', user)}/tracker",
                         params={"token": stack.token}, timeout=10)
    return response.json()


def test_request_claim_relay_both_ways_end_resume_and_rating(telegram_bot, fake_api, stack):
    ukrainian = register_mentor(fake_api, telegram_bot, "uk,ru", "Olena")
    arabic_only = register_mentor(fake_api, telegram_bot, "ar", "Samir")
    person = new_user()
    sent = onboard(fake_api, person, "uk", "DE")
    fake_api.send_text(person, "мені потрібна лікарка для дитини")
    sent = len(fake_api.wait_for(person, 1, after=sent)) + sent

    fake_api.send_text(person, "/mentor")
    searching = fake_api.wait_for(person, 1, after=sent)
    assert visible(searching[0].text) == translate("uk", m.SEARCHING, {"language": "Українська"})
    sent += len(searching)
    notice = fake_api.wait_for(ukrainian, 1, after=2)[-1]
    case = case_of(telegram_bot, person)
    assert notice.buttons[0]["callback_data"] == f"mc:{case.id}"
    assert "мені потрібна лікарка для дитини" in notice.text  # the summary shows the last messages
    assert not [s for s in fake_api.messages_to(arabic_only)[2:] if f"#{case.id}" in s.text]
    assert tracker(stack, person)["paused"] is True

    fake_api.press(ukrainian, f"mc:{case.id}")
    joined = fake_api.wait_for(person, 1, after=sent)
    assert visible(joined[0].text) == translate("uk", m.MENTOR_JOINED, {"name": "Olena"})
    sent += len(joined)
    assert any(c.params.get("text") == translate("en", m.M_TAKEN_BY_YOU, {"case": case.id}) for c in fake_api.calls("editMessageText"))

    mentor_seen = len(fake_api.messages_to(ukrainian))
    fake_api.send_text(person, "дякую, у мене питання про лист з Jobcenter")
    to_mentor = fake_api.wait_for(ukrainian, 1, after=mentor_seen)
    assert to_mentor[-1].text == translate("en", m.M_FROM_PERSON, {"case": case.id, "text": "дякую, у мене питання про лист з Jobcenter"})
    events = [e.get("text") for e in tracker(stack, person)["events"] if e["event"] == "user"]
    assert "дякую, у мене питання про лист з Jobcenter" not in events  # not sent to Rasa at all

    fake_api.send(person, **VOICE)
    fake_api.wait_for(ukrainian, 2, after=mentor_seen)
    voice_copy = copies_to(fake_api, ukrainian)[-1]
    assert int(voice_copy.params["from_chat_id"]) == person

    fake_api.send_text(ukrainian, "Добрий день! Надішліть фото листа, будь ласка.")
    reply = fake_api.wait_for(person, 1, after=sent)
    assert visible(reply[-1].text) == translate("uk", m.FROM_MENTOR, {"name": "Olena", "text": "Добрий день! Надішліть фото листа, будь ласка."})
    assert str(ukrainian) not in reply[-1].text
    sent += len(reply)
    fake_api.send(ukrainian, **VOICE)
    for _ in range(100):
        if copies_to(fake_api, person):
            break
        fake_api.wait_for(ukrainian, 0, timeout=0.1)
    assert int(copies_to(fake_api, person)[-1].params["from_chat_id"]) == ukrainian

    fake_api.send_text(ukrainian, "/end")
    ended = fake_api.wait_for(person, 2, after=sent)
    assert visible(ended[0].text) == translate("uk", m.CHAT_ENDED)
    assert [b["callback_data"] for b in ended[1].buttons] == [f"g:{case.id}:{n}" for n in range(1, 6)]
    sent += len(ended)
    assert tracker(stack, person)["paused"] is False

    fake_api.press(person, f"g:{case.id}:5")
    assert visible(fake_api.wait_for(person, 1, after=sent)[-1].text) == translate("uk", m.RATED)
    sent += 1
    assert case_of(telegram_bot, person).rating == 5

    fake_api.send_text(person, "як отримати перекладача у лікаря?")  # the assistant answers again
    answer = fake_api.wait_for(person, 1, after=sent)[-1]
    assert "Dolmetsch" in answer.text or "перекладач" in answer.text
    off_duty(fake_api, ukrainian, arabic_only)


def test_crisis_gives_the_numbers_first_then_an_urgent_notification(telegram_bot, fake_api):
    arabic = register_mentor(fake_api, telegram_bot, "ar", "Huda")
    supervisor = register_mentor(fake_api, telegram_bot, "da,en", "Mette", supervisor=True)
    person = new_user()
    sent = onboard(fake_api, person, "ar", "DK")
    # imminent danger (an act now): since crisis triage (#14), thoughts of suicide first get the safety question
    fake_api.send_text(person, "ما عاد اتحمل، هلق بلعت كل الحبوب اللي عندي")
    replies = fake_api.wait_for(person, 2, after=sent)
    assert "70 201 201" in replies[0].text and "112" in replies[0].text
    assert visible(replies[1].text) == translate("ar", m.SEARCHING_URGENT)
    case = case_of(telegram_bot, person)
    assert case.urgent and case.reason == "crisis"
    for mentor in (arabic, supervisor):
        notice = [s for s in fake_api.messages_to(mentor) if s.buttons and s.buttons[0]["callback_data"] == f"mc:{case.id}"]
        assert notice and translate("en", m.M_URGENT) in notice[0].text
    off_duty(fake_api, arabic, supervisor)


def test_no_mentor_honest_reply_then_the_message_left_reaches_the_next_mentor(telegram_bot, fake_api):
    person = new_user()
    sent = onboard(fake_api, person, "so", "DK")
    fake_api.send_text(person, "/mentor")
    replies = fake_api.wait_for(person, 2, after=sent)
    assert visible(replies[0].text).startswith(translate("so", m.SEARCHING, {"language": "Soomaali"})[:20])
    assert "70 201 201" in replies[1].text and "112" in replies[1].text
    sent += len(replies)
    fake_api.send_text(person, "waxaan u baahanahay qof ila hadla, warqad ayaa iga yaabisay")
    assert visible(fake_api.wait_for(person, 1, after=sent)[-1].text) == translate("so", m.KEPT_FOR_MENTOR)
    sent += 1

    somali = register_mentor(fake_api, telegram_bot, "so", "Faadumo")  # comes on duty later
    case = case_of(telegram_bot, person)
    notice = [s for s in fake_api.messages_to(somali) if s.buttons and s.buttons[0]["callback_data"] == f"mc:{case.id}"]
    assert notice, "the waiting request reaches the mentor who comes on duty"
    seen = len(fake_api.messages_to(somali))
    fake_api.press(somali, f"mc:{case.id}")
    delivered = fake_api.wait_for(somali, 4, after=seen)
    assert any("warqad ayaa iga yaabisay" in s.text for s in delivered)
    assert visible(fake_api.wait_for(person, 1, after=sent)[-1].text) == translate("so", m.MENTOR_JOINED, {"name": "Faadumo"})
    fake_api.send_text(somali, "/end")
    fake_api.wait_for(person, 3, after=sent)
    off_duty(fake_api, somali)


def test_a_non_mentor_cannot_claim_read_or_end_a_case(telegram_bot, fake_api):
    person = new_user()
    sent = onboard(fake_api, person, "tr", "DE")
    fake_api.send_text(person, "/mentor")
    sent += len(fake_api.wait_for(person, 2, after=sent))
    case = case_of(telegram_bot, person)
    intruder = new_user()
    seen = onboard(fake_api, intruder, "en", "DE")
    unknown = translate("en", ui.UNKNOWN_BUTTON)
    for forged in (f"mc:{case.id}", f"ms:{case.id}", f"g:{case.id}:1"):
        fake_api.press(intruder, forged)
        seen += 1
        assert fake_api.wait_for(intruder, seen)[-1].text == unknown
    fake_api.send_text(intruder, f"/case {case.id}")
    seen += 1
    assert fake_api.wait_for(intruder, seen)[-1].text == translate("en", ui.HELP)
    fake_api.send_text(intruder, "/end")
    seen += 1
    assert "#" not in fake_api.wait_for(intruder, seen)[-1].text
    after = case_of(telegram_bot, person)
    assert after.status == "waiting" and after.mentor_id is None and after.rating is None
    fake_api.send_text(person, "/end")  # the person can cancel their own request
    assert visible(fake_api.wait_for(person, 1, after=sent)[-1].text) == translate("tr", m.REQUEST_CANCELLED)


def test_a_claimed_handoff_keeps_relaying_after_the_bot_restarts(stack, tmp_path):
    api = FakeBotApi().start()
    database_url = f"sqlite:///{tmp_path / 'restart.db'}"
    bot = start_bot(stack, api, database_url)
    try:
        mentor = register_mentor(api, bot, "fa", "Parisa")
        person = new_user()
        sent = onboard(api, person, "fa", "DK")
        api.send_text(person, "/mentor")
        sent += len(api.wait_for(person, 1, after=sent))
        case = case_of(bot, person)
        api.press(mentor, f"mc:{case.id}")
        sent += len(api.wait_for(person, 1, after=sent))
    finally:
        bot.stop()
    bot = start_bot(stack, api, database_url)  # a new process would see the same database
    try:
        seen = len(api.messages_to(mentor))
        api.send_text(person, "سلام، هنوز اینجا هستید؟")
        assert api.wait_for(mentor, 1, after=seen)[-1].text.endswith("سلام، هنوز اینجا هستید؟")
        api.send_text(mentor, "بله، اینجا هستم")
        assert visible(api.wait_for(person, 1, after=sent)[-1].text).endswith("بله، اینجا هستم")
    finally:
        bot.stop()
        api.stop()


def test_deactivating_a_mentor_in_the_admin_tells_the_people_and_the_mentor_through_the_outbox(telegram_bot, fake_api, stack):
    """Staff deactivate a mentor in the web admin (another process in production): the messages are written to the
    outbox in the same transaction, and the running bot delivers them."""
    import re

    from fastapi.testclient import TestClient

    from bot.admin import security
    from bot.admin.app import create_app
    from bot.config import Settings
    from common.db.models import Mentor, OutboxMessage

    turkish = register_mentor(fake_api, telegram_bot, "tr", "Deniz")
    person = new_user()
    sent = onboard(fake_api, person, "tr", "DE")
    fake_api.send_text(person, "/mentor")
    sent += len(fake_api.wait_for(person, 1, after=sent))
    case = case_of(telegram_bot, person)
    fake_api.press(turkish, f"mc:{case.id}")
    joined = fake_api.wait_for(person, 1, after=sent)
    assert visible(joined[0].text) == translate("tr", m.MENTOR_JOINED, {"name": "Deniz"})
    sent += len(joined)
    mentor_seen = len(fake_api.messages_to(turkish))
    with sessions_of(telegram_bot).begin() as session:
        security.create_user(session, "sam-outbox", "correct horse battery", "supervisor")
        mentor_id = session.scalar(select(Mentor.id).where(Mentor.pseudonym == pseudonym("test-key", turkish)))

    app = create_app(Settings(database_url=telegram_bot.database_url, admin_secret_key="test-secret",
                              rasa_tracker_db=stack.tracker_db))
    with TestClient(app, base_url="https://admin.test", follow_redirects=False) as admin:
        token = re.search(r'name="csrf_token" value="([^"]+)"', admin.get("/login").text).group(1)
        admin.post("/login", data={"username": "sam-outbox", "password": "correct horse battery", "csrf_token": token})
        token = re.search(r'name="csrf_token" value="([^"]+)"', admin.get("/mentors").text).group(1)
        assert admin.post(f"/mentors/{mentor_id}/deactivate", data={"csrf_token": token}).status_code == 303

    told = fake_api.wait_for(person, 1, after=sent)
    assert visible(told[0].text) == translate("tr", m.HANDED_OVER)
    mentor_told = fake_api.wait_for(turkish, 1, after=mentor_seen)
    assert visible(mentor_told[0].text) == translate("en", m.M_DEACTIVATED, {"count": 1})
    with sessions_of(telegram_bot)() as session:  # every outbox row was sent, once
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id.in_([person, turkish]))).all()
        assert rows and all(row.sent_at is not None for row in rows)
    assert case_of(telegram_bot, person).status == "waiting"  # back in the queue, the person keeps their place
