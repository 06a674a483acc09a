"""The order state machine (RULES §6): every allowed transition, every disallowed one refused with a
stable code, and the guards (who, when, what input) each refused with its own code."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest
from order_builders import (
    BUYER,
    DEPOSIT,
    PLATFORM,
    PRICE,
    SELLER,
    STRANGER,
    T0,
    fresh,
    order_in,
    perform,
    valid_time,
)

from paimai.domain import orders as od
from paimai.domain import second_chance as sc
from paimai.domain.deposits import DepositStatus
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.ledger import EntryKind, apply_entry, available, balances_from, frozen
from paimai.domain.notices import NoticeKind
from paimai.domain.orders import (
    A,
    CloseReason,
    Fault,
    OrderAction,
    OrderStatus,
    RefundReason,
    Role,
    escrow,
)
from paimai.domain.rules import LotKind, PlatformRules

ALL_PAIRS = list(itertools.product(OrderStatus, OrderAction))
ALLOWED = [pair for pair in ALL_PAIRS if pair in od.TRANSITIONS]
REFUSED = [pair for pair in ALL_PAIRS if pair not in od.TRANSITIONS]


def test_the_table_covers_every_state_and_every_action() -> None:
    sources = {status for status, _ in od.TRANSITIONS}
    targets = set(od.TRANSITIONS.values())
    assert sources | targets == set(OrderStatus)
    assert {action for _, action in od.TRANSITIONS} == set(OrderAction)
    assert sources.isdisjoint(od.TERMINAL)  # nothing leaves a finished order
    assert set(od.ROLE_OF_ACTION) == set(OrderAction)


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids=[f"{s.value}-{a.value}" for s, a in ALLOWED])
def test_every_allowed_transition(status: OrderStatus, action: OrderAction) -> None:
    order = order_in(status)
    decision = perform(order, action)
    assert decision.order.status is od.TRANSITIONS[(status, action)]
    assert decision.action is action
    for entry in decision.entries:  # every money movement balances (JournalEntry refuses otherwise)
        assert sum(p.amount for p in entry.postings) == 0
    if decision.order.status in od.TERMINAL:
        assert decision.order.finished_at == valid_time(order, action)


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s.value}-{a.value}" for s, a in REFUSED])
def test_every_disallowed_transition_is_refused_with_a_stable_code(status: OrderStatus, action: OrderAction) -> None:
    order = order_in(status)
    with pytest.raises(DomainError) as caught:
        perform(order, action)
    assert caught.value.code is ErrorCode.ORDER_TRANSITION_NOT_ALLOWED
    assert caught.value.details == {"status": status.value, "action": action.value}


@pytest.mark.parametrize(
    "action", [a for a in OrderAction if a in od.BUYER_ACTIONS | od.SELLER_ACTIONS | od.STAFF_ACTIONS]
)
def test_only_the_right_party_may_act(action: OrderAction) -> None:
    status = next(s for s, a in od.TRANSITIONS if a is action)
    order = order_in(status)
    expected = {
        Role.BUYER: ErrorCode.NOT_ORDER_BUYER,
        Role.SELLER: ErrorCode.NOT_ORDER_SELLER,
        Role.STAFF: ErrorCode.STAFF_ONLY,
    }[od.ROLE_OF_ACTION[action]]
    for intruder in (STRANGER, SELLER if od.ROLE_OF_ACTION[action] is Role.BUYER else BUYER):
        with pytest.raises(DomainError) as caught:
            perform(order, action, actor=intruder)
        assert caught.value.code is expected


# ---- creation and paying ------------------------------------------------------------------------


def test_a_new_order_awaits_payment_for_72_hours_of_elapsed_time() -> None:
    late_evening = T0.replace(hour=15, minute=59)  # 23:59 北京时间: the period is never cut short by the clock
    order = od.new_order(
        order_id=1,
        lot_id=2,
        buyer_id=BUYER,
        seller_id=SELLER,
        kind=LotKind.COMMERCIAL,
        price=PRICE,
        deposit=DEPOSIT,
        now=late_evening,
        platform=PLATFORM,
    )
    assert order.status is OrderStatus.AWAITING_PAYMENT
    assert order.pay_deadline - late_evening == timedelta(hours=72)
    assert od.reminder_at(order, PLATFORM) == order.pay_deadline - timedelta(hours=24)
    assert [n.kind for n in od.opening_notices(order)] == [NoticeKind.ORDER_WON, NoticeKind.ORDER_SOLD]


def test_the_payment_deadline_is_a_platform_setting_and_judicial_lots_have_ten_days() -> None:
    short = PlatformRules(payment_deadline_hours=12)
    assert od.payment_deadline(LotKind.COMMERCIAL, T0, short) == T0 + timedelta(hours=12)
    assert od.payment_deadline(LotKind.JUDICIAL, T0, short) == T0 + timedelta(days=10)
    order = replace(fresh(), pay_deadline=T0 + timedelta(hours=12))
    assert od.reminder_at(order, short) == T0  # nearer than 24 h: remind at once


def test_paying_takes_the_price_less_the_deposit_and_escrows_the_whole_price() -> None:
    decision = od.pay(fresh(), BUYER, T0 + timedelta(hours=5), PLATFORM)
    assert decision.order.status is OrderStatus.PAID
    assert decision.order.ship_deadline == T0 + timedelta(hours=5, days=7)
    assert decision.deposit_status is DepositStatus.APPLIED
    (entry,) = decision.entries
    assert entry.kind is EntryKind.ORDER_PAYMENT
    moved = {p.account: p.amount for p in entry.postings}
    assert moved == {available(BUYER): -(PRICE - DEPOSIT), frozen(BUYER): -DEPOSIT, escrow(11): PRICE}
    assert [n.kind for n in decision.notices] == [NoticeKind.ORDER_PAID]


def test_paying_without_enough_balance_is_refused_by_the_ledger() -> None:
    decision = od.pay(fresh(), BUYER, T0, PLATFORM)
    balances = {available(BUYER): PRICE - DEPOSIT - 1, frozen(BUYER): DEPOSIT}
    with pytest.raises(DomainError) as caught:
        apply_entry(balances, decision.entries[0])
    assert caught.value.code is ErrorCode.INSUFFICIENT_FUNDS


def test_a_zero_balance_due_is_paid_by_the_system_and_a_deposit_above_the_price_comes_back() -> None:
    equal = fresh(price=DEPOSIT, deposit=DEPOSIT)
    assert equal.amount_due == 0
    decision = od.pay(equal, None, T0, PLATFORM, system=True)
    assert decision.order.status is OrderStatus.PAID
    assert [e.kind for e in decision.entries] == [EntryKind.ORDER_PAYMENT]
    above = fresh(price=10_000, deposit=DEPOSIT)
    decision = od.pay(above, None, T0, PLATFORM, system=True)
    balances = balances_from(decision.entries)
    assert balances[escrow(11)] == 10_000
    assert balances[available(BUYER)] == DEPOSIT - 10_000
    assert balances[frozen(BUYER)] == -DEPOSIT
    with pytest.raises(DomainError) as caught:
        od.pay(fresh(), None, T0, PLATFORM, system=True)  # a balance is due: only the buyer pays it
    assert caught.value.code is ErrorCode.ORDER_TRANSITION_NOT_ALLOWED


def test_paying_or_asking_to_close_after_the_deadline_is_refused() -> None:
    order = fresh()
    for action in (A.PAY, A.REQUEST_CLOSE):
        with pytest.raises(DomainError) as caught:
            perform(order, action, order.pay_deadline)
        assert caught.value.code is ErrorCode.PAYMENT_DEADLINE_PASSED
    assert od.allowed_actions(order, Role.BUYER, order.pay_deadline) == []
    assert od.allowed_actions(order, Role.BUYER, T0) == [A.PAY, A.REQUEST_CLOSE]


# ---- close by agreement ---------------------------------------------------------------------------


def test_close_by_agreement_accepted_releases_the_deposit_without_penalty() -> None:
    asked = od.request_close(fresh(), BUYER, CloseReason.MISTAKEN_BID, T0 + timedelta(hours=1))
    assert asked.order.status is OrderStatus.CLOSE_REQUESTED
    assert asked.order.close_reason is CloseReason.MISTAKEN_BID
    assert [(n.user_id, n.kind) for n in asked.notices] == [(SELLER, NoticeKind.CLOSE_REQUESTED)]
    accepted = od.accept_close(asked.order, SELLER, T0 + timedelta(hours=2))
    assert accepted.order.status is OrderStatus.CLOSED
    assert accepted.order.penalty == 0 and not accepted.buyer_default
    assert accepted.deposit_status is DepositStatus.RELEASED
    assert balances_from(accepted.entries) == {frozen(BUYER): -DEPOSIT, available(BUYER): DEPOSIT}


def test_close_declined_goes_on_and_may_not_be_asked_again() -> None:
    asked = od.request_close(fresh(), BUYER, CloseReason.CHANGED_MIND, T0)
    declined = od.decline_close(asked.order, SELLER, T0 + timedelta(hours=1))
    assert declined.order.status is OrderStatus.AWAITING_PAYMENT
    assert declined.order.pay_deadline == fresh().pay_deadline
    assert declined.entries == ()
    with pytest.raises(DomainError) as caught:
        od.request_close(declined.order, BUYER, CloseReason.CHANGED_MIND, T0 + timedelta(hours=2))
    assert caught.value.code is ErrorCode.CLOSE_REQUEST_ALREADY_MADE
    assert od.pay(declined.order, BUYER, T0 + timedelta(hours=3), PLATFORM).order.status is OrderStatus.PAID


def test_judicial_sales_are_binding() -> None:
    judicial = fresh(kind=LotKind.JUDICIAL)
    with pytest.raises(DomainError) as caught:
        od.request_close(judicial, BUYER, CloseReason.MISTAKEN_BID, T0)
    assert caught.value.code is ErrorCode.JUDICIAL_SALE_BINDING
    shipped = replace(order_in(OrderStatus.SHIPPED), kind=LotKind.JUDICIAL)
    with pytest.raises(DomainError) as caught:
        od.request_refund(shipped, BUYER, RefundReason.NOT_AS_DESCRIBED, T0)
    assert caught.value.code is ErrorCode.JUDICIAL_SALE_BINDING
    assert A.REQUEST_CLOSE not in od.allowed_actions(judicial, Role.BUYER, T0)


# ---- default ------------------------------------------------------------------------------------


def test_default_at_the_deadline_pays_the_deposit_to_the_seller() -> None:
    order = fresh()
    with pytest.raises(DomainError) as caught:
        od.default(order, order.pay_deadline - timedelta(seconds=1))
    assert caught.value.code is ErrorCode.PAYMENT_DEADLINE_NOT_REACHED
    decision = od.default(order, order.pay_deadline)
    assert decision.order.status is OrderStatus.DEFAULTED
    assert decision.order.penalty == DEPOSIT and decision.buyer_default
    assert decision.deposit_status is DepositStatus.FORFEITED
    assert balances_from(decision.entries) == {frozen(BUYER): -DEPOSIT, available(SELLER): DEPOSIT}
    assert {n.user_id for n in decision.notices if n.kind is NoticeKind.ORDER_DEFAULTED} == {BUYER, SELLER}


def test_the_penalty_is_never_more_than_the_price() -> None:
    decision = od.default(fresh(price=5_000, deposit=DEPOSIT), T0 + timedelta(days=4))
    assert decision.order.penalty == 5_000
    assert balances_from(decision.entries) == {
        frozen(BUYER): -DEPOSIT,
        available(SELLER): 5_000,
        available(BUYER): DEPOSIT - 5_000,
    }


def test_due_action_names_the_system_step() -> None:
    order = fresh()
    assert od.due_action(order, order.pay_deadline - timedelta(seconds=1)) is None
    assert od.due_action(order, order.pay_deadline) is A.DEFAULT
    paid = order_in(OrderStatus.PAID)
    assert paid.ship_deadline is not None
    assert od.due_action(paid, paid.ship_deadline) is A.SHIPPING_OVERDUE
    shipped = order_in(OrderStatus.SHIPPED)
    assert shipped.auto_confirm_at is not None
    assert od.due_action(shipped, shipped.auto_confirm_at - timedelta(seconds=1)) is None
    assert od.run_due(shipped, shipped.auto_confirm_at, PLATFORM) is not None
    assert od.run_due(order_in(OrderStatus.COMPLETED), T0 + timedelta(days=365), PLATFORM) is None
    with pytest.raises(DomainError) as caught:
        od.auto_confirm(shipped, shipped.auto_confirm_at - timedelta(seconds=1), PLATFORM)
    assert caught.value.code is ErrorCode.ORDER_NOT_DUE
    with pytest.raises(DomainError) as caught:
        od.shipping_overdue(paid, paid.ship_deadline - timedelta(seconds=1))
    assert caught.value.code is ErrorCode.ORDER_NOT_DUE


# ---- shipping, receipt, payout ---------------------------------------------------------------------


def test_shipping_needs_a_carrier_and_a_tracking_number_within_the_shipping_period() -> None:
    paid = order_in(OrderStatus.PAID)
    assert paid.paid_at is not None and paid.ship_deadline is not None
    for carrier, tracking in (("", "SF1234567890"), ("顺丰", "x"), ("顺丰", "SF 123 456"), ("x" * 65, "SF12345")):
        with pytest.raises(DomainError) as caught:
            od.ship(paid, SELLER, carrier, tracking, paid.paid_at, PLATFORM)
        assert caught.value.code is ErrorCode.SHIPPING_INFO_INVALID
    with pytest.raises(DomainError) as caught:
        od.ship(paid, SELLER, "顺丰", "SF1234567890", paid.ship_deadline, PLATFORM)
    assert caught.value.code is ErrorCode.SHIPPING_PERIOD_OVER
    shipped = od.ship(paid, SELLER, " 顺丰速运 ", "SF1234567890", paid.paid_at, PLATFORM).order
    assert (shipped.carrier, shipped.tracking_no) == ("顺丰速运", "SF1234567890")
    assert shipped.auto_confirm_at == paid.paid_at + timedelta(days=10)


def test_receipt_pays_the_seller_less_the_commission() -> None:
    shipped = order_in(OrderStatus.SHIPPED)
    platform = PlatformRules(commission_percent=3)
    decision = od.confirm_receipt(shipped, BUYER, T0 + timedelta(days=3), platform)
    commission = PRICE * 3 // 100
    assert decision.order.commission == commission
    assert balances_from(decision.entries) == {
        escrow(11): -PRICE,
        available(SELLER): PRICE - commission,
        od.PLATFORM_REVENUE: commission,
    }
    free = od.confirm_receipt(shipped, BUYER, T0 + timedelta(days=3), PLATFORM)  # 0% by default
    assert balances_from(free.entries) == {escrow(11): -PRICE, available(SELLER): PRICE}
    judicial = od.confirm_receipt(replace(shipped, kind=LotKind.JUDICIAL), BUYER, T0, platform)
    assert judicial.order.commission == 0  # no platform fee on judicial lots (RULES §7)


# ---- refunds ------------------------------------------------------------------------------------------


def test_a_refund_for_the_buyers_own_reasons_before_shipping_is_price_less_penalty() -> None:
    decision = od.request_refund(order_in(OrderStatus.PAID), BUYER, RefundReason.CHANGED_MIND, T0 + timedelta(days=1))
    assert decision.order.status is OrderStatus.REFUNDED
    assert decision.buyer_default and decision.order.penalty == DEPOSIT
    assert balances_from(decision.entries) == {
        escrow(11): -PRICE,
        available(BUYER): PRICE - DEPOSIT,
        available(SELLER): DEPOSIT,
    }
    with pytest.raises(DomainError) as caught:
        od.request_refund(order_in(OrderStatus.PAID), BUYER, RefundReason.NOT_AS_DESCRIBED, T0)
    assert caught.value.code is ErrorCode.REFUND_REASON_NOT_APPLICABLE


def test_a_refund_for_the_sellers_fault_is_in_full() -> None:
    asked = od.request_refund(order_in(OrderStatus.SHIPPED), BUYER, RefundReason.NOT_AS_DESCRIBED, T0)
    assert asked.order.status is OrderStatus.REFUND_REQUESTED and asked.entries == ()
    accepted = od.accept_refund(asked.order, SELLER, T0 + timedelta(days=1))
    assert not accepted.buyer_default and accepted.order.penalty == 0
    assert balances_from(accepted.entries) == {escrow(11): -PRICE, available(BUYER): PRICE}


def test_after_shipping_a_buyer_reason_refund_is_a_default_once_the_seller_accepts() -> None:
    asked = od.request_refund(order_in(OrderStatus.SHIPPED), BUYER, RefundReason.MISTAKEN_BID, T0)
    accepted = od.accept_refund(asked.order, SELLER, T0 + timedelta(days=1))
    assert accepted.buyer_default and accepted.order.penalty == DEPOSIT


def test_a_declined_refund_goes_to_staff_who_decide_the_fault() -> None:
    asked = od.request_refund(order_in(OrderStatus.SHIPPED), BUYER, RefundReason.NOT_AS_DESCRIBED, T0)
    disputed = od.decline_refund(asked.order, SELLER, T0).order
    assert disputed.status is OrderStatus.DISPUTED
    buyer_fault = od.staff_refund(disputed, 3, True, Fault.BUYER, T0)
    assert buyer_fault.order.penalty == DEPOSIT and buyer_fault.buyer_default
    released = od.staff_release(disputed, 3, True, T0, PLATFORM)
    assert released.order.status is OrderStatus.COMPLETED
    with pytest.raises(DomainError) as caught:
        od.staff_refund(disputed, SELLER, False, Fault.SELLER, T0)
    assert caught.value.code is ErrorCode.STAFF_ONLY


def test_undeliverable_shipping_information_is_the_buyers_default() -> None:
    decision = od.report_undeliverable(order_in(OrderStatus.PAID), SELLER, T0)
    assert decision.order.status is OrderStatus.REFUNDED and decision.buyer_default
    assert decision.order.penalty == DEPOSIT


def test_not_shipped_in_time_is_a_full_refund() -> None:
    paid = order_in(OrderStatus.PAID)
    assert paid.ship_deadline is not None
    decision = od.shipping_overdue(paid, paid.ship_deadline)
    assert not decision.buyer_default and decision.order.penalty == 0
    assert balances_from(decision.entries) == {escrow(11): -PRICE, available(BUYER): PRICE}


def test_a_seller_who_refuses_to_sell_pays_a_sum_equal_to_the_deposit() -> None:
    unpaid = od.refuse_to_sell(fresh(), SELLER, T0)
    assert unpaid.order.status is OrderStatus.SELLER_REFUSED and unpaid.order.compensation == DEPOSIT
    assert unpaid.deposit_status is DepositStatus.RELEASED
    assert balances_from(unpaid.entries) == {
        frozen(BUYER): -DEPOSIT,
        available(BUYER): 2 * DEPOSIT,
        available(SELLER): -DEPOSIT,
    }
    paid = od.refuse_to_sell(order_in(OrderStatus.PAID), SELLER, T0)
    assert balances_from(paid.entries) == {
        escrow(11): -PRICE,
        available(BUYER): PRICE + DEPOSIT,
        available(SELLER): -DEPOSIT,
    }
    no_deposit = od.refuse_to_sell(fresh(deposit=0), SELLER, T0)
    assert no_deposit.entries == ()


def test_allowed_actions_follow_the_table_and_the_clock() -> None:
    paid = order_in(OrderStatus.PAID)
    assert paid.ship_deadline is not None
    assert od.allowed_actions(paid, Role.SELLER, T0) == [A.SHIP, A.REPORT_UNDELIVERABLE, A.REFUSE_TO_SELL]
    assert od.allowed_actions(paid, Role.SELLER, paid.ship_deadline) == [A.REPORT_UNDELIVERABLE, A.REFUSE_TO_SELL]
    assert od.allowed_actions(paid, Role.BUYER, T0) == [A.REQUEST_REFUND]
    assert od.allowed_actions(order_in(OrderStatus.COMPLETED), Role.BUYER, T0) == []


# ---- second-chance offers ------------------------------------------------------------------------------


def test_the_runner_up_is_the_highest_other_bid_and_the_earlier_at_equal_amounts() -> None:
    highs = [sc.BidderHigh(BUYER, 150_000, 9), sc.BidderHigh(5, 140_000, 8), sc.BidderHigh(6, 140_000, 6)]
    assert sc.runner_up(highs, excluded={BUYER}) == sc.BidderHigh(6, 140_000, 6)
    assert sc.runner_up(highs, excluded={BUYER, 6, 5}) is None


def test_a_second_chance_offer_follows_only_a_buyers_default() -> None:
    defaulted = od.default(fresh(), T0 + timedelta(days=3)).order
    candidate = sc.BidderHigh(5, 140_000, 3)
    sc.check_may_offer(defaulted, SELLER, lot_has_open_order=False, lot_has_pending_offer=False)
    offer = sc.make_offer(offer_id=1, order=defaulted, candidate=candidate, now=T0, platform=PLATFORM)
    assert offer.amount == 140_000 and offer.expires_at == T0 + timedelta(hours=48)
    refusals = [
        (order_in(OrderStatus.CLOSED), SELLER, False, ErrorCode.SECOND_CHANCE_NOT_AVAILABLE),
        (order_in(OrderStatus.PAID), SELLER, False, ErrorCode.SECOND_CHANCE_NOT_AVAILABLE),
        (defaulted, SELLER, True, ErrorCode.SECOND_CHANCE_NOT_AVAILABLE),
        (defaulted, BUYER, False, ErrorCode.NOT_ORDER_SELLER),
        (replace(defaulted, kind=LotKind.JUDICIAL), SELLER, False, ErrorCode.JUDICIAL_SALE_BINDING),
    ]
    for order, actor, busy, code in refusals:
        with pytest.raises(DomainError) as caught:
            sc.check_may_offer(order, actor, lot_has_open_order=busy, lot_has_pending_offer=False)
        assert caught.value.code is code
    with pytest.raises(DomainError) as caught:
        sc.make_offer(offer_id=1, order=defaulted, candidate=None, now=T0, platform=PLATFORM)
    assert caught.value.code is ErrorCode.NO_RUNNER_UP


def test_an_offer_is_accepted_declined_or_expires_once() -> None:
    defaulted = od.default(fresh(), T0 + timedelta(days=3)).order
    offer = sc.make_offer(
        offer_id=1, order=defaulted, candidate=sc.BidderHigh(5, 140_000, 3), now=T0, platform=PLATFORM
    )
    with pytest.raises(DomainError) as caught:
        sc.accept(offer, 6, T0)
    assert caught.value.code is ErrorCode.NOT_OFFER_RECIPIENT
    with pytest.raises(DomainError) as caught:
        sc.accept(offer, 5, offer.expires_at)
    assert caught.value.code is ErrorCode.OFFER_EXPIRED
    accepted = sc.accept(offer, 5, T0 + timedelta(hours=1))
    assert accepted.status is sc.OfferStatus.ACCEPTED
    for step in (sc.accept, sc.decline):
        with pytest.raises(DomainError) as caught:
            step(accepted, 5, T0 + timedelta(hours=2))
        assert caught.value.code is ErrorCode.OFFER_NOT_PENDING
    assert sc.decline(offer, 5, T0).status is sc.OfferStatus.DECLINED
    assert sc.expire(offer, offer.expires_at - timedelta(seconds=1)) is None
    expired = sc.expire(offer, offer.expires_at)
    assert expired is not None and expired.status is sc.OfferStatus.EXPIRED
    assert sc.expire(accepted, offer.expires_at) is None
