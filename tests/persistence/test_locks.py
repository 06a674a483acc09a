"""The one lock order (services/locks.py), checked on both databases without any race."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.domain import ledger
from paimai.domain.ledger import SANDBOX, Account, Bucket
from paimai.domain.orders import PLATFORM_REVENUE, escrow
from paimai.services import accounts, locks
from paimai.services.uow import UnitOfWork


@pytest.fixture
def ten_users(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Container]:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    container = Container(make_settings(db_url))
    with container.transaction() as uow:
        for index in range(10):
            accounts.register(uow, f"u{index}", PASSWORD)
    yield container
    container.dispose()


def test_accounts_sort_by_owner_id_as_a_number_and_hot_rows_last() -> None:
    keys = [ledger.available(10), SANDBOX, PLATFORM_REVENUE, escrow(2), ledger.frozen(9), ledger.available(9)]
    assert [a.key for a in sorted(keys, key=locks.account_order)] == [
        "user:9:available",
        "user:9:frozen",
        "user:10:available",
        "escrow:2:escrow",
        "platform:0:revenue",
        "external:0:sandbox",
    ]


@locks.step
def take(uow: UnitOfWork, *batches: tuple[str, list[int]]) -> None:
    for level, ids in batches:
        if level == "lot":
            for lot_id in ids:
                locks.lot(uow.session, lot_id)
        elif level == "user":
            locks.users(uow.session, ids)
        else:
            locks.accounts(uow.session, [Account("user", i, Bucket.AVAILABLE) for i in ids])


@pytest.mark.parametrize(
    "batches",
    [
        [("user", [2, 9, 10])],  # one call sorts them
        [("user", [2]), ("user", [9]), ("user", [10])],
        [("lot", [1]), ("user", [10]), ("account", [2, 10])],
        [("account", [9]), ("account", [10])],  # numeric, not string order
        [("user", [3, 4]), ("user", [3]), ("account", [3]), ("account", [3])],  # locks already held again
    ],
)
def test_locks_in_the_order_are_taken(ten_users: Container, batches: list[tuple[str, list[int]]]) -> None:
    with ten_users.transaction() as uow:
        take(uow, *batches)


@pytest.mark.parametrize(
    "batches",
    [
        [("user", [10]), ("user", [9])],
        [("account", [10]), ("account", [9])],  # string order ("user:10" < "user:9") is the wrong one
        [("account", [3]), ("user", [3])],  # money before the user row: a default's old deadlock
        [("user", [3]), ("lot", [1])],  # the user row before the lot: a withdrawal's old order
    ],
)
def test_a_lock_out_of_order_is_refused_on_any_database(
    ten_users: Container, batches: list[tuple[str, list[int]]]
) -> None:
    with pytest.raises(locks.LockOrderViolation), ten_users.transaction() as uow:
        take(uow, *batches)


def test_each_top_level_step_is_checked_on_its_own_and_nested_steps_belong_to_theirs(ten_users: Container) -> None:
    with ten_users.transaction() as uow:
        take(uow, ("account", [10]))
        take(uow, ("user", [9]))  # a new step in the same transaction: checked afresh

    @locks.step
    def outer(uow: UnitOfWork) -> None:
        take(uow, ("account", [10]))
        take(uow, ("user", [9]))  # inside one step: refused

    with pytest.raises(locks.LockOrderViolation), ten_users.transaction() as uow:
        outer(uow)
