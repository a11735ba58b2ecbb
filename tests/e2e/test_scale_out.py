"""Scale-out: two Rasa instances behind a (simulated) load balancer share one conversation through the PostgreSQL
tracker store and the Redis lock store (deploy/endpoints.scale.yml), against this machine's real servers.
Skipped, saying why, where PostgreSQL or Redis does not run."""
from __future__ import annotations

import os
import socket
import uuid

import httpx
import pytest
import sqlalchemy as sa

from bot.config import Settings
from bot.runner import Stack
from tests.conftest import _free_port, _postgres_database

pytestmark = pytest.mark.e2e
REDIS = ("127.0.0.1", 6379)


def redis_commands() -> int:
    import redis

    return int(redis.Redis(*REDIS).info("stats")["total_commands_processed"])


@pytest.fixture(scope="module")
def two_rasas(tmp_path_factory):
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError:
        pytest.skip(f"no Redis server at {REDIS[0]}:{REDIS[1]}: the scale-out configuration cannot be tested here")
    databases = _postgres_database()
    url = sa.engine.make_url(next(databases))
    env = {"RASA_TRACKER_HOST": url.host or "127.0.0.1", "RASA_TRACKER_PORT": str(url.port or 5432),
           "RASA_TRACKER_DATABASE": url.database, "RASA_TRACKER_USER": url.username or "postgres",
           "RASA_TRACKER_PASSWORD": url.password or "", "REDIS_HOST": REDIS[0], "REDIS_PORT": str(REDIS[1]), "REDIS_DB": "0"}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    tmp = tmp_path_factory.mktemp("scale")
    base = Settings(rasa_port=_free_port(), action_port=_free_port(), rasa_endpoints="deploy/endpoints.scale.yml",
                    database_url=f"sqlite:///{tmp / 'product.db'}")
    first = Stack(base, log_dir=tmp / "log-a")
    second = Stack(Settings(**{**base.__dict__, "rasa_port": _free_port()}), token=first.token, log_dir=tmp / "log-b")
    try:
        first.start_actions()
        first.start_rasa()
        second.start_rasa()
        first.wait_ready()
        second.wait_ready()  # the second instance loads its model too
        yield first, second, url
    finally:
        first.stop()
        second.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for _ in databases:  # drop the database
            pass


def say(stack: Stack, sender: str, text: str) -> str:
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return "\n".join(item.get("text") or "" for item in response.json())


def test_two_rasa_instances_continue_one_conversation_through_postgres_and_redis(two_rasas):
    first, second, url = two_rasas
    sender = f"scale-{uuid.uuid4().hex[:8]}"
    before = redis_commands()
    say(first, sender, '/choose_language{"language":"de"}')  # instance A
    say(second, sender, '/inform_country{"country":"DE"}')  # instance B knows the language A set
    answer = say(first, sender, "mein Kind hat nachts hohes Fieber, wen rufe ich an?")  # A knows B's country
    assert "116117" in answer
    assert redis_commands() - before >= 6  # each message took and released the conversation's lock in Redis
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        users = connection.execute(sa.text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
                                   {"s": sender}).scalar()
    engine.dispose()
    assert users == 3
