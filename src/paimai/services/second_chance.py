"""Second-chance offers (RULES §6): after a buyer's default the seller offers the lot to the runner-up at
that bidder's highest bid; accepting opens a new order. Locks follow services/locks.py (lot, then offer)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import second_chance as sc
from ..domain.errors import DomainError, ErrorCode
from ..domain.notices import NoticeKind
from ..persistence.models import Bid, SecondChanceOffer, User
from ..persistence.models import Order as OrderRow
from . import locks
from .lots import get_lot
from .notifications import notify
from .orders import OPEN_VALUES, create_order, get_order, to_domain, visible_order
from .uow import UnitOfWork


def offer_to_domain(row: SecondChanceOffer) -> sc.Offer:
    return sc.Offer(
        id=row.id,
        lot_id=row.lot_id,
        order_id=row.order_id,
        user_id=row.user_id,
        amount=row.amount,
        status=sc.OfferStatus(row.status),
        created_at=row.created_at,
        expires_at=row.expires_at,
        decided_at=row.decided_at,
    )


def bidder_highs(session: Session, lot_id: int) -> list[sc.BidderHigh]:
    """Each bidder's highest active bid in the public record (withdrawn bids do not count)."""
    rows = session.execute(
        select(Bid.bidder_id, Bid.amount, Bid.seq)
        .where(Bid.lot_id == lot_id, Bid.status == "active", Bid.seq.is_not(None), Bid.amount.is_not(None))
        .order_by(Bid.seq)
    )
    best: dict[int, sc.BidderHigh] = {}
    for bidder_id, amount, seq in rows:
        current = best.get(bidder_id)
        if amount is None or seq is None:
            continue
        if current is None or amount > current.amount:
            best[bidder_id] = sc.BidderHigh(bidder_id, int(amount), int(seq))
    return list(best.values())


@locks.step
def make_offer(uow: UnitOfWork, user: User, order_id: int) -> SecondChanceOffer:
    """The seller offers the lot to the best bidder who has not had an order or offer on it yet."""
    session = uow.session
    head = visible_order(session, user, order_id)
    lot = get_lot(session, head.lot_id, lock=True)
    row = get_order(session, order_id, lock=True)
    open_orders = session.scalar(
        select(func.count()).select_from(OrderRow).where(OrderRow.lot_id == lot.id, OrderRow.status.in_(OPEN_VALUES))
    )
    pending = session.scalar(
        select(func.count())
        .select_from(SecondChanceOffer)
        .where(SecondChanceOffer.lot_id == lot.id, SecondChanceOffer.status == sc.OfferStatus.PENDING.value)
    )
    sc.check_may_offer(
        to_domain(row), user.id, lot_has_open_order=bool(open_orders), lot_has_pending_offer=bool(pending)
    )
    had_orders = set(session.scalars(select(OrderRow.buyer_id).where(OrderRow.lot_id == lot.id)))
    had_offers = set(session.scalars(select(SecondChanceOffer.user_id).where(SecondChanceOffer.lot_id == lot.id)))
    candidate = sc.runner_up(bidder_highs(session, lot.id), had_orders | had_offers | {lot.seller_id})
    offer = sc.make_offer(offer_id=0, order=to_domain(row), candidate=candidate, now=uow.now, platform=uow.platform)
    offer_row = SecondChanceOffer(
        lot_id=lot.id,
        order_id=row.id,
        user_id=offer.user_id,
        amount=offer.amount,
        status=offer.status.value,
        created_at=offer.created_at,
        expires_at=offer.expires_at,
        due_at=sc.next_step_at(offer),
    )
    session.add(offer_row)
    session.flush()
    notify(
        uow,
        offer.user_id,
        NoticeKind.SECOND_CHANCE_OFFER,
        lot=lot,
        offer_id=offer_row.id,
        amount=offer.amount,
        expires_at=offer.expires_at.isoformat(),
        hours=uow.platform.second_chance_hours,
    )
    return offer_row


def _store_offer(row: SecondChanceOffer, offer: sc.Offer) -> None:
    row.status, row.decided_at = offer.status.value, offer.decided_at
    row.due_at = sc.next_step_at(offer)  # what the scheduler queries: the domain's rule, kept by every save


def get_offer(session: Session, offer_id: int, *, lock: bool = False) -> SecondChanceOffer:
    row = locks.offer(session, offer_id) if lock else session.get(SecondChanceOffer, offer_id)
    if row is None:
        raise DomainError(ErrorCode.OFFER_NOT_FOUND, offer_id=offer_id)
    return row


def visible_offer(session: Session, user: User, offer_id: int) -> SecondChanceOffer:
    row = get_offer(session, offer_id)
    lot = get_lot(session, row.lot_id)
    if user.id not in (row.user_id, lot.seller_id) and not user.is_staff:
        raise DomainError(ErrorCode.OFFER_NOT_FOUND, offer_id=offer_id)
    return row


@locks.step
def accept_offer(uow: UnitOfWork, user: User, offer_id: int) -> tuple[SecondChanceOffer, OrderRow]:
    """The runner-up accepts: a new order at the offered price with its own deadline and no deposit."""
    session = uow.session
    head = visible_offer(session, user, offer_id)
    lot = get_lot(session, head.lot_id, lock=True)
    row = get_offer(session, offer_id, lock=True)
    _store_offer(row, sc.accept(offer_to_domain(row), user.id, uow.now))
    order = create_order(uow, lot, row.user_id, row.amount, 0, offer_id=row.id)
    row.new_order_id = order.id
    notify(uow, lot.seller_id, NoticeKind.SECOND_CHANCE_ACCEPTED, lot=lot, order_id=order.id, offer_id=row.id)
    session.flush()
    return row, order


@locks.step
def decline_offer(uow: UnitOfWork, user: User, offer_id: int) -> SecondChanceOffer:
    session = uow.session
    head = visible_offer(session, user, offer_id)
    lot = get_lot(session, head.lot_id, lock=True)
    row = get_offer(session, offer_id, lock=True)
    _store_offer(row, sc.decline(offer_to_domain(row), user.id, uow.now))
    notify(uow, lot.seller_id, NoticeKind.SECOND_CHANCE_DECLINED, lot=lot, offer_id=row.id)
    return row


@locks.step
def expire_offer(uow: UnitOfWork, offer_id: int) -> bool:
    head = get_offer(uow.session, offer_id)
    lot = get_lot(uow.session, head.lot_id, lock=True)
    row = get_offer(uow.session, offer_id, lock=True)
    expired = sc.expire(offer_to_domain(row), uow.now)
    if expired is None:
        return False
    _store_offer(row, expired)
    notify(uow, lot.seller_id, NoticeKind.SECOND_CHANCE_DECLINED, lot=lot, offer_id=row.id)
    return True
