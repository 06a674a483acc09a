"""The order's read model (domain.order_views): what the order page offers, decided from the rules once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from order_builders import BUYER, SELLER, STAFF, T0, order_in

from paimai.domain import orders as od
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.order_views import DeadlineKind, order_view, running_deadline, second_chance_available
from paimai.domain.orders import CloseReason, OrderAction, OrderStatus, RefundReason, Role
from paimai.domain.rules import LotKind

S = OrderStatus
NOW = T0 + timedelta(hours=2)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (S.AWAITING_PAYMENT, DeadlineKind.PAY),
        (S.CLOSE_REQUESTED, DeadlineKind.PAY),
        (S.PAID, DeadlineKind.SHIP),
        (S.SHIPPED, DeadlineKind.AUTO_CONFIRM),
        (S.COMPLETED, None),
        (S.DEFAULTED, None),
    ],
)
def test_the_running_deadline(status: OrderStatus, kind: DeadlineKind | None) -> None:
    order = order_in(status)
    found = running_deadline(order)
    assert (found[0] if found else None) is kind
    shown = order_view(order, Role.BUYER, NOW)
    assert (shown.deadline_kind, shown.deadline_at) == (found if found else (None, None))
    if kind is DeadlineKind.PAY:
        assert shown.deadline_at == order.pay_deadline
    elif kind is DeadlineKind.SHIP:
        assert shown.deadline_at == order.ship_deadline
    elif kind is DeadlineKind.AUTO_CONFIRM:
        assert shown.deadline_at == order.auto_confirm_at
    view = order_view(order, Role.BUYER, NOW)
    assert view.awaiting_payment is (status in (S.AWAITING_PAYMENT, S.CLOSE_REQUESTED))
    assert view.in_escrow is (status in (S.PAID, S.SHIPPED))


def test_refund_reasons_offered_are_exactly_those_the_step_accepts() -> None:
    """Before shipping only the buyer's own reasons; after shipping also 'not as described'; never on a
    judicial sale (as is). Each offered reason is accepted by request_refund, each left out refused."""
    for order in (
        order_in(S.PAID),
        order_in(S.SHIPPED),
        replace(order_in(S.SHIPPED), kind=LotKind.JUDICIAL),
    ):
        offered = set(order_view(order, Role.BUYER, NOW).refund_reasons)
        for reason in RefundReason:
            try:
                od.request_refund(order, BUYER, reason, NOW)
            except DomainError:
                assert reason not in offered
            else:
                assert reason in offered
    assert RefundReason.NOT_AS_DESCRIBED not in order_view(order_in(S.PAID), Role.BUYER, NOW).refund_reasons
    assert RefundReason.NOT_AS_DESCRIBED in order_view(order_in(S.SHIPPED), Role.BUYER, NOW).refund_reasons


def test_reasons_are_offered_only_with_their_step() -> None:
    buyer = order_view(order_in(S.AWAITING_PAYMENT), Role.BUYER, NOW)
    assert OrderAction.REQUEST_CLOSE in buyer.allowed_actions and buyer.close_reasons == tuple(CloseReason)
    seller = order_view(order_in(S.AWAITING_PAYMENT), Role.SELLER, NOW)
    assert seller.close_reasons == () and seller.refund_reasons == ()
    late = order_view(order_in(S.AWAITING_PAYMENT), Role.BUYER, T0 + timedelta(days=30))
    assert late.close_reasons == () and OrderAction.PAY not in late.allowed_actions


def test_a_reminder_before_its_moment_is_refused() -> None:
    order = order_in(S.AWAITING_PAYMENT)
    with pytest.raises(DomainError) as info:
        od.remind(order, T0)
    assert (info.value.code, info.value.details) == (ErrorCode.ORDER_NOT_DUE, {"action": "remind"})
    assert order.remind_at is not None
    assert od.remind(order, order.remind_at).reminded_at == order.remind_at


def test_a_buyers_record_is_shown_to_the_seller_and_staff_only() -> None:
    order = order_in(S.AWAITING_PAYMENT)
    assert [order_view(order, role, NOW).role for role in Role] == list(Role)
    assert not order_view(order, Role.BUYER, NOW).shows_buyer_record
    assert order_view(order, Role.SELLER, NOW).shows_buyer_record
    assert order_view(order, Role.STAFF, NOW).shows_buyer_record


def test_second_chance_is_offered_exactly_when_the_step_would_be_taken() -> None:
    defaulted = order_in(S.DEFAULTED)
    assert second_chance_available(defaulted, SELLER, lot_has_open_order=False, lot_has_pending_offer=False)
    assert not second_chance_available(defaulted, BUYER, lot_has_open_order=False, lot_has_pending_offer=False)
    assert not second_chance_available(defaulted, STAFF, lot_has_open_order=False, lot_has_pending_offer=False)
    assert not second_chance_available(defaulted, SELLER, lot_has_open_order=True, lot_has_pending_offer=False)
    assert not second_chance_available(defaulted, SELLER, lot_has_open_order=False, lot_has_pending_offer=True)
    judicial = replace(defaulted, kind=LotKind.JUDICIAL)
    assert not second_chance_available(judicial, SELLER, lot_has_open_order=False, lot_has_pending_offer=False)
    assert not second_chance_available(
        order_in(S.COMPLETED), SELLER, lot_has_open_order=False, lot_has_pending_offer=False
    )
