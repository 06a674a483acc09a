"""The order after a sale (RULES §6) as an explicit state machine.

An order is born when a lot closes sold (or when a second-chance offer is accepted). Every step is a
pure function of (order, actor, input, now) that returns the order's next state together with the
money it moves (balanced journal entries), the notices to send and what becomes of the deposit; the
service layer only loads, locks, persists and posts. Nothing here reads a clock or a database.

States and who moves them::

    awaiting_payment ──pay──▶ paid ──ship──▶ shipped ──confirm / auto-confirm──▶ completed
      │  ▲       │              │                 │
      │  │decline│request_close │                 └─request_refund─▶ refund_requested ─accept─▶ refunded
      │  └─ close_requested ─accept─▶ closed (no penalty, deposit released)          └decline─▶ disputed
      │                                                                                 (staff: refund/release)
      ├─deadline─▶ defaulted (penalty = deposit ≤ price, to the seller)
      └─seller refuses─▶ seller_refused (deposit released or price refunded, + compensation = deposit)
    paid ─request_refund (buyer's reasons) / undeliverable─▶ refunded (price − penalty)
    paid ─shipping period over─▶ refunded (in full: the seller's fault)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum

from .deposits import DepositStatus
from .errors import DomainError, ErrorCode
from .ledger import Account, Bucket, EntryKind, JournalEntry, Posting, available, frozen
from .notices import Notice, NoticeKind
from .rules import LotKind, PlatformRules


class OrderStatus(Enum):
    AWAITING_PAYMENT = "awaiting_payment"  # 待付款
    CLOSE_REQUESTED = "close_requested"  # 协商关闭申请中 (still awaiting payment)
    PAID = "paid"  # 已付款，待发货 (price in escrow)
    SHIPPED = "shipped"  # 已发货
    REFUND_REQUESTED = "refund_requested"  # 退款申请中 (goods on their way back)
    DISPUTED = "disputed"  # 卖家拒绝退款，平台介入
    COMPLETED = "completed"  # 交易成功 (escrow paid out)
    CLOSED = "closed"  # 协商关闭 (no penalty)
    DEFAULTED = "defaulted"  # 违约关闭 (unpaid at the deadline)
    REFUNDED = "refunded"  # 已退款
    SELLER_REFUSED = "seller_refused"  # 卖家拒绝出售


class OrderAction(Enum):
    PAY = "pay"
    REQUEST_CLOSE = "request_close"
    ACCEPT_CLOSE = "accept_close"
    DECLINE_CLOSE = "decline_close"
    DEFAULT = "default"  # the system, at the payment deadline
    SHIP = "ship"
    CONFIRM_RECEIPT = "confirm_receipt"
    AUTO_CONFIRM = "auto_confirm"  # the system, auto_confirm_days after shipping
    REQUEST_REFUND = "request_refund"
    ACCEPT_REFUND = "accept_refund"
    DECLINE_REFUND = "decline_refund"
    STAFF_REFUND = "staff_refund"
    STAFF_RELEASE = "staff_release"
    REPORT_UNDELIVERABLE = "report_undeliverable"
    REFUSE_TO_SELL = "refuse_to_sell"
    SHIPPING_OVERDUE = "shipping_overdue"  # the system, when the shipping period ends unshipped


S, A = OrderStatus, OrderAction

TRANSITIONS: dict[tuple[OrderStatus, OrderAction], OrderStatus] = {
    (S.AWAITING_PAYMENT, A.PAY): S.PAID,
    (S.AWAITING_PAYMENT, A.REQUEST_CLOSE): S.CLOSE_REQUESTED,
    (S.AWAITING_PAYMENT, A.DEFAULT): S.DEFAULTED,
    (S.AWAITING_PAYMENT, A.REFUSE_TO_SELL): S.SELLER_REFUSED,
    (S.CLOSE_REQUESTED, A.PAY): S.PAID,
    (S.CLOSE_REQUESTED, A.ACCEPT_CLOSE): S.CLOSED,
    (S.CLOSE_REQUESTED, A.DECLINE_CLOSE): S.AWAITING_PAYMENT,
    (S.CLOSE_REQUESTED, A.DEFAULT): S.DEFAULTED,
    (S.CLOSE_REQUESTED, A.REFUSE_TO_SELL): S.SELLER_REFUSED,
    (S.PAID, A.SHIP): S.SHIPPED,
    (S.PAID, A.REQUEST_REFUND): S.REFUNDED,
    (S.PAID, A.REPORT_UNDELIVERABLE): S.REFUNDED,
    (S.PAID, A.REFUSE_TO_SELL): S.SELLER_REFUSED,
    (S.PAID, A.SHIPPING_OVERDUE): S.REFUNDED,
    (S.SHIPPED, A.CONFIRM_RECEIPT): S.COMPLETED,
    (S.SHIPPED, A.AUTO_CONFIRM): S.COMPLETED,
    (S.SHIPPED, A.REQUEST_REFUND): S.REFUND_REQUESTED,
    (S.REFUND_REQUESTED, A.ACCEPT_REFUND): S.REFUNDED,
    (S.REFUND_REQUESTED, A.DECLINE_REFUND): S.DISPUTED,
    (S.DISPUTED, A.STAFF_REFUND): S.REFUNDED,
    (S.DISPUTED, A.STAFF_RELEASE): S.COMPLETED,
}

TERMINAL = frozenset({S.COMPLETED, S.CLOSED, S.DEFAULTED, S.REFUNDED, S.SELLER_REFUSED})
UNPAID = frozenset({S.AWAITING_PAYMENT, S.CLOSE_REQUESTED})
ESCROWED = frozenset({S.PAID, S.SHIPPED, S.REFUND_REQUESTED, S.DISPUTED})

BUYER_ACTIONS = frozenset({A.PAY, A.REQUEST_CLOSE, A.CONFIRM_RECEIPT, A.REQUEST_REFUND})
SELLER_ACTIONS = frozenset(
    {
        A.ACCEPT_CLOSE,
        A.DECLINE_CLOSE,
        A.SHIP,
        A.ACCEPT_REFUND,
        A.DECLINE_REFUND,
        A.REPORT_UNDELIVERABLE,
        A.REFUSE_TO_SELL,
    }
)
STAFF_ACTIONS = frozenset({A.STAFF_REFUND, A.STAFF_RELEASE})
SYSTEM_ACTIONS = frozenset({A.DEFAULT, A.AUTO_CONFIRM, A.SHIPPING_OVERDUE})


class Role(Enum):
    BUYER = "buyer"
    SELLER = "seller"
    STAFF = "staff"
    SYSTEM = "system"


ROLE_OF_ACTION: dict[OrderAction, Role] = {
    **{a: Role.BUYER for a in BUYER_ACTIONS},
    **{a: Role.SELLER for a in SELLER_ACTIONS},
    **{a: Role.STAFF for a in STAFF_ACTIONS},
    **{a: Role.SYSTEM for a in SYSTEM_ACTIONS},
}


class CloseReason(Enum):
    """Why the buyer asks to close the deal by agreement (协商关闭交易), before paying."""

    MISTAKEN_BID = "mistaken_bid"  # 误拍
    CHANGED_MIND = "changed_mind"  # 改变主意
    FUNDS = "funds"  # 资金问题
    OTHER = "other"


class RefundReason(Enum):
    """Why the buyer asks for a refund after paying; whose fault it is decides the money."""

    CHANGED_MIND = "changed_mind"  # 不想要了 (buyer's own reason: a default)
    MISTAKEN_BID = "mistaken_bid"  # 误拍 (buyer's own reason: a default)
    OTHER = "other"  # buyer's own reason: a default
    NOT_AS_DESCRIBED = "not_as_described"  # 描述不符 (the seller's fault)

    @property
    def seller_fault(self) -> bool:
        return self is RefundReason.NOT_AS_DESCRIBED


class Fault(Enum):
    BUYER = "buyer"
    SELLER = "seller"


def escrow(order_id: int) -> Account:
    """Escrow (担保交易): one account per order, holding the price between payment and payout."""
    return Account("escrow", order_id, Bucket.ESCROW)


PLATFORM_REVENUE = Account("platform", 0, Bucket.REVENUE)


@dataclass(frozen=True)
class Order:
    """An order as the rules see it. Times are aware UTC; amounts integer fen."""

    id: int
    lot_id: int
    buyer_id: int
    seller_id: int
    kind: LotKind
    price: int
    deposit: int  # the buyer's deposit frozen for this order (0 for a second-chance order)
    status: OrderStatus
    created_at: datetime
    pay_deadline: datetime
    remind_at: datetime | None = None  # when the “payment due soon” notice goes out (None: never)
    reminded_at: datetime | None = None
    paid_at: datetime | None = None
    ship_deadline: datetime | None = None
    shipped_at: datetime | None = None
    auto_confirm_at: datetime | None = None
    finished_at: datetime | None = None
    carrier: str | None = None
    tracking_no: str | None = None
    close_reason: CloseReason | None = None
    close_requests: int = 0
    refund_reason: RefundReason | None = None
    penalty: int = 0
    commission: int = 0
    compensation: int = 0
    buyer_defaulted: bool = False

    @property
    def applied_deposit(self) -> int:
        """The part of the deposit that pays toward the price (all of it, unless it exceeds the price)."""
        return min(self.deposit, self.price)

    @property
    def amount_due(self) -> int:
        """What the buyer still pays from the wallet: the price less the frozen deposit."""
        return self.price - self.applied_deposit

    @property
    def penalty_if_default(self) -> int:
        """违约金: the deposit, never more than the deal price."""
        return min(self.deposit, self.price)

    @property
    def is_finished(self) -> bool:
        return self.status in TERMINAL


@dataclass(frozen=True)
class OrderDecision:
    order: Order
    action: OrderAction
    entries: tuple[JournalEntry, ...] = ()
    notices: tuple[Notice, ...] = ()
    deposit_status: DepositStatus | None = None  # what becomes of the buyer's Deposit row, if anything
    buyer_default: bool = False  # count one default on the buyer's record
    detail: dict[str, str] = field(default_factory=dict)


# ---- transitions -------------------------------------------------------------------------------


def transition(status: OrderStatus, action: OrderAction) -> OrderStatus:
    """The next status, or ORDER_TRANSITION_NOT_ALLOWED naming both."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise DomainError(ErrorCode.ORDER_TRANSITION_NOT_ALLOWED, status=status.value, action=action.value) from None


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


