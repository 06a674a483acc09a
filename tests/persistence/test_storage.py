"""Storage rules that hold whatever the code above does: aware times, balanced ledger, constraints."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, StatementError

from conftest import PASSWORD
from paimai.bootstrap import Container
from paimai.domain import ledger
from paimai.persistence.models import JournalEntryRow, LedgerAccount, PostingRow, User
from paimai.services import accounts
from paimai.services.ledger import post, sum_of_postings


def test_naive_datetimes_are_refused_and_aware_ones_come_back_utc(container: Container) -> None:
    with pytest.raises(StatementError, match="naive"), container.transaction() as uow:
        user = accounts.register(uow, "naive", PASSWORD)
        user.created_at = datetime(2026, 1, 1, 8, 0)  # noqa: DTZ001 (the naive value under test)
        uow.session.flush()
    with container.transaction() as uow:
        accounts.register(uow, "aware", PASSWORD)
    with container.reading() as session:
        stored = session.scalar(select(User.created_at).where(User.username == "aware"))
        assert stored is not None and stored.tzinfo is not None and stored.utcoffset() == UTC.utcoffset(None)
        assert session.scalar(select(User.id).where(User.username == "naive")) is None  # rolled back


def test_balances_equal_sum_of_postings_and_entries_balance(container: Container) -> None:
    with container.transaction() as uow:
        users = [accounts.register(uow, f"u{i}", PASSWORD) for i in range(3)]
        for i, user in enumerate(users):
            post(uow, ledger.top_up(user.id, 10_000 * (i + 1)))
    with container.reading() as session:
        totals = sum_of_postings(session)
        stored = {a.key: a.balance for a in session.scalars(select(LedgerAccount))}
        for key, total in totals.items():
            assert stored[key] == total
        assert sum(totals.values()) == 0
        for entry_id in session.scalars(select(JournalEntryRow.id)):
            amounts = session.scalars(select(PostingRow.amount).where(PostingRow.entry_id == entry_id)).all()
            assert sum(amounts) == 0


def test_database_refuses_a_negative_user_balance(container: Container) -> None:
    with container.transaction() as uow:
        user = accounts.register(uow, "neg", PASSWORD)
        user_id = user.id
    with pytest.raises(IntegrityError), container.transaction() as uow:
        uow.session.execute(
            update(LedgerAccount).where(LedgerAccount.key == ledger.available(user_id).key).values(balance=-1)
        )
