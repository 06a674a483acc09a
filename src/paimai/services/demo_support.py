"""The few queries `paimai demo` needs that no other feature has: its accounts by name, its sellers' lots,
the counts of its closing summary, and one seeder at a time. Here, so the seeder (an adapter) runs no SQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..domain.bidding import BidKind
from ..persistence.models import Bid, Deposit, Lot, User, Withdrawal
from ..persistence.models import Order as OrderRow

SEED_LOCK_KEY = 0x7061_696D_6169  # "paimai": one `paimai demo` at a time on PostgreSQL


def lock_for_seeding(session: Session) -> None:
    """Two seeders at once on PostgreSQL: the second waits for the first's transaction, then sees its data.
    (SQLite's BEGIN IMMEDIATE already serialises them.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK_KEY})


def users_named(session: Session, usernames: Collection[str]) -> dict[str, User]:
    """The accounts with these usernames that exist, by username."""
    users = session.scalars(select(User).where(User.username.in_(list(usernames))).order_by(User.id))
    return {user.username: user for user in users}


def lots_of_sellers(session: Session, seller_ids: Collection[int]) -> list[Lot]:
    """Every lot these sellers listed, whatever its status, oldest first."""
    return list(session.scalars(select(Lot).where(Lot.seller_id.in_(list(seller_ids))).order_by(Lot.id)))


@dataclass(frozen=True)
class PlatformCounts:
    lots_by_status: Counter[str]
    lots_by_category: Counter[str]
    bids: int  # public rows of the bid records
    proxy_bids: int
    extended_lots: int
    deposits: int
    withdrawals: int
    orders_by_status: Counter[str]


def _count(session: Session, query: Select[int]) -> int:
    return int(session.scalar(query) or 0)


def platform_counts(session: Session) -> PlatformCounts:
    """What the database holds, counted: the summary `paimai demo` closes with."""

    def by(column: InstrumentedAttribute[str]) -> Counter[str]:
        rows = session.execute(select(column, func.count()).group_by(column))
        return Counter({key: int(count) for key, count in rows})

    return PlatformCounts(
        lots_by_status=by(Lot.status),
        lots_by_category=by(Lot.category),
        bids=_count(session, select(func.count()).select_from(Bid).where(Bid.seq.is_not(None))),
        proxy_bids=_count(session, select(func.count()).select_from(Bid).where(Bid.kind == BidKind.PROXY.value)),
        extended_lots=_count(session, select(func.count()).select_from(Lot).where(Lot.extensions > 0)),
        deposits=_count(session, select(func.count()).select_from(Deposit)),
        withdrawals=_count(session, select(func.count()).select_from(Withdrawal)),
        orders_by_status=by(OrderRow.status),
    )
