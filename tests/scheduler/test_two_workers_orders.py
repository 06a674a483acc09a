"""Two scheduler workers at once on PostgreSQL: each payment reminder is sent once, and each unpaid order
defaults once — one penalty, one default on the buyer's record, one notice to each side."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.domain.ledger import top_up
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.persistence.models import JournalEntryRow, Notification, OrderEventRow, User
from paimai.persistence.models import Order as OrderRow
from paimai.services import accounts, bidding, deposits, lifecycle, lots
from paimai.services.ledger import post, wallet

ORDERS = 12
DEPOSIT = 5_000


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


class FixedClock:
    simulated = False

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def run_both(workers: list[Container], at: datetime) -> None:
    for worker in workers:
        worker.clock = FixedClock(at)
    barrier = threading.Barrier(len(workers))
    failures: list[BaseException] = []

    def run(worker: Container) -> None:
        barrier.wait()
        try:
            worker.run_due_work()
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


def count(session: object, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_two_schedulers_default_each_order_exactly_once(postgres_db: str) -> None:
    workers = [Container(make_settings(postgres_db, clock="system")) for _ in range(2)]
    first = workers[0]
    t0 = first.now()
    with first.transaction(t0) as uow:
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        buyer = accounts.register(uow, "buyer", PASSWORD)
        post(uow, top_up(buyer.id, 10_000_000))
        lot_ids = []
        for index in range(ORDERS):
            rules = LotRules(
                LotKind.COMMERCIAL, 10_000, 1_000, DEPOSIT, t0 - timedelta(minutes=1), t0 + timedelta(hours=1)
            )
            lot = lots.create_lot(uow, seller, lots.LotDraft(f"lot {index}", Category.OTHER, LotKind.COMMERCIAL, rules))
            lots.review_lot(uow, staff, lot.id, True, None)
            lot_ids.append(lot.id)
        buyer_id, seller_id = buyer.id, seller.id
    with first.transaction(t0) as uow:
        user = uow.session.get(User, buyer_id)
        assert user is not None
        for lot_id in lot_ids:
            lifecycle.advance_lot(uow, lot_id)
            deposits.pay_deposit(uow, user, lot_id)
            bidding.place_bid(uow, user, lot_id, 10_000, None)
    closed_at = t0 + timedelta(hours=1)
    with first.transaction(closed_at) as uow:
        for lot_id in lot_ids:
            lifecycle.advance_lot(uow, lot_id)

    run_both(workers, closed_at + timedelta(hours=50))  # past the reminder, before the deadline
    with first.reading() as session:
        statuses = set(session.scalars(select(OrderRow.status)))
        assert statuses == {"awaiting_payment"}
        reminders = select(func.count()).select_from(Notification).where(Notification.kind == "payment_due_soon")
        assert count(session, reminders) == ORDERS

    run_both(workers, closed_at + timedelta(hours=73))  # past the deadline
    run_both(workers, closed_at + timedelta(hours=74))  # and again: nothing more is due
    with first.reading() as session:
        assert set(session.scalars(select(OrderRow.status))) == {"defaulted"}
        defaults = select(func.count()).select_from(OrderEventRow).where(OrderEventRow.action == "default")
        assert count(session, defaults) == ORDERS
        penalties = select(func.count()).select_from(JournalEntryRow).where(JournalEntryRow.kind == "penalty")
        assert count(session, penalties) == ORDERS
        notices = select(func.count()).select_from(Notification).where(Notification.kind == "order_defaulted")
        assert count(session, notices) == 2 * ORDERS
        assert count(session, reminders) == ORDERS
        record = session.get(User, buyer_id)
        assert record is not None and record.default_count == ORDERS
        assert wallet(session, seller_id) == {"available": DEPOSIT * ORDERS, "frozen": 0}
        assert wallet(session, buyer_id) == {"available": 10_000_000 - DEPOSIT * ORDERS, "frozen": 0}
    for worker in workers:
        worker.dispose()
