"""Per-person limits kept in memory, bounded: the flood limit and one-message-at-a-time per person."""
from __future__ import annotations

import asyncio
import collections
import time
from typing import Deque, Dict


class FloodGuard:
    """More than `messages` within `seconds`: one polite notice, then a clean ignore until it calms down.
    Protects Rasa and the other people from one stuck or hostile client. Remembers at most `capacity` people
    (least recently seen forgotten first)."""

    def __init__(self, messages: int, seconds: float, capacity: int = 50_000) -> None:
        self._messages, self._seconds, self._capacity = messages, seconds, capacity
        self._recent: collections.OrderedDict[int, Deque[float]] = collections.OrderedDict()

    def check(self, person_id: int) -> bool | None:
        """None = fine; True = just went over (send the notice); False = still over (ignore)."""
        now = time.monotonic()
        recent = self._recent.pop(person_id, None) or collections.deque()
        self._recent[person_id] = recent
        while len(self._recent) > self._capacity:
            self._recent.popitem(last=False)
        while recent and now - recent[0] > self._seconds:
            recent.popleft()
        recent.append(now)
        if len(recent) <= self._messages:
            return None
        return len(recent) == self._messages + 1


class PersonLocks:
    """One person's messages are processed one at a time in this process (handler and retry job). A lock is
    dropped when nobody holds or waits for it, so the table stays as small as the number of active people."""

    def __init__(self) -> None:
        self._locks: Dict[int, list] = {}  # person id -> [lock, holders and waiters]

    async def __call__(self, person_id: int) -> _Held:
        entry = self._locks.setdefault(person_id, [asyncio.Lock(), 0])
        entry[1] += 1
        return _Held(self, person_id, entry)

    def _release(self, person_id: int, entry: list) -> None:
        entry[1] -= 1
        if entry[1] == 0:
            self._locks.pop(person_id, None)

    def __len__(self) -> int:
        return len(self._locks)


class _Held:
    def __init__(self, owner: PersonLocks, person_id: int, entry: list) -> None:
        self._owner, self._person_id, self._entry = owner, person_id, entry

    async def __aenter__(self) -> None:
        try:
            await self._entry[0].acquire()
        except BaseException:
            self._owner._release(self._person_id, self._entry)
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._entry[0].release()
        self._owner._release(self._person_id, self._entry)


class LanguageMemory:
    """The last language a chat was answered in, for the error reply when the database itself fails. Bounded."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._languages: collections.OrderedDict[int, str] = collections.OrderedDict()

    def remember(self, chat_id: int, lang: str) -> None:
        self._languages[chat_id] = lang
        self._languages.move_to_end(chat_id)
        while len(self._languages) > self._capacity:
            self._languages.popitem(last=False)

    def get(self, chat_id: int) -> str | None:
        return self._languages.get(chat_id)
