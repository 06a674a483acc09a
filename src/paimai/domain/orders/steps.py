"""The steps people and the system take on an order: each a pure function of (order, actor, input, now)
returning the next order, the balanced journal entries, the notices and what becomes of the deposit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from ..deposits import DepositStatus
from ..errors import DomainError, ErrorCode
from ..ledger import Account, EntryKind, JournalEntry, Posting, available, frozen
from ..notices import Notice, NoticeKind
from ..rules import LotKind, PlatformRules
from .model import (
    PLATFORM_REVENUE,
    ROLE_OF_ACTION,
    UNPAID,
    A,
    CloseReason,
    Fault,
    Order,
    OrderAction,
    OrderDecision,
    OrderStatus,
    RefundReason,
    Role,
    S,
    escrow,
    transition,
)


def _check_actor(order: Order, action: OrderAction, actor_id: int | None, actor_is_staff: bool = False) -> None:
    role = ROLE_OF_ACTION[action]
    if role is Role.BUYER and actor_id != order.buyer_id:
        raise DomainError(ErrorCode.NOT_ORDER_BUYER, action=action.value)
    if role is Role.SELLER and actor_id != order.seller_id:
        raise DomainError(ErrorCode.NOT_ORDER_SELLER, action=action.value)
    if role is Role.STAFF and not actor_is_staff:
        raise DomainError(ErrorCode.STAFF_ONLY, action=action.value)


def _begin(order: Order, action: OrderAction, actor_id: int | None, actor_is_staff: bool = False) -> OrderStatus:
    """Who may do it, then whether the state allows it: the two refusals every step shares."""
    _check_actor(order, action, actor_id, actor_is_staff)
    return transition(order.status, action)


def _entry(kind: EntryKind, postings: Sequence[tuple[Account, int]], memo: str, lot_id: int) -> JournalEntry | None:
    """A balanced entry from (account, amount) pairs, dropping zero amounts; None if nothing moves."""
    merged: dict[Account, int] = {}
    for account, amount in postings:
        merged[account] = merged.get(account, 0) + amount
    kept = tuple(Posting(account, amount) for account, amount in merged.items() if amount != 0)
    if not kept:
        return None
    return JournalEntry(kind, kept, memo, lot_id)


def _entries(*entries: JournalEntry | None) -> tuple[JournalEntry, ...]:
    return tuple(e for e in entries if e is not None)


def _require_before_deadline(order: Order, now: datetime) -> None:
    if now >= order.pay_deadline:
        raise DomainError(
            ErrorCode.PAYMENT_DEADLINE_PASSED, pay_deadline=order.pay_deadline.isoformat(), now=now.isoformat()
        )


# ---- creation -----------------------------------------------------------------------------------


def payment_deadline(kind: LotKind, closed_at: datetime, platform: PlatformRules) -> datetime:
    """72 h after the end (a platform setting), as elapsed time: never cut short by the time of day."""
    if kind is LotKind.JUDICIAL:
        return closed_at + timedelta(days=platform.judicial_payment_days)
    return closed_at + timedelta(hours=platform.payment_deadline_hours)


def reminder_at(order: Order, platform: PlatformRules) -> datetime:
    """When the “payment due in 24 h” notice is sent (at once if the deadline is nearer than that)."""
    return max(order.created_at, order.pay_deadline - timedelta(hours=platform.payment_reminder_hours))


def new_order(
    *,
    order_id: int,
    lot_id: int,
    buyer_id: int,
    seller_id: int,
    kind: LotKind,
    price: int,
    deposit: int,
    now: datetime,
    platform: PlatformRules,
) -> Order:
    if price <= 0:
        raise DomainError(ErrorCode.AMOUNT_NOT_POSITIVE, amount=price)
    if deposit < 0:
        raise DomainError(ErrorCode.AMOUNT_NOT_POSITIVE, amount=deposit)
    order = Order(
        id=order_id,
        lot_id=lot_id,
        buyer_id=buyer_id,
        seller_id=seller_id,
        kind=kind,
        price=price,
        deposit=deposit,
        status=S.AWAITING_PAYMENT,
        created_at=now,
        pay_deadline=payment_deadline(kind, now, platform),
    )
    return replace(order, remind_at=reminder_at(order, platform))


def opening_notices(order: Order) -> tuple[Notice, ...]:
    return (Notice(order.buyer_id, NoticeKind.ORDER_WON), Notice(order.seller_id, NoticeKind.ORDER_SOLD))


# ---- paying -------------------------------------------------------------------------------------


def pay(
    order: Order, actor_id: int | None, now: datetime, platform: PlatformRules, *, system: bool = False
) -> OrderDecision:
    """The price less the deposit from the wallet, the deposit applied, the whole price into escrow.

    With ``system=True`` (a zero balance due: the deposit covers the price) the platform pays at once,
    so such an order never sits “awaiting payment” for nobody to act on.
    """
    if system:
        if order.amount_due != 0:
            raise DomainError(ErrorCode.ORDER_TRANSITION_NOT_ALLOWED, status=order.status.value, action="auto_pay")
        new_status = transition(order.status, A.PAY)
    else:
        new_status = _begin(order, A.PAY, actor_id)
    _require_before_deadline(order, now)
    applied, due = order.applied_deposit, order.amount_due
    payment = _entry(
        EntryKind.ORDER_PAYMENT,
        [
            (available(order.buyer_id), -due),
            (frozen(order.buyer_id), -applied),
            (escrow(order.id), order.price),
        ],
        f"payment for order {order.id}",
        order.lot_id,
    )
    excess = _entry(
        EntryKind.DEPOSIT_RELEASE,
        [(frozen(order.buyer_id), -(order.deposit - applied)), (available(order.buyer_id), order.deposit - applied)],
        f"deposit above the price released for order {order.id}",
        order.lot_id,
    )
    paid = replace(
        order,
        status=new_status,
        paid_at=now,
        ship_deadline=now + timedelta(days=platform.shipping_days),
    )
    return OrderDecision(
        paid,
        A.PAY,
        _entries(payment, excess),
        (Notice(order.seller_id, NoticeKind.ORDER_PAID),),
        deposit_status=DepositStatus.APPLIED if order.deposit > 0 else None,
    )


# ---- close by agreement (协商关闭交易) ---------------------------------------------------------------


def request_close(order: Order, actor_id: int | None, reason: CloseReason, now: datetime) -> OrderDecision:
    new_status = _begin(order, A.REQUEST_CLOSE, actor_id)
    if order.kind is LotKind.JUDICIAL:
        raise DomainError(ErrorCode.JUDICIAL_SALE_BINDING)
    _require_before_deadline(order, now)
    if order.close_requests >= 1:
        raise DomainError(ErrorCode.CLOSE_REQUEST_ALREADY_MADE)
    updated = replace(order, status=new_status, close_reason=reason, close_requests=order.close_requests + 1)
    return OrderDecision(
        updated,
        A.REQUEST_CLOSE,
        notices=(Notice(order.seller_id, NoticeKind.CLOSE_REQUESTED),),
        detail={"reason": reason.value},
    )


def accept_close(order: Order, actor_id: int | None, now: datetime) -> OrderDecision:
    """The seller agrees: the order closes with no penalty and the deposit is released in full."""
    new_status = _begin(order, A.ACCEPT_CLOSE, actor_id)
    release = _entry(
        EntryKind.DEPOSIT_RELEASE,
        [(frozen(order.buyer_id), -order.deposit), (available(order.buyer_id), order.deposit)],
        f"deposit released: order {order.id} closed by agreement",
        order.lot_id,
    )
    closed = replace(order, status=new_status, finished_at=now)
    return OrderDecision(
        closed,
        A.ACCEPT_CLOSE,
        _entries(release),
        (Notice(order.buyer_id, NoticeKind.CLOSE_ACCEPTED),),
        deposit_status=DepositStatus.RELEASED if order.deposit > 0 else None,
    )


def decline_close(order: Order, actor_id: int | None, now: datetime) -> OrderDecision:
    """The seller declines: the order goes on, with its deadline unchanged."""
    new_status = _begin(order, A.DECLINE_CLOSE, actor_id)
    return OrderDecision(
        replace(order, status=new_status), A.DECLINE_CLOSE, notices=(Notice(order.buyer_id, NoticeKind.CLOSE_DECLINED),)
    )


# ---- default at the deadline (违约) ----------------------------------------------------------------


def default(order: Order, now: datetime) -> OrderDecision:
    """Unpaid at the deadline: the deposit becomes the penalty (never above the price), paid to the seller."""
    new_status = transition(order.status, A.DEFAULT)
    if now < order.pay_deadline:
        raise DomainError(ErrorCode.PAYMENT_DEADLINE_NOT_REACHED, pay_deadline=order.pay_deadline.isoformat())
    penalty = order.penalty_if_default
    entry = _entry(
        EntryKind.PENALTY,
        [
            (frozen(order.buyer_id), -order.deposit),
            (available(order.seller_id), penalty),
            (available(order.buyer_id), order.deposit - penalty),
        ],
        f"penalty: order {order.id} not paid by the deadline",
        order.lot_id,
    )
    updated = replace(order, status=new_status, penalty=penalty, finished_at=now, buyer_defaulted=True)
    return OrderDecision(
        updated,
        A.DEFAULT,
        _entries(entry),
        (Notice(order.buyer_id, NoticeKind.ORDER_DEFAULTED), Notice(order.seller_id, NoticeKind.ORDER_DEFAULTED)),
        deposit_status=DepositStatus.FORFEITED if order.deposit > 0 else None,
        buyer_default=True,
    )


# ---- shipping and receipt -----------------------------------------------------------------------

CARRIER_MAX = 64
TRACKING_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")


def ship(
    order: Order, actor_id: int | None, carrier: str, tracking_no: str, now: datetime, platform: PlatformRules
) -> OrderDecision:
    new_status = _begin(order, A.SHIP, actor_id)
    carrier, tracking_no = carrier.strip(), tracking_no.strip()
    if not carrier or len(carrier) > CARRIER_MAX or not TRACKING_RE.match(tracking_no):
        raise DomainError(ErrorCode.SHIPPING_INFO_INVALID, carrier=carrier, tracking_no=tracking_no)
    if order.ship_deadline is not None and now >= order.ship_deadline:
        raise DomainError(ErrorCode.SHIPPING_PERIOD_OVER, ship_deadline=order.ship_deadline.isoformat())
    shipped = replace(
        order,
        status=new_status,
        shipped_at=now,
        carrier=carrier,
        tracking_no=tracking_no,
        auto_confirm_at=now + timedelta(days=platform.auto_confirm_days),
    )
    return OrderDecision(shipped, A.SHIP, notices=(Notice(order.buyer_id, NoticeKind.ORDER_SHIPPED),))


def commission_of(price: int, platform: PlatformRules) -> int:
    """The platform's commission: a whole percentage of the price, rounded down to the fen."""
    return price * platform.commission_percent // 100


