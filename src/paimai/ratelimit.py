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
import threading
import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

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
        self.retry_seconds = retry_seconds
        self.monotonic, self.wall = monotonic, wall
        self._lock = threading.Lock()
        self._down_since: float | None = None  # monotonic time of the outage's first failure
        self._next_try = 0.0

    @property
    def degraded(self) -> bool:
        """True while Redis is configured but not answering (the limits are this process's own)."""
        return self._down_since is not None

    def hit(self, limit: str, *identity: str) -> int | None:
        item = parse(limit)
        if self.shared is not None and self._should_try_shared():
            try:
                allowed = self.shared.hit(item, *identity)
                wait = None if allowed else self._wait(self.shared, item, identity)
            except Exception as error:  # any storage fault: the limit must never fail the request
                self._failed(error)
            else:
                self._answered()
                return wait
        if self.local.hit(item, *identity):
            return None
        return self._wait(self.local, item, identity)

    def _wait(self, limiter: MovingWindowRateLimiter, item: RateLimitItem, identity: tuple[str, ...]) -> int:
        reset_at = limiter.get_window_stats(item, *identity).reset_time
        return max(1, math.ceil(reset_at - self.wall()))

    def _should_try_shared(self) -> bool:
        with self._lock:
            if self._down_since is None:
                return True
            now = self.monotonic()
            if now < self._next_try:
                return False
            self._next_try = now + self.retry_seconds  # one probe per interval, whichever request comes first
            return True

    def _failed(self, error: Exception) -> None:
        with self._lock:
            now = self.monotonic()
            self._next_try = now + self.retry_seconds
            if self._down_since is not None:
                return
            self._down_since = now
        log.warning(
            "rate limiter: the Redis storage failed (%s: %s); counting in process memory until it answers again",
            type(error).__name__,
            error,
        )

    def _answered(self) -> None:
        with self._lock:
            if self._down_since is None:
                return
            down_for = self.monotonic() - self._down_since
            self._down_since = None
        log.warning("rate limiter: the Redis storage answers again after %.0f s; shared limits restored", down_for)
