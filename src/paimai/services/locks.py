"""The one lock order. Every write transaction takes its row locks through this module, in this order:

    0. login failures         by (user name, address): only a login takes one, and nothing else before it
    1. lots                   by id
    2. second-chance offers   by id
    3. orders                 by id
    4. users                  by id, ascending
    5. ledger accounts        user accounts by (user id, bucket), then escrow by order id, then the
                              platform's revenue, then the outside world's sandbox account (the hot rows last)

A step may skip levels but never goes back up: once it holds a user row it takes no lot, and once it
holds a ledger account it takes no user row and no account that sorts before one it holds. So each step
declares up front everything it will lock at a level (a lot close locks every wallet its releases touch
in one call; a default locks the buyer's row before any money moves, because it bumps default_count),
and two steps can only ever wait for each other in one direction: no deadlock.

Locks are FOR NO KEY UPDATE, never FOR UPDATE: inserting a row that references a locked one (a bid, a
notification, a posting, a journal entry) checks its foreign key with KEY SHARE, which FOR UPDATE would
block, and that hidden wait would break the order above. On SQLite every write transaction starts with
BEGIN IMMEDIATE (one writer at a time) and FOR UPDATE renders as nothing; the order is still checked.

The check: each top-level service step (decorated with ``step``) records what it has locked in the
session, and a lock taken out of order raises LockOrderViolation at once, on either database, so a
test of any path that breaks the order fails even when no race happens. A transaction that chains
several steps (a test's set-up, the demo seeder) is checked step by step.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, TypeVar, cast

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.types import String

from ..domain.ledger import Account
from ..persistence.models import LedgerAccount, LoginFailure, Lot, SecondChanceOffer, User
from ..persistence.models import Order as OrderRow
from .uow import UnitOfWork

F = TypeVar("F", bound=Callable[..., Any])
OWNER_RANK = {"user": 0, "escrow": 1, "platform": 2, "external": 3}


class Level(IntEnum):
    LOGIN_FAILURE = 0
    LOT = 1
    OFFER = 2
    ORDER = 3
    USER = 4
    ACCOUNT = 5


class LockOrderViolation(RuntimeError):
    """A step asked for a lock that sorts before one it already holds: a deadlock waiting to happen."""


def account_order(account: Account) -> tuple[int, int, str, str]:
    """Where an account sorts: by owner kind, then the owner's id as a number (user 9 before user 10)."""
    return (OWNER_RANK.get(account.owner, len(OWNER_RANK)), account.owner_id, account.owner, account.bucket.value)


@dataclass
class _Held:
    depth: int = 0
    rows: set[tuple[Level, Hashable]] = field(default_factory=set)
    highest: tuple[Level, Any] | None = None

    def take(self, level: Level, keys: Iterable[tuple[Hashable, Any]]) -> None:
        """Record locks about to be taken (already sorted); refuse one that goes back up the order."""
        for row, order in keys:
            if (level, row) in self.rows:
                continue
            if self.highest is not None:
                top_level, top_order = self.highest
                if level < top_level or (level == top_level and order < top_order):
                    raise LockOrderViolation(
                        f"{level.name} {row!r} locked after {top_level.name} {top_order!r}: see services/locks.py"
                    )
            self.rows.add((level, row))
            self.highest = (level, order)


def _held(session: Session) -> _Held:
    held = session.info.get("paimai_locks")
    if not isinstance(held, _Held):
        held = session.info["paimai_locks"] = _Held()
    return held


