"""What an order page, the order API and the scripts show: decided once, here, from the order and ``now``.

Pages and handlers render these facts (whether the order still awaits payment, which deadline runs, which
steps and reasons the viewer is offered, whether a second-chance offer can be made); they never test
statuses themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from .errors import DomainError
from .orders import (
    ESCROWED,
    UNPAID,
    CloseReason,
    Order,
    OrderAction,
    RefundReason,
    Role,
    SystemStep,
    allowed_actions,
    check_refund_reason,
    next_system_step,
)
from .second_chance import check_may_offer


class DeadlineKind(Enum):
    PAY = "pay"  # 付款截止: unpaid by then is a default
    SHIP = "ship"  # 发货截止: unshipped by then is refunded in full
    AUTO_CONFIRM = "auto_confirm"  # 自动确认收货: escrow pays the seller then


@dataclass(frozen=True)
class OrderView:
    role: Role
    allowed_actions: tuple[OrderAction, ...]
    awaiting_payment: bool
    in_escrow: bool
    deadline_kind: DeadlineKind | None
    deadline_at: datetime | None
    close_reasons: tuple[CloseReason, ...]  # offered when the buyer may ask to close
    refund_reasons: tuple[RefundReason, ...]  # offered when the buyer may ask for a refund
    shows_buyer_record: bool  # a buyer's defaults are shown to the seller and staff (RULES §6)


def running_deadline(order: Order) -> tuple[DeadlineKind, datetime] | None:
    """The deadline the order is waiting on now, if any: the system's next step (orders.next_system_step)
    seen by the people who must act before it — a pending reminder still means "pay by the deadline"."""
    due = next_system_step(order)
    if due is None:
        return None
    if due.step in (SystemStep.REMIND, SystemStep.DEFAULT):
        return DeadlineKind.PAY, order.pay_deadline
    if due.step is SystemStep.SHIPPING_OVERDUE:
        return DeadlineKind.SHIP, due.at
    return DeadlineKind.AUTO_CONFIRM, due.at


def _applies(order: Order, reason: RefundReason) -> bool:
    try:
        check_refund_reason(order, reason)
    except DomainError:
        return False
    return True


def order_view(order: Order, role: Role, now: datetime) -> OrderView:
    actions = tuple(allowed_actions(order, role, now))
    deadline = running_deadline(order)
    return OrderView(
        role=role,
        allowed_actions=actions,
        awaiting_payment=order.status in UNPAID,
        in_escrow=order.status in ESCROWED,
        deadline_kind=deadline[0] if deadline else None,
        deadline_at=deadline[1] if deadline else None,
        close_reasons=tuple(CloseReason) if OrderAction.REQUEST_CLOSE in actions else (),
        refund_reasons=tuple(r for r in RefundReason if _applies(order, r))
        if OrderAction.REQUEST_REFUND in actions
        else (),
        shows_buyer_record=role is not Role.BUYER,
    )


def second_chance_available(
    order: Order, actor_id: int, *, lot_has_open_order: bool, lot_has_pending_offer: bool
) -> bool:
    """Whether the seller's “offer it to the runner-up” button is offered: the very check the step makes
    (the runner-up's existence is found only when the offer is made)."""
    try:
        check_may_offer(
            order, actor_id, lot_has_open_order=lot_has_open_order, lot_has_pending_offer=lot_has_pending_offer
        )
    except DomainError:
        return False
    return True
