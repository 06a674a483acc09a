"""When the system next acts on an order, what is due now, and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from ..errors import DomainError, ErrorCode
from ..rules import LotKind, PlatformRules
from .model import (
    ROLE_OF_ACTION,
    TRANSITIONS,
    UNPAID,
    A,
    Order,
    OrderAction,
    OrderDecision,
    Role,
    S,
)
from .steps import (
    auto_confirm,
    default,
    shipping_overdue,
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
