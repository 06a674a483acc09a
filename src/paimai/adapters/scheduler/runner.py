"""DueWork: run everything due up to a moment, each item as of the moment it fell due, earliest first.

A lot closes as of its effective end, so its order's payment deadline counts from the end and not from
when a worker noticed; a default happens as of the payment deadline; and so on, never later than `until`
(itself never later than now). One step can make another due — a close opens an order whose reminder
and deadline may already have passed after a long jump of the simulated clock — so the run looks again
after every item and stops only when nothing is due at or before `until`.

The runner is given a way to open a unit of work at a given time. The Container passes its transaction,
so each item commits on its own and N workers share the work (each claims with SKIP LOCKED, and when
every due row is held by others it waits for the first, then looks again). The demo seeder runs it in
its one session with `DueWork.in_session`, committing nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ...domain.rules import PlatformRules
from ...services.due import DueItem, Feature
from ...services.uow import UnitOfWork
from .work import ALL, DueKind, Outcome

log = logging.getLogger(__name__)

UnitAt = Callable[[datetime], AbstractContextManager[UnitOfWork]]
Reading = Callable[[], AbstractContextManager[Session]]
OnError = Callable[[DueItem, Exception], None]


class DueWorkStuck(RuntimeError):
    """A row claimed as due whose step changed nothing: its due_at disagrees with the domain's rule."""


@dataclass
class DueCounts:
    lots: int = 0
    orders: int = 0
    offers: int = 0

    def add(self, feature: Feature) -> None:
        if feature is Feature.LOT:
            self.lots += 1
        elif feature is Feature.ORDER:
            self.orders += 1
        else:
            self.offers += 1


def log_failure(item: DueItem, error: Exception) -> None:
    log.error("due work failed for %s %s (due %s)", item.feature.name.lower(), item.id, item.at, exc_info=error)


class DueWork:
    def __init__(
        self,
        units: UnitAt,
        reading: Reading,
        *,
        kinds: Sequence[DueKind] = ALL,
        on_error: OnError | None = None,
        batch: int = 16,
    ) -> None:
        """`units(at)` opens a unit of work whose now is `at`; `reading()` a session to peek with.
        With `on_error` a failed item is reported and left for the next run; without, the error propagates."""
        self._units = units
        self._reading = reading
        self._kinds = {kind.feature: kind for kind in kinds}
        self._on_error = on_error
        self._batch = batch

    @classmethod
    def in_session(cls, session: Session, platform: PlatformRules, *, kinds: Sequence[DueKind] = ALL) -> DueWork:
        """Every step in the caller's session and transaction (the demo seeder); errors propagate."""
        return cls(
            lambda at: nullcontext(UnitOfWork(session, at, platform=platform)),
            lambda: nullcontext(session),
            kinds=kinds,
        )

    def run(self, until: datetime) -> DueCounts:
        """Run everything due at or before `until`, earliest first, each item as of its own due moment."""
        counts = DueCounts()
        left_alone: set[tuple[Feature, int]] = set()  # failed in this run: the next run tries again
        while True:
            items = self._peek(until, left_alone)
            if not items:
                return counts
            done = self._first_free(items, left_alone)
            if done is not None:
                counts.add(done.feature)

    def _first_free(self, items: list[DueItem], left_alone: set[tuple[Feature, int]]) -> DueItem | None:
        """Run the earliest item no other worker holds; the one that ran, if it did."""
        for item in items:
            outcome = self._attempt(item, wait=False, left_alone=left_alone)
            if outcome is not Outcome.BUSY:
                return item if outcome is Outcome.DONE else None
        # Every due row is held by another worker: wait for the earliest, then look again.
        outcome = self._attempt(items[0], wait=True, left_alone=left_alone)
        return items[0] if outcome is Outcome.DONE else None

    def _peek(self, until: datetime, left_alone: set[tuple[Feature, int]]) -> list[DueItem]:
        limit = self._batch + len(left_alone)
        with self._reading() as session:
            found = [item for kind in self._kinds.values() for item in kind.peek(session, until, limit)]
        return sorted(item for item in found if (item.feature, item.id) not in left_alone)[: self._batch]

    def _attempt(self, item: DueItem, *, wait: bool, left_alone: set[tuple[Feature, int]]) -> Outcome:
        try:
            with self._units(item.at) as uow:
                outcome = self._kinds[item.feature].run(uow, item, wait=wait)
                if outcome is Outcome.STUCK:
                    raise DueWorkStuck(f"{item.feature.name.lower()} {item.id} was due at {item.at}; nothing moved")
        except Exception as error:
            if self._on_error is None:
                raise
            self._on_error(item, error)
            left_alone.add((item.feature, item.id))
            return Outcome.STUCK
        return outcome
