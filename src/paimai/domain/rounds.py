"""Judicial rounds (RULES.md §7): which next round a lot allows, and the rules each round's listing obeys.

Pure: takes `now` and plain facts about the previous round, returns a decision. Refusals are
`RoundRefusal` values; `refusal_error` turns one into the DomainError of the same name (services/rounds.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from .errors import DomainError, ErrorCode

SECOND_ROUND_WINDOW = timedelta(days=30)  # 二拍 must be listed within 30 days of the 一拍 end
SECOND_ROUND_MIN_PERCENT = 80  # 二拍 start ≥ 80 % of the 一拍 start
SECOND_ROUND_LEAD = timedelta(days=7)
SECOND_ROUND_LEAD_REAL_ESTATE = timedelta(days=15)
FIXED_PRICE_WINDOW = timedelta(days=60)  # 变卖 listed for 60 days at the 二拍 start
FIXED_PRICE_BIDDING = timedelta(hours=24)  # a commitment opens 24 h of bidding
FIXED_PRICE_EXTENSION_SECONDS = 300


class RoundKind(Enum):
    FIRST = "first"  # 一拍
    SECOND = "second"  # 二拍
    SALE = "sale"  # 变卖
    REAUCTION = "reauction"  # 重新拍卖


class Outcome(Enum):
    UNSOLD = "unsold"  # 流拍
    DEFAULTED = "defaulted"  # 悔拍
    RESCINDED = "rescinded"  # sale rescinded by the court
    SOLD = "sold"
    OPEN = "open"  # not finished yet


class RoundRefusal(Enum):
    ROUND_NOT_FINISHED = "round_not_finished"
    ROUND_SOLD = "round_sold"
    JUDICIAL_SALE_ENDED = "judicial_sale_ended"  # unsold 变卖: 退回法院
    NEXT_ROUND_EXISTS = "next_round_exists"
    SECOND_ROUND_TOO_LATE = "second_round_too_late"
    SECOND_ROUND_START_TOO_LOW = "second_round_start_too_low"
    ROUND_LEAD_TOO_SHORT = "round_lead_too_short"
    SALE_PRICE_FIXED = "sale_price_fixed"  # 变卖 price is the 二拍 start


@dataclass(frozen=True)
class PreviousRound:
    kind: RoundKind
    round: int
    outcome: Outcome
    ends_at: datetime  # effective end of the round
    start_price: int  # fen
    has_next_round: bool
    previous_start_price: int | None = None  # for a 变卖 after a re-auction chain: the 二拍 start


@dataclass(frozen=True)
class NextRound:
    kind: RoundKind
    round: int


class RoundRefused(Exception):
    def __init__(self, refusal: RoundRefusal, **params: object) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.params = params


def next_round(prev: PreviousRound, now: datetime) -> NextRound:
    """The one round the court may list after `prev`, or RoundRefused."""
    if prev.has_next_round:
        raise RoundRefused(RoundRefusal.NEXT_ROUND_EXISTS)
    if prev.outcome is Outcome.OPEN:
        raise RoundRefused(RoundRefusal.ROUND_NOT_FINISHED)
    if prev.outcome is Outcome.SOLD:
        raise RoundRefused(RoundRefusal.ROUND_SOLD)
    if prev.outcome in (Outcome.DEFAULTED, Outcome.RESCINDED):
        return NextRound(RoundKind.REAUCTION, prev.round + 1)
    # unsold
    if prev.kind is RoundKind.SALE:
        raise RoundRefused(RoundRefusal.JUDICIAL_SALE_ENDED)
    if prev.kind in (RoundKind.FIRST, RoundKind.REAUCTION):
        deadline = prev.ends_at + SECOND_ROUND_WINDOW
        if now > deadline:
            raise RoundRefused(RoundRefusal.SECOND_ROUND_TOO_LATE, deadline=deadline)
        return NextRound(RoundKind.SECOND, prev.round + 1)
    return NextRound(RoundKind.SALE, prev.round + 1)


def announcement_lead(kind: RoundKind, real_estate: bool) -> timedelta | None:
    """The lead a later round needs (None: the 一拍 lead of domain/judicial.py applies)."""
    if kind is RoundKind.FIRST:
        return None
    return SECOND_ROUND_LEAD_REAL_ESTATE if real_estate else SECOND_ROUND_LEAD


def validate_next_round(
    prev: PreviousRound,
    now: datetime,
    *,
    start_price: int,
    starts_at: datetime,
    real_estate: bool,
) -> NextRound:
    """Check a proposed next-round listing; returns the round or raises RoundRefused."""
    nxt = next_round(prev, now)
    if nxt.kind is RoundKind.SECOND:
        minimum = -(-prev.start_price * SECOND_ROUND_MIN_PERCENT // 100)
        if start_price < minimum:
            raise RoundRefused(RoundRefusal.SECOND_ROUND_START_TOO_LOW, minimum=minimum)
    if nxt.kind is RoundKind.SALE and start_price != prev.start_price:
        raise RoundRefused(RoundRefusal.SALE_PRICE_FIXED, price=prev.start_price)
    lead = announcement_lead(nxt.kind, real_estate)
    if lead is not None and nxt.kind is not RoundKind.SALE and starts_at - now < lead:
        raise RoundRefused(RoundRefusal.ROUND_LEAD_TOO_SHORT, days=lead.days)
    return nxt


class SalePhase(Enum):
    WAITING = "waiting"  # fixed-price window open, no commitment yet
    BIDDING = "bidding"  # committed: 24 h bidding period
    UNSOLD = "unsold"  # window passed without a commitment → 退回法院


def sale_phase(listed_at: datetime, committed_at: datetime | None, now: datetime) -> SalePhase:
    if committed_at is not None:
        return SalePhase.BIDDING
    return SalePhase.WAITING if now < listed_at + FIXED_PRICE_WINDOW else SalePhase.UNSOLD


def sale_next_step_at(listed_at: datetime, committed_at: datetime | None) -> datetime:
    """When the scheduler must look at a 变卖 lot next: window end, or the bidding end after a commitment."""
    if committed_at is not None:
        return committed_at + FIXED_PRICE_BIDDING
    return listed_at + FIXED_PRICE_WINDOW


def commitment_valid(price: int, amount: int, deposit_paid: bool) -> bool:
    """A commitment is a bid at exactly the fixed price by a bidder whose deposit is paid."""
    return deposit_paid and amount == price


def refusal_error(refused: RoundRefused) -> DomainError:
    """A refusal as the DomainError the adapters word: the ErrorCode of the same name, JSON-ready params."""
    params = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in refused.params.items()}
    return DomainError(ErrorCode[refused.refusal.name], **params)
