"""Withdrawal to the field: every refusal's code and details, the fee capped at the deposit by the
withdrawal rule itself (not only by LotRules.validate), and whole decisions written out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from domain_builders import ALIASES, DEPOSIT, LOT_ID, NOW, T0, g, make_rules, make_snapshot
from test_domain_withdrawal import AUCTION, BID, Lot, live, two_bidders

from paimai.domain.bidding import BidKind, NewBid, Submission, compute_standing
from paimai.domain.calendar import BEIJING
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.events import BidPlaced, BidWithdrawn
from paimai.domain.lots import LotStatus
from paimai.domain.rules import LotKind, LotRules
from paimai.domain.withdrawal import (
    BidRow,
    Quota,
    RowStatus,
    WithdrawalDecision,
    WithdrawalFacts,
    WithdrawalPlan,
    WithdrawalRequest,
    plan_withdrawal,
    quota_day,
    quota_for,
    withdraw,
    withdrawal_offered,
)

END = T0 + timedelta(hours=1)
QUOTA = quota_for(3, 0, NOW)


def refusal_of(lot: Lot, request: WithdrawalRequest, deposit: int | None = DEPOSIT, at: datetime = NOW) -> DomainError:
    with pytest.raises(DomainError) as info:
        plan_withdrawal(lot.snap, lot.rows, request, WithdrawalFacts(deposit, QUOTA), at)
    return info.value


def plan_of(lot: Lot, request: WithdrawalRequest, deposit: int | None = DEPOSIT) -> WithdrawalPlan:
    return plan_withdrawal(lot.snap, lot.rows, request, WithdrawalFacts(deposit, QUOTA), NOW)


def row_of(lot: Lot, bidder: int, amount: int) -> BidRow:
    return next(row for row in lot.rows if row.bidder_id == bidder and row.amount == amount)


def seq_of(lot: Lot, bidder: int, amount: int) -> int:
    seq = row_of(lot, bidder, amount).seq
    assert seq is not None
    return seq


# ---- the fee, capped at the deposit by the rule itself ---------------------------------------------


def rules_past_validate(fee: int, deposit: int = DEPOSIT) -> LotRules:
    """Rules as a migration, an old row or a future setting might hold them, never passed through validate."""
    return make_rules(withdrawal_fee=fee, deposit=deposit)


@pytest.mark.parametrize("fee", [DEPOSIT + 1, 3 * DEPOSIT])
def test_a_fee_above_the_deposit_is_capped_at_the_deposit(fee: int) -> None:
    lot = Lot(make_snapshot(rules_past_validate(fee)))
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    whole = plan_of(lot, WithdrawalRequest(2, AUCTION))
    assert (whole.fee, whole.deposit_release) == (DEPOSIT, 0)
    one_bid = plan_of(lot, WithdrawalRequest(2, BID))
    assert (one_bid.fee, one_bid.deposit_release) == (DEPOSIT, 0)


def test_the_fee_cap_is_the_lots_deposit_not_what_is_left_of_it() -> None:
    lot = Lot(make_snapshot(rules_past_validate(DEPOSIT + 1)))
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    error = refusal_of(lot, WithdrawalRequest(2, BID), deposit=DEPOSIT - 1)
    assert (error.code, error.details) == (
        ErrorCode.WITHDRAWAL_FEE_NOT_COVERED,
        {"fee": DEPOSIT, "deposit_frozen": DEPOSIT - 1},
    )


def test_a_fee_equal_to_the_frozen_deposit_is_covered() -> None:
    lot = live(withdrawal_fee=5_000)
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    plan = plan_of(lot, WithdrawalRequest(2, AUCTION), deposit=5_000)
    assert (plan.fee, plan.deposit_release) == (5_000, 0)


def test_without_a_frozen_deposit_any_fee_is_not_covered() -> None:
    lot = live(withdrawal_fee=1)
    lot.bid(1, g(0))
    lot.bid(2, g(1))
    error = refusal_of(lot, WithdrawalRequest(2, BID), deposit=None)
    assert (error.code, error.details) == (ErrorCode.WITHDRAWAL_FEE_NOT_COVERED, {"fee": 1, "deposit_frozen": 0})


# ---- refusals, by code and details ---------------------------------------------------------------


def test_withdrawal_is_offered_on_commercial_lots_unless_switched_off() -> None:
    assert withdrawal_offered(make_rules()) is True
    assert withdrawal_offered(make_rules(withdrawal_allowed=False)) is False
    assert withdrawal_offered(make_rules(kind=LotKind.JUDICIAL)) is False


@pytest.mark.parametrize(
    ("overrides", "kind"),
    [
        ({"kind": LotKind.JUDICIAL, "ends_at": T0 + timedelta(days=2)}, "judicial"),
        ({"withdrawal_allowed": False}, "commercial"),
    ],
)
def test_a_lot_that_offers_no_withdrawal(overrides: dict[str, object], kind: str) -> None:
    lot = live(**overrides)
    lot.bid(1, g(0))
    error = refusal_of(lot, WithdrawalRequest(1, BID))
    assert (error.code, error.details) == (ErrorCode.WITHDRAWAL_NOT_ALLOWED, {"kind": kind})


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (LotStatus.SOLD, ErrorCode.AUCTION_ENDED),
        (LotStatus.UNSOLD, ErrorCode.AUCTION_ENDED),
        (LotStatus.CANCELLED, ErrorCode.AUCTION_ENDED),
        (LotStatus.SCHEDULED, ErrorCode.LOT_NOT_LIVE),
        (LotStatus.PENDING_REVIEW, ErrorCode.LOT_NOT_LIVE),
    ],
)
def test_a_lot_not_live(status: LotStatus, code: ErrorCode) -> None:
    lot = two_bidders()
    lot.snap = replace(lot.snap, status=status)
    error = refusal_of(lot, WithdrawalRequest(2, BID))
    assert (error.code, error.details) == (code, {"status": status.value})


def test_a_live_lot_past_its_end() -> None:
    error = refusal_of(two_bidders(), WithdrawalRequest(2, BID), at=END)
    assert (error.code, error.details) == (ErrorCode.AUCTION_ENDED, {"ends_at": END.isoformat()})


def test_bids_that_cannot_be_named() -> None:
    lot = two_bidders()
    theirs, mine = row_of(lot, 1, g(0)), row_of(lot, 2, g(3))
    unknown = refusal_of(lot, WithdrawalRequest(2, BID, 999))
    assert (unknown.code, unknown.details) == (ErrorCode.BID_NOT_FOUND, {"bid_id": 999})
    not_mine = refusal_of(lot, WithdrawalRequest(2, BID, theirs.bid_id))
    assert (not_mine.code, not_mine.details) == (ErrorCode.BID_NOT_YOURS, {"bid_id": theirs.bid_id})
    lot.withdraw(2, BID, mine.bid_id)
    again = refusal_of(lot, WithdrawalRequest(2, BID, mine.bid_id))
    assert (again.code, again.details) == (
        ErrorCode.BID_ALREADY_WITHDRAWN,
        {"bid_id": mine.bid_id, "status": "withdrawn"},
    )


def test_a_private_max_raise_is_not_a_bid_one_can_name() -> None:
    lot = live()
    lot.bid(1, g(0), g(3))
    lot.bid(1, g(0), g(6))  # the leader raises their maximum: a row without a seq
    raise_row = next(row for row in lot.rows if row.kind is BidKind.MAX_RAISE)
    error = refusal_of(lot, WithdrawalRequest(1, BID, raise_row.bid_id))
    assert (error.code, error.details) == (ErrorCode.BID_NOT_FOUND, {"bid_id": raise_row.bid_id})


def test_only_the_latest_bid_and_the_rows_after_it_go() -> None:
    lot = two_bidders()
    first = row_of(lot, 2, g(3))
    lot.bid(2, g(6))
    latest = row_of(lot, 2, g(6))
    error = refusal_of(lot, WithdrawalRequest(2, BID, first.bid_id))
    assert (error.code, error.details) == (
        ErrorCode.BID_NOT_LATEST,
        {"bid_id": first.bid_id, "latest_bid_id": latest.bid_id},
    )


def test_nothing_to_withdraw() -> None:
    lot = two_bidders()
    nothing = refusal_of(lot, WithdrawalRequest(3, BID))
    assert (nothing.code, nothing.details) == (ErrorCode.NOTHING_TO_WITHDRAW, {})
    no_deposit = refusal_of(lot, WithdrawalRequest(3, AUCTION), deposit=None)
    assert (no_deposit.code, no_deposit.details) == (ErrorCode.NOTHING_TO_WITHDRAW, {})


def test_leaving_an_auction_with_a_deposit_but_no_bids_releases_the_deposit_less_the_fee() -> None:
    lot = live(withdrawal_fee=2_000)
    lot.bid(1, g(0))
    plan = plan_of(lot, WithdrawalRequest(3, AUCTION))
    assert (plan.rows, plan.fee, plan.deposit_release) == ((), 2_000, DEPOSIT - 2_000)


def test_bids_without_a_frozen_deposit_can_still_be_withdrawn_when_there_is_no_fee() -> None:
    lot = two_bidders()
    for scope in (BID, AUCTION):
        plan = plan_of(lot, WithdrawalRequest(2, scope), deposit=None)
        assert (plan.fee, plan.deposit_release, [r.amount for r in plan.rows]) == (0, 0, [g(3)])


def test_the_quota_refusal_carries_the_limit_the_use_and_the_reset() -> None:
    lot = two_bidders()
    with pytest.raises(DomainError) as info:
        plan_withdrawal(
            lot.snap, lot.rows, WithdrawalRequest(2, BID), WithdrawalFacts(DEPOSIT, quota_for(2, 5, NOW)), NOW
        )
    assert info.value.code is ErrorCode.WITHDRAWAL_QUOTA_EXCEEDED
    assert info.value.details == {
        "limit": 2,
        "used": 5,
        "resets_at": "2025-03-01T16:00:00+00:00",
        "retry_after": 49800,  # the seconds from NOW to Beijing midnight, for the 429's Retry-After
    }
    assert Quota(2, 5, NOW).left == 0 and Quota(3, 1, NOW).left == 2


def test_the_quota_day_stays_in_the_zone_it_was_asked_in() -> None:
    start, end = quota_day(NOW)
    assert (start.tzinfo, end.tzinfo) == (UTC, UTC)
    assert (start, end) == (datetime(2025, 2, 28, 16, tzinfo=UTC), datetime(2025, 3, 1, 16, tzinfo=UTC))
    local = NOW.astimezone(BEIJING)
    start, end = quota_day(local)
    assert (start.utcoffset(), end.utcoffset()) == (timedelta(hours=8), timedelta(hours=8))
    assert (start.hour, end.hour, (end - start)) == (0, 0, timedelta(days=1))


# ---- whole decisions ------------------------------------------------------------------------------


def test_a_plan_says_everything_the_preview_shows() -> None:
    lot = live(withdrawal_fee=3_000)
    lot.bid(1, g(0))
    lot.bid(2, g(1), g(4))
    mine = [row for row in lot.rows if row.bidder_id == 2]
    plan = plan_of(lot, WithdrawalRequest(2, AUCTION))
    assert plan == WithdrawalPlan(
        scope=AUCTION,
        bidder_id=2,
        rows=tuple(mine),
        fee=3_000,
        deposit_release=DEPOSIT - 3_000,
        quota=QUOTA,
        standing_after=compute_standing((Submission(1, 1, g(0), g(0)),), lot.snap.rules),
    )
    assert plan.public_rows == tuple(mine)


def test_a_withdrawal_that_voids_an_answer_and_repairs_the_leaders_row_whole() -> None:
    """Bidder 1 (maximum g(10)) answered 2 at g(4) and 3 at g(7); the g(4) row is missing from the record
    (a defensive case), so withdrawing 3 voids g(7) and places a new row for 1 at g(4). Rows are passed
    newest first: the rule must not depend on their order."""
    lot = live()
    lot.bid(1, g(0), g(10))  # seq 1, order 1
    lot.bid(2, g(3))  # seq 2: 2 at g(3); seq 3: 1's proxy at g(4)
    lot.bid(3, g(6))  # seq 4: 3 at g(6); seq 5: 1's proxy at g(7)
    assert (lot.snap.seq, lot.snap.order_no, lot.snap.bid_count) == (5, 5, 5)
    rows = [row for row in reversed(lot.rows) if row.amount != g(4)]
    request = WithdrawalRequest(3, BID)
    decision = withdraw(lot.snap, rows, request, WithdrawalFacts(DEPOSIT, QUOTA), NOW)
    threes, answer = row_of(lot, 3, g(6)), row_of(lot, 1, g(7))
    after = compute_standing((Submission(1, 1, g(0), g(10)), Submission(2, 2, g(3), g(3))), lot.snap.rules)
    assert (after.leader_id, after.price) == (1, g(4))
    assert decision == WithdrawalDecision(
        plan=WithdrawalPlan(BID, 3, (threes,), 0, 0, QUOTA, after),
        withdrawn=(replace(threes, status=RowStatus.WITHDRAWN),),
        voided=(replace(answer, status=RowStatus.VOID),),
        new_bids=(NewBid(6, 7, 1, BidKind.PROXY, g(4), None, NOW),),
        snapshot=replace(
            lot.snap,
            seq=7,
            order_no=6,
            bid_count=6,
            submissions=(Submission(1, 1, g(0), g(10)), Submission(2, 2, g(3), g(3))),
            recorded_high={2: g(3), 1: g(4)},
        ),
        standing=after,
        events=(
            BidWithdrawn(LOT_ID, 6, NOW, alias=ALIASES[3], scope="bid", withdrawn_seqs=(4,), voided_seqs=(5,),
                         current_price=g(4), leader_alias=ALIASES[1], bid_count=5),
            BidPlaced(LOT_ID, 7, NOW, alias=ALIASES[1], amount=g(4), is_proxy=True, current_price=g(4),
                      leader_alias=ALIASES[1], ends_at=END, bid_count=6),
        ),
    )  # fmt: skip
    assert decision.snapshot.recorded_high == {1: g(4), 2: g(3)}


def test_a_leader_left_without_any_row_gets_one_at_the_price() -> None:
    lot = live()
    lot.bid(1, g(0), g(10))
    lot.bid(2, g(3))
    lot.bid(3, g(6))
    rows = [row for row in lot.rows if row.bidder_id != 1]  # defensive: the leader's rows are all missing
    decision = withdraw(lot.snap, rows, WithdrawalRequest(3, BID), WithdrawalFacts(DEPOSIT, QUOTA), NOW)
    assert decision.new_bids == (NewBid(6, 7, 1, BidKind.PROXY, g(4), None, NOW),)
    assert decision.snapshot.recorded_high == {2: g(3), 1: g(4)}


def test_the_recorded_high_of_each_bidder_is_their_highest_remaining_row() -> None:
    lot = live()
    lot.bid(1, g(0), g(10))
    lot.bid(2, g(3))
    lot.bid(2, g(5))  # 1 answers g(6)
    lot.bid(3, g(8))  # 1 answers g(9)
    decision = withdraw(
        lot.snap, list(reversed(lot.rows)), WithdrawalRequest(3, BID), WithdrawalFacts(DEPOSIT, QUOTA), NOW
    )
    assert decision.standing.price == g(6) and decision.new_bids == ()
    assert decision.snapshot.recorded_high == {1: g(6), 2: g(5)}
    (event,) = decision.events
    assert event == BidWithdrawn(LOT_ID, lot.snap.seq + 1, NOW, alias=ALIASES[3], scope="bid",
                                 withdrawn_seqs=(seq_of(lot, 3, g(8)),), voided_seqs=(seq_of(lot, 1, g(9)),),
                                 current_price=g(6), leader_alias=ALIASES[1], bid_count=lot.snap.bid_count)  # fmt: skip


def test_a_bidder_without_an_alias_leaves_with_an_empty_one_in_the_event() -> None:
    lot = live()
    lot.bid(1, g(0))
    lot.snap = replace(lot.snap, aliases={1: ALIASES[1]})
    decision = withdraw(lot.snap, lot.rows, WithdrawalRequest(4, AUCTION), WithdrawalFacts(DEPOSIT, QUOTA), NOW)
    (event,) = decision.events
    assert isinstance(event, BidWithdrawn) and event.alias == ""
    assert (event.current_price, event.leader_alias) == (g(0), ALIASES[1])


def test_withdrawing_the_only_bid_leaves_no_leader_alias() -> None:
    lot = live()
    lot.bid(1, g(0))
    decision = lot.withdraw(1, AUCTION)
    (event,) = decision.events
    assert event == BidWithdrawn(LOT_ID, 2, NOW, alias=ALIASES[1], scope="auction", withdrawn_seqs=(1,),
                                 voided_seqs=(), current_price=None, leader_alias=None, bid_count=1)  # fmt: skip
