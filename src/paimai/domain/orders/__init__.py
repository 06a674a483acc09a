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

from .due import (
    DueStep,
    SystemStep,
    allowed_actions,
    due_action,
    due_step,
    next_system_step,
    next_system_step_at,
    remind,
    run_due,
)
from .model import (
    BUYER_ACTIONS,
    ESCROWED,
    PLATFORM_REVENUE,
    ROLE_OF_ACTION,
    SELLER_ACTIONS,
    STAFF_ACTIONS,
    SYSTEM_ACTIONS,
    TERMINAL,
    TRANSITIONS,
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
from .steps import (
    CARRIER_MAX,
    TRACKING_RE,
    accept_close,
    accept_refund,
    auto_confirm,
    check_refund_reason,
    commission_of,
    confirm_receipt,
    decline_close,
    decline_refund,
    default,
    new_order,
    opening_notices,
    pay,
    payment_deadline,
    refuse_to_sell,
    reminder_at,
    replace_detail,
    report_undeliverable,
    request_close,
    request_refund,
    ship,
    shipping_overdue,
    staff_refund,
    staff_release,
)

__all__ = [
    "BUYER_ACTIONS",
    "CARRIER_MAX",
    "ESCROWED",
    "PLATFORM_REVENUE",
    "ROLE_OF_ACTION",
    "SELLER_ACTIONS",
    "STAFF_ACTIONS",
    "SYSTEM_ACTIONS",
    "TERMINAL",
    "TRACKING_RE",
    "TRANSITIONS",
    "UNPAID",
    "A",
    "CloseReason",
    "DueStep",
    "Fault",
    "Order",
    "OrderAction",
    "OrderDecision",
    "OrderStatus",
    "RefundReason",
    "Role",
    "S",
    "SystemStep",
    "accept_close",
    "accept_refund",
    "allowed_actions",
    "auto_confirm",
    "check_refund_reason",
    "commission_of",
    "confirm_receipt",
    "decline_close",
    "decline_refund",
    "default",
    "due_action",
    "due_step",
    "escrow",
    "new_order",
    "next_system_step",
    "next_system_step_at",
    "opening_notices",
    "pay",
    "payment_deadline",
    "refuse_to_sell",
    "remind",
    "reminder_at",
    "replace_detail",
    "report_undeliverable",
    "request_close",
    "request_refund",
    "run_due",
    "ship",
    "shipping_overdue",
    "staff_refund",
    "staff_release",
    "transition",
]