def _payout(
    order: Order, action: OrderAction, new_status: OrderStatus, now: datetime, platform: PlatformRules
) -> OrderDecision:
    """Escrow pays the seller, less the commission."""
    commission = 0 if order.kind is LotKind.JUDICIAL else commission_of(order.price, platform)
    entry = _entry(
        EntryKind.ESCROW_RELEASE,
        [
            (escrow(order.id), -order.price),
            (available(order.seller_id), order.price - commission),
            (PLATFORM_REVENUE, commission),
        ],
        f"escrow paid out for order {order.id}",
        order.lot_id,
    )
    done = replace(order, status=new_status, commission=commission, finished_at=now)
    return OrderDecision(
        done,
        action,
        _entries(entry),
        (Notice(order.buyer_id, NoticeKind.ORDER_COMPLETED), Notice(order.seller_id, NoticeKind.ORDER_COMPLETED)),
    )


def confirm_receipt(order: Order, actor_id: int | None, now: datetime, platform: PlatformRules) -> OrderDecision:
    return _payout(order, A.CONFIRM_RECEIPT, _begin(order, A.CONFIRM_RECEIPT, actor_id), now, platform)


def auto_confirm(order: Order, now: datetime, platform: PlatformRules) -> OrderDecision:
    new_status = transition(order.status, A.AUTO_CONFIRM)
    if order.auto_confirm_at is None or now < order.auto_confirm_at:
        raise DomainError(ErrorCode.ORDER_NOT_DUE, action=A.AUTO_CONFIRM.value)
    return _payout(order, A.AUTO_CONFIRM, new_status, now, platform)


