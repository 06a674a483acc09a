"""Redis down never fails a login (issue 8, defect 4): the rate limiter counts in process memory while its
shared storage errs, logs the outage once, and goes back to Redis when it answers again."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from limits.storage import MemoryStorage

from conftest import PASSWORD, Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container
from paimai.ratelimit import RateLimiter
from paimai.services import accounts

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


class FlakyStorage(MemoryStorage):
    """A shared storage that raises, as a Redis that went away does, while `down` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.calls = 0

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        self.calls += 1
        if self.down:
            raise ConnectionError("Redis went away")
        return super().acquire_entry(key, limit, expiry, amount)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def outage_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "paimai.ratelimit"]


def test_the_limiter_falls_back_logs_once_and_recovers(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="paimai.ratelimit")
    shared, clock = FlakyStorage(), Clock()
    limiter = RateLimiter(shared, retry_seconds=5, monotonic=clock)
    assert [limiter.hit("3/minute", "login", "a") for _ in range(3)] == [None, None, None]
    assert limiter.hit("3/minute", "login", "a") is not None  # counted in the shared storage

    shared.down = True
    answers = [limiter.hit("3/minute", "login", "b") for _ in range(5)]
    assert answers[:3] == [None, None, None]  # counted in memory meanwhile: still limited, never an error
    assert all(isinstance(wait, int) and 1 <= wait <= 60 for wait in answers[3:])
    assert limiter.degraded
    assert shared.calls == 5  # 4 before, 1 that failed: while down, the shared storage is not asked every time
    assert len(outage_logs(caplog)) == 1 and "failed" in outage_logs(caplog)[0]

    clock.now += 5  # the retry interval: one request tries Redis again, still down, no new log line
    assert limiter.hit("3/minute", "login", "c") is None
    assert shared.calls == 6
    assert len(outage_logs(caplog)) == 1

    shared.down = False
    clock.now += 5
    assert limiter.hit("3/minute", "login", "c") is None
    assert not limiter.degraded
    assert shared.calls == 7
    assert len(outage_logs(caplog)) == 2 and "answers again" in outage_logs(caplog)[1]
    assert limiter.hit("3/minute", "login", "a") is not None  # the shared counts are back in force

    shared.down = True  # a second outage is logged again, once
    for _ in range(3):
        limiter.hit("3/minute", "login", "d")
    assert len(outage_logs(caplog)) == 3


def test_without_redis_the_limits_are_kept_in_memory() -> None:
    limiter = RateLimiter(None)
    assert [limiter.hit("2/minute", "x") for _ in range(2)] == [None, None]
    wait = limiter.hit("2/minute", "x")
    assert wait is not None and 55 <= wait <= 60
    assert not limiter.degraded


@pytest.fixture
def dead_redis_api(db_url: str) -> Iterator[Api]:
    container = Container(make_settings(db_url, redis_url=DEAD_REDIS, login_limit_per_address="4/minute"))
    try:
        with TestClient(create_app(container=container)) as client:
            yield Api(client, container)
    finally:
        container.dispose()


def test_logins_with_redis_unreachable_are_answered_and_still_limited(
    dead_redis_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="paimai.ratelimit")
    api = dead_redis_api
    with api.container.transaction() as uow:
        accounts.register(uow, "alice", PASSWORD)
    login = {"username": "alice", "password": PASSWORD}
    codes = [api.client.post("/api/v1/auth/login", json=login).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 200]
    limited = api.client.post("/api/v1/auth/login", json=login)
    assert limited.status_code == 429  # the per-address cap, counted in memory
    assert limited.json()["error"]["code"] == "RATE_LIMITED"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert api.container.limiter.degraded
    assert len(outage_logs(caplog)) == 1


def test_a_storage_that_raises_never_fails_a_login(api: Api) -> None:
    shared = FlakyStorage()
    shared.down = True
    api.container.limiter = RateLimiter(shared)
    api.user("bob")  # logs in once
    assert api.client.post("/api/v1/auth/login", json={"username": "bob", "password": PASSWORD}).status_code == 200
    wrong = api.client.post("/api/v1/auth/login", json={"username": "bob", "password": "not-the-password"})
    assert wrong.status_code == 401
    shared.down = False  # (the next probe is due in 5 s; in the meantime memory keeps counting)
    assert api.client.post("/api/v1/auth/login", json={"username": "bob", "password": PASSWORD}).status_code == 200
