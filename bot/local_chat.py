"""The terminal chat: the same front end as Telegram (consent, pickers, commands, crisis path, hand-off), in a terminal.

`make run` without TELEGRAM_BOT_TOKEN opens one. Buttons are shown numbered: type the number to press one. `/quit`
ends. A second terminal can act as a peer mentor against the running product, with no Telegram account:

    .venv-app/bin/python -m bot mentors invite --name Sara --languages da     # prints a link ending in start=CODE
    .venv-app/bin/python -m bot chat --user 2                               # then type: /start CODE, /duty on

Messages for another chat (the mentor's, the person's) go through the outbox; each terminal shows its own.
"""
from __future__ import annotations

import asyncio
import itertools
import sys
import threading
import time
from typing import List, Tuple

from bot import outbox
from bot.config import Settings
from bot.exchange import Incoming, Outgoing
from bot.frontend import FrontEnd
from bot.rasa_client import RasaServer

_update_ids = itertools.count(time.time_ns() // 1000)  # unique across terminals in practice (microseconds)


class Terminal:
    """One person or mentor at a terminal. `send` takes what they type and returns the lines to show."""

    def __init__(self, front: FrontEnd, user_id: int = 1, language_hint: str | None = None) -> None:
        self.front, self.user_id, self.language_hint = front, user_id, language_hint
        self.buttons: List[Tuple[str, str]] = []  # (title, callback data) of the last keyboard shown

    async def send(self, typed: str) -> List[str]:
        text = typed.strip()
        if not text:
            return []
        if text.isdigit() and 0 < int(text) <= len(self.buttons):
            data = self.buttons[int(text) - 1][1]
            replies = await self.front.press(self._incoming("button", data))
        else:
            replies = await self.front.handle(self._incoming("command" if text.startswith("/") else "text", text))
        return await self.show(replies)

    async def show(self, replies: List[Outgoing]) -> List[str]:
        """This terminal's replies as lines; the other chats' go to the outbox for their terminal."""
        mine = [reply for reply in replies if reply.chat_id == self.user_id]
        others = [reply for reply in replies if reply.chat_id != self.user_id]
        if others:
            await self.front.db.transaction(outbox.put, others)
        lines: List[str] = []
        for reply in mine:
            lines += self._render(reply)
        return lines

    async def collect(self) -> List[str]:
        """What the outbox holds for this terminal (from the other terminal, the admin, the jobs)."""
        rows = await self.front.db.transaction(outbox.claim, 50, self.user_id)
        lines: List[str] = []
        for _, reply in rows:
            lines += self._render(reply)
        await self.front.db.transaction(outbox.mark_sent, [row_id for row_id, _ in rows])
        return lines

    async def jobs(self) -> None:
        """What the bot's job queue does: answer kept messages, tell people who wait too long, send due appointment
        reminders (via the outbox)."""
        answers = await self.front.retry_pending()
        waiting = await self.front.db.run(self.front.check_waiting)
        await self.front.db.run(self.front.run_reminders)
        if answers or waiting:
            await self.front.db.transaction(outbox.put, answers + waiting)

    def _render(self, reply: Outgoing) -> List[str]:
        if reply.edit_message_id is not None:
            return [f"(earlier message changed) {reply.text}"]
        lines = ["[a photo, voice note or file]"] if reply.copy_from is not None else [reply.text]
        if reply.buttons:
            self.buttons = list(reply.buttons)
            lines += [f"  [{number}] {title}" for number, (title, _) in enumerate(reply.buttons, start=1)]
        return lines

    def _incoming(self, kind: str, text: str) -> Incoming:
        return Incoming(update_id=next(_update_ids), user_id=self.user_id, chat_id=self.user_id, kind=kind, text=text,
                        language_hint=self.language_hint)


def _lines(loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str]:
    """What is typed, line by line ("" at the end of input). A daemon thread reads standard input: a read blocked in
    the event loop's default executor would make asyncio.run wait for it at Ctrl-C, and `make run` would never reach
    the runner's clean stop of Rasa, the action server and the admin."""
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            line = sys.stdin.readline()
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if line == "":
                return

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
    return lines


async def _loop(terminal: Terminal, retry_interval: float) -> None:
    typed_lines = _lines(asyncio.get_running_loop())
    interactive = sys.stdin.isatty()

    async def background() -> None:
        last_jobs = 0.0
        while True:
            if time.monotonic() - last_jobs >= retry_interval:
                await terminal.jobs()
                last_jobs = time.monotonic()
            for line in await terminal.collect():
                print(line, flush=True)
            await asyncio.sleep(1.0)

    task = asyncio.create_task(background())
    try:
        print("Write in any language. Type a button's number to press it. /quit to stop.", flush=True)
        while True:
            typed = await typed_lines.get()
            if typed == "":
                if interactive:
                    return
                # no terminal (e.g. started in the background): keep the product running until Ctrl-C
                print("No terminal: the product keeps running (Ctrl-C stops it).", flush=True)
                await asyncio.Event().wait()
            if typed.strip() in {"/quit", "/exit"}:
                return
            for line in await terminal.send(typed):
                print(line, flush=True)
    finally:
        task.cancel()


def chat(settings: Settings, stack: RasaServer, user_id: int = 1) -> None:
    """Run a terminal chat against the running Rasa of `stack` (the same front end as Telegram)."""
    from bot.rasa_client import RasaClient
    from common import content_store
    from common.db import make_engine, migrate, session_factory

    migrate(settings.database_url)
    content_store.configure(settings.database_url)

    async def main() -> None:
        front = FrontEnd(session_factory(make_engine(settings.database_url)), RasaClient(stack.rasa_url, stack.token), settings)
        try:
            await _loop(Terminal(front, user_id), settings.retry_interval)
        finally:
            await front.close()

    asyncio.run(main())