def step(fn: F) -> F:
    """A service step: the lock order is checked from its first lock; a step called inside one is part of it."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        uow = args[0] if args else kwargs["uow"]
        if not isinstance(uow, UnitOfWork):
            raise TypeError(f"{fn.__name__}: a step takes the unit of work first")
        held = _held(uow.session)
        if held.depth == 0:
            held.rows.clear()
            held.highest = None
        held.depth += 1
        try:
            return fn(*args, **kwargs)
        finally:
            held.depth -= 1

    return cast(F, run)


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def login_failure(session: Session, username: str, address: str) -> LoginFailure | None:
    """Lock one pair's failure streak (None when it has none), so parallel guesses from the pair queue and
    each sees the count the one before it left, not the count they all started from."""
    key = (username, address)
    _held(session).take(Level.LOGIN_FAILURE, [(key, key)])
    query = (
        select(LoginFailure)
        .where(LoginFailure.username == username, LoginFailure.address == address)
        .with_for_update(key_share=True)
    )
    return session.scalar(query.execution_options(populate_existing=True))


def lot(session: Session, lot_id: int, *, skip_locked: bool = False) -> Lot | None:
    """Lock one lot row (None if there is none, or with skip_locked if another transaction holds it)."""
    _held(session).take(Level.LOT, [(lot_id, lot_id)])
    query = select(Lot).where(Lot.id == lot_id).with_for_update(key_share=True, skip_locked=skip_locked)
    return session.scalar(query.execution_options(populate_existing=True))


def offer(session: Session, offer_id: int) -> SecondChanceOffer | None:
    _held(session).take(Level.OFFER, [(offer_id, offer_id)])
    query = select(SecondChanceOffer).where(SecondChanceOffer.id == offer_id).with_for_update(key_share=True)
    return session.scalar(query.execution_options(populate_existing=True))


def order(session: Session, order_id: int, *, skip_locked: bool = False) -> OrderRow | None:
    _held(session).take(Level.ORDER, [(order_id, order_id)])
    query = select(OrderRow).where(OrderRow.id == order_id).with_for_update(key_share=True, skip_locked=skip_locked)
    return session.scalar(query.execution_options(populate_existing=True))


def users(session: Session, user_ids: Collection[int]) -> dict[int, User]:
    """Lock these user rows, lowest id first."""
    ordered = sorted(set(user_ids))
    if not ordered:
        return {}
    _held(session).take(Level.USER, [(user_id, user_id) for user_id in ordered])
    query = select(User).where(User.id.in_(ordered)).order_by(User.id).with_for_update(key_share=True)
    return {row.id: row for row in session.scalars(query.execution_options(populate_existing=True))}


def accounts(session: Session, wanted: Collection[Account]) -> dict[Account, int]:
    """Lock these ledger accounts (creating any that do not exist yet) in account order; their balances."""
    ordered = sorted(set(wanted), key=account_order)
    if not ordered:
        return {}
    _held(session).take(Level.ACCOUNT, [(a.key, account_order(a)) for a in ordered])
    keys = [a.key for a in ordered]
    ensure_accounts(session, ordered)
    query = select(LedgerAccount.key, LedgerAccount.balance).where(LedgerAccount.key.in_(keys))
    if _is_postgres(session):  # lock in exactly the order computed above
        position = func.array_position(literal(keys, ARRAY(String)), LedgerAccount.key)
        query = query.order_by(position).with_for_update(key_share=True, of=LedgerAccount)
    return {Account.parse(key): balance for key, balance in session.execute(query)}


def users_and_accounts(
    session: Session, user_ids: Collection[int], wanted: Collection[Account]
) -> tuple[dict[int, User], dict[Account, int]]:
    """The lower two levels in one declaration: the user rows, then every account the step will touch."""
    return users(session, user_ids), accounts(session, wanted)


def ensure_accounts(session: Session, wanted: Iterable[Account]) -> None:
    """Create account rows that do not exist yet, without racing another transaction doing the same."""
    rows = [
        {"key": a.key, "owner": a.owner, "owner_id": a.owner_id, "bucket": a.bucket.value, "balance": 0} for a in wanted
    ]
    if rows:
        insert = pg_insert if _is_postgres(session) else sqlite_insert
        session.execute(insert(LedgerAccount).values(rows).on_conflict_do_nothing())