# ---- refunds -----------------------------------------------------------------------------------


def _refund(order: Order, action: OrderAction, new_status: OrderStatus, fault: Fault, now: datetime) -> OrderDecision:
    """Escrow back to the buyer: in full for the seller's fault; less the penalty for the buyer's own reasons."""
    penalty = order.penalty_if_default if fault is Fault.BUYER else 0
    entry = _entry(
        EntryKind.REFUND,
        [
            (escrow(order.id), -order.price),
            (available(order.buyer_id), order.price - penalty),
            (available(order.seller_id), penalty),
        ],
        f"refund for order {order.id} ({fault.value}'s {'default' if fault is Fault.BUYER else 'fault'})",
        order.lot_id,
    )
    buyer_default = fault is Fault.BUYER
    refunded = replace(
        order,
        status=new_status,
        penalty=penalty,
        finished_at=now,
        buyer_defaulted=order.buyer_defaulted or buyer_default,
    )
    return OrderDecision(
        refunded,
        action,
        _entries(entry),
        (Notice(order.buyer_id, NoticeKind.REFUND_DONE), Notice(order.seller_id, NoticeKind.REFUND_DONE)),
        buyer_default=buyer_default,
        detail={"fault": fault.value},
    )


def check_refund_reason(order: Order, reason: RefundReason) -> None:
    """Before shipping only the buyer's own reasons apply; a judicial sale is as is, so never “not as
    described”. The refund form offers exactly the reasons that pass this."""
    if order.status is S.PAID and reason.seller_fault:
        raise DomainError(ErrorCode.REFUND_REASON_NOT_APPLICABLE, reason=reason.value, status=order.status.value)
    if reason.seller_fault and order.kind is LotKind.JUDICIAL:
        raise DomainError(ErrorCode.JUDICIAL_SALE_BINDING, reason=reason.value)


