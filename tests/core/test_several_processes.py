"""Two server processes share the database and Redis: an event written through one
reaches a screen connected to the other, and replay works from either."""

from __future__ import annotations

import uuid

import pytest
import redis
import requests
from support import ScreenClient, ServerProcess, wait_until

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_available():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")


def test_an_event_crosses_processes_through_redis(redis_available, database_url, tmp_path):
    channel = f"masa-test-{uuid.uuid4()}"  # other runs on this Redis stay out
    servers = [ServerProcess(database_url, tmp_path / f"i{n}", MASA_MESSAGE_QUEUE=REDIS_URL,
                             MASA_MESSAGE_QUEUE_CHANNEL=channel) for n in range(2)]
    try:
        first, second = (server.start() for server in servers)
        manager = first.session_cookie("manager")
        screen = ScreenClient(second.url, "/office", cookie=second.session_cookie("manager"))
        screen.connect(last_event=0)
        assert requests.get(second.url + "/healthz", timeout=5).json()["message_queue"]["ok"]
        response = requests.post(first.url + "/api/v1/business-day/open",
                                 headers={"Cookie": manager}, json={}, timeout=5)
        assert response.status_code == 201
        wait_until(lambda: screen.ids("business_day"))
        assert len(screen.ids()) == 1
        screen.close()
    finally:
        for server in servers:
            server.kill()
