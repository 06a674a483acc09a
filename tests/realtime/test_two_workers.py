"""Live events across worker processes: a bid taken by worker 2 reaches a watcher on worker 1 via Redis."""

from __future__ import annotations

import json
import queue
import threading
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
import redis

from conftest import PASSWORD, REDIS_URL, make_settings, service_missing
from paimai.bootstrap import Container
from paimai.services import accounts
from servers import running_server


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        service_missing("Redis", error)
    return REDIS_URL


def login(base: str, username: str) -> dict[str, str]:
    token = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def watch(
    base: str, lot_id: int, last_event_id: int | None, out: queue.Queue[dict[str, Any]], stop: threading.Event
) -> None:
    headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
    try:
        with httpx.stream("GET", f"{base}/api/v1/lots/{lot_id}/events", headers=headers, timeout=30) as response:
            for line in response.iter_lines():
                if line.startswith(": connected"):
                    out.put({"type": "connected"})
                if line.startswith("data: "):
                    out.put(json.loads(line[6:]))
                if stop.is_set():
                    return
    except httpx.HTTPError:
        return  # the server stopped at the end of the test


def next_event(out: queue.Queue[dict[str, Any]], kind: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        event = out.get(timeout=max(0.01, deadline - time.monotonic()))
        if event["type"] == kind:
            return event


@pytest.mark.redis
@pytest.mark.postgres
def test_bid_on_worker_two_reaches_watcher_on_worker_one(postgres_db: str, redis_url: str) -> None:
    seeding = Container(make_settings(postgres_db, clock="system"))
    with seeding.transaction() as uow:
        accounts.register(uow, "staff", PASSWORD, is_staff=True)
        accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        accounts.register(uow, "alice", PASSWORD)
    now = seeding.now()
    seeding.dispose()
    # A long keep-alive: the watcher's only way to hear of the bid in time is the Redis bus.
    env = {"PAIMAI_DATABASE_URL": postgres_db, "PAIMAI_REDIS_URL": redis_url, "PAIMAI_SSE_KEEPALIVE_SECONDS": "120"}
    with running_server(env) as worker_one, running_server(env) as worker_two:
        staff, seller, alice = (login(worker_two, name) for name in ("staff", "seller", "alice"))
        lot = httpx.post(
            f"{worker_two}/api/v1/lots",
            headers=seller,
            json={
                "title": "翡翠手镯 jade bangle",
                "category": "jewellery",
                "start_price": 500_000,
                "increment": 10_000,
                "deposit": 50_000,
                "starts_at": (now - timedelta(seconds=5)).isoformat(),
                "ends_at": (now + timedelta(hours=1)).isoformat(),
            },
        ).json()
        assert httpx.post(f"{worker_two}/api/v1/staff/lots/{lot['id']}/approve", headers=staff).status_code == 200
        httpx.post(f"{worker_two}/api/v1/me/wallet/top-up", headers=alice, json={"amount": 100_000})
        assert httpx.post(f"{worker_two}/api/v1/lots/{lot['id']}/deposit", headers=alice).status_code == 201

        events: queue.Queue[dict[str, Any]] = queue.Queue()
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(worker_one, lot["id"], None, events, stop), daemon=True)
        watcher.start()
        next_event(events, "connected", 10)
        time.sleep(0.3)  # the subscription is registered before the backlog read
        placed = httpx.post(f"{worker_two}/api/v1/lots/{lot['id']}/bids", headers=alice, json={"amount": 500_000})
        assert placed.status_code == 201, placed.text
        event = next_event(events, "BidPlaced", 10)
        assert event["amount"] == 500_000
        assert event["current_price"] == 500_000
        assert event["seq"] == placed.json()["seq"]

        # A client that reconnects with Last-Event-ID gets exactly what it missed, from the record.
        replay: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=watch, args=(worker_one, lot["id"], 0, replay, stop), daemon=True).start()
        first = next_event(replay, "LotStarted", 10)
        assert first["seq"] == 1
        assert next_event(replay, "BidPlaced", 10)["seq"] == 2
        stop.set()
