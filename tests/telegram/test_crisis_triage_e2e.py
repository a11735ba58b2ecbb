"""Crisis triage end to end, through the fake Bot API: a medical idiom gets its health answer and alarms nobody; an
overdose taken gets the numbers first and an urgent hand-off; thoughts of suicide get the safety question, and "I am
not safe" opens an urgent hand-off; a person waiting for a mentor still gets answers to navigation questions."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from bot.privacy import pseudonym
from bot.telegram.render import tappable
from common import safety
from common.db import make_engine, session_factory
from common.db.models import Handoff, Person, RelayMessage
from common.i18n import translate
from common.strings import assistant as assistant_messages
from common.strings import mentor as m
from tests.auxil.answers import expected_answer
from tests.telegram.test_bot_e2e import onboard, visible

pytestmark = pytest.mark.e2e
_users = itertools.count(980_000)


def cases_of(bot, user: int) -> list[Handoff]:
    with session_factory(make_engine(bot.database_url))() as session:
        return list(session.scalars(select(Handoff).join(Handoff.person)
                                    .where(Person.pseudonym == pseudonym("test-key", user)).order_by(Handoff.id)))


@pytest.mark.parametrize("lang, text", [
    ("ar", "ضرسي عم يقتلني من امبارح، وين بلاقي دكتور اسنان؟"),
    ("tr", "diş ağrısı beni öldürecek, acil diş doktoru nerde"),
    ("de", "mein backenzahn bringt mich noch um, wo finde ich schnell einen zahnarzt"),
])
def test_my_tooth_is_killing_me_gets_the_dental_answer_and_no_mentor_alert(telegram_bot, fake_api, lang, text):
    user = next(_users)
    sent = onboard(fake_api, user, lang, "DE")
    fake_api.send_text(user, text)
    replies = [visible(r.text) for r in fake_api.wait_for(user, 1, after=sent)]
    dental = visible(tappable(expected_answer(lang, "DE", text, "dental_care")))  # the entry, else the leaflet
    assert replies[0].startswith(dental[:50]), replies
    assert not any(visible(tappable(safety.crisis_reply(lang, "DE")))[:40] in r for r in replies)
    assert cases_of(telegram_bot, user) == []  # nobody was alerted, nobody is waiting


@pytest.mark.parametrize("lang, country, text", [
    ("en", "DK", "i took all my pills an hour ago"),
    ("de", "DE", "ich hab grad alle meine tabletten geschluckt"),
    ("da", "DK", "jeg har lige taget alle mine piller"),
    ("ar", "DE", "بلعت كل الحبوب اللي عندي قبل شوي"),
    ("ru", "DE", "я только что выпила все свои таблетки"),
])
def test_i_took_all_my_pills_gets_the_numbers_first_and_an_urgent_handoff(telegram_bot, fake_api, lang, country, text):
    user = next(_users)
    sent = onboard(fake_api, user, lang, country)
    fake_api.send_text(user, text)
    replies = [visible(r.text) for r in fake_api.wait_for(user, 2, after=sent)]
    assert replies[0] == visible(tappable(safety.crisis_reply(lang, country)))
    assert visible(translate(lang, m.SEARCHING_URGENT)) in replies
    [case] = cases_of(telegram_bot, user)
    assert case.urgent and case.reason == "crisis"


def test_not_safe_after_the_safety_question_opens_an_urgent_handoff(telegram_bot, fake_api):
    user = next(_users)
    sent = onboard(fake_api, user, "en", "DK")
    fake_api.send_text(user, "honestly i think everyone would be better off if i just wasnt around anymore")
    replies = fake_api.wait_for(user, 1, after=sent)  # numbers, then the question (one Telegram message, buttons under it)
    question = replies[-1]
    numbers_then_question = visible(tappable(safety.crisis_reply("en", "DK"))) + "\n\n" + translate("en", assistant_messages.SAFETY_QUESTION)
    assert visible(question.text) == numbers_then_question
    assert cases_of(telegram_bot, user) == []  # thoughts: asked first, nobody alerted yet
    sent += len(replies)
    not_safe = next(b["callback_data"] for b in question.buttons if b["text"] == translate("en", assistant_messages.SAFETY_NOT_SAFE))
    fake_api.press(user, not_safe)
    answers = [visible(r.text) for r in fake_api.wait_for(user, 2, after=sent)]
    assert translate("en", assistant_messages.SAFETY_NOT_SAFE_REPLY, emergency="112") in answers
    assert translate("en", m.SEARCHING_URGENT) in answers
    [case] = cases_of(telegram_bot, user)
    assert case.urgent and case.reason == "not_safe"


def test_a_person_waiting_for_a_mentor_gets_answers_and_the_mentor_still_gets_the_message(telegram_bot, fake_api):
    user = next(_users)
    sent = onboard(fake_api, user, "uk", "DE")
    fake_api.send_text(user, "/mentor")
    sent += len(fake_api.wait_for(user, 1, after=sent))
    question = "підкажіть, як отримати перекладача до лікаря, бо я погано знаю німецьку?"
    fake_api.send_text(user, question)
    replies = [visible(r.text) for r in fake_api.wait_for(user, 1, after=sent)]
    note = translate("uk", m.WHILE_WAITING)
    assert any(note in r for r in replies), replies
    assert not any(r == translate("uk", m.KEPT_FOR_MENTOR) for r in replies)
    [case] = cases_of(telegram_bot, user)
    assert case.status == "waiting"
    with session_factory(make_engine(telegram_bot.database_url))() as session:
        kept = session.scalars(select(RelayMessage.text).where(RelayMessage.handoff_id == case.id)).all()
    assert question in kept  # the mentor who claims the case reads it
