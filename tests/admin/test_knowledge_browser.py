"""Staff own the knowledge base, in a real headless Chromium (Debian's `chromium`, driven by Playwright): an editor
creates an entry, publishes it and finds it in the list; the stale-facts page lists an entry checked more than a
year ago until it is checked again. The admin runs as `python -m bot run` starts it (bot.runner.Stack.start_admin),
on a database of its own (no Rasa needed). With BROBYGGER_SCREENSHOTS=<dir> the pages are saved as PNG
(docs/screenshots/knowledge*.png were made that way)."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.admin import knowledge as kb
from bot.admin import security
from bot.config import Settings
from bot.runner import Stack
from common import knowledge
from common.db import make_engine, migrate, session_factory
from tests.admin.test_browser import CHROMIUM, PASSWORD, shot
from tests.conftest import _free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("knowledge-admin")
    url = f"sqlite:///{tmp / 'product.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    with sessions.begin() as db:
        security.create_user(db, "eva", PASSWORD, "editor")
        # a shipped entry whose facts were last checked long ago (a year and a half)
        old = knowledge.document_of(knowledge.shipped()["de.referral.eye_doctor"], ["en", "de"])
        old = knowledge.Document(old.country, old.topic, old.source_name, old.source_url,
                                 dt.date.today() - dt.timedelta(days=550), old.texts)
        kb.save_draft(db, "eva", "de.referral.eye_doctor", old, dt.date.today())
        kb.publish(db, "eva", "de.referral.eye_doctor", dt.date.today())
    running = Stack(Settings(admin_port=_free_port(), database_url=url, admin_secret_key="a-test-secret-for-the-admin"),
                    tracker_db=tmp / "tracker.db", log_dir=tmp / "log")
    running.start_admin()
    running.wait_ready(60)
    yield running.admin_url, sessions
    running.stop()
    engine.dispose()


@pytest.fixture(scope="module")
def page(admin):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    from playwright.sync_api import sync_playwright

    url, _ = admin
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        opened = browser.new_page(viewport={"width": 1200, "height": 900})
        opened.goto(f"{url}/login")
        opened.fill("#username", "eva")
        opened.fill("#password", PASSWORD)
        opened.click("button[type=submit]")
        opened.wait_for_url(f"{url}/answers")
        yield opened
        browser.close()


def test_an_editor_creates_publishes_and_finds_an_entry(admin, page):
    url, sessions = admin
    page.click("header a[href='/knowledge']")
    page.wait_for_url(f"{url}/knowledge")
    page.click("text=New entry")
    page.fill("#entry_id", "dk.costs.gym")
    page.select_option("#country", "DK")
    page.select_option("#topic", "costs")
    page.fill("#source_name", "borger.dk")
    page.fill("#source_url", "https://www.borger.dk/sundhed-og-sygdom")
    page.fill("#checked", dt.date.today().isoformat())
    page.fill("#en_title", "can i get money back for my gym membership?")
    page.fill("#en_answer", "No. The public health insurance does not pay for a gym. Call 70 201 201 to talk.")
    page.fill("#en_examples", "does the health card pay for the gym\nfitness subscription refund from the state?")
    page.click("button[value=publish]")
    alert = page.wait_for_selector("[role=alert]")  # a phone number written as digits is refused
    assert "the phone number 70 201 201 is written as digits" in alert.inner_text()
    page.fill("#en_answer", "No. The public health insurance does not pay for a gym. To talk, call %(lifeline)s.")
    page.click("summary:has-text('Dansk')")
    page.fill("#da_title", "kan jeg få penge tilbage for mit fitnessabonnement?")
    page.fill("#da_answer", "Nej. Den offentlige sygesikring betaler ikke for fitness. Ring %(lifeline)s for at tale.")
    page.fill("#da_examples", "betaler det gule kort for fitness")
    page.click("button[value=publish]")
    page.wait_for_selector("text=Published. The bot answers with it within seconds")
    preview = page.inner_text("#preview")
    assert "No. The public health insurance does not pay for a gym. To talk, call 70 201 201." in preview
    assert "Source: borger.dk – https://www.borger.dk/sundhed-og-sygdom" in preview
    shot(page, "knowledge-entry")
    page.goto(f"{url}/knowledge?country=DK&q=gym")
    row = page.locator("tr", has_text="dk.costs.gym")
    assert row.count() == 1 and "published" in row.inner_text() and "da en" in row.inner_text()
    page.goto(f"{url}/knowledge?country=DK&topic=referral_specialist")
    shot(page, "knowledge")
    with sessions() as db:
        [view] = [v for v in kb.views(db) if v.entry_id == "dk.costs.gym"]
        assert view.status == "published" and view.updated_by == "eva"


def test_the_stale_page_lists_an_old_entry_until_it_is_checked_again(admin, page):
    url, _ = admin
    page.goto(f"{url}/knowledge/stale")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "de.referral.eye_doctor" in rows.first.inner_text()
    shot(page, "knowledge-stale")
    page.click("text=Check and edit")
    page.wait_for_url(f"{url}/knowledge/de.referral.eye_doctor")
    page.fill("#checked", dt.date.today().isoformat())
    page.click("button[value=publish]")
    page.wait_for_selector("text=Published.")
    page.goto(f"{url}/knowledge/stale")
    assert "No entry was checked more than 12 months ago." in page.inner_text("tbody")
    page.goto(f"{url}/knowledge/de.referral.eye_doctor")
    page.click("form[action$='/retire'] button")
    page.wait_for_selector("text=Retired: the bot no longer answers with it.")
    page.goto(f"{url}/knowledge?status=retired")
    assert page.locator("tbody tr").count() == 1 and "de.referral.eye_doctor" in page.inner_text("tbody")
