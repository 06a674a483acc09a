"""The lot life cycle as an explicit transition table (RULES §2)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from .errors import DomainError, ErrorCode


class LotStatus(Enum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    LIVE = "live"
    SOLD = "sold"
    UNSOLD = "unsold"
    CANCELLED = "cancelled"


class LotAction(Enum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    START = "start"
    CLOSE_SOLD = "close_sold"
    CLOSE_UNSOLD = "close_unsold"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[LotStatus, LotAction], LotStatus] = {
    (LotStatus.DRAFT, LotAction.SUBMIT): LotStatus.PENDING_REVIEW,
    (LotStatus.REJECTED, LotAction.SUBMIT): LotStatus.PENDING_REVIEW,
    (LotStatus.PENDING_REVIEW, LotAction.APPROVE): LotStatus.SCHEDULED,
    (LotStatus.PENDING_REVIEW, LotAction.REJECT): LotStatus.REJECTED,
    (LotStatus.SCHEDULED, LotAction.START): LotStatus.LIVE,
    (LotStatus.LIVE, LotAction.CLOSE_SOLD): LotStatus.SOLD,
    (LotStatus.LIVE, LotAction.CLOSE_UNSOLD): LotStatus.UNSOLD,
    (LotStatus.SCHEDULED, LotAction.CANCEL): LotStatus.CANCELLED,
    (LotStatus.LIVE, LotAction.CANCEL): LotStatus.CANCELLED,
}

ENDED = frozenset({LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.CANCELLED})


def next_step_at(status: LotStatus, starts_at: datetime, ends_at: datetime) -> datetime | None:
    """The one rule of when the system next moves a lot (stored as the row's due_at): a scheduled lot
    starts at starts_at, a live one closes at its effective end — at it, not after it."""
    if status is LotStatus.SCHEDULED:
        return starts_at
    if status is LotStatus.LIVE:
        return ends_at
    return None


def transition(status: LotStatus, action: LotAction) -> LotStatus:
    """The next status, or a LOT_TRANSITION_NOT_ALLOWED refusal naming both."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise DomainError(ErrorCode.LOT_TRANSITION_NOT_ALLOWED, status=status.value, action=action.value) from None
