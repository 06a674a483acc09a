"""Posting journal entries: lock the accounts (in the one lock order), let the domain check, write, update."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..domain import ledger
from ..domain.ledger import Account, JournalEntry
from ..persistence.models import JournalEntryRow, LedgerAccount, PostingRow
from . import locks
from .uow import UnitOfWork


@locks.step
def post(uow: UnitOfWork, entry: JournalEntry) -> JournalEntryRow:
    """Write one balanced entry; refuses (and changes nothing) if a user account would go negative."""
    session = uow.session
    balances = locks.accounts(session, [p.account for p in entry.postings])
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
