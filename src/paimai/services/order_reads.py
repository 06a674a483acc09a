"""Read models of orders and second-chance offers: what the order API and the order pages render.

Who may read an order (its buyer, its seller, staff) is `orders.visible_order`; what it shows — the steps
offered, the running deadline, the reasons, whether a second-chance offer can be made — is the domain's
(`domain.order_views`). This module loads the facts and the names that go with them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain import second_chance as sc
from ..domain.order_views import OrderView, order_view, second_chance_available
from ..domain.orders import TERMINAL, OrderStatus, Role
from ..domain.sales import SalesTotals, sales_totals
from ..persistence.models import BidderAlias, Lot, OrderEventRow, SecondChanceOffer, User
from ..persistence.models import Order as OrderRow
from .orders import role_of, to_domain, visible_order
from .second_chance import visible_offer

OPEN_VALUES = [s.value for s in OrderStatus if s not in TERMINAL]


@dataclass(frozen=True)
class Party:
    id: int
    display_name: str
    default_count: int | None  # a buyer's defaults, shown to sellers; None for the seller


@dataclass(frozen=True)
class HistoryItem:
    action: str
    from_status: str
    to_status: str
    by: str  # buyer, seller, staff or system
    created_at: datetime


@dataclass(frozen=True)
class OfferRead:
    offer: SecondChanceOffer
    lot_title: str
    mine: bool


@dataclass(frozen=True)
class OrderRead:
    row: OrderRow
    lot_title: str
    lot_image_url: str | None
    buyer: Party | None
    seller: Party | None
    view: OrderView
    amount_due: int
    applied_deposit: int
    penalty_if_default: int
    history: tuple[HistoryItem, ...] | None = None  # with detail only
    offers: tuple[OfferRead, ...] | None = None  # the seller's and staff's view of this order's offers
    second_chance_available: bool | None = None


def _who(row: OrderRow, actor_id: int | None) -> str:
    if actor_id is None:
        return "system"
    if actor_id == row.buyer_id:
        return "buyer"
    if actor_id == row.seller_id:
        return "seller"
    return "staff"


def _second_chance(session: Session, row: OrderRow, viewer: User) -> bool:
    open_orders = session.scalar(
        select(func.count())
        .select_from(OrderRow)
        .where(OrderRow.lot_id == row.lot_id, OrderRow.status.in_(OPEN_VALUES))
    )
    pending = session.scalar(
        select(func.count())
        .select_from(SecondChanceOffer)
        .where(SecondChanceOffer.lot_id == row.lot_id, SecondChanceOffer.status == sc.OfferStatus.PENDING.value)
    )
    return second_chance_available(
        to_domain(row), viewer.id, lot_has_open_order=bool(open_orders), lot_has_pending_offer=bool(pending)
    )


def read_orders(
    session: Session, rows: list[OrderRow], viewer: User, now: datetime, *, detail: bool = False
) -> list[OrderRead]:
    """The read models of some orders as this viewer sees them (names and lots loaded once for all)."""
    if not rows:
        return []
    lots = {lot.id: lot for lot in session.scalars(select(Lot).where(Lot.id.in_({r.lot_id for r in rows})))}
    people = {
        user.id: user
        for user in session.scalars(
            select(User).where(User.id.in_({r.buyer_id for r in rows} | {r.seller_id for r in rows}))
        )
    }
    out: list[OrderRead] = []
    for row in rows:
        order = to_domain(row)
        role = role_of(row, viewer)
        lot = lots.get(row.lot_id)
        buyer, seller = people.get(row.buyer_id), people.get(row.seller_id)
        read = OrderRead(
            row=row,
            lot_title=lot.title if lot is not None else "",
            lot_image_url=lot.image_url if lot is not None else None,
            buyer=None if buyer is None else Party(buyer.id, buyer.display_name, buyer.default_count),
            seller=None if seller is None else Party(seller.id, seller.display_name, None),
            view=order_view(order, role, now),
            amount_due=order.amount_due,
            applied_deposit=order.applied_deposit,
            penalty_if_default=order.penalty_if_default,
        )
        if detail:
            events = session.scalars(
                select(OrderEventRow).where(OrderEventRow.order_id == row.id).order_by(OrderEventRow.id)
            )
            history = tuple(
                HistoryItem(e.action, e.from_status, e.to_status, _who(row, e.actor_id), e.created_at) for e in events
            )
            offers: tuple[OfferRead, ...] | None = None
            chance: bool | None = None
            if role in (Role.SELLER, Role.STAFF):
                offers = tuple(
                    read_offers(session, [o for o in offers_for_lot(session, row.lot_id) if o.order_id == row.id])
                )
                chance = _second_chance(session, row, viewer)
            read = replace(read, history=history, offers=offers, second_chance_available=chance)
        out.append(read)
    return out


def order_detail(session: Session, order_id: int, viewer: User, now: datetime) -> OrderRead:
    """One order for its page and GET /orders/{id}: ORDER_NOT_FOUND unless the viewer is a party or staff."""
    return read_orders(session, [visible_order(session, viewer, order_id)], viewer, now, detail=True)[0]


def my_orders(
    session: Session, viewer: User, role: str | None, now: datetime, limit: int, before_id: int | None
) -> list[OrderRead]:
    """The viewer's orders as buyer and/or seller, newest first."""
    query = select(OrderRow).order_by(OrderRow.id.desc()).limit(limit)
    if role == "buyer":
        query = query.where(OrderRow.buyer_id == viewer.id)
    elif role == "seller":
        query = query.where(OrderRow.seller_id == viewer.id)
    else:
        query = query.where(or_(OrderRow.buyer_id == viewer.id, OrderRow.seller_id == viewer.id))
    if before_id is not None:
        query = query.where(OrderRow.id < before_id)
    return read_orders(session, list(session.scalars(query)), viewer, now)