def request_refund(order: Order, actor_id: int | None, reason: RefundReason, now: datetime) -> OrderDecision:
    """After paying. Before shipping only the buyer's own reasons apply and the refund is immediate (a
    default: price less penalty); after shipping the goods come back first, so the seller decides."""
    new_status = _begin(order, A.REQUEST_REFUND, actor_id)
    check_refund_reason(order, reason)
    if order.status is S.PAID:
        return replace_detail(
            _refund(replace(order, refund_reason=reason), A.REQUEST_REFUND, new_status, Fault.BUYER, now),
            reason=reason.value,
        )
    updated = replace(order, status=new_status, refund_reason=reason)
    return OrderDecision(
        updated,
        A.REQUEST_REFUND,
        notices=(Notice(order.seller_id, NoticeKind.REFUND_REQUESTED),),
        detail={"reason": reason.value},
    )


def replace_detail(decision: OrderDecision, **detail: str) -> OrderDecision:
    return replace(decision, detail={**decision.detail, **detail})


def accept_refund(order: Order, actor_id: int | None, now: datetime) -> OrderDecision:
    """The seller accepts (the goods are back): the claimed reason decides whose fault it is."""
    new_status = _begin(order, A.ACCEPT_REFUND, actor_id)
    reason = order.refund_reason or RefundReason.OTHER
    return _refund(order, A.ACCEPT_REFUND, new_status, Fault.SELLER if reason.seller_fault else Fault.BUYER, now)


