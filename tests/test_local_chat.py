"""The terminal chat goes through the same front end as Telegram: consent and pickers, the crisis path, a hand-off
with a second terminal acting as the mentor (against the running Rasa + action server)."""
from __future__ import annotations

import itertools

import pytest

from bot.config import Settings
from bot.frontend import FrontEnd
from bot.local_chat import Terminal
from bot.rasa_client import RasaClient
from common import content, safety
from common.db import make_engine, migrate, session_factory
from common.i18n import translate
from common.strings import mentor as m
from common.strings import person as ui
from tests.auxil.answers import expected_answer
from tests.auxil.mentors import accept_guide

pytestmark = pytest.mark.e2e
_users = itertools.count(990_000)


@pytest.fixture
async def front(stack, tmp_path):
    url = f"sqlite:///{tmp_path / 'terminal.db'}"
    migrate(url)
    front = FrontEnd(session_factory(make_engine(url)), RasaClient(stack.rasa_url, stack.token),
                     Settings(pseudonym_key="terminal-test", database_url=url, rasa_tracker_url=f"sqlite:///{stack.tracker_db}"))
    yield front
    await front.close()


def number_of(lines: list[str], title: str) -> str:
    """The number a terminal shows in front of a button."""
    return next(line.split("]")[0].strip(" [") for line in lines if line.strip().startswith("[") and title in line)


async def test_consent_then_language_and_country_pickers_then_an_answer(front):
    me = Terminal(front, next(_users))
    shown = await me.send("hello")
    assert shown[0] == translate("en", ui.PRIVACY_NOTICE, days=90)
    shown = await me.send(number_of(shown, translate("en", ui.CONSENT_YES)))
    assert shown[0] == translate("en", ui.CONSENT_GIVEN)
    assert [line.split("] ")[1] for line in shown[1:]] == [lang.name for lang in content.languages().values()]
    shown = await me.send(number_of(shown, "Dansk"))
    assert any(translate("da", ui.CHOOSE_COUNTRY) in line for line in shown)
    shown = await me.send(number_of(shown, translate("da", "Denmark")))
    assert any(line.startswith("  [") for line in shown)  # the topics under the confirmation
    shown = await me.send("jeg har ondt i en tand, hvor finder jeg en tandlæge")
    expected = expected_answer("da", "DK", "jeg har ondt i en tand, hvor finder jeg en tandlæge", "dental_care")
    assert shown[0].startswith(expected[:60])
    shown = await me.send("/mydata")
    assert "Dansk" in shown[0]


async def test_a_crisis_before_consent_gets_the_crisis_numbers_first(front):
    me = Terminal(front, next(_users))
    shown = await me.send("I want to kill myself tonight, I have the pills ready")
    assert shown[0] == safety.crisis_reply("en", None)
    assert translate("en", ui.PRIVACY_NOTICE, days=90) in shown


async def test_a_second_terminal_acts_as_the_mentor(front):
    with front.db.sessions.begin() as session:
        code = front.desk.create_invite(session, "Sara", ["da"]).code
    mentor = Terminal(front, next(_users))
    assert "Sara" in (await mentor.send(f"/start {code}"))[0]
    accept_guide(front.db.sessions, "terminal-test", mentor.user_id)  # the boundaries guide, read before the first duty
    await mentor.send("/duty on")
    person = Terminal(front, next(_users))
    shown = await person.send("/start")
    shown = await person.send(number_of(shown, translate("en", ui.CONSENT_YES)))
    shown = await person.send(number_of(shown, "Dansk"))
    await person.send(number_of(shown, translate("da", "Denmark")))
    asked = await person.send("/mentor")
    assert translate("da", m.SEARCHING, language="Dansk") in asked
    request = await mentor.collect()  # through the outbox, as a second terminal sees it
    await mentor.send(number_of(request, translate("en", m.M_CLAIM)))
    assert any("Sara" in line for line in await person.collect())
    await mentor.send("Hej, jeg er Sara. Hvordan kan jeg hjælpe?")
    assert translate("da", m.FROM_MENTOR, name="Sara", text="Hej, jeg er Sara. Hvordan kan jeg hjælpe?") in await person.collect()
    await person.send("Tak! Jeg har fået et brev fra kommunen.")
    assert any("Jeg har fået et brev fra kommunen" in line for line in await mentor.collect())
