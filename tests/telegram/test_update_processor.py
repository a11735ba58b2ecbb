"""Per-chat ordering with concurrency across chats (python-telegram-bot's BaseUpdateProcessor)."""
from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.telegram.app import PerChatUpdateProcessor


async def test_per_chat_processor_keeps_one_chats_order_and_runs_chats_concurrently():
    processor = PerChatUpdateProcessor()
    log: list[str] = []

    def update(chat_id: int, n: int) -> Update:
        chat = Chat(chat_id, "private")
        return Update(n, message=Message(n, None, chat, from_user=User(chat_id, "x", False), text=str(n)))

    async def work(tag: str, delay: float) -> None:
        log.append(f"start {tag}")
        await asyncio.sleep(delay)
        log.append(f"end {tag}")

    await asyncio.gather(
        processor.process_update(update(1, 1), work("a1", 0.05)),
        processor.process_update(update(1, 2), work("a2", 0.0)),
        processor.process_update(update(2, 3), work("b1", 0.0)),
    )
    assert log.index("end a1") < log.index("start a2")  # one chat: in order
    assert log.index("end b1") < log.index("end a1")  # another chat did not wait
    assert processor._chats == {}
