"""The transactional outbox: messages created outside a Telegram handler (web admin, CLI, jobs).

`put` writes them in the caller's transaction, next to the change that caused them (a mentor deactivated, a case
handed back), so they exist exactly when the change does. A sender (the bot's job, or the terminal chat) `claim`s
rows with one conditional UPDATE each, so across instances one sender gets a row; it sends and marks it `sent`.
A claim older than `STALE_CLAIM` (its sender died before marking) is taken up again: at-least-once delivery, with a
duplicate only after a crash between sending and marking.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterable, List, Tuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.exchange import Outgoing
from common.db import execute_dml
from common.db.models import OutboxMessage, utcnow

STALE_CLAIM = dt.timedelta(minutes=5)


def put(session: Session, messages: Iterable[Outgoing]) -> int:
    """Queue messages in the caller's transaction; returns how many."""
    count = 0
    for message in messages:
        session.add(OutboxMessage(
            chat_id=message.chat_id, text=message.text, buttons=json.dumps([list(b) for b in message.buttons]),
            rtl=message.rtl, copy_from_chat_id=message.copy_from[0] if message.copy_from else None,
            copy_from_message_id=message.copy_from[1] if message.copy_from else None,
            edit_message_id=message.edit_message_id, notification_id=message.notification_id,
        ))
        count += 1
    return count


def _outgoing(row: OutboxMessage) -> Outgoing:
    copy_from = (row.copy_from_chat_id, row.copy_from_message_id) if row.copy_from_chat_id is not None else None
    return Outgoing(
        chat_id=row.chat_id, text=row.text, buttons=[(title, data) for title, data in json.loads(row.buttons)],
        rtl=row.rtl, copy_from=copy_from,  # type: ignore[arg-type]
        edit_message_id=row.edit_message_id, notification_id=row.notification_id,
    )


def claim(session: Session, limit: int = 50, chat_id: int | None = None, now: dt.datetime | None = None) -> List[Tuple[int, Outgoing]]:
    """Take up to `limit` unsent messages (oldest first; only `chat_id`'s when given), in the caller's transaction.
    Each row is taken by one conditional UPDATE: a second sender's UPDATE waits for the first one's row lock
    (PostgreSQL) or write lock (SQLite), then matches nothing."""
    now = now or utcnow()
    query = select(OutboxMessage.id).where(
        OutboxMessage.sent_at.is_(None),
        (OutboxMessage.claimed_at.is_(None)) | (OutboxMessage.claimed_at < now - STALE_CLAIM),
    )
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    claimed: List[Tuple[int, Outgoing]] = []
    for row_id in session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all():
        won = execute_dml(session,
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.sent_at.is_(None),
                   (OutboxMessage.claimed_at.is_(None)) | (OutboxMessage.claimed_at < now - STALE_CLAIM))
            .values(claimed_at=now).execution_options(synchronize_session=False)
        ).rowcount == 1
        if won:
            row = session.get(OutboxMessage, row_id)
            if row is not None:
                claimed.append((row_id, _outgoing(row)))
    return claimed


def mark_sent(session: Session, row_ids: Iterable[int]) -> None:
    """Sent: never again."""
    ids = list(row_ids)
    if ids:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(sent_at=utcnow())
                        .execution_options(synchronize_session=False))


def release(session: Session, row_ids: Iterable[int]) -> None:
    """Give rows back (sending failed): the next run tries again."""
    ids = list(row_ids)
    if ids:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(claimed_at=None)
                        .execution_options(synchronize_session=False))
