"""The facts the simulator checks its invariants on (paimai.simulation.invariants), read cheaply after each
step: only what is new since the last look (journal entries, lot and order events past a high-water mark)
and the lots those touched, each with its accepted bids, deposits, orders and new record entries.

Reads only; plain data out, so the checks themselves stay plain Python.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.bidding import BidKind, Submission
from ..domain.lots import LotStatus
from ..domain.orders.model import OrderStatus
from ..persistence.models import (
    Bid,
    Deposit,
    JournalEntryRow,
    LedgerAccount,
    Lot,
    LotEventRow,
    OrderEventRow,
    PostingRow,
    SecondChanceOffer,
    SellerApplication,
    User,
)
from ..persistence.models import Order as OrderRow
from ..simulation.invariants import DepositFact, EntryTotal, LotFact, OrderFact
from . import record
from .lots import rules_of
from .priority import ranks_of_lots
from .uow import GENESIS_HASH


@dataclass
class Marks:
    """High-water marks: the last journal entry, lot event and order event already checked."""

    entry_id: int = 0
    event_id: int = 0
    order_event_id: int = 0


@dataclass(frozen=True)
class OrderState:
    order_id: int
    buyer_id: int
    seller_id: int
    status: str


@dataclass(frozen=True)
class OfferState:
    offer_id: int
    user_id: int
    status: str


@dataclass(frozen=True)
class LotState:
    """A lot as the invariants see it (`fact`) and as the simulator's next choices need it."""

    fact: LotFact
    seller_id: int
    kind: str
    starts_at: datetime
    ends_at: datetime  # the effective end
    orders: tuple[OrderState, ...]
    offers: tuple[OfferState, ...]


@dataclass(frozen=True)
class UserState:
    user_id: int
    username: str
    is_staff: bool
    seller_status: str
    seller_kind: str | None
    verified: bool
    pending_application: int | None


@dataclass
class StepFacts:
    entries: list[EntryTotal] = field(default_factory=list)
    posted: dict[str, int] = field(default_factory=dict)  # per account, the sum of its new postings
    balances: dict[str, int] = field(default_factory=dict)  # the stored balances of those accounts
    owners: dict[str, str] = field(default_factory=dict)  # the owner of each of those accounts
    all_balances: dict[str, tuple[str, int]] = field(default_factory=dict)  # the full pass: every account
    frozen_balances: dict[int, int] = field(default_factory=dict)  # users whose frozen account moved
    frozen_deposits: dict[int, int] = field(default_factory=dict)  # their deposits still frozen, summed
    lots: list[LotState] = field(default_factory=list)
    heads: dict[int, tuple[int, str]] = field(default_factory=dict)  # per lot, the last entry verified


def step_facts(
    session: Session,
    marks: Marks,
    verified: Mapping[int, tuple[int, str]],
    extra_lots: Iterable[int] = (),
    *,
    all_lots: bool = False,
) -> StepFacts:
    """What changed since `marks` (moved on in place): new entries and postings, the accounts they moved,
    and every lot touched (by a new lot or order event, or named in `extra_lots`; with `all_lots`, all)."""
    facts = StepFacts()
    top_entry, top_event, top_order_event = session.execute(
        select(
            select(func.max(JournalEntryRow.id)).scalar_subquery(),
            select(func.max(LotEventRow.id)).scalar_subquery(),
            select(func.max(OrderEventRow.id)).scalar_subquery(),
        )
    ).one()
    if int(top_entry or 0) > marks.entry_id or all_lots:
        _ledger_facts(session, marks, facts, every_user=all_lots)
    touched = set(extra_lots)
    if int(top_event or 0) > marks.event_id:
        touched.update(session.scalars(select(LotEventRow.lot_id).where(LotEventRow.id > marks.event_id).distinct()))
        marks.event_id = int(top_event)
    if int(top_order_event or 0) > marks.order_event_id:
        touched.update(
            session.scalars(
                select(OrderRow.lot_id)
                .join(OrderEventRow, OrderEventRow.order_id == OrderRow.id)
                .where(OrderEventRow.id > marks.order_event_id)
                .distinct()
            )
        )
        marks.order_event_id = int(top_order_event)
    lot_ids = list(session.scalars(select(Lot.id))) if all_lots else sorted(touched)
    facts.lots, facts.heads = lot_states(session, lot_ids, verified)
    return facts


