"""PostgreSQL: withdrawals racing bids, and one bidder's withdrawals racing each other."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.domain import bidding
from paimai.domain import withdrawal as withdrawal_rules
from paimai.domain.bidding import BidderStanding, BidKind, BidRequest
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.ledger import top_up
from paimai.domain.rules import Category, LotKind, LotRules
from paimai.domain.withdrawal import BidRow, RowStatus, WithdrawalFacts, WithdrawalRequest, WithdrawalScope
from paimai.persistence.models import Bid, Lot, LotEventRow, User, Withdrawal
from paimai.services import accounts, deposits, lifecycle, lots, record
from paimai.services import bidding as bidding_service
from paimai.services import withdrawal as withdrawal_service
from paimai.services.ledger import post, sum_of_postings, wallet

FEE = 2_000
QUOTA = 3


def make_world(container: Container, bidders: int, lot_count: int = 1) -> tuple[list[int], list[int], int]:
    now = container.now()
    with container.transaction() as uow:
        staff = accounts.register(uow, "staff", PASSWORD, is_staff=True)
        seller = accounts.register(uow, "seller", PASSWORD, seller_kind="individual")
        rules = LotRules(
            LotKind.COMMERCIAL, 100_000, 1_000, 10_000, now - timedelta(seconds=1), now + timedelta(hours=1),
            extension_seconds=0, withdrawal_fee=FEE,
        )  # fmt: skip
        lot_ids = []
        for index in range(lot_count):
            draft = lots.LotDraft(f"紫砂壶 {index}", Category.COLLECTIBLES, LotKind.COMMERCIAL, rules)
            lot = lots.create_lot(uow, seller, draft)
            lots.review_lot(uow, staff, lot.id, True, None)
            lot_ids.append(lot.id)
        bidder_ids = []
        for index in range(bidders):
            user = accounts.register(uow, f"bidder{index}", PASSWORD)
            post(uow, top_up(user.id, 1_000_000))
            bidder_ids.append(user.id)
        seller_id = seller.id
    with container.transaction() as uow:
        for lot_id in lot_ids:
            lifecycle.advance_lot(uow, lot_id)
            for user_id in bidder_ids:
                bidder = uow.session.get(User, user_id)
                assert bidder is not None
                deposits.pay_deposit(uow, bidder, lot_id)
    return lot_ids, bidder_ids, seller_id


def run_at_once(tasks: list[Callable[[], None]]) -> None:
    barrier = threading.Barrier(len(tasks))

    def run(task: Callable[[], None]) -> None:
        barrier.wait()
        task()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.postgres
def test_withdrawals_racing_bids_leave_a_state_some_serial_order_explains(postgres_db: str) -> None:
    container = Container(make_settings(postgres_db, clock="system", withdrawal_quota_per_day=50))
    (lot_id,), bidder_ids, _seller = make_world(container, bidders=12)
    outcomes: list[str] = []
    guard = threading.Lock()

    def note(outcome: str) -> None:
        with guard:
            outcomes.append(outcome)

    def bidder(user_id: int) -> Callable[[], None]:
        def act() -> None:
            rng = random.Random(user_id)
            for _ in range(6):
                with container.reading() as session:
                    current = session.get(Lot, lot_id)
                    assert current is not None
                    base = current.start_price if current.current_price is None else current.current_price + 1_000
                try:
                    with container.transaction() as uow:
                        user = uow.session.get(User, user_id)
                        assert user is not None
                        if rng.random() < 0.35:
                            scope = WithdrawalScope.BID if rng.random() < 0.8 else WithdrawalScope.AUCTION
                            withdrawal_service.withdraw(uow, user, lot_id, scope, None, confirm=True, limit=50)
                            note(f"withdraw-{scope.value}")
                        else:
                            bidding_service.place_bid(uow, user, lot_id, base + 1_000 * rng.randint(0, 2), None)
                            note("bid")
                except DomainError as error:
                    note(error.code.name)
                except Exception as error:  # a deadlock or any database error is a failure of the locking
                    note(f"unexpected {type(error).__name__}: {error}")

        return act

    run_at_once([bidder(user_id) for user_id in bidder_ids])
    assert "bid" in outcomes and any(o.startswith("withdraw") for o in outcomes), outcomes
    assert set(outcomes) <= {
        "bid", "withdraw-bid", "withdraw-auction", "BID_TOO_LOW", "ALREADY_LEADING", "NOTHING_TO_WITHDRAW",
        "DEPOSIT_REQUIRED",
    }  # fmt: skip

    with container.reading() as session:
        final = session.get(Lot, lot_id)
        assert final is not None
        stored = list(session.scalars(select(Bid).where(Bid.lot_id == lot_id).order_by(Bid.order_no)))
        done = list(session.scalars(select(Withdrawal).where(Withdrawal.lot_id == lot_id)))
        events = list(session.scalars(select(LotEventRow.seq).where(LotEventRow.lot_id == lot_id)))
        assert sorted(events) == list(range(1, final.seq + 1))  # gap-free, no duplicates
        assert record.verify(record.entries(session, lot_id))

        # Replay every committed operation, in commit (sequence) order, through the domain from a fresh lot.
        operations: list[tuple[int, str, Bid | Withdrawal]] = [
            (b.seq, "bid", b) for b in stored if b.kind == BidKind.BID.value and b.seq is not None
        ]
        operations += [(w.seq, "withdraw", w) for w in done]
        live = lots.load_snapshot(session, final)
        snap = bidding.AuctionSnapshot(
            lot_id=lot_id, status=live.status, seller_id=live.seller_id, rules=live.rules,
            ends_at=final.scheduled_ends_at, extensions=0, seq=1, order_no=0, bid_count=0, submissions=(),
            recorded_high={}, aliases=live.aliases,
        )  # fmt: skip
        rows: list[BidRow] = []
        for _seq, kind, item in sorted(operations, key=lambda op: op[0]):
            if isinstance(item, Bid):
                assert item.amount is not None
                decision = bidding.place_bid(
                    snap, BidRequest(item.bidder_id, item.amount), BidderStanding(has_deposit=True), item.created_at
                )
                rows += [
                    BidRow(n.order_no, n.order_no, n.seq, n.bidder_id, n.kind, n.amount, n.max_amount, RowStatus.ACTIVE)
                    for n in decision.new_bids
                ]
                snap = decision.snapshot
            else:
                assert kind == "withdraw"
                facts = WithdrawalFacts(10_000, withdrawal_rules.quota_for(50, 0, item.created_at))
                request = WithdrawalRequest(item.user_id, WithdrawalScope(item.kind))
                result = withdrawal_rules.withdraw(snap, rows, request, facts, item.created_at)
                changed = {r.bid_id: r for r in (*result.withdrawn, *result.voided)}
                rows = [changed.get(r.bid_id, r) for r in rows]
                rows += [
                    BidRow(n.order_no, n.order_no, n.seq, n.bidder_id, n.kind, n.amount, n.max_amount, RowStatus.ACTIVE)
                    for n in result.new_bids
                ]
                snap = result.snapshot
                assert ",".join(str(r.seq) for r in result.withdrawn) == item.bid_seqs
        standing = bidding.compute_standing(snap.submissions, snap.rules)
        assert (standing.price, standing.leader_id) == (final.current_price, final.leader_id)
        assert snap.seq == final.seq
        assert {r.seq: r.status.value for r in rows} == {b.seq: b.status for b in stored if b.seq is not None}
        assert sum(sum_of_postings(session).values()) == 0
    container.dispose()


@pytest.mark.postgres
def test_one_bidders_concurrent_withdrawals_never_pass_the_quota_or_pay_a_fee_twice(postgres_db: str) -> None:
    container = Container(make_settings(postgres_db, clock="system", withdrawal_quota_per_day=QUOTA))
    lot_ids, (alice_id,), seller_id = make_world(container, bidders=1, lot_count=5)
    with container.transaction() as uow:
        alice = uow.session.get(User, alice_id)
        assert alice is not None
        for lot_id in lot_ids:
            bidding_service.place_bid(uow, alice, lot_id, 100_000, None)
    results: list[str] = []
    guard = threading.Lock()

    def withdraw_from(lot_id: int) -> Callable[[], None]:
        def act() -> None:
            try:
                with container.transaction() as uow:
                    user = uow.session.get(User, alice_id)
                    assert user is not None
                    withdrawal_service.withdraw(
                        uow, user, lot_id, WithdrawalScope.AUCTION, None, confirm=True, limit=QUOTA
                    )
                outcome = "ok"
            except DomainError as error:
                outcome = error.code.name
            except Exception as error:
                outcome = f"unexpected {type(error).__name__}: {error}"
            with guard:
                results.append(outcome)

        return act

    # Five lots at once, and the first lot twice more: the quota (3) and one fee per withdrawal hold.
    run_at_once([withdraw_from(lot_id) for lot_id in [*lot_ids, lot_ids[0], lot_ids[0]]])
    assert results.count("ok") == QUOTA, results
    assert set(results) <= {"ok", ErrorCode.WITHDRAWAL_QUOTA_EXCEEDED.name, ErrorCode.NOTHING_TO_WITHDRAW.name}
    with container.reading() as session:
        assert len(list(session.scalars(select(Withdrawal).where(Withdrawal.user_id == alice_id)))) == QUOTA
        assert wallet(session, seller_id)["available"] == QUOTA * FEE
        assert wallet(session, alice_id) == {
            "available": 1_000_000 - 5 * 10_000 + QUOTA * (10_000 - FEE),
            "frozen": (5 - QUOTA) * 10_000,
        }
        assert sum(sum_of_postings(session).values()) == 0
    container.dispose()
