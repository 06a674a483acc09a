"""One journal entry read back with its postings: what a check of a single entry needs (the demo's promise
that its cash-out is one balanced entry). `paimai ledger check` checks the whole ledger instead."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..persistence.models import JournalEntryRow, PostingRow


def entry_postings(session: Session, entry_id: int) -> tuple[str, list[tuple[str, int]]] | None:
    """The entry's kind and its postings (account key, amount) in posting order; None if there is no such entry."""
    entry = session.get(JournalEntryRow, entry_id)
    if entry is None:
        return None
    rows = session.execute(
        select(PostingRow.account_key, PostingRow.amount).where(PostingRow.entry_id == entry_id).order_by(PostingRow.id)
    ).all()
    return entry.kind, [(key, int(amount)) for key, amount in rows]
