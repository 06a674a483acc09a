"""The simulator's invariants (paimai.simulation.invariants) over plain facts: a clean world passes, and each
planted violation is found and named (so a check that stopped looking would fail here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from paimai.domain.bidding import Submission
from paimai.domain.lots import LotStatus
from paimai.domain.orders.model import OrderStatus
from paimai.domain.rules import LotKind, LotRules
from paimai.simulation.invariants import (
    DepositFact,
    EntryTotal,
    LotFact,
    OrderFact,
    Violation,
    check_accounts,
    check_entries,
    check_frozen,
    check_lot,
    check_lots,
    check_money,
)

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
RULES = LotRules(
    kind=LotKind.COMMERCIAL,
    start_price=10_007,
    increment=1_000,
    deposit=2_003,
    starts_at=START,
    ends_at=START + timedelta(hours=2),
)
ALICE, BOB, SELLER = 11, 12, 3


def names(violations: list[Violation]) -> list[str]:
    return [v.invariant for v in violations]


# ---- the ledger ---------------------------------------------------------------------------------------------


def test_balanced_entries_pass() -> None:
    assert check_entries([EntryTotal(1, 2, 0), EntryTotal(2, 3, 0)]) == []


def test_an_entry_that_does_not_sum_to_zero_is_found() -> None:
    found = check_entries([EntryTotal(1, 2, 0), EntryTotal(7, 2, 3)])
    assert names(found) == ["entry_unbalanced"]
    assert "7" in found[0].text


def test_an_entry_of_one_posting_is_found() -> None:
    assert names(check_entries([EntryTotal(4, 1, 0)])) == ["entry_too_few_postings"]


def test_accounts_equal_to_their_postings_pass() -> None:
    balances = {"user:11:available": 5_003, "user:11:frozen": 2_003, "external:0:sandbox": -7_006}
    assert check_accounts(balances, dict(balances)) == []


def test_a_balance_apart_from_its_postings_is_found() -> None:
    found = check_accounts({"user:11:available": 5_003}, {"user:11:available": 5_004})
    assert names(found) == ["balance_mismatch"]


@pytest.mark.parametrize("key", ["user:11:available", "user:11:frozen", "escrow:5:escrow", "platform:0:revenue"])
def test_a_negative_balance_inside_the_platform_is_found(key: str) -> None:
    assert names(check_accounts({key: -1}, {key: -1})) == ["balance_negative"]


def test_the_outside_world_may_go_negative() -> None:
    assert check_accounts({"external:0:sandbox": -9_999}, {"external:0:sandbox": -9_999}) == []


def test_money_in_equal_to_the_balances_inside_passes() -> None:
    assert check_money(12_000, 0, {"user": 11_000, "escrow": 700, "platform": 300, "external": -12_000}) == []


def test_money_made_inside_the_platform_is_found() -> None:
    found = check_money(12_000, 0, {"user": 12_001, "external": -12_000})
    assert names(found) == ["money_not_conserved"]


def test_money_that_left_without_an_entry_is_found() -> None:
    found = check_money(12_000, 0, {"user": 12_000, "external": -11_000})
    assert names(found) == ["money_not_conserved"]


def test_money_out_counts() -> None:
    assert check_money(12_000, 2_000, {"user": 10_000, "external": -10_000}) == []


def test_frozen_balances_equal_to_frozen_deposits_pass() -> None:
    assert check_frozen({ALICE: 2_003, BOB: 0}, {ALICE: 2_003}) == []


def test_a_frozen_deposit_with_no_frozen_money_is_found() -> None:
    assert names(check_frozen({}, {ALICE: 2_003})) == ["frozen_mismatch"]


def test_a_deposit_released_twice_leaves_the_frozen_balance_apart() -> None:
    assert names(check_frozen({ALICE: 0, BOB: 2_003}, {ALICE: 2_003, BOB: 2_003})) == ["frozen_mismatch"]


# ---- a lot --------------------------------------------------------------------------------------------------

# Alice bids the start price; Bob bids one step up with a maximum of five steps more: Bob leads at 11,007
# (his own bid; Alice's maximum + one step is also 11,007).
SUBMISSIONS = (Submission(1, ALICE, 10_007, 10_007), Submission(2, BOB, 11_007, 15_007))


def deposit(deposit_id: int, user_id: int, status: str = "frozen", *, settled: bool = False) -> DepositFact:
    return DepositFact(deposit_id, user_id, RULES.deposit, status, settled)


LIVE = LotFact(
    lot_id=5,
    status=LotStatus.LIVE,
    rules=RULES,
    price=11_007,
    leader_id=BOB,
    winner_id=None,
    submissions=SUBMISSIONS,
    deposits=(deposit(1, ALICE), deposit(2, BOB)),
    orders=(),
    record_break=None,
)
# Sold to Bob, who has paid: his deposit applied, Alice's released, the price in escrow.
SOLD = replace(
    LIVE,
    status=LotStatus.SOLD,
    winner_id=BOB,
    deposits=(deposit(1, ALICE, "released", settled=True), deposit(2, BOB, "applied", settled=True)),
    orders=(OrderFact(9, BOB, OrderStatus.PAID, 11_007, 11_007),),
)


@pytest.mark.parametrize("lot", [LIVE, SOLD], ids=["live", "sold"])
def test_a_consistent_lot_passes(lot: LotFact) -> None:
    assert check_lot(lot) == []


def test_a_lot_without_bids_has_no_price_and_no_leader() -> None:
    assert check_lot(replace(LIVE, submissions=(), price=None, leader_id=None)) == []


@pytest.mark.parametrize(
    "stored",
    [
        {"price": 12_007},  # one step too high
        {"price": 10_007},  # the runner-up's bid
        {"leader_id": ALICE},
        {"price": None, "leader_id": None},
    ],
)
def test_a_price_or_leader_that_is_not_the_replay_of_the_bids_is_found(stored: dict[str, object]) -> None:
    assert names(check_lot(replace(LIVE, **stored))) == ["price_not_replayed"]  # type: ignore[arg-type]


def test_a_withdrawn_bid_left_in_the_price_is_found() -> None:
    # Bob's bid withdrawn (no longer among the submissions) but the lot still shows him leading.
    assert names(check_lot(replace(LIVE, submissions=SUBMISSIONS[:1]))) == ["price_not_replayed"]


def test_a_sold_lot_whose_winner_is_not_the_leader_is_found() -> None:
    assert "winner_not_leader" in names(check_lot(replace(SOLD, winner_id=ALICE)))


def test_two_live_orders_on_one_lot_are_found() -> None:
    second = OrderFact(10, ALICE, OrderStatus.AWAITING_PAYMENT, 10_007, 0)
    assert names(check_lot(replace(SOLD, orders=(*SOLD.orders, second)))) == ["two_live_orders"]


def test_a_settled_order_beside_a_live_one_is_fine() -> None:
    defaulted = OrderFact(8, ALICE, OrderStatus.DEFAULTED, 11_007, 0)
    assert check_lot(replace(SOLD, orders=(defaulted, *SOLD.orders))) == []


def test_an_order_on_a_lot_that_is_not_sold_is_found() -> None:
    assert "order_on_unsold_lot" in names(check_lot(replace(SOLD, status=LotStatus.UNSOLD)))


@pytest.mark.parametrize(
    "order",
    [
        OrderFact(9, BOB, OrderStatus.PAID, 11_007, 0),  # paid, yet the escrow is empty
        OrderFact(9, BOB, OrderStatus.COMPLETED, 11_007, 11_007),  # paid out, yet the escrow still holds it
        OrderFact(9, BOB, OrderStatus.SHIPPED, 11_007, 11_006),
    ],
)
def test_escrow_that_does_not_hold_the_price_exactly_while_paid_is_found(order: OrderFact) -> None:
    assert names(check_lot(replace(SOLD, orders=(order,)))) == ["escrow_mismatch"]


def test_a_deposit_left_frozen_on_a_closed_lot_is_found() -> None:
    deposits = (deposit(1, ALICE, "released", settled=True), deposit(2, BOB))
    unsold = replace(LIVE, status=LotStatus.UNSOLD, deposits=deposits)
    assert names(check_lot(unsold)) == ["deposit_frozen_without_reason"]


def test_the_buyer_of_an_unpaid_order_keeps_the_deposit_frozen() -> None:
    unpaid = replace(
        SOLD,
        deposits=(deposit(1, ALICE, "released", settled=True), deposit(2, BOB)),
        orders=(OrderFact(9, BOB, OrderStatus.AWAITING_PAYMENT, 11_007, 0),),
    )
    assert check_lot(unpaid) == []
    paid = replace(unpaid, orders=SOLD.orders)
    assert names(check_lot(paid)) == ["deposit_frozen_without_reason"]


def test_a_settled_deposit_without_a_settlement_time_is_found() -> None:
    deposits = (deposit(1, ALICE, "released", settled=False), deposit(2, BOB, "applied", settled=True))
    lot = replace(SOLD, deposits=deposits)
    assert names(check_lot(lot)) == ["deposit_settled_twice"]


def test_a_frozen_deposit_with_a_settlement_time_is_found() -> None:
    lot = replace(LIVE, deposits=(deposit(1, ALICE, settled=True), deposit(2, BOB)))
    assert names(check_lot(lot)) == ["deposit_settled_twice"]


def test_two_frozen_deposits_of_one_user_on_one_lot_are_found() -> None:
    lot = replace(LIVE, deposits=(deposit(1, ALICE), deposit(2, BOB), deposit(3, ALICE)))
    assert names(check_lot(lot)) == ["deposit_frozen_twice"]


def test_a_deposit_of_an_unknown_status_is_found() -> None:
    lot = replace(LIVE, deposits=(deposit(1, ALICE, "refunded", settled=True), deposit(2, BOB)))
    assert names(check_lot(lot)) == ["deposit_status_unknown"]


def test_a_broken_record_is_found() -> None:
    found = check_lot(replace(LIVE, record_break="the record breaks at entry 4 (hash)"))
    assert names(found) == ["record_broken"]
    assert "entry 4" in found[0].text


def test_check_lots_reports_each_lot() -> None:
    found = check_lots([LIVE, replace(LIVE, lot_id=6, price=1), replace(LIVE, lot_id=7, leader_id=ALICE)])
    assert [v.text.split(":")[0] for v in found] == ["lot 6", "lot 7"]
