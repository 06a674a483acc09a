"""Cancelling (中止/撤回拍卖) a scheduled or live lot (RULES §2): every deposit is refunded in full."""

from __future__ import annotations

from datetime import datetime

from .bidding import AuctionSnapshot, LifecycleDecision
from .errors import DomainError, ErrorCode
from .events import LotCancelled
from .lots import ENDED, LotAction, Phase, phase, transition


def cancel_auction(
    snap: AuctionSnapshot, *, actor_id: int, actor_is_staff: bool, reason: str, now: datetime
) -> LifecycleDecision:
    """Only the lot's seller or staff may cancel, and only before the lot has ended — by server time and
    the effective end, not by whether the scheduler has closed it yet (a won lot stays won)."""
    if not actor_is_staff and actor_id != snap.seller_id:
        raise DomainError(ErrorCode.STAFF_ONLY)
    if snap.status not in ENDED and phase(snap.status, snap.rules.starts_at, snap.ends_at, now) is Phase.ENDED:
        raise DomainError(ErrorCode.AUCTION_ENDED, ends_at=snap.ends_at.isoformat())
    status = transition(snap.status, LotAction.CANCEL)
    seq = snap.seq + 1
    return LifecycleDecision(status, seq, (LotCancelled(snap.lot_id, seq, now, reason=reason),))
