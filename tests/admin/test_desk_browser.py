"""The supervisors' live desk in a real headless Chromium (Debian's `chromium` via Playwright), against the admin as
`make run` starts it and the bot's outbox sender talking to the fake Bot API over HTTP (no Rasa needed: nothing here
goes to the assistant).

Done-when of issue 16, part 1: a new request appears on the open desk without a reload, an urgent one is listed
first, and a reassignment reaches both mentors (and the person) in Telegram. With BROBYGGER_SCREENSHOTS=<dir> the
pages are saved as PNG (docs/screenshots/desk*.png were made that way).
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot import outbox
from bot.admin import security
from bot.config import Settings
from bot.exchange import Incoming
from bot.handoff.desk import Desk
from bot.runner import Stack
from common.db import make_engine, migrate, session_factory
from common.db.models import Handoff, Mentor, Person, RelayMessage, utcnow
from common.i18n import translate
from common.strings import mentor as m
from tests.admin.test_browser import PASSWORD, browser, shot  # noqa: F401 - the fixture
from tests.conftest import RunningBot, _free_port
from tests.telegram.test_bot_e2e import visible

pytestmark = pytest.mark.e2e
KEY = "test-key"
MENTOR_A, MENTOR_B, SUPERVISOR = 7_100_001, 7_100_002, 7_100_003


@pytest.fixture(scope="module")
def product(tmp_path_factory, fake_api):
    """A product database, the admin on it (its own process, as `make run` starts it) and the bot's job queue
    delivering the outbox to the fake Bot API."""
    from bot.frontend import FrontEnd
    from bot.rasa_client import RasaClient
    from bot.telegram.app import build_application

    tmp = tmp_path_factory.mktemp("desk")
    url = f"sqlite:///{tmp / 'product.db'}"
    migrate(url)
    settings = Settings(database_url=url, pseudonym_key=KEY, admin_port=_free_port())
    sessions = session_factory(make_engine(url))
    with sessions.begin() as db:
        security.create_user(db, "sam", PASSWORD, "supervisor")
    admin = Stack(settings, tracker_db=tmp / "tracker.db", log_dir=tmp / "log")
    admin.start_admin()
    admin.wait_ready()
    front = FrontEnd(sessions, RasaClient("http://127.0.0.1:9", "unused"), settings)  # Rasa is never asked here
    fake_api.route(range(7_100_000, 7_300_000), "123459:DESK")  # this module's chats go to its own bot
    bot = RunningBot(build_application("123459:DESK", front, base_url=fake_api.base_url, chat_interval=0.05,
                                       outbox_interval=0.2), front, url)
    yield admin.admin_url, sessions, Desk.from_settings(settings)
    bot.stop()
    admin.stop()


def register(db, desk: Desk, user_id: int, name: str, languages: str, supervisor: bool = False):
    invite = desk.create_invite(db, name, languages.split(","), supervisor=supervisor)
    desk.register(db, Incoming(0, user_id, user_id, "command", ""), invite.code)
    mentor = desk.mentor_of(db, user_id)
    mentor.on_duty = True
    return mentor


def request(sessions, desk: Desk, chat: int, lang: str, reason: str = "request") -> int:
    """A person asks for a mentor, through the function the bot calls (its messages go out via the outbox)."""
    with sessions.begin() as db:
        person = Person(pseudonym=f"desk-{chat}", chat_id=chat, language=lang, country="DK", consent_at=utcnow())
        db.add(person)
        db.flush()
        outbox.put(db, desk.request(db, person, lang, reason))
        return desk.open_case(db, person).id


def log_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", "sam")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/answers")


def test_the_desk_shows_new_requests_live_urgent_first_and_a_reassignment_reaches_both_mentors(product, browser, fake_api):  # noqa: F811
    url, sessions, desk = product
    with sessions.begin() as db:
        amal, bilal = register(db, desk, MENTOR_A, "Amal Haddad", "ar"), register(db, desk, MENTOR_B, "Bilal Rahimi", "ar,fa")
        register(db, desk, SUPERVISOR, "Sara", "en", supervisor=True)
        bilal.max_cases = 4
    open_case = request(sessions, desk, 7_200_001, "ar")
    with sessions.begin() as db:
        outbox.put(db, desk.claim(db, db.get(Mentor, amal.id), open_case))
        case = db.get(Handoff, open_case)
        db.add(RelayMessage(handoff_id=case.id, sender="person", kind="text", text="…", created_at=utcnow() - dt.timedelta(minutes=6)))
        outbox.put(db, desk.from_mentor(db, case.mentor, Incoming(1, MENTOR_A, MENTOR_A, "command", "/flag first chat, unsure")))

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, url)
    page.goto(f"{url}/desk")
    page.wait_for_selector(f"#chat-{open_case}")
    page.evaluate("window.deskMarker = 'not reloaded'")

    waiting = request(sessions, desk, 7_200_002, "ar")
    page.wait_for_selector(f"#waiting-{waiting}", timeout=15_000)  # put in place by desk.js, no reload
    urgent = request(sessions, desk, 7_200_003, "ar", "crisis")
    page.wait_for_selector(f"#waiting-{urgent}", timeout=15_000)
    assert page.locator("#queue tbody tr").first.get_attribute("id") == f"waiting-{urgent}"
    assert page.locator("#queue tbody tr").nth(1).get_attribute("id") == f"waiting-{waiting}"
    assert page.locator(f"#waiting-{urgent} .badge.urgent").inner_text() == "urgent"
    assert page.evaluate("window.deskMarker") == "not reloaded"
    assert page.locator(f"#flag-{open_case}").is_visible() and "Amal Haddad" in page.inner_text(f"#flag-{open_case}")
    assert "Live: updates every 2 s." in page.inner_text("#desk-status")
    shot(page, "desk")
    page.focus(f"#waiting-{waiting} a")  # a keyboard user's place survives the next refresh
    page.wait_for_function("before => document.getElementById('desk-at').textContent !== before",
                           arg=page.inner_text("#desk-at"), timeout=15_000)
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/desk/cases/{waiting}"

    seen = {chat: len(fake_api.messages_to(chat)) for chat in (MENTOR_A, MENTOR_B, 7_200_001)}
    page.click(f"#chat-{open_case} a")
    page.wait_for_url(f"{url}/desk/cases/{open_case}")
    page.select_option("#mentor_id", str(bilal.id))
    shot(page, "desk-case")
    page.click("text=Reassign")
    page.wait_for_selector("text=Moved. Both mentors and the person are told in Telegram.")
    assert page.inner_text("#case-mentor").startswith("Bilal Rahimi")

    old = fake_api.wait_for(MENTOR_A, 1, after=seen[MENTOR_A], timeout=15)
    assert old[0].text == translate("en", m.M_REASSIGNED_AWAY, {"case": open_case, "name": "Bilal Rahimi"})
    new = fake_api.wait_for(MENTOR_B, 2, after=seen[MENTOR_B], timeout=15)
    assert new[0].text.startswith(f"A supervisor has passed chat #{open_case} (P-")
    assert any(f"#{open_case}" in message.text for message in new[1:])  # the request's summary
    told = fake_api.wait_for(7_200_001, 1, after=seen[7_200_001], timeout=15)
    assert visible(told[0].text) == translate("ar", m.MENTOR_CHANGED, {"name": "Bilal"})  # first name only
    with sessions() as db:
        assert db.get(Handoff, open_case).mentor_id == bilal.id
        assert db.scalar(select(Handoff.status).where(Handoff.id == urgent)) == "waiting"

    page.goto(f"{url}/supervision")  # part 5: the supervision record
    page.select_option("#mentor_id", str(amal.id))
    page.check("input[name=topics][value=safety]")
    page.check("input[name=topics][value=self_care]")
    page.fill("#note", "first weeks on duty")
    page.click("text=Save")
    page.wait_for_selector("text=Saved.")
    assert page.inner_text(f"#last-{amal.id}").split("\t")[2] == utcnow().date().isoformat()
    assert page.inner_text(f"#last-{bilal.id}").split("\t")[2] == "never"
    shot(page, "supervision")

    page.goto(f"{url}/desk")  # logged out in another tab: the open desk goes to the login page by itself
    other = context.new_page()
    other.goto(f"{url}/answers")
    other.click("text=Log out")
    page.wait_for_url(f"{url}/login", timeout=15_000)
    context.close()
