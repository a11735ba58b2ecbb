"""Staff own the knowledge base, end to end through the real action server (`python -m rasa_sdk --actions actions`,
as bot.runner starts it): an entry published in the product database is answered by the running server, which
was started before it existed, without a restart and without Rasa (no model is trained for this: retrieval runs in
the action server; the request is the one Rasa sends to its action endpoint). A retired entry is no longer
answered."""
from __future__ import annotations

import datetime as dt
import time

import httpx
import pytest
import yaml

from bot.admin import knowledge as kb
from bot.config import ROOT, Settings
from bot.runner import Stack
from common.db import make_engine, migrate, session_factory
from tests.actions.test_knowledge_live import GYM
from tests.auxil.trackers import make_tracker
from tests.conftest import _free_port

pytestmark = pytest.mark.e2e
QUESTION = "does the health card pay for the gym?"
NEW_ANSWER = "No. The public health insurance does not pay for a gym or fitness membership."


@pytest.fixture(scope="module")
def actions(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("knowledge-actions")
    url = f"sqlite:///{tmp / 'product.db'}"
    migrate(url)
    running = Stack(Settings(action_port=_free_port(), database_url=url), tracker_db=tmp / "tracker.db",
                    log_dir=tmp / "log")
    running.start_actions()
    running.wait_ready(300)  # the retrieval index is loaded from var/cache (built once, ~2 min on 2 cores)
    engine = make_engine(url)
    yield running.action_url, session_factory(engine)
    engine.dispose()
    running.stop()


def answer(action_url: str, text: str) -> str:
    """What the action server answers `action_answer_topic` with, for a Danish resident writing in English."""
    tracker = make_tracker(text, intent="costs", slots={"language": "en", "country": "DK", "region": "capital",
                                                        "residence_asked": True})
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    reply = httpx.post(f"{action_url}/webhook", timeout=30, json={
        "next_action": "action_answer_topic", "sender_id": tracker.sender_id, "tracker": tracker.current_state(),
        "domain": domain, "version": "3.6.2"})
    reply.raise_for_status()
    return "\n".join(message.get("text") or "" for message in reply.json()["responses"])


def answered_within(action_url: str, seconds: float, expected) -> str:
    """Ask until the answer is `expected` (the content store's TTL and the background index update take a few
    seconds); the last answer."""
    deadline = time.monotonic() + seconds
    text = answer(action_url, QUESTION)
    while not expected(text) and time.monotonic() < deadline:
        time.sleep(0.5)
        text = answer(action_url, QUESTION)
    return text


def test_an_entry_published_while_the_server_runs_is_answered_and_a_retired_one_no_longer(actions):
    action_url, sessions = actions
    assert not answer(action_url, QUESTION).startswith(NEW_ANSWER)
    with sessions.begin() as db:
        kb.save_draft(db, "eva", "dk.costs.gym", GYM, dt.date.today(), new=True)
        kb.publish(db, "eva", "dk.costs.gym", dt.date.today())
    started = time.monotonic()
    text = answered_within(action_url, 60, lambda t: t.startswith(NEW_ANSWER))
    assert text.startswith(NEW_ANSWER) and "https://www.borger.dk/sundhed-og-sygdom" in text
    print(f"published -> answered by the running action server in {time.monotonic() - started:.1f} s")
    with sessions.begin() as db:
        kb.retire(db, "eva", "dk.costs.gym")
    text = answered_within(action_url, 60, lambda t: not t.startswith(NEW_ANSWER))
    assert not text.startswith(NEW_ANSWER)