def _ledger_facts(session: Session, marks: Marks, facts: StepFacts, *, every_user: bool = False) -> None:
    """The journal entries after the mark, the accounts they moved and the frozen deposits of those users
    (`every_user`: of every user, so a deposit settled without its journal entry shows in the full pass)."""
    rows = session.execute(
        select(JournalEntryRow.id, func.count(PostingRow.id), func.coalesce(func.sum(PostingRow.amount), 0))
        .outerjoin(PostingRow, PostingRow.entry_id == JournalEntryRow.id)
        .where(JournalEntryRow.id > marks.entry_id)
        .group_by(JournalEntryRow.id)
    ).all()
    facts.entries = [EntryTotal(int(entry_id), int(count), int(total)) for entry_id, count, total in rows]
    # Summed here, not by a GROUP BY: grouping by account lets the database walk every posting in key order
    # instead of the few new ones by entry (SQLite does), and the step's cost would grow with the journal.
    for key, amount in session.execute(
        select(PostingRow.account_key, PostingRow.amount).where(PostingRow.entry_id > marks.entry_id)
    ):
        facts.posted[key] = facts.posted.get(key, 0) + int(amount)
    if facts.posted:
        for key, owner, balance in session.execute(
            select(LedgerAccount.key, LedgerAccount.owner, LedgerAccount.balance).where(
                LedgerAccount.key.in_(list(facts.posted))
            )
        ):
            facts.balances[key], facts.owners[key] = int(balance), owner
    if every_user:
        facts.all_balances = {
            key: (owner, int(balance))
            for key, owner, balance in session.execute(
                select(LedgerAccount.key, LedgerAccount.owner, LedgerAccount.balance)
            )
        }
    frozen_users = [
        int(key.split(":")[1]) for key in facts.posted if key.startswith("user:") and key.endswith(":frozen")
    ]
    if every_user:
        facts.frozen_balances = {
            int(owner_id): int(balance)
            for owner_id, balance in session.execute(
                select(LedgerAccount.owner_id, LedgerAccount.balance).where(
                    LedgerAccount.owner == "user", LedgerAccount.bucket == "frozen"
                )
            )
        }
        facts.frozen_deposits = _frozen_deposits(session, None)
    elif frozen_users:
        # The frozen accounts moved, so their balances were just read with the others.
        facts.frozen_balances = {
            user_id: int(facts.balances.get(f"user:{user_id}:frozen", 0)) for user_id in frozen_users
        }
        facts.frozen_deposits = _frozen_deposits(session, frozen_users)
    if rows:
        marks.entry_id = max(int(r[0]) for r in rows)


def frozen_facts(session: Session, user_ids: Collection[int]) -> tuple[dict[int, int], dict[int, int]]:
    """These users' frozen balances and the sums of their deposits still frozen."""
    ids = list(user_ids)
    balances = {user_id: 0 for user_id in ids}
    balances.update(
        (int(owner_id), int(balance))
        for owner_id, balance in session.execute(
            select(LedgerAccount.owner_id, LedgerAccount.balance).where(
                LedgerAccount.owner == "user", LedgerAccount.bucket == "frozen", LedgerAccount.owner_id.in_(ids)
            )
        )
    )
    return balances, _frozen_deposits(session, ids)


def _frozen_deposits(session: Session, user_ids: Collection[int] | None) -> dict[int, int]:
    """Per user (these, or every user with None), the sum of their deposits still frozen."""
    query = select(Deposit.user_id, func.sum(Deposit.amount)).where(Deposit.status == "frozen")
    if user_ids is not None:
        query = query.where(Deposit.user_id.in_(list(user_ids)))
    return {int(user_id): int(total) for user_id, total in session.execute(query.group_by(Deposit.user_id))}


