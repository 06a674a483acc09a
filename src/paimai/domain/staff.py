"""The staff back office's rules: what a staff decision must carry, who may be frozen, what a frozen
account may not do, and who may hold the staff role.

Plain decisions over stored facts: the services load the rows, ask here, and save.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from .errors import DomainError, ErrorCode

MAX_REASON_LENGTH = 1000


class StaffAction(Enum):
    """What a staff audit entry records (the `action` column of staff_actions)."""

    SELLER_APPROVE = "seller_application.approve"
    SELLER_REJECT = "seller_application.reject"
    LOT_APPROVE = "lot.approve"
    LOT_REJECT = "lot.reject"
    LOT_SUSPEND = "lot.suspend"
    LOT_RESUME = "lot.resume"
    LOT_CANCEL = "lot.cancel"
    PRIORITY_ADD = "lot.priority_add"  # a priority buyer registered on a judicial lot (RULES §7)
    PRIORITY_REMOVE = "lot.priority_remove"
    ORDER_RESOLVE = "order.resolve"
    USER_FREEZE = "user.freeze"
    USER_UNFREEZE = "user.unfreeze"
    STAFF_GRANT = "user.grant_staff"
    STAFF_REVOKE = "user.revoke_staff"


class ObjectType(Enum):
    SELLER_APPLICATION = "seller_application"
    LOT = "lot"
    ORDER = "order"
    USER = "user"


def required_reason(reason: str | None) -> str:
    """A refusal or a restriction must say why: the reason, stripped; refused when empty (REASON_REQUIRED)."""
    text = (reason or "").strip()
    if not text:
        raise DomainError(ErrorCode.REASON_REQUIRED)
    return text


def refuse_if_frozen(frozen_at: datetime | None) -> None:
    """A frozen account cannot sign in, bid, pay a deposit, pay an order or top up (ACCOUNT_FROZEN)."""
    if frozen_at is not None:
        raise DomainError(ErrorCode.ACCOUNT_FROZEN)


def may_freeze(actor_id: int, target_id: int, target_is_staff: bool, target_frozen: bool) -> None:
    """Staff freeze a customer's account. Not their own (they would lock themselves out) and not another
    staff member's: a staff account is first revoked by the operator (`paimai staff revoke`), so no single
    staff member can shut the back office out. Freezing a frozen account is a conflict, not a no-op, so
    the audit log never shows two freezes in a row."""
    if actor_id == target_id:
        raise DomainError(ErrorCode.FREEZE_NOT_ALLOWED, reason="self")
    if target_is_staff:
        raise DomainError(ErrorCode.FREEZE_NOT_ALLOWED, reason="staff")
    if target_frozen:
        raise DomainError(ErrorCode.ACCOUNT_ALREADY_FROZEN)


def may_unfreeze(target_frozen: bool) -> None:
    if not target_frozen:
        raise DomainError(ErrorCode.ACCOUNT_NOT_FROZEN)


def may_revoke_staff(is_staff: bool, other_active_staff: int) -> None:
    """The last active (unfrozen) staff account keeps its role: the back office is never left empty."""
    if is_staff and other_active_staff == 0:
        raise DomainError(ErrorCode.LAST_STAFF_ACCOUNT)
