"""The "is it due" rule, once per feature in the domain: the moment it names is the moment work is due.

The scheduler's SQL is only `due_at <= :until` over the moment these functions return, so each
property below says: the domain finds a step due at `now` exactly when that moment is at or before
`now` — at it, not only after it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from paimai.domain import orders as od
from paimai.domain import second_chance as sc
from paimai.domain.lots import LotStatus, next_step_at
from paimai.domain.orders import Order, OrderStatus, SystemStep
from paimai.domain.rules import LotKind, PlatformRules

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
PLATFORM = PlatformRules()
BUYER, SELLER = 1, 2


def fresh() -> Order:
    return od.new_order(
        order_id=11, lot_id=7, buyer_id=BUYER, seller_id=SELLER, kind=LotKind.COMMERCIAL, price=150_000,
        deposit=20_000, now=T0, platform=PLATFORM,
    )  # fmt: skip


def order_in(status: OrderStatus) -> Order:
    """An order in `status` with the dates the ordinary path gives it (paid after 1 h, shipped a day later)."""
    order = fresh()
    paid = od.pay(order, BUYER, T0 + timedelta(hours=1), PLATFORM).order
    shipped = od.ship(paid, SELLER, "顺丰速运", "SF1234567890", T0 + timedelta(days=1), PLATFORM).order
    if status in od.UNPAID:
        return replace(order, status=status)
    return replace(shipped if status not in (OrderStatus.PAID, OrderStatus.REFUNDED) else paid, status=status)


MOMENT = st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=60))


def test_a_lot_is_due_to_start_at_its_start_and_to_close_at_its_effective_end() -> None:
    starts, ends = T0, T0 + timedelta(hours=2)
    assert next_step_at(LotStatus.SCHEDULED, starts, ends) == starts
    assert next_step_at(LotStatus.LIVE, starts, ends) == ends
    for status in set(LotStatus) - {LotStatus.SCHEDULED, LotStatus.LIVE}:
        assert next_step_at(status, starts, ends) is None


def test_an_unpaid_order_is_due_for_its_reminder_then_its_default() -> None:
    order = fresh()
    assert order.remind_at == order.pay_deadline - timedelta(hours=PLATFORM.payment_reminder_hours)
    assert od.next_system_step(order) == od.DueStep(order.remind_at, SystemStep.REMIND)
    assert od.due_step(order, order.remind_at - timedelta(microseconds=1)) is None
    assert od.due_step(order, order.remind_at) is SystemStep.REMIND
    reminded = od.remind(order, order.remind_at)
    assert od.next_system_step(reminded) == od.DueStep(order.pay_deadline, SystemStep.DEFAULT)
    assert od.due_step(reminded, order.pay_deadline) is SystemStep.DEFAULT
    # Past the deadline a reminder never sent is moot: the default is what is due.
    assert od.due_step(order, order.pay_deadline) is SystemStep.DEFAULT


def test_a_paid_order_is_due_at_its_shipping_deadline_and_a_shipped_one_at_auto_confirmation() -> None:
    paid, shipped = order_in(OrderStatus.PAID), order_in(OrderStatus.SHIPPED)
    assert paid.ship_deadline is not None and shipped.auto_confirm_at is not None
    assert od.next_system_step(paid) == od.DueStep(paid.ship_deadline, SystemStep.SHIPPING_OVERDUE)
    assert od.next_system_step(shipped) == od.DueStep(shipped.auto_confirm_at, SystemStep.AUTO_CONFIRM)
    for status in od.TERMINAL | {OrderStatus.REFUND_REQUESTED, OrderStatus.DISPUTED}:
        assert od.next_system_step(order_in(status)) is None


@given(status=st.sampled_from(list(OrderStatus)), reminded=st.booleans(), offset=MOMENT, short_window=st.booleans())
def test_an_order_step_is_due_exactly_when_its_moment_has_come(
    status: OrderStatus, reminded: bool, offset: timedelta, short_window: bool
) -> None:
    order = order_in(status)
    if short_window:  # a deadline nearer than the reminder window: the reminder coincides with the creation
        order = replace(order, remind_at=order.created_at, pay_deadline=order.created_at + timedelta(hours=3))
    if reminded:
        order = replace(order, reminded_at=order.created_at)
    now = T0 + offset
    moment = od.next_system_step_at(order)
    step = od.due_step(order, now)
    assert (step is not None) == (moment is not None and moment <= now)
    if moment is not None:  # due at the moment itself, and not a microsecond before
        assert od.due_step(order, moment) is not None
        assert od.due_step(order, moment - timedelta(microseconds=1)) is None
    decision = od.run_due(order, now, PLATFORM)
    assert (decision is not None) == (step is not None and step is not SystemStep.REMIND)
    if decision is not None:  # the step moves the order on: it is no longer due at that moment
        after = od.next_system_step_at(decision.order)
        assert after is None or after > now


@given(offset=MOMENT, decided=st.sampled_from([None, *sc.OfferStatus]))
def test_an_offer_lapses_exactly_at_its_expiry(offset: timedelta, decided: sc.OfferStatus | None) -> None:
    offer = sc.Offer(1, 7, 11, 5, 120_000, sc.OfferStatus.PENDING, T0, T0 + timedelta(hours=48))
    if decided is not None:
        offer = replace(offer, status=decided)
    now = T0 + offset
    moment = sc.next_step_at(offer)
    assert (sc.expire(offer, now) is not None) == (moment is not None and moment <= now)
    if moment is not None:
        assert sc.expire(offer, moment) is not None
    assert moment == (offer.expires_at if offer.status is sc.OfferStatus.PENDING else None)