def lot_states(
    session: Session, lot_ids: Collection[int], verified: Mapping[int, tuple[int, str]]
) -> tuple[list[LotState], dict[int, tuple[int, str]]]:
    """Each lot with what the invariants need; its record checked from the last entry verified."""
    if not lot_ids:
        return [], {}
    ids = list(lot_ids)
    lots = {lot.id: lot for lot in session.scalars(select(Lot).where(Lot.id.in_(ids)))}
    submissions: dict[int, list[Submission]] = {lot_id: [] for lot_id in lots}
    for lot_id, order_no, bidder_id, amount, max_amount in session.execute(
        select(Bid.lot_id, Bid.order_no, Bid.bidder_id, Bid.amount, Bid.max_amount)
        .where(Bid.lot_id.in_(ids), Bid.status == "active", Bid.kind.in_([BidKind.BID.value, BidKind.MAX_RAISE.value]))
        .order_by(Bid.lot_id, Bid.order_no)
    ):
        # A max raise has no amount, only a maximum; a plain bid's maximum is its amount.
        maximum = max_amount if max_amount is not None else amount
        if maximum is None:  # pragma: no cover - a bid row always has an amount or a maximum
            raise ValueError(f"bid {order_no} on lot {lot_id} has neither an amount nor a maximum")
        submissions[lot_id].append(Submission(order_no, bidder_id, amount, maximum))
    deposits: dict[int, list[DepositFact]] = {lot_id: [] for lot_id in lots}
    for row in session.scalars(select(Deposit).where(Deposit.lot_id.in_(ids)).order_by(Deposit.id)):
        deposits[row.lot_id].append(
            DepositFact(row.id, row.user_id, row.amount, row.status, row.settled_at is not None)
        )
    order_rows: dict[int, list[OrderRow]] = {lot_id: [] for lot_id in lots}
    for order in session.scalars(select(OrderRow).where(OrderRow.lot_id.in_(ids)).order_by(OrderRow.id)):
        order_rows[order.lot_id].append(order)
    escrow_keys = [f"escrow:{o.id}:escrow" for rows in order_rows.values() for o in rows]
    escrows: dict[str, int] = {}
    if escrow_keys:
        escrows = dict(
            session.execute(
                select(LedgerAccount.key, LedgerAccount.balance).where(LedgerAccount.key.in_(escrow_keys))
            ).all()
        )
    offers: dict[int, list[OfferState]] = {lot_id: [] for lot_id in lots}
    with_orders = [lot_id for lot_id, rows in order_rows.items() if rows]  # an offer follows a defaulted order
    found = (
        session.scalars(
            select(SecondChanceOffer).where(SecondChanceOffer.lot_id.in_(with_orders)).order_by(SecondChanceOffer.id)
        )
        if with_orders
        else ()
    )
    for offer in found:
        offers[offer.lot_id].append(OfferState(offer.id, offer.user_id, offer.status))
    chains: dict[int, list[dict[str, object]]] = {lot_id: [] for lot_id in lots}
    for event in session.execute(
        select(LotEventRow.lot_id, LotEventRow.seq, LotEventRow.payload, LotEventRow.prev_hash, LotEventRow.hash)
        .where(LotEventRow.lot_id.in_(ids))
        .where(LotEventRow.seq > _min_verified(verified, ids))
        .order_by(LotEventRow.lot_id, LotEventRow.seq)
    ):
        after_seq = verified.get(event.lot_id, (0, GENESIS_HASH))[0]
        if event.seq > after_seq:
            chains[event.lot_id].append(
                {"seq": event.seq, "payload": event.payload, "prev_hash": event.prev_hash, "hash": event.hash}
            )
    states: list[LotState] = []
    heads: dict[int, tuple[int, str]] = {}
    ranks = ranks_of_lots(session, lots.values())
    for lot_id in sorted(lots):
        lot = lots[lot_id]
        after = verified.get(lot_id, (0, GENESIS_HASH))
        broken = record.first_break(chains[lot_id], lot.last_hash, after=after)
        chain = chains[lot_id]
        if broken is None:
            heads[lot_id] = (int(chain[-1]["seq"]), str(chain[-1]["hash"])) if chain else after  # type: ignore[call-overload]
        fact = LotFact(
            lot_id=lot_id,
            status=LotStatus(lot.status),
            rules=rules_of(lot),
            price=lot.current_price,
            leader_id=lot.leader_id,
            winner_id=lot.winner_id,
            submissions=tuple(submissions[lot_id]),
            deposits=tuple(deposits[lot_id]),
            priority=ranks.get(lot_id, {}),
            orders=tuple(
                OrderFact(
                    o.id, o.buyer_id, OrderStatus(o.status), o.price, int(escrows.get(f"escrow:{o.id}:escrow", 0))
                )
                for o in order_rows[lot_id]
            ),
            record_break=None if broken is None else f"the record breaks at entry {broken.seq} ({broken.reason})",
        )
        states.append(
            LotState(
                fact=fact,
                seller_id=lot.seller_id,
                kind=lot.kind,
                starts_at=lot.starts_at,
                ends_at=lot.ends_at,
                orders=tuple(OrderState(o.id, o.buyer_id, o.seller_id, o.status) for o in order_rows[lot_id]),
                offers=tuple(offers[lot_id]),
            )
        )
    return states, heads


def _min_verified(verified: Mapping[int, tuple[int, str]], ids: Iterable[int]) -> int:
    return min((verified.get(lot_id, (0, ""))[0] for lot_id in ids), default=0)


