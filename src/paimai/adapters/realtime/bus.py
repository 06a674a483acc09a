"""Event buses. Publishing happens only after commit; delivery is best-effort (clients resync by seq)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Iterable
from typing import Any

import redis
import redis.asyncio as aioredis

from ...outage import Outage

log = logging.getLogger(__name__)
CHANNEL_PREFIX = "paimai:lot:"
RETRY_SECONDS = 5.0  # while Redis is down, how often publishing tries it again
REDIS_TIMEOUT_SECONDS = 0.5
MAX_RECONNECT_PAUSE_SECONDS = 30.0


class Subscription:
    """One watcher's queue of a lot's events, bound to the event loop that reads it."""

    def __init__(self, bus: InProcessBus, lot_id: int, loop: asyncio.AbstractEventLoop) -> None:
        self.bus, self.lot_id, self.loop = bus, lot_id, loop
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1000)

    def offer(self, payload: dict[str, Any]) -> None:
        with contextlib.suppress(asyncio.QueueFull):  # the reader resyncs from the record on a gap
            self.queue.put_nowait(payload)

    async def get(self, timeout: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    def close(self) -> None:
        self.bus.unsubscribe(self)


class InProcessBus:
    """Fan-out to the watchers connected to this process."""

    def __init__(self) -> None:
        self._subs: dict[int, set[Subscription]] = {}
        self._lock = threading.Lock()

    def subscribe(self, lot_id: int) -> Subscription:
        sub = Subscription(self, lot_id, asyncio.get_running_loop())
        with self._lock:
            self._subs.setdefault(lot_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.get(sub.lot_id, set()).discard(sub)

    def watchers(self, lot_id: int) -> int:
        with self._lock:
            return len(self._subs.get(lot_id, ()))

    def deliver(self, payload: dict[str, Any]) -> None:
        with self._lock:
            subs = list(self._subs.get(int(payload["lot_id"]), ()))
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub.offer, payload)
            except RuntimeError:  # the watcher's loop has closed
                self.unsubscribe(sub)

    def publish(self, payloads: Iterable[dict[str, Any]]) -> None:
        for payload in payloads:
            self.deliver(payload)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class RedisBus(InProcessBus):
    """Publishes to Redis; one listener per process delivers what any worker published.

    Redis may restart at any time. Nothing is lost meanwhile — every event is in the lot's record, and
    watchers resync from it by sequence number — so an outage is logged once when it starts and once when
    it ends; publishing skips Redis while it is down (one try per interval: a hung server costs a request
    at most one short timeout per interval), and the listener reconnects with a growing pause.
    """

    def __init__(self, url: str, *, retry_seconds: float = RETRY_SECONDS) -> None:
        super().__init__()
        self.url = url
        self._client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
        )
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()
        self.publishing = Outage(
            "live events: publishing to Redis",
            "events reach other workers' watchers when they resync from the record",
            log,
            retry_seconds=retry_seconds,
        )
        self.listening = Outage(
            "live events: the Redis listener",
            "reconnecting; this worker's watchers resync from the record",
            log,
            retry_seconds=retry_seconds,
        )

    def publish(self, payloads: Iterable[dict[str, Any]]) -> None:
        for payload in payloads:
            if self.publishing.should_try():
                try:
                    self._client.publish(CHANNEL_PREFIX + str(payload["lot_id"]), json.dumps(payload))
                except redis.RedisError as error:
                    self.publishing.failed(error)
                else:
                    self.publishing.answered()
                    continue  # the listener brings it back to this worker's watchers too
            self.deliver(payload)  # Redis is down: this worker's own watchers still hear it at once

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _listen(self) -> None:
        pause = 0.5
        while True:
            try:
                client = aioredis.Redis.from_url(self.url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                    self.listening.answered()
                    pause = 0.5
                    self.ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "pmessage":
                            self.deliver(json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.listening.failed(error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_RECONNECT_PAUSE_SECONDS)
