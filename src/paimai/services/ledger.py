"""Posting journal entries: lock the user accounts in key order, let the domain check, write, update."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain import ledger
from ..domain.ledger import Account, JournalEntry
from ..persistence.models import JournalEntryRow, LedgerAccount, PostingRow
from .uow import UnitOfWork


def ensure_accounts(session: Session, accounts: Sequence[Account]) -> None:
    """Create account rows that do not exist yet, without racing another transaction doing the same."""
    rows = [
        {"key": a.key, "owner": a.owner, "owner_id": a.owner_id, "bucket": a.bucket.value, "balance": 0}
        for a in accounts
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(LedgerAccount).values(rows).on_conflict_do_nothing())


def lock_accounts(session: Session, accounts: Sequence[Account]) -> dict[Account, int]:
    """Lock the user accounts (in key order, as every transaction does) and return their balances.

    A service that posts several entries calls this first with every account they touch, so two such
    transactions always take their locks in one global order and cannot deadlock on each other.
    """
    ordered = sorted(set(accounts), key=lambda a: a.key)
    ensure_accounts(session, ordered)
    guarded = [a for a in ordered if not a.may_go_negative]
    if not guarded:
        return {}
    rows = session.execute(
        select(LedgerAccount.key, LedgerAccount.balance)
        .where(LedgerAccount.key.in_([a.key for a in guarded]))
        .order_by(LedgerAccount.key)
        .with_for_update()
    ).all()
    return {Account.parse(key): balance for key, balance in rows}


def post(uow: UnitOfWork, entry: JournalEntry) -> JournalEntryRow:
    """Write one balanced entry; refuses (and changes nothing) if a user account would go negative."""
    session = uow.session
    balances = lock_accounts(session, [p.account for p in entry.postings])
    ledger.apply_entry(balances, entry)  # raises INSUFFICIENT_FUNDS before anything is written
    row = JournalEntryRow(kind=entry.kind.value, memo=entry.memo, lot_id=entry.lot_id, created_at=uow.now)
    session.add(row)
    session.flush()
    for posting in entry.postings:
        session.add(PostingRow(entry_id=row.id, account_key=posting.account.key, amount=posting.amount))
        session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.key == posting.account.key)
            .values(balance=LedgerAccount.balance + posting.amount)
        )
    return row


def wallet(session: Session, user_id: int) -> dict[str, int]:
    keys = {ledger.available(user_id).key: "available", ledger.frozen(user_id).key: "frozen"}
    rows = session.execute(
        select(LedgerAccount.key, LedgerAccount.balance).where(LedgerAccount.key.in_(list(keys)))
    ).all()
    result = {"available": 0, "frozen": 0}
    for key, balance in rows:
        result[keys[key]] = balance
    return result


def ledger_lines(session: Session, user_id: int, limit: int, before_id: int | None) -> list[dict[str, object]]:
    """The user's postings, newest first, with the entry they belong to."""
    keys = [ledger.available(user_id).key, ledger.frozen(user_id).key]
    query = (
        select(PostingRow, JournalEntryRow)
        .join(JournalEntryRow, JournalEntryRow.id == PostingRow.entry_id)
        .where(PostingRow.account_key.in_(keys))
        .order_by(PostingRow.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(PostingRow.id < before_id)
    out: list[dict[str, object]] = []
    for posting, entry in session.execute(query).all():
        out.append(
            {
                "id": posting.id,
                "entry_id": entry.id,
                "kind": entry.kind,
                "account": Account.parse(posting.account_key).bucket.value,
                "amount": posting.amount,
                "memo": entry.memo,
                "lot_id": entry.lot_id,
                "created_at": entry.created_at,
            }
        )
    return out


def sum_of_postings(session: Session) -> dict[str, int]:
    """Per account, the sum of its postings: what every stored balance must equal."""
    rows = session.execute(
        select(PostingRow.account_key, func.sum(PostingRow.amount)).group_by(PostingRow.account_key)
    ).all()
    return {key: int(total) for key, total in rows}
