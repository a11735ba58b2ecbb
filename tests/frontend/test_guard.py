"""The front end's in-memory per-person state is bounded: a bot that meets a million people does not keep a million
entries (flood limit, per-person order, last language, per-chat pacing)."""
from __future__ import annotations

import asyncio

from bot.frontend.guard import FloodGuard, LanguageMemory, PersonLocks
from bot.telegram.app import ChatPacer


def test_the_flood_limit_gives_one_notice_then_ignores_and_remembers_a_bounded_number_of_people():
    guard = FloodGuard(messages=3, seconds=60, capacity=100)
    assert [guard.check(1) for _ in range(5)] == [None, None, None, True, False]
    for person in range(2, 1_000):
        guard.check(person)
    assert len(guard._recent) == 100
    assert guard.check(999) is None  # recent people keep their count; the oldest were forgotten


async def test_person_locks_keep_order_and_are_dropped_when_nobody_waits():
    locks = PersonLocks()
    order: list[str] = []

    async def work(name: str, pause: float) -> None:
        async with await locks(7):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(work("a", 0.05), work("b", 0))
    assert order == ["a in", "a out", "b in", "b out"]
    assert len(locks) == 0


def test_the_language_memory_is_bounded():
    memory = LanguageMemory(capacity=10)
    for chat in range(100):
        memory.remember(chat, "da")
    assert memory.get(99) == "da" and memory.get(0) is None


async def test_the_chat_pacer_forgets_chats_whose_interval_is_over():
    pacer = ChatPacer(0.0, capacity=50)
    for chat in range(1_000):
        await pacer.wait(chat)
    assert len(pacer) <= 51
