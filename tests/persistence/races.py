"""Helpers for PostgreSQL race tests: run callables at once, and record every outcome, expected or not."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from paimai.domain.errors import DomainError
from paimai.persistence.models import LedgerAccount
from paimai.services.ledger import sum_of_postings


class Outcomes:
    """What each racing task ended with: "ok", a DomainError code, or any other error (a failure)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._guard = threading.Lock()

    def note(self, outcome: str) -> None:
        with self._guard:
            self.items.append(outcome)

    def run(self, task: Callable[[], object]) -> None:
        try:
            task()
        except DomainError as error:
            self.note(error.code.name)
        except BaseException as error:  # a deadlock, a serialisation failure: any database error fails the race
            self.note(f"unexpected {type(error).__name__}: {error}")
        else:
            self.note("ok")

    @property
    def unexpected(self) -> list[str]:
        return [item for item in self.items if item.startswith("unexpected")]


def run_at_once(tasks: list[Callable[[], object]], outcomes: Outcomes) -> None:
    """Start every task on its own thread behind one barrier, so their transactions really overlap."""
    barrier = threading.Barrier(len(tasks))

    def run(task: Callable[[], object]) -> None:
        barrier.wait()
        outcomes.run(task)

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def assert_ledger_consistent(session: Session) -> None:
    """Every stored balance equals the sum of its postings, and all postings sum to zero."""
    sums = sum_of_postings(session)
    balances = {key: balance for key, balance in session.execute(select(LedgerAccount.key, LedgerAccount.balance))}
    assert {key: value for key, value in balances.items() if value or key in sums} == sums
    assert sum(sums.values()) == 0
