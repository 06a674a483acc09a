"""The live-event bus while Redis is down (issue 8's note on defect 4): an outage is logged once when it
starts and once when it ends, never per event; publishing does not ask Redis on every event meanwhile;
this worker's own watchers still hear every event at once."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
import redis

from paimai.adapters.realtime.bus import RedisBus


class FlakyRedis:
    """Stands in for the Redis client: publish fails while `down`."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0
        self.published: list[str] = []

    def publish(self, channel: str, message: str) -> int:
        self.calls += 1
        if self.down:
            raise redis.ConnectionError("Connection refused")
        self.published.append(channel)
        return 1


def bus_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "paimai.adapters.realtime.bus"]


def test_an_outage_is_logged_once_and_local_watchers_still_hear(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)

    async def scenario() -> None:
        bus = RedisBus("redis://127.0.0.1:1/0", retry_seconds=3600)
        fake = FlakyRedis()
        bus._client = fake  # type: ignore[assignment]
        watcher = bus.subscribe(7)
        events: list[dict[str, Any]] = [{"lot_id": 7, "seq": seq} for seq in range(1, 6)]

        bus.publish(events[:1])  # Redis up: published there, the listener (not running here) would deliver
        assert fake.published == ["paimai:lot:7"]

        fake.down = True
        bus.publish(events[1:])  # four events while down
        assert fake.calls == 2  # tried once, then skipped until the retry interval
        await asyncio.sleep(0)
        heard = [watcher.queue.get_nowait()["seq"] for _ in range(watcher.queue.qsize())]
        assert heard == [2, 3, 4, 5]
        assert len(bus_logs(caplog)) == 1 and "failed" in bus_logs(caplog)[0]

        fake.down = False
        bus.publishing.retry_seconds = 0
        bus.publishing._next_try = 0
        bus.publish([{"lot_id": 7, "seq": 6}])
        assert fake.published == ["paimai:lot:7", "paimai:lot:7"]
        assert len(bus_logs(caplog)) == 2 and "answers again" in bus_logs(caplog)[1]
        watcher.close()

    asyncio.run(scenario())


def test_the_listener_logs_an_unreachable_redis_once(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing listens on port 1: the listener fails, pauses longer each time, and says so once."""
    caplog.set_level(logging.WARNING)

    async def scenario() -> None:
        bus = RedisBus("redis://127.0.0.1:1/0")
        await bus.start()
        await asyncio.sleep(2.0)  # 0.5 + 1 s of pauses: three attempts at least
        await bus.stop()

    asyncio.run(scenario())
    listener = [line for line in bus_logs(caplog) if "listener" in line]
    assert len(listener) == 1, listener
