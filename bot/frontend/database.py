"""Blocking database work off the event loop: each step runs in a small thread pool of its own.

SQLAlchemy's sessions are synchronous; a slow database would stall every chat if they ran on the event loop. A
session may move between threads as long as it is used by one at a time, which `run` guarantees for its caller.
"""
from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


class Database:
    def __init__(self, sessions: sessionmaker[Session], workers: int = 8) -> None:
        self.sessions = sessions
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="db")

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` in the database threads."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def transaction(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(session, *args, **kwargs)` in one transaction (committed when it returns), in the database threads."""

        def work() -> T:
            with self.sessions.begin() as session:
                return fn(session, *args, **kwargs)

        return await self.run(work)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
