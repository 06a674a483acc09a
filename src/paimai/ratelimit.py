"""The rate limiter: a moving window kept in Redis (shared by every worker) when PAIMAI_REDIS_URL is set, and
in this process otherwise, or while Redis does not answer.

Redis may restart at any time. A limit must never fail the request it guards, so when the shared storage
errs the limiter counts in process memory instead (each worker on its own: the limits are then per worker),
logs the outage once, tries Redis again every few seconds (never on every request, so a hung server costs
a request at most one short timeout per interval), and logs once more when Redis answers again.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .outage import Outage

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # while Redis is down, how often a request tries it again
REDIS_TIMEOUT_SECONDS = 0.5  # connect and read: a hung Redis slows a login by this much, once per interval


def redis_storage(url: str) -> Storage:
    storage = storage_from_string(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    if not isinstance(storage, Storage):  # an async:… URL: not for this synchronous limiter
        raise ValueError(f"PAIMAI_REDIS_URL must name a synchronous storage, not {url!r}")
    return storage


class RateLimiter:
    """`hit(limit, *identity)` counts one attempt and answers None (allowed) or the seconds to wait."""

    def __init__(
        self,
        shared: Storage | None = None,
        *,
        retry_seconds: float = RETRY_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.shared = MovingWindowRateLimiter(shared) if shared is not None else None
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.wall = wall
        self.outage = Outage(
            "rate limiter: the Redis storage",
            "counting in process memory until it answers again (the limits are per process meanwhile)",
            log,
            retry_seconds=retry_seconds,
            monotonic=monotonic,
        )

    @property
    def degraded(self) -> bool:
        """True while Redis is configured but not answering (the limits are this process's own)."""
        return self.outage.down

    def hit(self, limit: str, *identity: str) -> int | None:
        item = parse(limit)
        if self.shared is not None and self.outage.should_try():
            try:
                allowed = self.shared.hit(item, *identity)
                wait = None if allowed else self._wait(self.shared, item, identity)
            except Exception as error:  # any storage fault: the limit must never fail the request
                self.outage.failed(error)
            else:
                self.outage.answered()
                return wait
        if self.local.hit(item, *identity):
            return None
        return self._wait(self.local, item, identity)

    def _wait(self, limiter: MovingWindowRateLimiter, item: RateLimitItem, identity: tuple[str, ...]) -> int:
        reset_at = limiter.get_window_stats(item, *identity).reset_time
        return max(1, math.ceil(reset_at - self.wall()))
