"""PostgreSQL: transactions that lock across lots, users and wallets race each other without a deadlock.

Every race runs many rounds of real concurrent transactions on threads. Any database error (a deadlock
detected, a serialisation failure) fails the test, and the end state must be the one every serial order
of the same steps gives: the balances below are exact.

User ids are chosen so numeric and string order disagree (user 10's account keys sort before user 3's as
strings): one transaction locking by key string and another by user id would take the same two wallets
in opposite orders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from races import Outcomes, assert_ledger_consistent, run_at_once
from sqlalchemy import select

from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.domain.ledger import top_up
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.domain.withdrawal import WithdrawalScope
from paimai.persistence.models import Lot, User
from paimai.persistence.models import Order as OrderRow
from paimai.services import accounts, bidding, deposits, lifecycle, lots, withdrawal
from paimai.services import orders as order_service
from paimai.services.ledger import post, wallet
from paimai.services.uow import UnitOfWork

ROUNDS = 20
FUNDS = 10_000_000
PRICE, DEPOSIT, FEE = 100_000, 10_000, 2_000
CLOSING_SELLER = 2  # the seller of the lot that closes (or of the orders that default)
WITHDRAWAL_SELLERS = (3, 4, 5)  # one-digit ids: their keys sort after those of two-digit ids
FILLERS = (6, 7, 8, 9)
BIDDERS = tuple(range(10, 22))  # two-digit ids: each withdraws from a lot of one of the sellers above


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def racing(postgres_db: str) -> Iterator[Container]:
    container = Container(make_settings(postgres_db, clock="system"))
    with container.transaction() as uow:
        accounts.register(uow, "staff", PASSWORD, is_staff=True)
        for user_id in range(2, BIDDERS[-1] + 1):
            seller = user_id in (CLOSING_SELLER, *WITHDRAWAL_SELLERS)
            user = accounts.register(uow, f"user{user_id}", PASSWORD, seller_kind="individual" if seller else None)
            assert user.id == user_id, "the race needs these exact ids"
            post(uow, top_up(user.id, FUNDS))
    yield container
    container.dispose()


def seller_for(bidder_id: int) -> int:
    return WITHDRAWAL_SELLERS[bidder_id % len(WITHDRAWAL_SELLERS)]


def user(uow: UnitOfWork, user_id: int) -> User:
    found = uow.session.get(User, user_id)
    assert found is not None
    return found


def new_lot(uow: UnitOfWork, seller_id: int, starts: datetime, ends: datetime, title: str) -> int:
    rules = LotRules(LotKind.COMMERCIAL, PRICE, 1_000, DEPOSIT, starts, ends, extension_seconds=0, withdrawal_fee=FEE)
    lot = lots.create_lot(uow, user(uow, seller_id), lots.LotDraft(title, Category.OTHER, LotKind.COMMERCIAL, rules))
    lots.review_lot(uow, user(uow, 1), lot.id, True, None)
    return lot.id


def withdraw_task(container: Container, bidder_id: int, lot_id: int, at: datetime) -> Callable[[], object]:
    def task() -> object:
        with container.transaction(at) as uow:
            return withdrawal.withdraw(
                uow, user(uow, bidder_id), lot_id, WithdrawalScope.AUCTION, None, confirm=True, limit=10_000
            )

    return task


def expected_seller_gain(per_round: int) -> dict[int, int]:
    gain = dict.fromkeys(WITHDRAWAL_SELLERS, 0)
    for bidder_id in BIDDERS:
        gain[seller_for(bidder_id)] += per_round
    return gain


@pytest.mark.postgres
def test_withdrawals_racing_a_lot_close_never_deadlock(racing: Container) -> None:
    """A close releases every deposit of its lot while withdrawals on other lots move the same users'
    money (bidders 10–21 pay fees to sellers 3–5, who also hold deposits on the closing lot)."""
    container = racing
    t0 = container.now()
    closes_at = t0 + timedelta(hours=1)
    depositors = (*WITHDRAWAL_SELLERS, *FILLERS, *BIDDERS)
    outcomes = Outcomes()
    for round_no in range(ROUNDS):
        with container.transaction(t0) as uow:
            closing = new_lot(uow, CLOSING_SELLER, t0 - timedelta(minutes=1), closes_at, f"closing {round_no}")
            mine = {
                b: new_lot(uow, seller_for(b), t0 - timedelta(minutes=1), t0 + timedelta(hours=10), "w")
                for b in BIDDERS
            }
        with container.transaction(t0) as uow:
            for lot_id in (closing, *mine.values()):
                lifecycle.advance_lot(uow, lot_id)
        with container.transaction(t0) as uow:
            for user_id in depositors:
                deposits.pay_deposit(uow, user(uow, user_id), closing)
            for bidder_id, lot_id in mine.items():
                deposits.pay_deposit(uow, user(uow, bidder_id), lot_id)

        def close(lot_id: int = closing) -> object:
            with container.transaction(closes_at) as uow:
                assert lifecycle.advance_lot(uow, lot_id)
            return None

        tasks = [close, *(withdraw_task(container, b, mine[b], closes_at) for b in BIDDERS)]
        run_at_once(tasks, outcomes)
        assert not outcomes.unexpected, f"round {round_no}: {outcomes.unexpected}"

    assert outcomes.items == ["ok"] * (ROUNDS * (1 + len(BIDDERS)))
    with container.reading() as session:
        assert set(session.scalars(select(Lot.status).where(Lot.seller_id == CLOSING_SELLER))) == {"unsold"}
        gain = expected_seller_gain(ROUNDS * FEE)
        for user_id in depositors:
            change = gain.get(user_id, 0) - (ROUNDS * FEE if user_id in BIDDERS else 0)
            assert wallet(session, user_id) == {"available": FUNDS + change, "frozen": 0}, user_id
        assert_ledger_consistent(session)


@pytest.mark.postgres
def test_withdrawals_racing_order_defaults_never_deadlock(racing: Container) -> None:
    """An unpaid order defaults (the penalty moves the buyer's money, then the buyer's default count goes
    up) while the same buyer withdraws from another lot (the buyer's row, then the buyer's money)."""
    container = racing
    t0 = container.now()
    closes_at = t0 + timedelta(hours=1)
    past_deadline = closes_at + timedelta(hours=80)
    outcomes = Outcomes()
    for round_no in range(ROUNDS):
        with container.transaction(t0) as uow:
            won = {b: new_lot(uow, CLOSING_SELLER, t0 - timedelta(minutes=1), closes_at, "won") for b in BIDDERS}
            mine = {
                b: new_lot(uow, seller_for(b), t0 - timedelta(minutes=1), t0 + timedelta(days=30), "w") for b in BIDDERS
            }
        with container.transaction(t0) as uow:
            for lot_id in (*won.values(), *mine.values()):
                lifecycle.advance_lot(uow, lot_id)
        with container.transaction(t0) as uow:
            for bidder_id in BIDDERS:
                bidder = user(uow, bidder_id)
                deposits.pay_deposit(uow, bidder, won[bidder_id])
                deposits.pay_deposit(uow, bidder, mine[bidder_id])
                bidding.place_bid(uow, bidder, won[bidder_id], PRICE, None)
        with container.transaction(closes_at) as uow:
            for lot_id in won.values():
                assert lifecycle.advance_lot(uow, lot_id)
        with container.reading() as session:
            order_ids = {
                row.buyer_id: row.id
                for row in session.scalars(select(OrderRow).where(OrderRow.lot_id.in_(list(won.values()))))
            }
        assert sorted(order_ids) == list(BIDDERS)

        def default(order_id: int) -> Callable[[], object]:
            def task() -> object:
                with container.transaction(past_deadline) as uow:
                    assert order_service.advance_order(uow, order_id)
                return None

            return task

        tasks: list[Callable[[], object]] = []
        for bidder_id in BIDDERS:
            tasks += [
                default(order_ids[bidder_id]),
                withdraw_task(container, bidder_id, mine[bidder_id], past_deadline),
            ]
        run_at_once(tasks, outcomes)
        assert not outcomes.unexpected, f"round {round_no}: {outcomes.unexpected}"

    assert outcomes.items == ["ok"] * (ROUNDS * 2 * len(BIDDERS))
    with container.reading() as session:
        assert set(session.scalars(select(OrderRow.status))) == {"defaulted"}
        gain = expected_seller_gain(ROUNDS * FEE)
        for bidder_id in BIDDERS:
            assert wallet(session, bidder_id) == {"available": FUNDS - ROUNDS * (DEPOSIT + FEE), "frozen": 0}
            record = session.get(User, bidder_id)
            assert record is not None and record.default_count == ROUNDS
        for seller_id in WITHDRAWAL_SELLERS:
            assert wallet(session, seller_id) == {"available": FUNDS + gain[seller_id], "frozen": 0}
        penalties = ROUNDS * len(BIDDERS) * DEPOSIT
        assert wallet(session, CLOSING_SELLER) == {"available": FUNDS + penalties, "frozen": 0}
        assert_ledger_consistent(session)