# ---- what is due, what is allowed ----------------------------------------------------------------


class SystemStep(Enum):
    """What the system does to an order on its own, when the moment comes."""

    REMIND = "remind"  # the “payment due soon” notice: no transition
    DEFAULT = A.DEFAULT.value
    SHIPPING_OVERDUE = A.SHIPPING_OVERDUE.value
    AUTO_CONFIRM = A.AUTO_CONFIRM.value

    @property
    def action(self) -> OrderAction | None:
        return None if self is SystemStep.REMIND else OrderAction(self.value)


@dataclass(frozen=True)
class DueStep:
    at: datetime
    step: SystemStep


def next_system_step(order: Order) -> DueStep | None:
    """The one rule of when the system next acts on this order (stored as the row's due_at)."""
    if order.status in UNPAID:
        if order.reminded_at is None and order.remind_at is not None and order.remind_at < order.pay_deadline:
            return DueStep(order.remind_at, SystemStep.REMIND)
        return DueStep(order.pay_deadline, SystemStep.DEFAULT)
    if order.status is S.PAID and order.ship_deadline is not None:
        return DueStep(order.ship_deadline, SystemStep.SHIPPING_OVERDUE)
    if order.status is S.SHIPPED and order.auto_confirm_at is not None:
        return DueStep(order.auto_confirm_at, SystemStep.AUTO_CONFIRM)
    return None


