"""Second-chance offers (RULES §6): after a buyer's default the seller may offer the lot to the
runner-up at that bidder's highest bid, valid 48 hours. Accepting makes a new order with its own
payment deadline; no deposit is required for it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from .errors import DomainError, ErrorCode
from .orders import TERMINAL, Order
from .rules import LotKind, PlatformRules


class OfferStatus(Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


@dataclass(frozen=True)
class BidderHigh:
    """A bidder's highest active bid in the public record, and the sequence number it got."""

    user_id: int
    amount: int
    seq: int


@dataclass(frozen=True)
class Offer:
    id: int
    lot_id: int
    order_id: int  # the defaulted order it follows
    user_id: int  # the runner-up it is made to
    amount: int
    status: OfferStatus
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None = None


def runner_up(highs: Iterable[BidderHigh], excluded: Iterable[int]) -> BidderHigh | None:
    """The best remaining bidder: the highest bid, and at equal amounts the one who bid it first."""
    skip = set(excluded)
    ranked = sorted((h for h in highs if h.user_id not in skip), key=lambda h: (-h.amount, h.seq))
    return ranked[0] if ranked else None


def check_may_offer(order: Order, actor_id: int, *, lot_has_open_order: bool, lot_has_pending_offer: bool) -> None:
    """Only the seller, only after the buyer's default, only one live order or offer on a lot at a time."""
    if actor_id != order.seller_id:
        raise DomainError(ErrorCode.NOT_ORDER_SELLER, action="second_chance")
    if order.kind is LotKind.JUDICIAL:
        raise DomainError(ErrorCode.JUDICIAL_SALE_BINDING, action="second_chance")
    if order.status not in TERMINAL or not order.buyer_defaulted:
        raise DomainError(ErrorCode.SECOND_CHANCE_NOT_AVAILABLE, status=order.status.value)
    if lot_has_open_order or lot_has_pending_offer:
        raise DomainError(ErrorCode.SECOND_CHANCE_NOT_AVAILABLE, reason="the lot has an open order or offer")


def make_offer(
    *, offer_id: int, order: Order, candidate: BidderHigh | None, now: datetime, platform: PlatformRules
) -> Offer:
    if candidate is None:
        raise DomainError(ErrorCode.NO_RUNNER_UP, lot_id=order.lot_id)
    return Offer(
        id=offer_id,
        lot_id=order.lot_id,
        order_id=order.id,
        user_id=candidate.user_id,
        amount=candidate.amount,
        status=OfferStatus.PENDING,
        created_at=now,
        expires_at=now + timedelta(hours=platform.second_chance_hours),
    )


def _require_pending(offer: Offer, now: datetime) -> None:
    if offer.status is not OfferStatus.PENDING:
        raise DomainError(ErrorCode.OFFER_NOT_PENDING, status=offer.status.value)
    if now >= offer.expires_at:
        raise DomainError(ErrorCode.OFFER_EXPIRED, expires_at=offer.expires_at.isoformat())


def accept(offer: Offer, actor_id: int, now: datetime) -> Offer:
    if actor_id != offer.user_id:
        raise DomainError(ErrorCode.NOT_OFFER_RECIPIENT)
    _require_pending(offer, now)
    return replace(offer, status=OfferStatus.ACCEPTED, decided_at=now)


def decline(offer: Offer, actor_id: int, now: datetime) -> Offer:
    if actor_id != offer.user_id:
        raise DomainError(ErrorCode.NOT_OFFER_RECIPIENT)
    _require_pending(offer, now)
    return replace(offer, status=OfferStatus.DECLINED, decided_at=now)


def next_step_at(offer: Offer) -> datetime | None:
    """The one rule of when the system next acts on an offer (stored as the row's due_at): a pending
    offer lapses at expires_at."""
    return offer.expires_at if offer.status is OfferStatus.PENDING else None


def expire(offer: Offer, now: datetime) -> Offer | None:
    """The offer lapses at expires_at; None when it is not (or no longer) due."""
    due = next_step_at(offer)
    if due is None or now < due:
        return None
    return replace(offer, status=OfferStatus.EXPIRED, decided_at=now)
