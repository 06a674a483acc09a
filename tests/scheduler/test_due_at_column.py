"""The stored due_at: the migration backfills it as the domain's rule says, and every save keeps it so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from argon2 import PasswordHasher
from sqlalchemy import Engine, column, create_engine, insert, select, table
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from conftest import PASSWORD, fresh_postgres_database
from paimai.bootstrap import Container
from paimai.domain import orders as od
from paimai.domain import second_chance as sc
from paimai.domain.ledger import top_up
from paimai.domain.lots import LotStatus, next_step_at
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.persistence.db import normalise_url
from paimai.persistence.migrate import alembic_config
from paimai.persistence.models import Lot, SecondChanceOffer, User
from paimai.persistence.models import Order as OrderRow
from paimai.services import accounts, bidding, deposits, lifecycle, lots
from paimai.services import orders as order_service
from paimai.services import second_chance as offer_service
from paimai.services.ledger import post
from paimai.services.orders import to_domain
from paimai.services.second_chance import offer_to_domain
from paimai.services.uow import UnitOfWork

BEFORE = "da76f6c36bfe"  # the revision before due_at
T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def assert_due_at_follows_the_rule(session: Session) -> None:
    """Every lot, order and offer row's due_at is what the domain's rule computes from the row."""
    for lot in session.scalars(select(Lot)):
        assert lot.due_at == next_step_at(LotStatus(lot.status), lot.starts_at, lot.ends_at), (lot.id, lot.status)
    for row in session.scalars(select(OrderRow)):
        assert row.due_at == od.next_system_step_at(to_domain(row)), (row.id, row.status)
    for offer in session.scalars(select(SecondChanceOffer)):
        assert offer.due_at == sc.next_step_at(offer_to_domain(offer)), (offer.id, offer.status)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_schema(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database migrated only up to the revision before due_at."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        command.upgrade(alembic_config(url), BEFORE)
        yield url
        return
    with fresh_postgres_database("dueat") as url:
        command.upgrade(alembic_config(url), BEFORE)
        yield url


def as_it_was(current: Any, values: dict[str, Any]) -> TableClause:
    """The table with only the columns given (typed as today): the old schema lacks the newer ones, which a
    model insert would fill with their defaults."""
    return table(current.name, *(column(name, current.c[name].type) for name in values))


def _lot(engine: Engine, lot_id: int, status: str) -> None:
    values: dict[str, Any] = {
        "id": lot_id, "seller_id": 1, "title": f"lot {lot_id}", "description": "", "category": "other",
        "kind": "commercial", "status": status, "location": "", "start_price": 100, "increment": 10,
        "deposit": 0, "starts_at": T0 + timedelta(hours=lot_id), "scheduled_ends_at": T0 + timedelta(days=2),
        "ends_at": T0 + timedelta(days=2, minutes=lot_id), "extension_seconds": 300, "extensions": 0,
        "withdrawal_allowed": True, "withdrawal_fee": 0, "seq": 0, "last_hash": "0" * 64, "order_no": 0,
        "bid_count": 0, "created_at": T0,
    }  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(as_it_was(Lot.__table__, values)).values(values))


def _order(engine: Engine, order_id: int, status: str, **times: datetime | None) -> None:
    values: dict[str, Any] = {
        "id": order_id, "lot_id": 1, "buyer_id": order_id + 1, "seller_id": 1, "kind": "commercial",
        "status": status, "price": 1_000, "deposit": 100, "penalty": 0, "commission": 0, "compensation": 0,
        "buyer_defaulted": False, "created_at": T0, "pay_deadline": T0 + timedelta(hours=72),
        "remind_at": T0 + timedelta(hours=48), "close_requests": 0, "updated_at": T0, **times,
    }  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(OrderRow).values(values))


def test_the_migration_backfills_due_at_as_the_domain_rule_says(old_schema: str) -> None:
    engine = create_engine(normalise_url(old_schema))
    with engine.begin() as conn:
        for user_id in range(1, 12):
            conn.execute(
                insert(User).values(
                    id=user_id, username=f"u{user_id}", display_name="u", password_hash="x", is_staff=False,
                    seller_status="none", default_count=0, created_at=T0,
                )
            )  # fmt: skip
    for lot_id, status in enumerate(["scheduled", "live", "sold", "unsold", "pending_review", "cancelled"], 1):
        _lot(engine, lot_id, status)
    paid_at = T0 + timedelta(hours=5)
    _order(engine, 1, "awaiting_payment")
    _order(engine, 2, "awaiting_payment", reminded_at=T0 + timedelta(hours=48))
    _order(engine, 3, "close_requested", remind_at=T0)
    _order(engine, 4, "paid", paid_at=paid_at, ship_deadline=paid_at + timedelta(days=7))
    _order(
        engine, 5, "shipped", paid_at=paid_at, ship_deadline=paid_at + timedelta(days=7),
        shipped_at=paid_at + timedelta(days=1), auto_confirm_at=paid_at + timedelta(days=11),
    )  # fmt: skip
    _order(engine, 6, "defaulted", finished_at=T0 + timedelta(hours=72))
    _order(engine, 7, "disputed", paid_at=paid_at, ship_deadline=paid_at + timedelta(days=7))
    offers = [(1, 3, "pending"), (2, 4, "declined")]
    with engine.begin() as conn:
        for offer_id, user_id, status in offers:
            conn.execute(
                insert(SecondChanceOffer).values(
                    id=offer_id, lot_id=offer_id + 2, order_id=6, user_id=user_id, amount=900, status=status,
                    created_at=T0, expires_at=T0 + timedelta(hours=48 + offer_id),
                )
            )  # fmt: skip
    engine.dispose()

    command.upgrade(alembic_config(old_schema), "head")

    engine = create_engine(normalise_url(old_schema))
    with Session(engine) as session:
        assert_due_at_follows_the_rule(session)
        due = {row.id: row.due_at for row in session.scalars(select(OrderRow))}
        assert due[1] == T0 + timedelta(hours=48) and due[2] == T0 + timedelta(hours=72)
        assert due[6] is None and due[7] is None
        assert [lot.due_at is not None for lot in session.scalars(select(Lot).order_by(Lot.id))] == [
            True, True, False, False, False, False,
        ]  # fmt: skip
    engine.dispose()


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_every_save_keeps_due_at_to_the_rule(container: Container) -> None:
    """Through a lot's and an order's whole life (and a cancel, a default, a second-chance offer), after
    every step the stored due_at is the domain's answer for the row as it now is."""
    t0 = container.now()
    ends = t0 + timedelta(hours=2)

    def step(at: datetime, action: Callable[[UnitOfWork], object]) -> None:
        with container.transaction(at) as uow:
            action(uow)
        with container.reading() as session:
            assert_due_at_follows_the_rule(session)

    with container.transaction(t0) as uow:
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        alice, bob = (accounts.register(uow, name, PASSWORD) for name in ("alice", "bob"))
        for bidder in (alice, bob):
            post(uow, top_up(bidder.id, 10_000_000))
    ids: dict[str, int] = {}

    def create(name: str) -> Callable[[UnitOfWork], object]:
        def run(uow: UnitOfWork) -> None:
            rules = LotRules(LotKind.COMMERCIAL, 100_000, 10_000, 20_000, t0 + timedelta(minutes=5), ends)
            ids[name] = lots.create_lot(uow, seller, lots.LotDraft(name, Category.ART, LotKind.COMMERCIAL, rules)).id

        return run

    def as_user(user: User) -> Callable[[UnitOfWork], User]:
        return lambda uow: uow.session.get(User, user.id)  # type: ignore[return-value]

    def approve(name: str) -> Callable[[UnitOfWork], object]:
        return lambda uow: lots.review_lot(uow, staff, ids[name], True, None)

    def start(name: str) -> Callable[[UnitOfWork], object]:
        return lambda uow: lifecycle.advance_lot(uow, ids[name])

    def register(name: str, bidder: User) -> Callable[[UnitOfWork], object]:
        return lambda uow: deposits.pay_deposit(uow, as_user(bidder)(uow), ids[name])

    for name in ("sold", "cancelled", "defaulted"):
        step(t0, create(name))
        step(t0, approve(name))
    step(t0, lambda uow: lifecycle.cancel_lot(uow, seller, ids["cancelled"], "withdrawn by the seller"))
    started = t0 + timedelta(minutes=5)
    for name in ("sold", "defaulted"):
        step(started, start(name))
        for bidder in (alice, bob):
            step(started, register(name, bidder))
    step(started, lambda uow: bidding.place_bid(uow, as_user(bob)(uow), ids["sold"], 100_000, None))
    step(
        ends - timedelta(minutes=1), lambda uow: bidding.place_bid(uow, as_user(alice)(uow), ids["sold"], 110_000, None)
    )
    step(started, lambda uow: bidding.place_bid(uow, as_user(bob)(uow), ids["defaulted"], 100_000, None))
    step(started, lambda uow: bidding.place_bid(uow, as_user(alice)(uow), ids["defaulted"], 120_000, None))
    with container.reading() as session:
        extended = session.get(Lot, ids["sold"])
        assert extended is not None and extended.ends_at > ends  # the late bid moved the close
        closes_at = extended.ends_at
    step(ends, lambda uow: lifecycle.advance_lot(uow, ids["defaulted"]))
    step(closes_at, lambda uow: lifecycle.advance_lot(uow, ids["sold"]))
    with container.reading() as session:
        sold = session.scalar(select(OrderRow).where(OrderRow.lot_id == ids["sold"]))
        lapsed = session.scalar(select(OrderRow).where(OrderRow.lot_id == ids["defaulted"]))
        assert sold is not None and lapsed is not None
        sold_id, lapsed_id, remind_at = sold.id, lapsed.id, sold.remind_at
    step(remind_at, lambda uow: order_service.advance_order(uow, sold_id))
    step(remind_at, lambda uow: order_service.pay(uow, as_user(alice)(uow), sold_id))
    step(remind_at, lambda uow: order_service.ship(uow, seller, sold_id, "顺丰速运", "SF1234567890"))
    step(remind_at + timedelta(days=30), lambda uow: order_service.advance_order(uow, sold_id))
    step(ends + timedelta(days=4), lambda uow: order_service.advance_order(uow, lapsed_id))
    step(ends + timedelta(days=4), lambda uow: offer_service.make_offer(uow, seller, lapsed_id))
    step(ends + timedelta(days=4), lambda uow: offer_service.decline_offer(uow, as_user(bob)(uow), 1))
    with container.reading() as session:
        assert [row.status for row in session.scalars(select(OrderRow).order_by(OrderRow.id))] == [
            "defaulted", "completed",
        ]  # fmt: skip