def staff_orders(
    session: Session, viewer: User, status: str | None, now: datetime, limit: int, before_id: int | None
) -> list[OrderRead]:
    query = select(OrderRow).order_by(OrderRow.id.desc()).limit(limit)
    if status:
        query = query.where(OrderRow.status == status)
    if before_id is not None:
        query = query.where(OrderRow.id < before_id)
    return read_orders(session, list(session.scalars(query)), viewer, now)


def read_offers(session: Session, offers: list[SecondChanceOffer], viewer: User | None = None) -> list[OfferRead]:
    titles = dict(session.execute(select(Lot.id, Lot.title).where(Lot.id.in_({o.lot_id for o in offers}))).all())
    return [OfferRead(o, titles.get(o.lot_id, ""), viewer is not None and viewer.id == o.user_id) for o in offers]


def offers_for_lot(session: Session, lot_id: int) -> list[SecondChanceOffer]:
    return list(
        session.scalars(
            select(SecondChanceOffer).where(SecondChanceOffer.lot_id == lot_id).order_by(SecondChanceOffer.id)
        )
    )


def my_offers(session: Session, viewer: User) -> list[OfferRead]:
    """Second-chance offers made to the viewer, newest first."""
    offers = session.scalars(
        select(SecondChanceOffer).where(SecondChanceOffer.user_id == viewer.id).order_by(SecondChanceOffer.id.desc())
    )
    return read_offers(session, list(offers), viewer)


def offer_detail(session: Session, offer_id: int, viewer: User) -> OfferRead:
    return read_offers(session, [visible_offer(session, viewer, offer_id)], viewer)[0]


def offer_read(session: Session, offer: SecondChanceOffer, viewer: User) -> OfferRead:
    return read_offers(session, [offer], viewer)[0]


# ---- 我的销售: the seller's sales and their sums -----------------------------------------------------------


@dataclass(frozen=True)
class SaleRead:
    order: OrderRead
    buyer_alias: str | None  # the buyer's 竞买号 on the lot (none for a buyer who never paid its deposit)


@dataclass(frozen=True)
class SalesRead:
    items: list[SaleRead]
    totals: SalesTotals


def my_sales(session: Session, seller: User, now: datetime) -> SalesRead:
    """Every order of this seller's lots, newest first, as the seller sees it, with the domain's sums."""
    rows = list(session.scalars(select(OrderRow).where(OrderRow.seller_id == seller.id).order_by(OrderRow.id.desc())))
    aliases: dict[tuple[int, int], str] = {}
    if rows:
        aliases = {
            (a.lot_id, a.user_id): a.alias
            for a in session.scalars(select(BidderAlias).where(BidderAlias.lot_id.in_({r.lot_id for r in rows})))
        }
    reads = read_orders(session, rows, seller, now)
    items = [SaleRead(read, aliases.get((read.row.lot_id, read.row.buyer_id))) for read in reads]
    return SalesRead(items, sales_totals(to_domain(row) for row in rows))
