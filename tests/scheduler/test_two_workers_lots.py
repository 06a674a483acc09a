"""Two scheduler workers at once (PostgreSQL, SKIP LOCKED): each lot closes once, deposits released once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.domain.ledger import top_up
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.persistence.models import JournalEntryRow, Lot, LotEventRow, User
from paimai.services import accounts, bidding, deposits, lifecycle, lots
from paimai.services.ledger import post, wallet

LOTS = 12


class FixedClock:
    simulated = False

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.mark.postgres
def test_two_schedulers_close_each_lot_exactly_once(postgres_db: str) -> None:
    workers = [Container(make_settings(postgres_db, clock="system")) for _ in range(2)]
    first = workers[0]
    now = first.now()
    for worker in workers:  # a fixed clock: a slow machine must not reach the lots' end during the set-up
        worker.clock = FixedClock(now)
    with first.transaction() as uow:
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        bidders = [accounts.register(uow, f"b{i}", PASSWORD) for i in range(3)]
        for bidder in bidders:
            post(uow, top_up(bidder.id, 10_000_000))
        lot_ids = []
        for index in range(LOTS):
            rules = LotRules(
                LotKind.COMMERCIAL,
                10_000,
                1_000,
                5_000,
                now - timedelta(seconds=30),
                now + timedelta(seconds=1),
                extension_seconds=0,
            )
            lot = lots.create_lot(uow, seller, lots.LotDraft(f"lot {index}", Category.OTHER, LotKind.COMMERCIAL, rules))
            lots.review_lot(uow, staff, lot.id, True, None)
            lot_ids.append(lot.id)
        bidder_ids = [b.id for b in bidders]
    with first.transaction() as uow:
        for lot_id in lot_ids:
            lifecycle.advance_lot(uow, lot_id)
            for user_id in bidder_ids:
                user = uow.session.get(User, user_id)
                assert user is not None
                deposits.pay_deposit(uow, user, lot_id)
            user = uow.session.get(User, bidder_ids[lot_id % 3])
            assert user is not None
            bidding.place_bid(uow, user, lot_id, 10_000, None)

    later = now + timedelta(seconds=5)
    for worker in workers:
        worker.clock = FixedClock(later)
    barrier = threading.Barrier(2)
    steps: list[int] = []

    def run(worker: Container) -> None:
        barrier.wait()
        steps.append(worker.run_due_work())

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with first.reading() as session:
        statuses = set(session.scalars(select(Lot.status).where(Lot.id.in_(lot_ids))))
        assert statuses == {"sold"}
        assert sum(steps) == LOTS  # the workers shared the closes: each counted by the one that ran it
        closes = session.scalar(select(func.count()).select_from(LotEventRow).where(LotEventRow.type == "LotClosed"))
        assert closes == LOTS
        releases = session.scalar(
            select(func.count()).select_from(JournalEntryRow).where(JournalEntryRow.kind == "deposit_release")
        )
        assert releases == LOTS * 2  # two losers per lot, each released once
        for index, user_id in enumerate(bidder_ids):
            won = sum(1 for lot_id in lot_ids if lot_id % 3 == index)
            assert wallet(session, user_id) == {"available": 10_000_000 - 5_000 * won, "frozen": 5_000 * won}
    for worker in workers:
        worker.dispose()