def user_states(session: Session, user_ids: Collection[int]) -> list[UserState]:
    if not user_ids:
        return []
    pending = {
        user_id: app_id
        for user_id, app_id in session.execute(
            select(SellerApplication.user_id, func.max(SellerApplication.id))
            .where(SellerApplication.user_id.in_(list(user_ids)), SellerApplication.status == "pending")
            .group_by(SellerApplication.user_id)
        )
    }
    return [
        UserState(
            user.id,
            user.username,
            user.is_staff,
            user.seller_status,
            user.seller_kind,
            user.real_name_verified_at is not None,
            pending.get(user.id),
        )
        for user in session.scalars(select(User).where(User.id.in_(list(user_ids))))
    ]


def user_id(session: Session, username: str) -> int | None:
    return session.scalar(select(User.id).where(User.username == username))


def latest_application(session: Session, user_id: int) -> int | None:
    return session.scalar(select(func.max(SellerApplication.id)).where(SellerApplication.user_id == user_id))


def order_ids(session: Session, lot_id: int) -> list[int]:
    return list(session.scalars(select(OrderRow.id).where(OrderRow.lot_id == lot_id).order_by(OrderRow.id)))


def offer_ids(session: Session, lot_id: int) -> list[int]:
    return list(
        session.scalars(
            select(SecondChanceOffer.id).where(SecondChanceOffer.lot_id == lot_id).order_by(SecondChanceOffer.id)
        )
    )


def footprint(session: Session, lot_id: int | None, user_ids: Collection[int]) -> tuple[object, ...]:
    """A digest of what a step can write, as cheap at the millionth step as at the first: the highest id of
    every table (a row added anywhere shows), the row count of the tables rows leave, and for the step's lot
    and the users it concerns (its user, the lot's seller, depositors and buyers) every status, sequence
    number, amount and balance. An aborted step must leave it unchanged; a repeated request too.

    The table maxima are one statement (one round trip on PostgreSQL)."""
    from ..persistence.models import Base, Watch

    tables = [table for table in Base.metadata.sorted_tables if table.name not in SKIPPED_IN_FOOTPRINT]
    scalars = [_table_mark(table) for table in tables]
    values = session.execute(select(*scalars)).one()
    digest: list[object] = [(table.name, values[i]) for i, table in enumerate(tables)]
    digest.append(("watches", session.scalar(select(func.count()).select_from(Watch))))
    users = set(user_ids)
    if lot_id is not None:
        digest.append(
            tuple(
                session.execute(
                    select(Lot.status, Lot.seq, Lot.current_price, Lot.leader_id, Lot.winner_id, Lot.ends_at).where(
                        Lot.id == lot_id
                    )
                ).all()
            )
        )
        for query in (
            select(Bid.id, Bid.status).where(Bid.lot_id == lot_id),
            select(Deposit.id, Deposit.user_id, Deposit.status, Deposit.amount).where(Deposit.lot_id == lot_id),
            select(OrderRow.id, OrderRow.buyer_id, OrderRow.status).where(OrderRow.lot_id == lot_id),
            select(SecondChanceOffer.id, SecondChanceOffer.status).where(SecondChanceOffer.lot_id == lot_id),
        ):
            rows = session.execute(query.order_by(query.selected_columns[0])).all()
            digest.append(tuple(rows))
        seller = session.scalar(select(Lot.seller_id).where(Lot.id == lot_id))
        users.update(session.scalars(select(Deposit.user_id).where(Deposit.lot_id == lot_id)))
        users.update(session.scalars(select(OrderRow.buyer_id).where(OrderRow.lot_id == lot_id)))
        if seller is not None:
            users.add(seller)
    ids = sorted(users)
    digest.append(
        tuple(
            session.execute(
                select(User.id, User.seller_status, User.is_staff, User.real_name_verified_at)
                .where(User.id.in_(ids))
                .order_by(User.id)
            ).all()
        )
    )
    mine = (LedgerAccount.owner_id.in_(ids) & (LedgerAccount.owner == "user")) | (LedgerAccount.owner == "external")
    if lot_id is not None:
        mine = mine | LedgerAccount.key.in_([f"escrow:{order_id}:escrow" for order_id in order_ids(session, lot_id)])
    accounts = select(LedgerAccount.key, LedgerAccount.balance).where(mine)
    digest.append(tuple(sorted(session.execute(accounts).all())))
    return tuple(digest)


# The clock moves on its own; tokens come and go with logins.
SKIPPED_IN_FOOTPRINT = frozenset({"clock_state", "auth_tokens", "alembic_version", "login_failures", "watches"})


def _table_mark(table: Any) -> Any:
    """The highest id of a table with one integer key (an index lookup), else its row count."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and keys[0].type.python_type is int:
        return select(func.coalesce(func.max(keys[0]), 0)).select_from(table).scalar_subquery()
    return select(func.count()).select_from(table).scalar_subquery()
