"""PostgreSQL: many bidders at once on one lot — nothing lost, nothing doubled, a serial order exists."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.domain import bidding
from paimai.domain.bidding import BidderStanding, BidKind, BidRequest
from paimai.domain.errors import DomainError
from paimai.domain.ledger import top_up
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.persistence.models import Bid, Lot, LotEventRow, User
from paimai.services import accounts, deposits, lifecycle, lots, record
from paimai.services import bidding as bidding_service
from paimai.services.ledger import post, sum_of_postings

BIDDERS = 50
ROUNDS = 4


@pytest.mark.postgres
def test_fifty_bidders_at_once_match_a_serial_replay(postgres_db: str) -> None:
    container = Container(make_settings(postgres_db, clock="system"))
    now = container.now()
    with container.transaction() as uow:
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        rules = LotRules(
            LotKind.COMMERCIAL,
            100_000,
            1_000,
            10_000,
            now - timedelta(seconds=1),
            now + timedelta(hours=1),
            extension_seconds=0,
        )
        lot = lots.create_lot(uow, seller, lots.LotDraft("汝窑天青釉盘", Category.ART, LotKind.COMMERCIAL, rules))
        lots.review_lot(uow, staff, lot.id, True, None)
        lot_id = lot.id
        bidder_ids = []
        for index in range(BIDDERS):
            user = accounts.register(uow, f"bidder{index}", PASSWORD)
            post(uow, top_up(user.id, 1_000_000))
            bidder_ids.append(user.id)
    with container.transaction() as uow:
        lifecycle.advance_lot(uow, lot_id)
        for user_id in bidder_ids:
            member = uow.session.get(User, user_id)
            assert member is not None
            deposits.pay_deposit(uow, member, lot_id)

    barrier = threading.Barrier(BIDDERS)
    accepted: list[int] = []
    refused: list[str] = []
    guard = threading.Lock()

    def bidder(user_id: int) -> None:
        rng = random.Random(user_id)
        barrier.wait()
        for _ in range(ROUNDS):
            with container.reading() as session:
                current = session.get(Lot, lot_id)
                assert current is not None
                base = current.start_price if current.current_price is None else current.current_price + 1_000
            amount = base + 1_000 * rng.randint(0, 3)
            max_amount = amount + 1_000 * rng.randint(0, 5) if rng.random() < 0.3 else None
            try:
                with container.transaction() as uow:
                    user = uow.session.get(User, user_id)
                    assert user is not None
                    placed = bidding_service.place_bid(uow, user, lot_id, amount, max_amount)
                    bid_id = placed.bid.id
                with guard:
                    accepted.append(bid_id)
            except DomainError as error:
                with guard:
                    refused.append(error.code.name)

    threads = [threading.Thread(target=bidder, args=(user_id,)) for user_id in bidder_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert accepted, "no bid was accepted"
    assert set(refused) <= {"BID_TOO_LOW", "ALREADY_LEADING"}
    with container.reading() as session:
        final = session.get(Lot, lot_id)
        assert final is not None
        submitted = list(
            session.scalars(
                select(Bid).where(Bid.lot_id == lot_id, Bid.kind != BidKind.PROXY.value).order_by(Bid.order_no)
            )
        )
        # Every accepted request is stored exactly once.
        assert sorted(b.id for b in submitted) == sorted(accepted)
        public = list(session.scalars(select(Bid.seq).where(Bid.lot_id == lot_id, Bid.seq.is_not(None))))
        events = list(session.scalars(select(LotEventRow.seq).where(LotEventRow.lot_id == lot_id)))
        assert sorted(events) == list(range(1, final.seq + 1))  # gap-free, no duplicates
        assert len(public) == len(set(public)) == final.bid_count
        assert record.verify(record.entries(session, lot_id))
        order_nos = list(session.scalars(select(Bid.order_no).where(Bid.lot_id == lot_id)))
        assert sorted(order_nos) == list(range(1, final.order_no + 1))

        # Serial replay of the accepted submissions, in their committed order, from a fresh auction.
        fresh = lots.load_snapshot(session, final)
        snapshot = bidding.AuctionSnapshot(
            lot_id=lot_id,
            status=fresh.status,
            seller_id=fresh.seller_id,
            rules=fresh.rules,
            ends_at=final.scheduled_ends_at,
            extensions=0,
            seq=1,
            order_no=0,
            bid_count=0,
            submissions=(),
            recorded_high={},
            aliases=fresh.aliases,
        )
        standing = None
        for bid in submitted:
            amount = bid.amount if bid.amount is not None else 0
            request = BidRequest(bid.bidder_id, amount or (bid.max_amount or 0), bid.max_amount)
            decision = bidding.place_bid(snapshot, request, BidderStanding(has_deposit=True), bid.created_at)
            snapshot, standing = decision.snapshot, decision.standing
        assert standing is not None
        assert (standing.price, standing.leader_id) == (final.current_price, final.leader_id)
        assert snapshot.seq == final.seq
        totals = sum_of_postings(session)
        assert sum(totals.values()) == 0
        frozen = session.scalar(select(func.count()).select_from(Bid).where(Bid.lot_id == lot_id))
        assert frozen == final.order_no
    container.dispose()
