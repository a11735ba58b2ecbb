"""The web admin in a real headless Chromium (Debian's `chromium`, driven by Playwright; no browser download).

Done-when of the staff-admin issue: log in, edit a Danish answer, publish, and the bot's next Danish answer on
that topic (through the fake Bot API server) shows the new text; a .po file with a broken placeholder is refused
with its line number; an editor cannot reach admin-only pages. With BROBYGGER_SCREENSHOTS=<dir> the pages are
also saved as PNG (docs/screenshots/ was made that way).
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.admin import security
from bot.config import Settings
from bot.runner import Stack
from common import content
from common.db import make_engine, session_factory
from tests.conftest import _free_port
from tests.telegram.test_bot_e2e import new_user, onboard

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "a long staff password"
SHOTS = os.environ.get("BROBYGGER_SCREENSHOTS")


@pytest.fixture(scope="module")
def admin_url(stack, tmp_path_factory):
    """The admin as `python -m bot run` starts it (bot.runner.Stack.start_admin), on the stack's database."""
    with session_factory(make_engine(stack.settings.database_url)).begin() as db:
        security.create_user(db, "eva", PASSWORD, "editor")
        security.create_user(db, "ada", PASSWORD, "admin")
    admin = Stack(Settings(admin_port=_free_port(), database_url=stack.settings.database_url),
                  tracker_db=stack.tracker_db, log_dir=tmp_path_factory.mktemp("admin"))
    admin.start_admin()
    admin.wait_ready()
    yield admin.admin_url
    admin.stop()
    # leave the session's stack as other tests expect it: the shipped answers, an empty directory
    engine = make_engine(stack.settings.database_url)
    with engine.begin() as connection:
        for table in ("answer_text", "translation_override", "service"):
            connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()
    time.sleep(2.5)  # the action server's content cache


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    shot(page, "login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/answers")


def test_a_published_danish_answer_is_what_the_bot_says_next(browser, admin_url, telegram_bot, fake_api):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, admin_url, "eva")
    page.goto(f"{admin_url}/answers?language=da")
    shot(page, "answers")
    page.click("a[href='/answers/interpreter/DK/da']")
    new_text = "Du har ret til en tolk hos lægen. Sig det, når du bestiller tid. Akut: ring %(emergency)s. (redigeret)"
    page.fill("#text", new_text)
    page.click("button[value=publish]")
    page.wait_for_selector("text=The bot uses the new text within seconds")
    shot(page, "answer-published")

    user = new_user()
    sent = onboard(fake_api, user, "da", "DK")
    time.sleep(2.5)  # the action server's content cache lives 2 s
    fake_api.send_text(user, "tolk")  # the topic (a specific question gets its knowledge-base answer, issue #15)
    answer = fake_api.wait_for(user, 1, after=sent)[0]
    assert answer.text.startswith("Du har ret til en tolk hos lægen. Sig det, når du bestiller tid. Akut: ring 112. (redigeret)")
    assert content.answer("interpreter", "DK").source_url in answer.text  # still names its official source
    page.close()


def test_a_po_file_with_a_broken_placeholder_is_refused_with_its_line(browser, admin_url, tmp_path):
    broken = tmp_path / "da.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Which country do you live in?"\nmsgstr "Hvor bor du?"\n\n'
        'msgid "I am looking for a peer mentor who speaks %(language)s. I will tell you as soon as one joins. '
        'You can already write here what you need: the mentor will read it."\n'
        'msgstr "Jeg leder efter en mentor, der taler %(sprog)s."\n', encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, admin_url, "eva")
    page.goto(f"{admin_url}/translations")
    page.set_input_files("input[aria-label='da .po file']", str(broken))
    page.click("form[action='/translations/da'] button[type=submit]")
    alert = page.wait_for_selector("[role=alert]")
    assert "line 8: placeholder problem: missing %(language)s; unknown %(sprog)s" in alert.inner_text()
    shot(page, "translations-refused")
    with page.expect_download() as download:  # nothing was imported, not even the entry that was fine
        page.click("a[href='/translations/da.po']")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert 'msgid "Which country do you live in?"' in exported and "Hvor bor du?" not in exported
    page.close()


def test_an_editor_cannot_reach_admin_only_pages_but_an_admin_can(browser, admin_url):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, admin_url, "eva")
    assert page.locator("a[href='/users']").count() == 0
    for path in ("/users", "/audit"):
        response = page.goto(f"{admin_url}{path}")
        assert response.status == 403 and "Not available" in page.content()
    page.click("text=Log out")
    page.wait_for_url(f"{admin_url}/login")
    log_in(page, admin_url, "ada")
    response = page.goto(f"{admin_url}/audit")
    assert response.status == 200 and "publish" in page.content() and "answer:interpreter:DK:da" in page.content()
    shot(page, "audit")
    page.goto(f"{admin_url}/mentors")
    page.fill("#name", "Amal")
    page.fill("#languages", "ar,fa")
    page.click("text=Create invite link")
    link = page.wait_for_selector("#invite-link").inner_text()
    assert link.startswith("https://t.me/") and "?start=" in link
    shot(page, "mentors")
    page.goto(f"{admin_url}/services")
    page.select_option("#kind", "interpreter")
    for field, value in {"#name": "Tolkeservice Midt", "#country": "DK", "#city": "Aarhus", "#phone": "+45 87 13 00 00",
                         "#opening_hours": "man-fre 8-16", "#languages": "ar,fa,ti", "#url": "https://www.rm.dk/"}.items():
        page.fill(field, value)
    page.click("text=Save")
    page.wait_for_selector("text=Saved.")
    assert "Tolkeservice Midt" in page.content()
    shot(page, "services")
    response = page.goto(f"{admin_url}/insight")
    assert response.status == 200 and "Hand-offs per week" in page.content()
    assert "Dansk" in page.content()  # the Danish interpreter question asked through the bot above
    shot(page, "insight")
    page.close()
