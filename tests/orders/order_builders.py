"""Builders for the order tests: an order in any state, and one call that performs any action on it.

No database and no web: orders are plain domain values and every call gets its time passed in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from paimai.domain import orders as od
from paimai.domain.orders import A, CloseReason, Fault, Order, OrderAction, OrderDecision, OrderStatus, RefundReason
from paimai.domain.rules import LotKind, PlatformRules

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)  # the lot closed at 10:00 北京时间
PLATFORM = PlatformRules()
BUYER, SELLER, STAFF, STRANGER = 1, 2, 3, 4
PRICE = 150_000
DEPOSIT = 20_000
ORDER_ID, LOT_ID = 11, 7


def fresh(price: int = PRICE, deposit: int = DEPOSIT, kind: LotKind = LotKind.COMMERCIAL) -> Order:
    return od.new_order(
        order_id=ORDER_ID,
        lot_id=LOT_ID,
        buyer_id=BUYER,
        seller_id=SELLER,
        kind=kind,
        price=price,
        deposit=deposit,
        now=T0,
        platform=PLATFORM,
    )


def order_in(status: OrderStatus, **changes: object) -> Order:
    """An order that reached `status` the ordinary way (with the dates that go with it)."""
    base = fresh()
    paid_at = T0 + timedelta(hours=1)
    shipped_at = paid_at + timedelta(days=1)
    paid = replace(base, paid_at=paid_at, ship_deadline=paid_at + timedelta(days=PLATFORM.shipping_days))
    shipped = replace(
        paid,
        shipped_at=shipped_at,
        carrier="顺丰速运",
        tracking_no="SF1234567890",
        auto_confirm_at=shipped_at + timedelta(days=PLATFORM.auto_confirm_days),
    )
    by_status: dict[OrderStatus, Order] = {
        OrderStatus.AWAITING_PAYMENT: base,
        OrderStatus.CLOSE_REQUESTED: replace(base, close_reason=CloseReason.MISTAKEN_BID, close_requests=1),
        OrderStatus.PAID: paid,
        OrderStatus.SHIPPED: shipped,
        OrderStatus.REFUND_REQUESTED: replace(shipped, refund_reason=RefundReason.NOT_AS_DESCRIBED),
        OrderStatus.DISPUTED: replace(shipped, refund_reason=RefundReason.NOT_AS_DESCRIBED),
        OrderStatus.COMPLETED: shipped,
        OrderStatus.CLOSED: base,
        OrderStatus.DEFAULTED: replace(base, penalty=DEPOSIT, buyer_defaulted=True),
        OrderStatus.REFUNDED: paid,
        OrderStatus.SELLER_REFUSED: base,
    }
    return replace(by_status[status], status=status, **changes)  # type: ignore[arg-type]


def valid_time(order: Order, action: OrderAction) -> datetime:
    """A moment at which the action's timing rule holds (so only the state can refuse it)."""
    if action is A.DEFAULT:
        return order.pay_deadline
    if action is A.SHIPPING_OVERDUE:
        return order.ship_deadline or order.pay_deadline + timedelta(days=30)
    if action is A.AUTO_CONFIRM:
        return order.auto_confirm_at or order.pay_deadline + timedelta(days=30)
    if action in (A.PAY, A.REQUEST_CLOSE):
        return order.pay_deadline - timedelta(hours=1)
    if action is A.SHIP:
        return (order.paid_at or T0) + timedelta(hours=2)
    return order.pay_deadline + timedelta(days=1) if order.shipped_at else T0 + timedelta(hours=3)


def perform(
    order: Order,
    action: OrderAction,
    now: datetime | None = None,
    *,
    actor: int | None = None,
    close_reason: CloseReason = CloseReason.MISTAKEN_BID,
    refund_reason: RefundReason | None = None,
    fault: Fault = Fault.SELLER,
    carrier: str = "顺丰速运",
    tracking_no: str = "SF1234567890",
    platform: PlatformRules = PLATFORM,
) -> OrderDecision:
    """Do `action` as the party it belongs to (or `actor`), with valid input."""
    when = now if now is not None else valid_time(order, action)
    role = od.ROLE_OF_ACTION[action]
    parties = {od.Role.BUYER: order.buyer_id, od.Role.SELLER: order.seller_id}
    who = actor if actor is not None else parties.get(role, STAFF)
    if refund_reason is None:
        refund_reason = RefundReason.CHANGED_MIND if order.status is OrderStatus.PAID else RefundReason.NOT_AS_DESCRIBED
    match action:
        case A.PAY:
            return od.pay(order, who, when, platform)
        case A.REQUEST_CLOSE:
            return od.request_close(order, who, close_reason, when)
        case A.ACCEPT_CLOSE:
            return od.accept_close(order, who, when)
        case A.DECLINE_CLOSE:
            return od.decline_close(order, who, when)
        case A.DEFAULT:
            return od.default(order, when)
        case A.SHIP:
            return od.ship(order, who, carrier, tracking_no, when, platform)
        case A.CONFIRM_RECEIPT:
            return od.confirm_receipt(order, who, when, platform)
        case A.AUTO_CONFIRM:
            return od.auto_confirm(order, when, platform)
        case A.REQUEST_REFUND:
            return od.request_refund(order, who, refund_reason, when)
        case A.ACCEPT_REFUND:
            return od.accept_refund(order, who, when)
        case A.DECLINE_REFUND:
            return od.decline_refund(order, who, when)
        case A.STAFF_REFUND:
            return od.staff_refund(order, who, who == STAFF, fault, when)
        case A.STAFF_RELEASE:
            return od.staff_release(order, who, who == STAFF, when, platform)
        case A.REPORT_UNDELIVERABLE:
            return od.report_undeliverable(order, who, when)
        case A.REFUSE_TO_SELL:
            return od.refuse_to_sell(order, who, when)
        case A.SHIPPING_OVERDUE:
            return od.shipping_overdue(order, when)
    raise AssertionError(action)
