"""Read models of lots: what the lot API, the pages and the scripts render, assembled in one place.

Every read goes through `readable_lots` — the one statement that says who may see which lot — so a lot in
review is missing alike from the list, its page, its bids, its record, its events and its actions. The
views themselves (next valid amount, reserve met, the viewer's panels, record statuses) are the domain's
(`domain.lot_views`); this module only loads the facts they need, a page of lots at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.bidding import BidKind, priority_of
from ..domain.deposits import DepositStatus
from ..domain.lot_views import (
    LotState,
    LotView,
    Reader,
    RecordRow,
    RecordStatus,
    ViewerFacts,
    ViewerView,
    lot_view,
    my_bid_status,
    record_statuses,
    viewer_view,
)
from ..domain.lots import LotStatus
from ..domain.rules import LotKind
from ..domain.withdrawal import RowStatus
from ..persistence.models import Bid, BidderAlias, Deposit, Lot, NoticeAcceptance, Order, User, Watch
from .gallery_reads import ImageRead, galleries
from .lots import rules_of
from .priority import holder_ranks, ranks_of_lots
from .visibility import PUBLIC_VALUES, readable_lots
from .visibility import readable_lot as readable_lot
from .visibility import reader_of as reader_of


@dataclass(frozen=True)
class MyDeposit:
    amount: int
    status: str


@dataclass(frozen=True)
class LotRead:
    """A lot as a reader sees it: stored facts, the public view and this viewer's view."""

    lot: Lot
    seller_name: str
    leader_alias: str | None
    winner_alias: str | None
    bidder_count: int
    view: LotView
    viewer: ViewerView
    my_alias: str | None = None
    my_deposit: MyDeposit | None = None
    my_order_id: int | None = None
    watching: bool | None = None
    watchers: int | None = None
    images: tuple[ImageRead, ...] = ()  # the gallery, cover first


def state_of(lot: Lot, priority: dict[int, int] | None = None) -> LotState:
    return LotState(
        status=LotStatus(lot.status),
        rules=rules_of(lot),
        seller_id=lot.seller_id,
        current_price=lot.current_price,
        leader_id=lot.leader_id,
        ends_at=lot.ends_at,
        final_price=lot.final_price,
        winner_id=lot.winner_id,
        priority=priority or {},
    )


