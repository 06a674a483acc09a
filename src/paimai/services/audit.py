"""The books and the public records checked end to end (`paimai ledger check`, e.g. after a restore).

Reads only. The ledger: every journal entry has two or more postings summing to zero, every account's
balance equals the sum of its postings, no user account is negative. The records: every lot's
hash chain verifies from the genesis hash and ends on the head hash its lot row keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..persistence.models import JournalEntryRow, LedgerAccount, Lot, LotEventRow, PostingRow
from . import record
from .ledger import sum_of_postings


class ProblemKind(Enum):
    ENTRY_UNBALANCED = "entry_unbalanced"
    ENTRY_TOO_FEW_POSTINGS = "entry_too_few_postings"
    BALANCE_MISMATCH = "balance_mismatch"
    ACCOUNT_NEGATIVE = "account_negative"
    RECORD_BROKEN = "record_broken"

    @property
    def in_ledger(self) -> bool:
        return self is not ProblemKind.RECORD_BROKEN


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    subject: str  # what is wrong: "journal entry 12", "account user:3:frozen", "lot 5"
    text: str  # one line for an operator, naming the subject


@dataclass(frozen=True)
class AuditReport:
    journal_entries: int
    postings: int
    accounts: int
    lots: int
    record_entries: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def ledger_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind.in_ledger)

    @property
    def record_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.kind.in_ledger)


def check(session: Session) -> AuditReport:
    """Every problem found in the ledger and the lots' records (an empty tuple when all is well)."""
    ledger_problems, entries, postings, accounts = _check_ledger(session)
    record_problems, lots, record_entries = _check_records(session)
    return AuditReport(
        journal_entries=entries,
        postings=postings,
        accounts=accounts,
        lots=lots,
        record_entries=record_entries,
        problems=(*ledger_problems, *record_problems),
    )


def _check_ledger(session: Session) -> tuple[list[Problem], int, int, int]:
    entries = session.scalar(select(func.count()).select_from(JournalEntryRow)) or 0
    postings = session.scalar(select(func.count()).select_from(PostingRow)) or 0
    per_entry = {
        entry_id: count
        for entry_id, count in session.execute(
            select(JournalEntryRow.id, func.count(PostingRow.id))
            .outerjoin(PostingRow, PostingRow.entry_id == JournalEntryRow.id)
            .group_by(JournalEntryRow.id)
            .having(func.count(PostingRow.id) < 2)
        )
    }
    unbalanced = session.execute(
        select(PostingRow.entry_id, func.sum(PostingRow.amount))
        .group_by(PostingRow.entry_id)
        .having(func.sum(PostingRow.amount) != 0)
        .order_by(PostingRow.entry_id)
    ).all()
    problems = [
        Problem(
            ProblemKind.ENTRY_UNBALANCED,
            f"journal entry {entry_id}",
            f"journal entry {entry_id} sums to {total}, not 0",
        )
        for entry_id, total in unbalanced
    ]
    problems += [
        Problem(
            ProblemKind.ENTRY_TOO_FEW_POSTINGS,
            f"journal entry {entry_id}",
            f"journal entry {entry_id} has {count} posting(s), not two or more",
        )
        for entry_id, count in sorted(per_entry.items())
    ]
    sums = sum_of_postings(session)
    balances = {key: balance for key, balance in session.execute(select(LedgerAccount.key, LedgerAccount.balance))}
    for key in sorted(set(sums) | set(balances)):
        if sums.get(key, 0) != balances.get(key, 0):
            problems.append(
                Problem(
                    ProblemKind.BALANCE_MISMATCH,
                    f"account {key}",
                    f"account {key}: balance {balances.get(key)} but its postings sum to {sums.get(key, 0)}",
                )
            )
        if key.startswith("user:") and balances.get(key, 0) < 0:
            problems.append(
                Problem(ProblemKind.ACCOUNT_NEGATIVE, f"account {key}", f"account {key} is negative ({balances[key]})")
            )
    return problems, entries, postings, len(balances)


def _check_records(session: Session) -> tuple[list[Problem], int, int]:
    heads = {lot_id: head for lot_id, head in session.execute(select(Lot.id, Lot.last_hash).order_by(Lot.id))}
    rows = session.execute(
        select(
            LotEventRow.lot_id, LotEventRow.seq, LotEventRow.payload, LotEventRow.prev_hash, LotEventRow.hash
        ).order_by(LotEventRow.lot_id, LotEventRow.seq)
    ).all()
    chains: dict[int, list[dict[str, object]]] = {lot_id: [] for lot_id in heads}
    for lot_id, group in groupby(rows, key=lambda r: r.lot_id):
        chains[lot_id] = [{"seq": r.seq, "payload": r.payload, "prev_hash": r.prev_hash, "hash": r.hash} for r in group]
    problems: list[Problem] = []
    for lot_id, chain in chains.items():
        broken = record.first_break(chain, heads.get(lot_id))
        if broken is not None:
            where = "its last entry is not the head its lot row keeps" if broken.reason == "head" else broken.reason
            problems.append(
                Problem(
                    ProblemKind.RECORD_BROKEN,
                    f"lot {lot_id}",
                    f"lot {lot_id}: the record breaks at entry {broken.seq} ({where})",
                )
            )
    return problems, len(heads), len(rows)