def next_system_step_at(order: Order) -> datetime | None:
    due = next_system_step(order)
    return due.at if due is not None else None


def due_step(order: Order, now: datetime) -> SystemStep | None:
    """The system step due at `now`, if any; past the payment deadline a reminder not yet sent is moot."""
    due = next_system_step(order)
    if due is None or now < due.at:
        return None
    if due.step is SystemStep.REMIND and now >= order.pay_deadline:
        return SystemStep.DEFAULT
    return due.step


def due_action(order: Order, now: datetime) -> OrderAction | None:
    """The transition due on this order now, if any (the scheduler re-checks it under the row lock)."""
    step = due_step(order, now)
    return step.action if step is not None else None


def remind(order: Order, now: datetime) -> Order:
    """The reminder went out: the order is next due at its payment deadline."""
    if due_step(order, now) is not SystemStep.REMIND:
        raise DomainError(ErrorCode.ORDER_NOT_DUE, action=SystemStep.REMIND.value)
    return replace(order, reminded_at=now)


def run_due(order: Order, now: datetime, platform: PlatformRules) -> OrderDecision | None:
    action = due_action(order, now)
    if action is A.DEFAULT:
        return default(order, now)
    if action is A.SHIPPING_OVERDUE:
        return shipping_overdue(order, now)
    if action is A.AUTO_CONFIRM:
        return auto_confirm(order, now, platform)
    return None


def allowed_actions(order: Order, role: Role, now: datetime) -> list[OrderAction]:
    """The steps this role may take now: what the pages offer as buttons."""
    out: list[OrderAction] = []
    for (status, action), _next in TRANSITIONS.items():
        if status is not order.status or ROLE_OF_ACTION[action] is not role:
            continue
        if action in (A.PAY, A.REQUEST_CLOSE) and now >= order.pay_deadline:
            continue
        if action is A.REQUEST_CLOSE and (order.close_requests >= 1 or order.kind is LotKind.JUDICIAL):
            continue
        if action is A.SHIP and order.ship_deadline is not None and now >= order.ship_deadline:
            continue
        out.append(action)
    return out
