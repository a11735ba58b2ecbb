"""Shared fixtures: a CollectingDispatcher, the domain, and (for e2e tests) the running Rasa + action server."""
from __future__ import annotations

import socket
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

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
def stack(tmp_path_factory) -> Iterator["Stack"]:
    """The trained model served by `rasa run --enable-api` plus the action server, on free local ports."""
    from bot.config import Settings
    from bot.runner import Stack

    settings = Settings(rasa_port=_free_port(), action_port=_free_port())
    tmp = tmp_path_factory.mktemp("stack")
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
