"""common.db.make_engine: the settings that decide durability and how a hanging database shows, on real databases."""
from __future__ import annotations

import time

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from common.db import make_engine


def test_sqlite_is_wal_with_normal_sync_foreign_keys_and_busy_timeout(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'product.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_postgresql_bounds_statements_and_lock_waits(postgres_url) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "15s"
        assert connection.execute(text("SHOW lock_timeout")).scalar() == "15s"
    engine.dispose()


def test_postgresql_statement_that_hangs_becomes_an_error(postgres_url) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        connection.execute(text("SET statement_timeout = '300ms'"))  # the same mechanism, shortened for the test
        started = time.monotonic()
        with pytest.raises(sqlalchemy.exc.OperationalError, match="statement timeout"):
            connection.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 3
    engine.dispose()
