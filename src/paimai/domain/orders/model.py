"""The order's states, actions, transition table and value types (RULES §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from ..deposits import DepositStatus
from ..errors import DomainError, ErrorCode
from ..ledger import Account, Bucket, JournalEntry
from ..notices import Notice
from ..rules import LotKind


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
