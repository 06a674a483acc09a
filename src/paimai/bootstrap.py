"""The composition root: settings → engine, clock, event bus, rate limiter, transactions."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .adapters.realtime.bus import InProcessBus, RedisBus
from .clock import Clock, SimulatedClock, SystemClock
from .config import Settings
from .domain.errors import DomainError, ErrorCode
from .domain.rules import PlatformRules
from .persistence.db import build_engine, session_factories
from .services import lifecycle
from .services import orders as order_service
from .services.uow import UnitOfWork

log = logging.getLogger(__name__)


class Container:
    """Everything a process shares; built once at start-up, never at import."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Engine = build_engine(settings.effective_database_url)
        self.sessions, self.read_sessions = session_factories(self.engine)
        self.clock: Clock = SimulatedClock(self.read_sessions) if settings.clock == "simulated" else SystemClock()
        self.bus: InProcessBus = RedisBus(settings.redis_url) if settings.redis_url else InProcessBus()
        storage = storage_from_string(settings.redis_url) if settings.redis_url else MemoryStorage()
        self.limiter = MovingWindowRateLimiter(storage)
        self.platform = PlatformRules(
            withdrawal_quota_per_day=settings.withdrawal_quota_per_day,
            shipping_days=settings.shipping_days,
            auto_confirm_days=settings.auto_confirm_days,
            commission_percent=settings.commission_percent,
            payment_deadline_hours=settings.payment_deadline_hours,
        )
        self._scheduler_stop = threading.Event()
        self._scheduler_thread: threading.Thread | None = None

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
        if not self.limiter.hit(parse(limit), scope, identity):
            raise DomainError(ErrorCode.RATE_LIMITED, scope=scope)

    def run_due_work(self) -> int:
        """Start and close every lot that is due now, then the orders' due steps; returns lots changed."""
        return self.run_due_work_counted()[0]

    def run_due_work_counted(self) -> tuple[int, int]:
        """All due work, as (lots changed, orders and offers changed); each item in its own transaction."""
        now = self.now()
        with self.reading() as session:
            due = lifecycle.due_lot_ids(session, now)
        changed = 0
        for lot_id in due:
            try:
                with self.transaction(now) as uow:
                    changed += lifecycle.advance_lot(uow, lot_id)
            except Exception:
                log.exception("due work failed for lot %s", lot_id)
        orders_changed = self.run_due_orders(now)
        return changed, orders_changed

    def run_due_orders(self, now: datetime | None = None) -> int:
        """Orders (RULES §6): payment reminders, defaults at the deadline, unshipped refunds,
        auto-confirmations and lapsed second-chance offers. Each in its own transaction and re-checked
        under its row lock, so two workers or a restart apply each step exactly once."""
        now = now or self.now()
        with self.reading() as session:
            due_orders = order_service.due_order_ids(session, now)
            due_offers = order_service.due_offer_ids(session, now)
        changed = 0
        for order_id in due_orders:
            try:
                with self.transaction(now) as uow:
                    changed += order_service.advance_order(uow, order_id)
            except Exception:
                log.exception("due work failed for order %s", order_id)
        for offer_id in due_offers:
            try:
                with self.transaction(now) as uow:
                    changed += order_service.expire_offer(uow, offer_id)
            except Exception:
                log.exception("due work failed for second-chance offer %s", offer_id)
        return changed

    def start_scheduler(self) -> None:
        if self._scheduler_thread is not None:
            return
        self._scheduler_stop.clear()

        def loop() -> None:
            while not self._scheduler_stop.wait(self.settings.scheduler_interval_seconds):
                try:
                    self.run_due_work()
                except Exception:
                    log.exception("scheduler tick failed")

        self._scheduler_thread = threading.Thread(target=loop, name="paimai-scheduler", daemon=True)
        self._scheduler_thread.start()

    def stop_scheduler(self) -> None:
        self._scheduler_stop.set()
        if self._scheduler_thread is not None:
            self._scheduler_thread.join(timeout=5)
            self._scheduler_thread = None

    def dispose(self) -> None:
        self.stop_scheduler()
        self.engine.dispose()