def decline_refund(order: Order, actor_id: int | None, now: datetime) -> OrderDecision:
    """The seller declines: escrow stays put and staff decide (客服介入)."""
    new_status = _begin(order, A.DECLINE_REFUND, actor_id)
    return OrderDecision(
        replace(order, status=new_status),
        A.DECLINE_REFUND,
        notices=(Notice(order.buyer_id, NoticeKind.REFUND_DECLINED),),
    )


def staff_refund(
    order: Order, actor_id: int | None, actor_is_staff: bool, fault: Fault, now: datetime
) -> OrderDecision:
    new_status = _begin(order, A.STAFF_REFUND, actor_id, actor_is_staff)
    return _refund(order, A.STAFF_REFUND, new_status, fault, now)


def staff_release(
    order: Order, actor_id: int | None, actor_is_staff: bool, now: datetime, platform: PlatformRules
) -> OrderDecision:
    return _payout(order, A.STAFF_RELEASE, _begin(order, A.STAFF_RELEASE, actor_id, actor_is_staff), now, platform)


def report_undeliverable(order: Order, actor_id: int | None, now: datetime) -> OrderDecision:
    """Shipping information that makes delivery impossible is the buyer's default (art. 52)."""
    new_status = _begin(order, A.REPORT_UNDELIVERABLE, actor_id)
    return _refund(order, A.REPORT_UNDELIVERABLE, new_status, Fault.BUYER, now)


def shipping_overdue(order: Order, now: datetime) -> OrderDecision:
    """Not shipped within the shipping period: the seller's fault, a full refund."""
    new_status = transition(order.status, A.SHIPPING_OVERDUE)
    if order.ship_deadline is None or now < order.ship_deadline:
        raise DomainError(ErrorCode.ORDER_NOT_DUE, action=A.SHIPPING_OVERDUE.value)
    return _refund(order, A.SHIPPING_OVERDUE, new_status, Fault.SELLER, now)


def refuse_to_sell(order: Order, actor_id: int | None, now: datetime) -> OrderDecision:
    """The seller refuses to sell: the buyer gets everything back (deposit released or price refunded)
    and the seller pays the buyer a sum equal to the deposit."""
    new_status = _begin(order, A.REFUSE_TO_SELL, actor_id)
    if order.status in UNPAID:
        back = _entry(
            EntryKind.DEPOSIT_RELEASE,
            [(frozen(order.buyer_id), -order.deposit), (available(order.buyer_id), order.deposit)],
            f"deposit released: seller refused order {order.id}",
            order.lot_id,
        )
        deposit_status = DepositStatus.RELEASED if order.deposit > 0 else None
    else:
        back = _entry(
            EntryKind.REFUND,
            [(escrow(order.id), -order.price), (available(order.buyer_id), order.price)],
            f"refund: seller refused order {order.id}",
            order.lot_id,
        )
        deposit_status = None
    compensation = _entry(
        EntryKind.COMPENSATION,
        [(available(order.seller_id), -order.deposit), (available(order.buyer_id), order.deposit)],
        f"compensation from the seller for order {order.id}",
        order.lot_id,
    )
    updated = replace(order, status=new_status, compensation=order.deposit, finished_at=now)
    return OrderDecision(
        updated,
        A.REFUSE_TO_SELL,
        _entries(back, compensation),
        (Notice(order.buyer_id, NoticeKind.SELLER_REFUSED),),
        deposit_status=deposit_status,
    )
