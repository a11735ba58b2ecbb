"""The outbox on real databases: what is put in a transaction exists only if it commits; two senders claiming at
once never get the same row; sent rows never come back; a sender that died gives its rows back after a while."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from bot import outbox
from bot.exchange import Outgoing
from common.db import make_engine, session_factory
from common.db.models import utcnow


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


def test_a_rolled_back_change_leaves_nothing_to_send(sessions):
    with sessions() as session:
        outbox.put(session, [Outgoing(1, "never")])
        session.rollback()
    with sessions.begin() as session:
        assert outbox.claim(session) == []


def test_messages_round_trip_with_buttons_copies_edits_and_notifications(sessions):
    sent = [Outgoing(7, "hej", [("Ja", "d:yes")], rtl=True, notification_id=3), Outgoing(7, "", copy_from=(5, 9)),
            Outgoing(8, "taken", edit_message_id=11)]
    with sessions.begin() as session:
        assert outbox.put(session, sent) == 3
    with sessions.begin() as session:
        claimed = outbox.claim(session)
    assert [message for _, message in claimed] == sent


def test_two_senders_at_once_never_get_the_same_row_and_sent_rows_stay_sent(sessions):
    with sessions.begin() as session:
        outbox.put(session, [Outgoing(100 + n, f"m{n}") for n in range(40)])
    got: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def sender(index: int) -> None:
        start.wait()
        while True:
            with sessions.begin() as session:
                rows = outbox.claim(session, limit=3)
                outbox.mark_sent(session, [row_id for row_id, _ in rows])
            if not rows:
                return
            got[index] += [row_id for row_id, _ in rows]

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not set(got[0]) & set(got[1])
    assert len(got[0]) + len(got[1]) == 40
    with sessions.begin() as session:
        assert outbox.claim(session) == []


def test_a_claim_whose_sender_died_is_taken_up_again_later(sessions):
    with sessions.begin() as session:
        outbox.put(session, [Outgoing(1, "hello")])
    with sessions.begin() as session:
        assert len(outbox.claim(session)) == 1  # claimed, never marked sent (the sender died)
    with sessions.begin() as session:
        assert outbox.claim(session) == []
        assert len(outbox.claim(session, now=utcnow() + outbox.STALE_CLAIM + dt.timedelta(seconds=1))) == 1
