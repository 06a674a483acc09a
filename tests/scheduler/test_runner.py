"""The due-work runner: due at the moment itself, run as of that moment, earliest first, until nothing
is due; in its own transactions (the Container) or inside one session (the demo seeder)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from conftest import PASSWORD, Api, make_settings
from paimai.adapters.scheduler import DueWork, DueWorkStuck
from paimai.bootstrap import Container
from paimai.domain.ledger import top_up
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.persistence.models import JournalEntryRow, Lot, LotEventRow, Notification, User
from paimai.persistence.models import Order as OrderRow
from paimai.services import accounts, bidding, deposits, lifecycle, locks, lots
from paimai.services.ledger import post, wallet
from paimai.services.uow import UnitOfWork

PRICE, DEPOSIT = 100_000, 20_000


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass
class World:
    container: Container
    t0: datetime
    seller_id: int
    buyer_id: int
    staff_id: int

    def lot(self, *, starts: timedelta = timedelta(minutes=-1), ends: timedelta = timedelta(hours=1)) -> int:
        """A lot approved for review, starting and ending at these offsets from t0."""
        with self.container.transaction(self.t0) as uow:
            rules = LotRules(
                LotKind.COMMERCIAL, PRICE, 10_000, DEPOSIT, self.t0 + starts, self.t0 + ends, extension_seconds=0
            )
            seller = self.user(uow, self.seller_id)
            lot = lots.create_lot(uow, seller, lots.LotDraft("lot", Category.ART, LotKind.COMMERCIAL, rules))
            lots.review_lot(uow, self.user(uow, self.staff_id), lot.id, True, None)
            return lot.id

    def won(self, lot_id: int) -> None:
        """Start the lot now and have the buyer pay the deposit and bid the start price."""
        with self.container.transaction(self.t0) as uow:
            lifecycle.advance_lot(uow, lot_id)
            buyer = self.user(uow, self.buyer_id)
            deposits.pay_deposit(uow, buyer, lot_id)
            bidding.place_bid(uow, buyer, lot_id, PRICE, None)

    @staticmethod
    def user(uow: UnitOfWork, user_id: int) -> User:
        found = uow.session.get(User, user_id)
        assert found is not None
        return found


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    container = Container(make_settings(db_url))
    t0 = container.now().replace(microsecond=0)
    with container.transaction(t0) as uow:
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        buyer = accounts.register(uow, "buyer", PASSWORD)
        post(uow, top_up(buyer.id, 10_000_000))
        ids = seller.id, buyer.id, staff.id
    yield World(container, t0, *ids)
    container.dispose()


def test_a_lot_closes_at_its_effective_end_not_only_after_it(world: World) -> None:
    lot_id = world.lot()
    world.won(lot_id)
    ends = world.t0 + timedelta(hours=1)
    assert world.container.due_work.run(ends - timedelta(microseconds=1)).lots == 0
    assert world.container.due_work.run(ends).lots == 1
    with world.container.reading() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None and lot.status == "sold" and lot.closed_at == ends


def test_a_late_tick_closes_as_of_the_end_so_the_deadline_counts_from_the_end(world: World) -> None:
    lot_id = world.lot()
    world.won(lot_id)
    ends = world.t0 + timedelta(hours=1)
    counts = world.container.due_work.run(ends + timedelta(hours=10))  # the worker was down for ten hours
    assert (counts.lots, counts.orders) == (1, 0)
    with world.container.reading() as session:
        lot = session.get(Lot, lot_id)
        order = session.scalar(select(OrderRow).where(OrderRow.lot_id == lot_id))
        closed = session.scalar(select(LotEventRow).where(LotEventRow.type == "LotClosed"))
        assert lot is not None and order is not None and closed is not None
        assert lot.closed_at == ends and closed.created_at == ends and order.created_at == ends
        assert order.pay_deadline == ends + timedelta(hours=72)
        assert order.due_at == ends + timedelta(hours=48)  # the reminder, not yet due at the late tick


def test_start_then_close_each_as_of_its_own_moment(world: World) -> None:
    lot_id = world.lot(starts=timedelta(hours=1), ends=timedelta(hours=3))
    counts = world.container.due_work.run(world.t0 + timedelta(hours=5))
    assert counts.lots == 2  # two steps: the start, then the close
    with world.container.reading() as session:
        events = {
            e.type: e.created_at for e in session.scalars(select(LotEventRow).where(LotEventRow.lot_id == lot_id))
        }
    assert events == {"LotStarted": world.t0 + timedelta(hours=1), "LotClosed": world.t0 + timedelta(hours=3)}


def test_a_long_clock_jump_runs_close_order_reminder_and_default_in_order(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    buyer = api.user("buyer", top_up=1_000_000)
    lot = api.live_lot(seller, staff)
    assert api.deposit(buyer, lot["id"]).status_code in (200, 201)
    assert api.bid(buyer, lot["id"], lot["start_price"]).status_code == 201
    ends = datetime.fromisoformat(lot["ends_at"])

    response = api.advance(100 * 3600)  # the close, then the order's reminder and default, in one jump
    assert response.status_code == 200, response.text
    assert (response.json()["lots_changed"], response.json()["orders_changed"]) == (1, 2)
    with api.container.reading() as session:
        order = session.scalar(select(OrderRow).where(OrderRow.lot_id == lot["id"]))
        reminder = session.scalar(select(Notification).where(Notification.kind == "payment_due_soon"))
        penalty = session.scalar(select(JournalEntryRow).where(JournalEntryRow.kind == "penalty"))
        assert order is not None and reminder is not None and penalty is not None
        assert order.created_at == ends and order.pay_deadline == ends + timedelta(hours=72)
        assert reminder.created_at == ends + timedelta(hours=48)
        assert order.status == "defaulted" and order.finished_at == ends + timedelta(hours=72)
        assert penalty.created_at == ends + timedelta(hours=72) and order.due_at is None
    assert api.advance(60).json()["orders_changed"] == 0  # nothing is due twice


def test_in_one_session_the_runner_commits_nothing_of_its_own(world: World) -> None:
    """The seeder's way: every step in the caller's transaction, so rolling it back undoes them all."""
    lot_id = world.lot()
    world.won(lot_id)
    session = world.container.sessions()
    with session.begin():
        counts = DueWork.in_session(session, world.container.platform).run(world.t0 + timedelta(days=5))
        assert (counts.lots, counts.orders) == (1, 2)  # close, then the reminder and the default
        assert session.scalar(select(OrderRow.status)) == "defaulted"
        session.rollback()
    session.close()
    with world.container.reading() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None and lot.status == "live"
        assert session.scalar(select(func.count()).select_from(OrderRow)) == 0


def test_a_row_due_that_no_step_moves_is_reported_and_left_alone(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    stuck = world.lot(ends=timedelta(hours=1))
    fine = world.lot(ends=timedelta(hours=2))
    with world.container.transaction(world.t0) as uow:
        lifecycle.advance_lot(uow, stuck)
        lot = uow.session.get(Lot, stuck)
        assert lot is not None
        lot.status = "unsold"  # a row whose due_at disagrees with the rule (as a bug would leave it)
    until = world.t0 + timedelta(hours=3)
    with pytest.raises(DueWorkStuck):  # in one session (the seeder) it stops the run
        session = world.container.sessions()
        with session.begin():
            DueWork.in_session(session, world.container.platform).run(until)
    session.close()
    counts = world.container.due_work.run(until)  # the Container logs it and does the rest
    assert counts.lots == 2  # the other lot started and closed
    assert f"lot {stuck}" in caplog.text
    with world.container.reading() as session:
        assert session.scalar(select(Lot.status).where(Lot.id == fine)) == "unsold"


@pytest.mark.postgres
def test_a_worker_skips_a_row_another_transaction_holds_and_comes_back_for_it(postgres_db: str) -> None:
    """SKIP LOCKED: the lot held elsewhere does not stop the others; once free, it is closed too."""
    container = Container(make_settings(postgres_db, clock="system"))
    t0 = container.now()
    with container.transaction(t0 - timedelta(hours=3)) as uow:  # listed and approved before they were due
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        ids = []
        for index in range(4):
            rules = LotRules(LotKind.COMMERCIAL, PRICE, 1_000, 0, t0 - timedelta(hours=2), t0 - timedelta(hours=1))
            lot = lots.create_lot(uow, seller, lots.LotDraft(f"lot {index}", Category.ART, LotKind.COMMERCIAL, rules))
            lots.review_lot(uow, staff, lot.id, True, None)
            ids.append(lot.id)
    held, others = ids[0], ids[1:]
    holder = container.sessions()
    holder.begin()
    locks.lot(holder, held)  # another transaction sits on the first lot
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(container.run_due_work()))
    worker.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with container.reading() as session:
            if set(session.scalars(select(Lot.status).where(Lot.id.in_(others)))) == {"unsold"}:
                break
        time.sleep(0.05)
    with container.reading() as session:
        assert set(session.scalars(select(Lot.status).where(Lot.id.in_(others)))) == {"unsold"}
        assert session.scalar(select(Lot.status).where(Lot.id == held)) == "scheduled"
    holder.rollback()  # let go: the worker, waiting for it, now starts and closes it
    holder.close()
    worker.join(timeout=60)
    assert not worker.is_alive() and result == [2 * len(ids)]
    with container.reading() as session:
        assert set(session.scalars(select(Lot.status).where(Lot.id.in_(ids)))) == {"unsold"}
        assert wallet(session, seller.id) == {"available": 0, "frozen": 0}
    container.dispose()
