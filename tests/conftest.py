"""Shared fixtures: a CollectingDispatcher, the domain, and (for e2e tests) the running Rasa + action server."""
from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

if TYPE_CHECKING:
    from bot.runner import Stack
    from tests.auxil.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """The trained model served by `rasa run --enable-api` plus the action server, on free local ports."""
    from bot.config import Settings
    from bot.runner import Stack

    tmp = tmp_path_factory.mktemp("stack")
    # the action server reads staff-published answers from the product database the test bot also uses
    settings = Settings(rasa_port=_free_port(), action_port=_free_port(), database_url=f"sqlite:///{tmp / 'product.db'}")
    running = Stack(settings, log_dir=tmp / "log", tracker_db=tmp / "tracker.db")
    try:
        running.start()
    except Exception:
        running.stop()
        for log in (tmp / "log").glob("*.log"):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        raise
    yield running
    running.stop()


@pytest.fixture(scope="session")
def fake_api() -> Iterator[FakeBotApi]:
    from tests.auxil.fake_bot_api import FakeBotApi

    api = FakeBotApi().start()
    yield api
    api.stop()


class RunningBot:
    """The Telegram application polling the fake Bot API in a thread of its own (its own event loop)."""

    def __init__(self, application, assistant, database_url: str, webhook: dict | None = None) -> None:
        import asyncio
        import threading

        self.application = application
        self.assistant = assistant
        self.database_url = database_url
        self._webhook = webhook
        self._loop = asyncio.new_event_loop()
        self._stopped = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(60):
            raise TimeoutError("telegram application did not start")

    def _run(self) -> None:
        import asyncio

        asyncio.set_event_loop(self._loop)

        async def main() -> None:
            self._stopped = asyncio.Event()
            await self.application.initialize()
            await self.application.post_init(self.application)
            if self._webhook:
                await self.application.updater.start_webhook(**self._webhook)
            else:
                await self.application.updater.start_polling(poll_interval=0.0, timeout=1)
            await self.application.start()
            self._ready.set()
            await self._stopped.wait()
            await self.application.updater.stop()
            await self.application.stop()
            await self.application.shutdown()
            await self.application.post_shutdown(self.application)

        self._loop.run_until_complete(main())
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()

    def run(self, coroutine, timeout: float = 10.0):
        """Run a coroutine on the bot's event loop (e.g. to close a client used there)."""
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(timeout=30)
        self.assistant.db.sessions.kw["bind"].dispose()  # close the database connections (PostgreSQL ones too)


def start_bot(stack, fake_api, database_url: str, token: str = "123456:TEST-TOKEN", **settings) -> RunningBot:
    """Bot + Rasa + actions on `database_url` (migrated here), polling the fake Bot API in a thread (a token other
    than the default gets only the updates of the chats routed to it: FakeBotApi.route)."""
    from bot.config import Settings
    from bot.frontend import FrontEnd
    from bot.rasa_client import RasaClient
    from bot.telegram.app import build_application
    from common.db import make_engine, migrate, session_factory

    migrate(database_url)
    assistant = FrontEnd(
        session_factory(make_engine(database_url)),
        RasaClient(stack.rasa_url, stack.token),
        Settings(pseudonym_key="test-key", rasa_tracker_url=f"sqlite:///{stack.tracker_db}", **settings),
    )
    application = build_application(
        token, assistant, base_url=fake_api.base_url, chat_interval=0.05, retry_interval=0.5,
        waiting_interval=0.5, care_interval=0.5,
    )
    return RunningBot(application, assistant, database_url)


@pytest.fixture(scope="session")
def telegram_bot(stack, fake_api, tmp_path_factory) -> Iterator[RunningBot]:
    """Bot + Rasa + actions, talking to the fake Bot API over HTTP; the stack's fresh SQLite database."""
    # flood limit off: tests send many messages from one user (the limit itself is tested in tests/bot)
    running = start_bot(stack, fake_api, stack.settings.database_url, flood_messages=100_000)
    yield running
    running.stop()


POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards; skipped (with the reason) where none runs."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            name = f"brobygger_test_{uuid.uuid4().hex[:10]}"
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        pytest.skip(f"no PostgreSQL server at {POSTGRES_URL} (set TEST_POSTGRES_URL): {error.__class__.__name__}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """The product database, migrated with Alembic: a SQLite file, and PostgreSQL where a server runs."""
    from common.db import migrate

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'product.db'}"
        migrate(url)
        yield url
    else:
        for url in _postgres_database():
            migrate(url)
            yield url
