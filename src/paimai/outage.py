"""One outside service's outage (Redis, for the rate limiter and the live-event bus): logged once when it
starts and once when it ends, never on every failed call, and probed at most once per interval meanwhile —
so a service that is down neither floods the log nor costs every request a timeout."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable


class Outage:
    """`should_try()` before a call, then `failed(error)` or `answered()` after it."""

    def __init__(
        self,
        what: str,
        fallback: str,
        log: logging.Logger,
        *,
        retry_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.fallback, self.log = what, fallback, log
        self.retry_seconds = retry_seconds
        self.monotonic = monotonic
        self._lock = threading.Lock()
        self._down_since: float | None = None  # monotonic time of the outage's first failure
        self._next_try = 0.0

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def should_try(self) -> bool:
        """Always while up; while down, one probe per interval, whichever caller comes first."""
        with self._lock:
            if self._down_since is None:
                return True
            now = self.monotonic()
            if now < self._next_try:
                return False
            self._next_try = now + self.retry_seconds
            return True

    def failed(self, error: BaseException) -> None:
        with self._lock:
            now = self.monotonic()
            self._next_try = now + self.retry_seconds
            if self._down_since is not None:
                return
            self._down_since = now
        self.log.warning("%s failed (%s: %s); %s", self.what, type(error).__name__, error, self.fallback)

    def answered(self) -> None:
        with self._lock:
            if self._down_since is None:
                return
            down_for = self.monotonic() - self._down_since
            self._down_since = None
        self.log.warning("%s answers again after %.0f s", self.what, down_for)
