"""Priority buyers (优先购买权人, RULES §7): who may register them on which lot, and when.

The court that lists a judicial lot (or staff) registers each holder with a rank (1 highest) and the
basis of the right before bidding starts; what a registered holder may then bid is bidding.py's
(`outranks`, `may_match_price`). Plain decisions over stored facts: the service loads, asks here, saves.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from .errors import DomainError, ErrorCode
from .lots import LotStatus
from .rules import LotKind

MAX_RANK = 99  # the catalogue words it (error.PRIORITY_RANK_INVALID): change both together
# A holder is registered (or removed) only while the lot has not started: drafts, lots in (or back from)
# review, scheduled ones.
REGISTRATION_STATUSES = frozenset({LotStatus.DRAFT, LotStatus.PENDING_REVIEW, LotStatus.REJECTED, LotStatus.SCHEDULED})


class PriorityBasis(Enum):
    """Why the holder has the right (the law names these; anything else the court records as other)."""

    CO_OWNER = "co_owner"  # 共有人
    TENANT = "tenant"  # 承租人
    OTHER = "other"  # 其他 (e.g. a shareholder's right in an equity sale)


def refuse_unless_court(actor_id: int, actor_is_staff: bool, seller_id: int) -> None:
    """Only the court that lists the lot (its seller) or staff register or remove holders (NOT_LOT_SELLER)."""
    if not actor_is_staff and actor_id != seller_id:
        raise DomainError(ErrorCode.NOT_LOT_SELLER)


def refuse_registration_change(kind: LotKind, status: LotStatus, starts_at: datetime, now: datetime) -> None:
    """Holders change only on a judicial lot (PRIORITY_JUDICIAL_ONLY) that has not started yet, by status
    or by server time (PRIORITY_REGISTRATION_CLOSED): the bidders must know before the first bid."""
    if kind is not LotKind.JUDICIAL:
        raise DomainError(ErrorCode.PRIORITY_JUDICIAL_ONLY)
    if status not in REGISTRATION_STATUSES or now >= starts_at:
        raise DomainError(ErrorCode.PRIORITY_REGISTRATION_CLOSED, status=status.value, starts_at=starts_at.isoformat())


def registration_open(kind: LotKind, status: LotStatus, starts_at: datetime, now: datetime) -> bool:
    """Whether the court's desk offers the register / remove forms now (the same rule as the refusal)."""
    try:
        refuse_registration_change(kind, status, starts_at, now)
    except DomainError:
        return False
    return True


def refuse_holder(
    *, holder_id: int, seller_id: int, holder_is_staff: bool, rank: int, already_registered: bool
) -> None:
    """A holder is a bidder like any other (not the lot's seller, not staff), once per lot, ranked 1..MAX_RANK."""
    if not 1 <= rank <= MAX_RANK:
        raise DomainError(ErrorCode.PRIORITY_RANK_INVALID, max_rank=MAX_RANK)
    if holder_id == seller_id or holder_is_staff:
        raise DomainError(ErrorCode.PRIORITY_HOLDER_NOT_ALLOWED)
    if already_registered:
        raise DomainError(ErrorCode.PRIORITY_HOLDER_EXISTS)