def _pairs(session: Session, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Aliases (竞买号) of the given (lot, user) pairs, in one query."""
    if not wanted:
        return {}
    lot_ids = sorted({lot_id for lot_id, _ in wanted})
    user_ids = sorted({user_id for _, user_id in wanted})
    rows = session.execute(
        select(BidderAlias.lot_id, BidderAlias.user_id, BidderAlias.alias).where(
            BidderAlias.lot_id.in_(lot_ids), BidderAlias.user_id.in_(user_ids)
        )
    )
    return {(lot_id, user_id): alias for lot_id, user_id, alias in rows if (lot_id, user_id) in wanted}


def _viewer_facts(session: Session, lot_ids: list[int], user: User) -> dict[int, ViewerFacts]:
    deposits = dict(
        session.execute(
            select(Deposit.lot_id, Deposit.amount).where(
                Deposit.user_id == user.id, Deposit.lot_id.in_(lot_ids), Deposit.status == DepositStatus.FROZEN.value
            )
        ).all()
    )
    with_bids = set(
        session.scalars(
            select(Bid.lot_id)
            .where(Bid.bidder_id == user.id, Bid.lot_id.in_(lot_ids), Bid.status == RowStatus.ACTIVE.value)
            .where(Bid.seq.is_not(None))
            .distinct()
        )
    )
    orders: dict[int, int] = {}
    for lot_id, order_id in session.execute(
        select(Order.lot_id, Order.id)
        .where(Order.lot_id.in_(lot_ids), or_(Order.buyer_id == user.id, Order.seller_id == user.id))
        .order_by(Order.id)
    ):
        orders[lot_id] = order_id  # the newest order wins (a second-chance order is newer)
    accepted = set(
        session.scalars(
            select(NoticeAcceptance.lot_id).where(
                NoticeAcceptance.user_id == user.id, NoticeAcceptance.lot_id.in_(lot_ids)
            )
        )
    )
    reader = Reader(user.id, user.is_staff)
    verified = user.real_name_verified_at is not None
    return {
        lot_id: ViewerFacts(
            reader, verified, deposits.get(lot_id), lot_id in with_bids, orders.get(lot_id), lot_id in accepted
        )
        for lot_id in lot_ids
    }


def read_lots(
    session: Session, lots: Sequence[Lot], user: User | None, now: datetime, *, detail: bool = False
) -> list[LotRead]:
    """The read models of a page of lots (a handful of queries for the whole page, not per lot)."""
    if not lots:
        return []
    lot_ids = [lot.id for lot in lots]
    wanted = {(lot.id, lot.leader_id) for lot in lots if lot.leader_id is not None}
    wanted |= {(lot.id, lot.winner_id) for lot in lots if lot.winner_id is not None}
    if user is not None:
        wanted |= {(lot_id, user.id) for lot_id in lot_ids}
    aliases = _pairs(session, wanted)
    bidders = dict(
        session.execute(
            select(BidderAlias.lot_id, func.count()).where(BidderAlias.lot_id.in_(lot_ids)).group_by(BidderAlias.lot_id)
        ).all()
    )
    sellers = dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_({lot.seller_id for lot in lots}))).all()
    )
    facts = _viewer_facts(session, lot_ids, user) if user is not None else {}
    photos = galleries(session, lot_ids)
    ranks = ranks_of_lots(session, lots)
    watchers: dict[int, int] = {}
    watching: set[int] = set()
    if detail:
        watchers = dict(
            session.execute(
                select(Watch.lot_id, func.count()).where(Watch.lot_id.in_(lot_ids)).group_by(Watch.lot_id)
            ).all()
        )
        if user is not None:
            watching = set(
                session.scalars(select(Watch.lot_id).where(Watch.user_id == user.id, Watch.lot_id.in_(lot_ids)))
            )
    out: list[LotRead] = []
    for lot in lots:
        state = state_of(lot, ranks.get(lot.id))
        view = lot_view(state, now)
        mine = facts.get(lot.id)
        deposit = mine.deposit_frozen if mine is not None else None
        out.append(
            LotRead(
                lot=lot,
                seller_name=sellers.get(lot.seller_id, ""),
                leader_alias=aliases.get((lot.id, lot.leader_id)) if lot.leader_id is not None else None,
                winner_alias=aliases.get((lot.id, lot.winner_id)) if lot.winner_id is not None else None,
                bidder_count=int(bidders.get(lot.id, 0)),
                view=view,
                viewer=viewer_view(state, view, mine),
                my_alias=aliases.get((lot.id, user.id)) if user is not None else None,
                my_deposit=None if deposit is None else MyDeposit(deposit, DepositStatus.FROZEN.value),
                my_order_id=mine.order_id if mine is not None else None,
                images=photos.get(lot.id, ()),
                watching=(lot.id in watching) if detail and user is not None else None,
                watchers=int(watchers.get(lot.id, 0)) if detail else None,
            )
        )
    return out


def lot_detail(session: Session, lot_id: int, user: User | None, now: datetime) -> LotRead:
    """One lot for its page and GET /lots/{id}: LOT_NOT_FOUND unless this reader may see it."""
    lot = readable_lot(session, lot_id, reader_of(user))
    return read_lots(session, [lot], user, now, detail=True)[0]


@dataclass(frozen=True)
class LotFilter:
    status: str | None = None
    category: str | None = None
    kind: str | None = None
    text: str | None = None
    seller_id: int | None = None  # "my lots": the seller's own, whatever their status


def browse(
    session: Session,
    user: User | None,
    filters: LotFilter,
    *,
    limit: int,
    cursor: int | None,
) -> list[Lot]:
    """Lots newest first, among those this reader may see (an explicit status filter never widens that)."""
    query = readable_lots(reader_of(user)).order_by(Lot.id.desc()).limit(limit)
    if filters.status:
        query = query.where(Lot.status == filters.status)
    elif filters.seller_id is None:
        query = query.where(Lot.status.in_(PUBLIC_VALUES))  # the default listing is the public one, for all
    if filters.category:
        query = query.where(Lot.category == filters.category)
    if filters.kind:
        query = query.where(Lot.kind == filters.kind)
    if filters.seller_id is not None:
        query = query.where(Lot.seller_id == filters.seller_id)
    if filters.text:
        # the text is searched for as it is: %, _ and the escape character are escaped, not wildcards
        text = filters.text.strip()
        query = query.where(
            or_(Lot.title.icontains(text, autoescape=True), Lot.description.icontains(text, autoescape=True))
        )
    if cursor is not None:
        query = query.where(Lot.id < cursor)
    return list(session.scalars(query))


# ---- the bid record (拍卖记录) and my bids ------------------------------------------------------------


@dataclass(frozen=True)
class RecordRead:
    id: int
    lot_id: int
    seq: int
    alias: str
    amount: int
    is_proxy: bool
    status: RecordStatus
    created_at: datetime
    priority: bool = False  # a priority buyer's row (优先购买权人), marked in the record (RULES §7)


def bid_record(session: Session, lot_id: int, user: User | None) -> list[RecordRead]:
    """The public bid record of a lot this reader may see, newest first."""
    lot = readable_lot(session, lot_id, reader_of(user))
    aliases = dict(
        session.execute(select(BidderAlias.user_id, BidderAlias.alias).where(BidderAlias.lot_id == lot.id)).all()
    )
    rows = list(session.scalars(select(Bid).where(Bid.lot_id == lot.id, Bid.seq.is_not(None)).order_by(Bid.seq.desc())))
    statuses = record_statuses(
        [
            RecordRow(row.seq, row.bidder_id, BidKind(row.kind), row.amount or 0, RowStatus(row.status))
            for row in rows
            if row.seq is not None
        ],
        leader_id=lot.leader_id,
        current_price=lot.current_price,
        status=LotStatus(lot.status),
    )
    holders = priority_of(rules_of(lot), holder_ranks(session, lot.id) if lot.kind == LotKind.JUDICIAL.value else None)
    return [
        RecordRead(
            id=row.id,
            lot_id=row.lot_id,
            seq=row.seq,
            alias=aliases.get(row.bidder_id, "????"),
            amount=row.amount or 0,
            is_proxy=row.kind == BidKind.PROXY.value,
            status=statuses[row.seq],
            created_at=row.created_at,
            priority=row.bidder_id in holders,
        )
        for row in rows
        if row.seq is not None
    ]


@dataclass(frozen=True)
class MyBidRead:
    id: int
    lot_id: int
    lot_title: str
    lot_status: str
    seq: int
    amount: int
    is_proxy: bool
    status: RecordStatus
    won: bool
    created_at: datetime


def my_bids(session: Session, user: User, limit: int = 200) -> list[MyBidRead]:
    rows = session.execute(
        select(Bid, Lot)
        .join(Lot, Lot.id == Bid.lot_id)
        .where(Bid.bidder_id == user.id, Bid.seq.is_not(None))
        .order_by(Bid.id.desc())
        .limit(limit)
    )
    out: list[MyBidRead] = []
    for bid, lot in rows:
        if bid.seq is None:
            continue
        out.append(
            MyBidRead(
                id=bid.id,
                lot_id=lot.id,
                lot_title=lot.title,
                lot_status=lot.status,
                seq=bid.seq,
                amount=bid.amount or 0,
                is_proxy=bid.kind == BidKind.PROXY.value,
                status=my_bid_status(
                    RowStatus(bid.status),
                    bid.amount,
                    mine_leads=lot.leader_id == user.id,
                    current_price=lot.current_price,
                ),
                won=lot.winner_id == user.id,
                created_at=bid.created_at,
            )
        )
    return out


@dataclass(frozen=True)
class MyDepositRead:
    id: int
    lot_id: int
    lot_title: str
    lot_status: str
    amount: int
    status: str
    created_at: datetime
    settled_at: datetime | None


def my_deposits(session: Session, user: User) -> list[MyDepositRead]:
    rows = session.execute(
        select(Deposit, Lot)
        .join(Lot, Lot.id == Deposit.lot_id)
        .where(Deposit.user_id == user.id)
        .order_by(Deposit.id.desc())
    )
    return [
        MyDepositRead(d.id, lot.id, lot.title, lot.status, d.amount, d.status, d.created_at, d.settled_at)
        for d, lot in rows
    ]


@dataclass(frozen=True)
class WatchRead:
    watch_id: int
    watched_at: datetime
    lot: LotRead


def watchlist(session: Session, user: User, now: datetime, limit: int, before_id: int | None) -> list[WatchRead]:
    """The lots the user follows, newest first, each as the lot API shows it (a lot that went back to
    review drops out, as it does from every other read)."""
    query = (
        select(Watch.id, Watch.created_at, Lot)
        .join(Lot, Lot.id == Watch.lot_id)
        .where(Watch.user_id == user.id, Lot.id.in_(readable_lots(reader_of(user)).with_only_columns(Lot.id)))
        .order_by(Watch.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(Watch.id < before_id)
    rows = session.execute(query).all()
    reads = read_lots(session, [lot for _, _, lot in rows], user, now)
    return [WatchRead(watch_id, watched_at, read) for (watch_id, watched_at, _), read in zip(rows, reads, strict=True)]
