"""Placing bids: lock the lot row, let the domain decide, write the record and the events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import bidding
from ..domain.bidding import AuctionSnapshot, BidderStanding, BidRequest, Standing
from ..domain.deposits import paid_in_full
from ..domain.errors import DomainError, ErrorCode, InvariantError
from ..domain.lots import LotStatus
from ..domain.rules import LotKind
from ..persistence.models import Bid, Lot, User
from . import locks
from .accounts import refuse_frozen
from .deposits import frozen_deposit
from .lots import get_lot, load_snapshot, save_due, start_if_open
from .priority import holder_ranks
from .uow import UnitOfWork
from .visibility import readable_lot, reader_of


@dataclass(frozen=True)
class PlacedBid:
    lot: Lot
    bid: Bid
    standing: Standing
    leader_alias: str | None


def _bidder_standing(session: Session, lot: Lot, user: User) -> BidderStanding:
    deposit = frozen_deposit(session, lot.id, user.id)
    return BidderStanding(
        # A withdrawal fee taken from the deposit leaves it short: it must be made whole to bid again.
        has_deposit=paid_in_full(None if deposit is None else deposit.amount, lot.deposit),
        is_staff=user.is_staff,
        real_name_verified=user.real_name_verified_at is not None,
    )


def bid_row(lot_id: int, new: bidding.NewBid) -> Bid:
    """The stored row of a record row the domain decided on (an accepted bid or a system proxy bid)."""
    return Bid(
        lot_id=lot_id,
        order_no=new.order_no,
        seq=new.seq,
        bidder_id=new.bidder_id,
        kind=new.kind.value,
        amount=new.amount,
        max_amount=new.max_amount,
        status="active",
        created_at=new.created_at,
    )


def _apply(uow: UnitOfWork, lot: Lot, decision: bidding.BidDecision) -> Bid:
    """Persist one accepted decision onto the locked lot row."""
    first: Bid | None = None
    for new in decision.new_bids:
        row = bid_row(lot.id, new)
        uow.session.add(row)
        first = first or row
    snap = decision.snapshot
    lot.seq, lot.order_no, lot.bid_count = snap.seq, snap.order_no, snap.bid_count
    lot.ends_at, lot.extensions = snap.ends_at, snap.extensions
    save_due(lot)  # an extension moves the close
    lot.current_price, lot.leader_id = decision.standing.price, decision.standing.leader_id
    uow.record(lot, decision.events)
    if first is None:
        raise InvariantError("an accepted bid writes at least one row")
    return first


def _refuse_early(session: Session, user: User, lot_id: int, request: BidRequest, now: datetime) -> None:
    """Turn away, before taking the lot's lock, a bid the committed lot row already shows cannot succeed."""
    readable_lot(session, lot_id, reader_of(user))  # a lot this bidder may not see is not found, not "not live"
    row = session.execute(
        select(
            Lot.status, Lot.ends_at, Lot.seller_id, Lot.kind, Lot.start_price, Lot.increment, Lot.deposit,
            Lot.current_price, Lot.leader_id, Lot.starts_at,
        ).where(Lot.id == lot_id)
    ).one_or_none()  # fmt: skip
    if row is None:
        raise DomainError(ErrorCode.LOT_NOT_FOUND, lot_id=lot_id)
    deposit = frozen_deposit(session, lot_id, user.id)
    glance = bidding.LotGlance(
        status=LotStatus(row.status),
        ends_at=row.ends_at,
        seller_id=row.seller_id,
        kind=LotKind(row.kind),
        start_price=row.start_price,
        increment=row.increment,
        deposit=row.deposit,
        price=row.current_price,
        leader_id=row.leader_id,
        starts_at=row.starts_at,
        priority=holder_ranks(session, lot_id) if row.kind == LotKind.JUDICIAL.value else {},
    )
    bidder = BidderStanding(
        has_deposit=paid_in_full(None if deposit is None else deposit.amount, row.deposit),
        is_staff=user.is_staff,
        real_name_verified=user.real_name_verified_at is not None,
    )
    bidding.refuse_early(glance, request, bidder, now)


@locks.step
def place_bid(uow: UnitOfWork, user: User, lot_id: int, amount: int, max_amount: int | None) -> PlacedBid:
    refuse_frozen(uow.session, user.id)
    _refuse_early(uow.session, user, lot_id, BidRequest(user.id, amount, max_amount), uow.now)
    lot = get_lot(uow.session, lot_id, lock=True)
    start_if_open(uow, lot)
    snapshot = load_snapshot(uow.session, lot)
    decision = bidding.place_bid(
        snapshot, BidRequest(user.id, amount, max_amount), _bidder_standing(uow.session, lot, user), uow.now
    )
    row = _apply(uow, lot, decision)
    uow.session.flush()
    leader = decision.standing.leader_id
    return PlacedBid(lot, row, decision.standing, snapshot.aliases.get(leader) if leader else None)


@locks.step
def place_bids(
    uow: UnitOfWork, lot_id: int, requests: Sequence[tuple[User, int, int | None]]
) -> list[PlacedBid | DomainError]:
    """Many bids of one lot under one lock and one transaction (the hot-lot path)."""
    lot = get_lot(uow.session, lot_id, lock=True)
    start_if_open(uow, lot)
    snapshot: AuctionSnapshot = load_snapshot(uow.session, lot)
    results: list[PlacedBid | DomainError] = []
    for user, amount, max_amount in requests:
        try:
            refuse_frozen(uow.session, user.id)
            decision = bidding.place_bid(
                snapshot,
                BidRequest(user.id, amount, max_amount),
                _bidder_standing(uow.session, lot, user),
                uow.now,
            )
        except DomainError as error:
            results.append(error)
            continue
        snapshot = decision.snapshot
        row = _apply(uow, lot, decision)
        leader = decision.standing.leader_id
        results.append(PlacedBid(lot, row, decision.standing, snapshot.aliases.get(leader) if leader else None))
    uow.session.flush()
    return results
