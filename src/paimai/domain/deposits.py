"""Deposits (保证金, RULES §3): freeze to register, release to non-winners at close."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from .errors import DomainError, ErrorCode
from .judicial import require_notice_accepted
from .lots import LotStatus


class DepositStatus(Enum):
    FROZEN = "frozen"
    RELEASED = "released"
    APPLIED = "applied"
    FORFEITED = "forfeited"


def may_pay_deposit(
    status: LotStatus,
    ends_at: datetime,
    now: datetime,
    *,
    is_seller: bool,
    is_staff: bool,
    is_judicial: bool = False,
    real_name_verified: bool = False,
    notice_accepted: bool = False,
) -> None:
    """Deposits are taken from the moment a lot is published until it ends, never while it is suspended;
    judicial lots need 实名认证 and the bidder's notice accepted first (RULES §7)."""
    if is_staff:  # staff are not bidders (RULES §1)
        raise DomainError(ErrorCode.STAFF_NOT_BIDDER)
    if is_seller:
        raise DomainError(ErrorCode.BIDDER_NOT_ALLOWED)
    if is_judicial and not real_name_verified:
        raise DomainError(ErrorCode.REAL_NAME_REQUIRED)
    require_notice_accepted(is_judicial=is_judicial, accepted=notice_accepted)
    if status is LotStatus.SUSPENDED:
        raise DomainError(ErrorCode.LOT_SUSPENDED)
    if status not in (LotStatus.SCHEDULED, LotStatus.LIVE) or now >= ends_at:
        raise DomainError(ErrorCode.DEPOSIT_NOT_OPEN, status=status.value)


def paid_in_full(frozen_amount: int | None, required: int) -> bool:
    """A frozen deposit counts only while whole: a withdrawal fee taken from it must be made good first."""
    return frozen_amount is not None and frozen_amount >= required


@dataclass(frozen=True)
class HeldDeposit:
    user_id: int
    amount: int


def settle_at_close(held: Iterable[HeldDeposit], winner_id: int | None) -> tuple[list[HeldDeposit], HeldDeposit | None]:
    """Split frozen deposits into those released at once and the winner's, which stays frozen."""
    released: list[HeldDeposit] = []
    kept: HeldDeposit | None = None
    for deposit in held:
        if deposit.user_id == winner_id:
            kept = deposit
        else:
            released.append(deposit)
    return released, kept
