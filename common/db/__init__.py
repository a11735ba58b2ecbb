"""Database access (SQLAlchemy 2.0). No engine is created at import time: call `make_engine(url)`."""
from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, UpdateBase, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

ROOT = Path(__file__).resolve().parent.parent.parent


def make_engine(url: str) -> Engine:
    """An engine for `url`.

    SQLite: the folder is created; WAL with synchronous=NORMAL (SQLite's recommended pairing: a commit survives a
    crash of the process; only a power cut or OS crash can undo the last commits, and the file stays consistent);
    foreign keys; a 5 s busy timeout. PostgreSQL (production): connecting gives up after 5 s and a statement or lock
    wait after 15 s, so a database that hangs turns into an error the person is told about, not an endless wait.
    """
    connect_args: dict[str, Any] = {}
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql"):
        connect_args = {"connect_timeout": 5, "options": "-c statement_timeout=15000 -c lock_timeout=15000"}
    # a server can drop connections (restart, failover): PostgreSQL's are checked before use; a file cannot
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), pool_timeout=10, connect_args=connect_args)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:  # pragma: no cover - trivial
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def execute_dml(session: Session, statement: UpdateBase) -> CursorResult[Any]:
    """`session.execute` of an INSERT, UPDATE or DELETE, typed as the CursorResult it returns for one, whose
    `rowcount` (rows matched) decides the conditional UPDATEs. SQLAlchemy 2.0 types every `execute` as `Result`."""
    return cast(CursorResult[Any], session.execute(statement))


def migrate(url: str) -> None:
    """Bring the database schema up to date with Alembic (run at start-up and in tests)."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
