"""The lot life cycle as an explicit transition table (RULES §2)."""

from __future__ import annotations

from dataclasses import dataclass
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
    SUSPENDED = "suspended"  # 暂缓/中止: published, its clock stopped until resumed or cancelled


class LotAction(Enum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    START = "start"
    CLOSE_SOLD = "close_sold"
    CLOSE_UNSOLD = "close_unsold"
    CANCEL = "cancel"
    SUSPEND = "suspend"


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
    (LotStatus.SCHEDULED, LotAction.SUSPEND): LotStatus.SUSPENDED,
    (LotStatus.LIVE, LotAction.SUSPEND): LotStatus.SUSPENDED,
    (LotStatus.SUSPENDED, LotAction.CANCEL): LotStatus.CANCELLED,
    # Resuming returns a suspended lot to the state it was suspended from (domain.suspension.resume_auction).
}

ENDED = frozenset({LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.CANCELLED})


class Phase(Enum):
    """Where a lot is by server time, whatever the scheduler has done yet (RULES §4 server time rules)."""

    UNPUBLISHED = "unpublished"  # a draft, in review or rejected
    BEFORE_START = "before_start"  # published, its start still ahead: deposits only
    OPEN = "open"  # between its start and its effective end: bids
    ENDED = "ended"  # past its effective end, closed or not yet
    SUSPENDED = "suspended"  # suspended: no deposits, no bids, and its end does not come while it lasts


def phase(status: LotStatus, starts_at: datetime | None, ends_at: datetime, now: datetime) -> Phase:
    """A scheduled lot whose start has passed is open, a live one past its effective end has ended, in the
    second before the scheduler's tick as after it. Every action on a lot judges "open" and "ended" here.
    (`starts_at` None: the start is not known to the caller, so only a live lot is open.)"""
    if status in ENDED:
        return Phase.ENDED
    if status is LotStatus.SUSPENDED:
        return Phase.SUSPENDED
    if status not in (LotStatus.SCHEDULED, LotStatus.LIVE):
        return Phase.UNPUBLISHED
    if now >= ends_at:
        return Phase.ENDED
    if status is LotStatus.LIVE or (starts_at is not None and now >= starts_at):
        return Phase.OPEN
    return Phase.BEFORE_START


def next_step_at(status: LotStatus, starts_at: datetime, ends_at: datetime) -> datetime | None:
    """The one rule of when the system next moves a lot (stored as the row's due_at): a scheduled lot
    starts at starts_at, a live one closes at its effective end — at it, not after it."""
    if status is LotStatus.SCHEDULED:
        return starts_at
    if status is LotStatus.LIVE:
        return ends_at
    return None


def reviewed(status: LotStatus, approve: bool, ends_at: datetime, now: datetime) -> LotStatus:
    """Staff's review. A lot whose end has passed by server time is not approved: it would be published
    already over (and closed unsold at the scheduler's next tick) — rejected, the seller lists it anew."""
    if approve and now >= ends_at:
        raise DomainError(ErrorCode.LOT_END_PASSED, ends_at=ends_at.isoformat())
    return transition(status, LotAction.APPROVE if approve else LotAction.REJECT)


def transition(status: LotStatus, action: LotAction) -> LotStatus:
    """The next status, or a LOT_TRANSITION_NOT_ALLOWED refusal naming both."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise DomainError(ErrorCode.LOT_TRANSITION_NOT_ALLOWED, status=status.value, action=action.value) from None


# RULES §2: "Only a lot in review or draft may be edited; a live lot's rules never change." A rejected lot is
# the seller's again to mend and resubmit; once staff approve it (scheduled) its rules are fixed.
EDITABLE = frozenset({LotStatus.DRAFT, LotStatus.PENDING_REVIEW, LotStatus.REJECTED})


def require_own(seller_id: int, actor_id: int) -> None:
    """Only the lot's seller edits, submits or deletes it (staff review it, they do not rewrite it)."""
    if seller_id != actor_id:
        raise DomainError(ErrorCode.LOT_NOT_YOURS)


def require_editable(status: LotStatus) -> None:
    """A lot's rules and description change only while it is a draft, in review or rejected."""
    if status not in EDITABLE:
        raise DomainError(ErrorCode.LOT_NOT_EDITABLE, status=status.value)


def require_deletable(status: LotStatus) -> None:
    """Only a draft (never seen by staff or bidders) may be deleted outright."""
    if status is not LotStatus.DRAFT:
        raise DomainError(ErrorCode.LOT_NOT_EDITABLE, status=status.value)


def submitted(status: LotStatus, ends_at: datetime, now: datetime) -> LotStatus:
    """A draft or rejected lot goes to review (its rules validated by the caller first); a lot whose end has
    already passed by server time is not submitted — staff could only reject it (see `reviewed`)."""
    next_status = transition(status, LotAction.SUBMIT)
    if now >= ends_at:
        raise DomainError(ErrorCode.LOT_END_PASSED, ends_at=ends_at.isoformat())
    return next_status


def can_submit(status: LotStatus) -> bool:
    """Whether the seller's 送审 applies (a draft or a rejected lot), for the form to offer it."""
    return (status, LotAction.SUBMIT) in TRANSITIONS


class ManageAction(Enum):
    """What the lot's seller or staff may do to a published lot now (the pages offer exactly these)."""

    SUSPEND = "suspend"
    RESUME = "resume"
    CANCEL = "cancel"


def manage_actions(
    status: LotStatus, starts_at: datetime, ends_at: datetime, now: datetime
) -> tuple[ManageAction, ...]:
    """Suspend, resume, cancel — judged as the services judge them: a scheduled or live lot past its effective
    end by server time has ended (suspend and cancel are refused AUCTION_ENDED even before the scheduler has
    closed it), a suspended one resumes or is cancelled whatever the clock says. In this order."""
    if phase(status, starts_at, ends_at, now) is Phase.ENDED:
        return ()
    offered = {
        ManageAction.SUSPEND: (status, LotAction.SUSPEND) in TRANSITIONS,
        ManageAction.RESUME: status is LotStatus.SUSPENDED,
        ManageAction.CANCEL: (status, LotAction.CANCEL) in TRANSITIONS,
    }
    return tuple(action for action in ManageAction if offered[action])


@dataclass(frozen=True)
class StaffLotActions:
    """What the back office offers on a lot now (its queue and its detail page show the same forms)."""

    review: bool  # approve or reject: the lot is in review
    manage: tuple[str, ...]  # suspend / resume / cancel (manage_actions), by name for the shared form


def staff_actions(status: LotStatus, starts_at: datetime, ends_at: datetime, now: datetime) -> StaffLotActions:
    """The transitions staff may start: a review applies to a lot in review; the rest as `manage_actions`."""
    return StaffLotActions(
        review=(status, LotAction.APPROVE) in TRANSITIONS,
        manage=tuple(action.value for action in manage_actions(status, starts_at, ends_at, now)),
    )
