"""PostgreSQL: cash-outs racing each other and a deposit never spend the same available money twice, and
never deadlock (the user row, then the wallet, in the one lock order)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from races import Outcomes, assert_ledger_consistent, run_at_once

from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.domain.ledger import top_up
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.persistence.models import User
from paimai.services import accounts, deposits, lots, wallet
from paimai.services.ledger import post
from paimai.services.ledger import wallet as wallet_of
from paimai.services.uow import UnitOfWork

ROUNDS = 8
SHARE = 10_000  # each cash-out, and the lot's deposit
SHARES = 3  # the wallet holds three shares; five steps race for them


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def racing(postgres_db: str) -> Iterator[Container]:
    container = Container(make_settings(postgres_db, clock="system"))
    yield container
    container.dispose()


def user(uow: UnitOfWork, user_id: int) -> User:
    found = uow.session.get(User, user_id)
    assert found is not None
    return found


@pytest.mark.postgres
def test_cash_outs_and_a_deposit_racing_spend_each_fen_once(racing: Container) -> None:
    with racing.transaction() as uow:
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        staff_id, seller_id = staff.id, seller.id
    for round_no in range(ROUNDS):
        with racing.transaction() as uow:
            bidder = accounts.register(uow, f"bidder{round_no}", PASSWORD)
            bidder_id = bidder.id
            post(uow, top_up(bidder_id, SHARES * SHARE))
            wallet.set_bank_account(uow, bidder, "银行", "李华", "6222021234567890")
            now = uow.now
            rules = LotRules(
                LotKind.COMMERCIAL, 100_000, 1_000, SHARE, now - timedelta(seconds=1), now + timedelta(hours=1)
            )
            lot = lots.create_lot(
                uow, user(uow, seller_id), lots.LotDraft(f"lot {round_no}", Category.OTHER, LotKind.COMMERCIAL, rules)
            )
            lots.review_lot(uow, user(uow, staff_id), lot.id, True, None)
            lot_id = lot.id
        racing.run_due_work()

        def cash_out_task(bidder_id: int = bidder_id) -> object:
            with racing.transaction() as uow:
                return wallet.cash_out(uow, user(uow, bidder_id), SHARE)

        def deposit_task(bidder_id: int = bidder_id, lot_id: int = lot_id) -> object:
            with racing.transaction() as uow:
                return deposits.pay_deposit(uow, user(uow, bidder_id), lot_id)

        outcomes = Outcomes()
        tasks: list[Callable[[], object]] = [cash_out_task, cash_out_task, cash_out_task, cash_out_task, deposit_task]
        run_at_once(tasks, outcomes)
        assert outcomes.unexpected == []
        assert sorted(outcomes.items) == sorted(["ok"] * SHARES + ["INSUFFICIENT_FUNDS"] * 2), outcomes.items
        with racing.reading() as session:
            assert (
                sum(wallet_of(session, bidder_id).values())
                + sum(c.amount for c in wallet.cash_outs(session, bidder_id, 50, None))
                == SHARES * SHARE
            )
            assert wallet_of(session, bidder_id)["available"] == 0
            assert_ledger_consistent(session)
