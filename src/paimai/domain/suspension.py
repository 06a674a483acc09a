"""Suspending (暂缓/中止) and resuming a published lot (RULES §2, §7 court actions).

A suspended lot's clock stops: it takes no deposit and no bid, and its end does not come while it lasts.
Resuming returns it to where it was (scheduled or live) with every moment still ahead of it — its start if it
had not started, its end — moved later by the time it was suspended, so no bidder loses a second of bidding.
Deposits stay frozen throughout; cancelling a suspended lot releases them like any cancel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .bidding import AuctionSnapshot
from .errors import DomainError, ErrorCode, InvariantError
from .events import LotResumed, LotSuspended
from .lots import LotAction, LotStatus, Phase, phase, transition
from .staff import required_reason


@dataclass(frozen=True)
class Suspension:
    """What a suspended lot stores: since when, the state it returns to, and why."""

    since: datetime
    resume_to: LotStatus  # scheduled or live
    reason: str


@dataclass(frozen=True)
class SuspendDecision:
    status: LotStatus
    seq: int
    suspension: Suspension
    events: tuple[LotSuspended, ...]


@dataclass(frozen=True)
class ResumeDecision:
    status: LotStatus
    seq: int
    starts_at: datetime
    scheduled_ends_at: datetime
    ends_at: datetime
    events: tuple[LotResumed, ...]


def _may_act(snap: AuctionSnapshot, actor_id: int, actor_is_staff: bool) -> None:
    """The lot's seller or staff (RULES §2), as for a cancel."""
    if not actor_is_staff and actor_id != snap.seller_id:
        raise DomainError(ErrorCode.STAFF_ONLY)


def suspend_auction(
    snap: AuctionSnapshot, *, actor_id: int, actor_is_staff: bool, reason: str | None, now: datetime
) -> SuspendDecision:
    """Stop a scheduled or live lot's clock, with a reason. A lot past its effective end by server time has
    ended (AUCTION_ENDED), closed by the scheduler or not yet: a won lot is not taken back by a suspension.
    The caller starts a lot whose start has passed first, so it is suspended from live, not from scheduled."""
    _may_act(snap, actor_id, actor_is_staff)
    why = required_reason(reason)
    if phase(snap.status, snap.rules.starts_at, snap.ends_at, now) is Phase.ENDED:
        raise DomainError(ErrorCode.AUCTION_ENDED, ends_at=snap.ends_at.isoformat())
    status = transition(snap.status, LotAction.SUSPEND)
    seq = snap.seq + 1
    suspension = Suspension(since=now, resume_to=snap.status, reason=why)
    return SuspendDecision(status, seq, suspension, (LotSuspended(snap.lot_id, seq, now, reason=why),))


def resume_auction(
    snap: AuctionSnapshot,
    suspension: Suspension | None,
    *,
    scheduled_ends_at: datetime,
    actor_id: int,
    actor_is_staff: bool,
    reason: str | None,
    now: datetime,
) -> ResumeDecision:
    """Return a suspended lot to the state it was suspended from, its remaining times moved by the pause."""
    _may_act(snap, actor_id, actor_is_staff)
    why = required_reason(reason)
    if snap.status is not LotStatus.SUSPENDED:
        raise DomainError(ErrorCode.LOT_TRANSITION_NOT_ALLOWED, status=snap.status.value, action="resume")
    if suspension is None or suspension.resume_to not in (LotStatus.SCHEDULED, LotStatus.LIVE):
        raise InvariantError(f"suspended lot {snap.lot_id} without a state to return to")
    paused = max(now - suspension.since, timedelta(0))
    starts_at = snap.rules.starts_at
    if suspension.resume_to is LotStatus.SCHEDULED:
        starts_at = starts_at + paused
    ends_at, planned_end = snap.ends_at + paused, scheduled_ends_at + paused
    seq = snap.seq + 1
    event = LotResumed(snap.lot_id, seq, now, reason=why, starts_at=starts_at, ends_at=ends_at)
    return ResumeDecision(suspension.resume_to, seq, starts_at, planned_end, ends_at, (event,))
