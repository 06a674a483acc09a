"""The composition root: settings → engine, clock, event bus, rate limiter, transactions, due work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .adapters.realtime.bus import InProcessBus, RedisBus
from .adapters.scheduler import DueWork, SchedulerThread
from .adapters.scheduler.runner import log_failure
from .clock import Clock, SimulatedClock, SystemClock
from .config import Settings
from .domain.errors import DomainError, ErrorCode
from .persistence.db import build_engine, session_factories, url_problem
from .ratelimit import RateLimiter, redis_storage
from .services.storage import LocalDirectoryStorage, MediaStorage
from .services.uow import UnitOfWork


def engine_for(url: str) -> Engine:
    """An engine built as a Container builds its own, for a caller that shares one between containers."""
    return build_engine(url)


class Container:
    """Everything a process shares; built once at start-up, never at import."""

    def __init__(self, settings: Settings, *, engine: Engine | None = None) -> None:
        """`engine`: one to share instead of building one (the simulator's replays reuse one engine, and with
        it the statements SQLAlchemy has compiled); dispose() then only closes its pooled connections."""
        self.settings = settings
        self.engine: Engine = engine if engine is not None else build_engine(settings.effective_database_url)
        self.sessions, self.read_sessions = session_factories(self.engine)
        self.clock: Clock = SimulatedClock(self.read_sessions) if settings.clock == "simulated" else SystemClock()
        self.bus: InProcessBus = RedisBus(settings.redis_url) if settings.redis_url else InProcessBus()
        self.limiter = RateLimiter(redis_storage(settings.redis_url) if settings.redis_url else None)
        self.platform = settings.platform_rules()
        self.media: MediaStorage = LocalDirectoryStorage(settings.effective_media_dir)
        self.due_work = DueWork(self.transaction, self.reading, on_error=log_failure)
        self.scheduler = SchedulerThread(self.run_due_work, settings.scheduler_interval_seconds)

    def now(self) -> datetime:
        return self.clock.now()

    @contextmanager
    def transaction(self, now: datetime | None = None) -> Iterator[UnitOfWork]:
        """One transaction: commit on success, roll back on any error, publish events after commit."""
        session = self.sessions()
        uow = UnitOfWork(session, now or self.now())
        uow.platform = self.platform
        try:
            with session.begin():
                yield uow
        finally:
            session.close()
        if uow.published:
            self.bus.publish(uow.published)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self.read_sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def rate_limit(self, scope: str, identity: str, limit: str) -> None:
        """Count one attempt; over the limit, RATE_LIMITED with the seconds to wait (never a storage error)."""
        wait = self.limiter.hit(limit, scope, identity)
        if wait is not None:
            raise DomainError(ErrorCode.RATE_LIMITED, scope=scope, retry_after=wait)

    def run_due_work(self) -> int:
        """Everything due by now (adapters/scheduler), each item in its own transaction; returns lots changed."""
        return self.run_due_work_counted()[0]

    def run_due_work_counted(self) -> tuple[int, int]:
        """Everything due by now, as (lots started or closed, order and offer steps taken)."""
        counts = self.due_work.run(self.now())
        return counts.lots, counts.orders + counts.offers

    def advance_clock(self, seconds: int) -> tuple[int, int]:
        """Move the simulated clock forward, then run everything that fell due meanwhile, each step as of its
        own moment (as run_due_work_counted counts them). The system clock cannot be moved."""
        clock = self.clock
        if not isinstance(clock, SimulatedClock):
            raise DomainError(ErrorCode.CLOCK_NOT_SIMULATED)
        with self.transaction() as uow:
            clock.advance(uow.session, seconds)
        return self.run_due_work_counted()

    def start_scheduler(self) -> None:
        self.scheduler.start()

    def stop_scheduler(self) -> None:
        self.scheduler.stop()

    def dispose(self) -> None:
        self.stop_scheduler()
        self.engine.dispose()


def database_url_problem(url: str) -> str | None:
    """Why `url` is no database URL the platform can open (a bare path, say), for a command's usage error."""
    return url_problem(url)
