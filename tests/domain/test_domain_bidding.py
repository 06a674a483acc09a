"""Table-driven unit tests for live bidding (RULES §4): the price grid, who may bid, the leader, proxies, ties and
the known traps; extension, start and close are in test_domain_lifecycle.py and test_domain_lot_lifecycle.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from domain_builders import (
    ALIASES,
    DEPOSIT,
    INC,
    LOT_ID,
    NOW,
    OK,
    SELLER_ID,
    START,
    bid,
    g,
    make_snapshot,
    public_rows,
    refusal,
    run_bids,
)

from paimai.adapters import i18n
from paimai.domain.bidding import (
    BidderStanding,
    BidKind,
    BidRequest,
    NewBid,
    close_auction,
    compute_standing,
    next_valid_amount,
    place_bids,
)
from paimai.domain.errors import ErrorCode
from paimai.domain.events import BidPlaced, LotEvent
from paimai.domain.lots import LotStatus

# --- the price grid ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(g(0), None, id="exactly-start"),
        pytest.param(g(1), None, id="start+1inc"),
        pytest.param(g(7), None, id="start+7inc"),
        # Below the start price is "too low" (with the least valid amount), whether on the grid or not.
        pytest.param(START - INC, ErrorCode.BID_TOO_LOW, id="one-increment-below-start"),
        pytest.param(START - 1, ErrorCode.BID_TOO_LOW, id="one-fen-below-start"),
        pytest.param(START + 1, ErrorCode.BID_NOT_ON_GRID, id="start+1fen"),
        pytest.param(START + INC // 2, ErrorCode.BID_NOT_ON_GRID, id="half-increment"),
    ],
)
def test_first_bid_is_at_least_the_start_price_and_on_the_grid(amount: int, expected: ErrorCode | None) -> None:
    snap = make_snapshot()
    if expected is None:
        decision = bid(snap, 1, amount)
        assert decision.standing.price == amount
        assert decision.standing.leader_id == 1
        assert [(row.bidder_id, row.amount, row.kind) for row in public_rows([decision])] == [(1, amount, BidKind.BID)]
    else:
        error = refusal(snap, 1, amount)
        assert error.code is expected
        assert error.details["next_valid"] == START
        assert error.details["increment"] == INC


@pytest.mark.parametrize("amount", [0, -INC])
def test_a_non_positive_amount_is_refused(amount: int) -> None:
    assert refusal(make_snapshot(), 1, amount).code is ErrorCode.AMOUNT_NOT_POSITIVE


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(g(0), ErrorCode.BID_TOO_LOW, id="equal-to-current"),
        pytest.param(g(1), None, id="current+1inc"),
        pytest.param(g(4), None, id="current+4inc"),
        pytest.param(g(1) + 1, ErrorCode.BID_NOT_ON_GRID, id="one-fen-off-grid"),
        pytest.param(g(0) + INC // 2, ErrorCode.BID_TOO_LOW, id="half-increment-below-next"),
        pytest.param(g(3) - 100, ErrorCode.BID_NOT_ON_GRID, id="above-next-but-off-grid"),
    ],
)
def test_a_later_bid_is_the_current_price_plus_whole_increments(amount: int, expected: ErrorCode | None) -> None:
    (first,) = run_bids([(1, g(0), None)])
    snap = first.snapshot
    if expected is None:
        decision = bid(snap, 2, amount)
        assert (decision.standing.leader_id, decision.standing.price) == (2, amount)
    else:
        error = refusal(snap, 2, amount)
        assert error.code is expected
        assert error.details["next_valid"] == g(1)


def test_too_low_names_the_next_valid_amount_after_a_proxy_moved_the_price() -> None:
    decisions = run_bids([(1, g(0), g(5)), (2, g(2), None)])
    snap = decisions[-1].snapshot
    assert decisions[-1].standing.price == g(3)  # the proxy answered one increment above
    assert next_valid_amount(decisions[-1].standing, snap.rules) == g(4)
    error = refusal(snap, 3, g(3))
    assert error.code is ErrorCode.BID_TOO_LOW
    assert error.details["next_valid"] == g(4)
    # the domain gives the amount in fen; the words say it in yuan, as people read it
    assert i18n.error_messages(error) == ("The bid must be at least ¥1,400.00.", "出价不得低于 ¥1,400.00。")
    assert bid(snap, 3, g(4)).standing.price == g(5)  # accepted; proxy 1 answers at its maximum


@pytest.mark.parametrize(
    ("amount", "max_amount", "expected"),
    [
        pytest.param(g(2), g(1), ErrorCode.MAX_AMOUNT_INVALID, id="max-below-amount"),
        pytest.param(g(2), g(3) + 1, ErrorCode.MAX_AMOUNT_INVALID, id="max-off-grid"),
        pytest.param(g(2), g(2) + INC // 2, ErrorCode.MAX_AMOUNT_INVALID, id="max-half-increment"),
        pytest.param(g(2), g(2), None, id="max-equal-to-amount"),
        pytest.param(g(2), g(9), None, id="max-above-amount"),
    ],
)
def test_a_proxy_maximum_is_on_the_grid_and_not_below_the_bid(
    amount: int, max_amount: int, expected: ErrorCode | None
) -> None:
    snap = make_snapshot()
    if expected is None:
        decision = bid(snap, 1, amount, max_amount)
        # Alone, the proxy bidder pays their own bid, not their maximum.
        assert (decision.standing.price, decision.standing.leader_max) == (amount, max_amount)
        assert decision.submitted.max_amount == max_amount
    else:
        error = refusal(snap, 1, amount, max_amount)
        assert error.code is expected
        assert error.details["next_valid"] == START


# --- who, when -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bidder_id", "standing", "expected"),
    [
        pytest.param(SELLER_ID, OK, ErrorCode.BIDDER_NOT_ALLOWED, id="seller"),
        pytest.param(1, BidderStanding(has_deposit=True, is_staff=True), ErrorCode.STAFF_NOT_BIDDER, id="staff"),
        pytest.param(1, BidderStanding(has_deposit=True, is_barred=True), ErrorCode.BIDDER_NOT_ALLOWED, id="barred"),
        pytest.param(1, BidderStanding(has_deposit=False), ErrorCode.DEPOSIT_REQUIRED, id="no-deposit"),
        pytest.param(6, OK, ErrorCode.DEPOSIT_REQUIRED, id="no-alias-on-this-lot"),
    ],
)
def test_who_may_not_bid(bidder_id: int, standing: BidderStanding, expected: ErrorCode) -> None:
    # The seller has an alias too, so the seller's refusal cannot come from a missing deposit.
    snap = make_snapshot(aliases={**ALIASES, SELLER_ID: "S000"})
    error = refusal(snap, bidder_id, g(0), standing=standing)
    assert error.code is expected
    if expected is ErrorCode.DEPOSIT_REQUIRED:
        assert error.details["deposit"] == DEPOSIT


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (LotStatus.DRAFT, ErrorCode.LOT_NOT_LIVE),
        (LotStatus.PENDING_REVIEW, ErrorCode.LOT_NOT_LIVE),
        (LotStatus.REJECTED, ErrorCode.LOT_NOT_LIVE),
        (LotStatus.SCHEDULED, ErrorCode.LOT_NOT_LIVE),
        (LotStatus.SOLD, ErrorCode.AUCTION_ENDED),
        (LotStatus.UNSOLD, ErrorCode.AUCTION_ENDED),
        (LotStatus.CANCELLED, ErrorCode.AUCTION_ENDED),
    ],
)
def test_only_a_live_lot_takes_bids(status: LotStatus, expected: ErrorCode) -> None:
    error = refusal(make_snapshot(status=status), 1, g(0))
    assert error.code is expected
    assert error.details["status"] == status.value


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        pytest.param(-timedelta(microseconds=1), True, id="1us-before-end"),
        pytest.param(timedelta(0), False, id="exactly-at-end"),
        pytest.param(timedelta(seconds=1), False, id="after-end"),
        pytest.param(timedelta(days=3), False, id="long-after-end"),
    ],
)
def test_a_bid_at_or_after_ends_at_is_refused(offset: timedelta, accepted: bool) -> None:
    snap = make_snapshot()
    at = snap.ends_at + offset
    if accepted:
        assert bid(snap, 1, g(0), at=at).standing.leader_id == 1
    else:
        error = refusal(snap, 1, g(0), at=at)
        assert error.code is ErrorCode.AUCTION_ENDED
        assert error.details["ends_at"] == snap.ends_at.isoformat()


def test_the_effective_end_after_an_extension_decides_whether_a_bid_is_in_time() -> None:
    snap = make_snapshot()
    original_end = snap.ends_at
    extended = bid(snap, 1, g(0), at=original_end - timedelta(seconds=10)).snapshot
    assert extended.ends_at == original_end + timedelta(seconds=290)
    assert bid(extended, 2, g(1), at=original_end).standing.leader_id == 2  # the old end no longer counts
    assert refusal(extended, 2, g(1), at=extended.ends_at).code is ErrorCode.AUCTION_ENDED


# --- the leader ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "max_amount"),
    [
        pytest.param(g(1), None, id="plain-bid"),
        pytest.param(g(5), None, id="jump-bid"),
        pytest.param(g(1), g(3), id="max-below-own-max"),
        pytest.param(g(1), g(4), id="max-equal-to-own-max"),
    ],
)
def test_the_leader_cannot_raise_the_visible_price_against_themself(amount: int, max_amount: int | None) -> None:
    (first,) = run_bids([(1, g(0), g(4))])
    error = refusal(first.snapshot, 1, amount, max_amount)
    assert error.code is ErrorCode.ALREADY_LEADING
    assert error.details == {"leader_max": g(4), "current_price": g(0)}


def test_the_leader_may_raise_their_proxy_maximum_privately() -> None:
    decisions = run_bids([(1, g(0), g(2)), (2, g(1), None)])
    snap = decisions[-1].snapshot
    assert (decisions[-1].standing.leader_id, decisions[-1].standing.price) == (1, g(2))

    raised = bid(snap, 1, g(3), g(9))
    assert raised.standing.price == g(2)  # unchanged
    assert (raised.standing.leader_id, raised.standing.leader_max) == (1, g(9))
    assert raised.events == ()
    (row,) = raised.new_bids
    assert (row.kind, row.seq, row.amount, row.max_amount, row.bidder_id) == (BidKind.MAX_RAISE, None, None, g(9), 1)
    assert row.order_no == snap.order_no + 1
    after = raised.snapshot
    assert (after.seq, after.bid_count, after.ends_at, after.extensions) == (
        snap.seq,
        snap.bid_count,
        snap.ends_at,
        snap.extensions,
    )
    assert after.order_no == snap.order_no + 1
    assert len(after.submissions) == len(snap.submissions) + 1
    # The new maximum works: a challenger below it is answered one increment above.
    challenged = bid(after, 2, g(5))
    assert (challenged.standing.leader_id, challenged.standing.price) == (1, g(6))


def test_a_raised_maximum_off_the_grid_is_refused() -> None:
    (first,) = run_bids([(1, g(0), g(4))])
    error = refusal(first.snapshot, 1, g(1), g(6) + 1)
    assert error.code is ErrorCode.MAX_AMOUNT_INVALID
    assert error.details["next_valid"] == g(1)


# --- proxies and ties ----------------------------------------------------------------------------------

Step = tuple[int, int, int | None]  # (bidder, amount grid step, maximum grid step or None)


@pytest.mark.parametrize(
    ("steps", "leader", "price"),
    [
        pytest.param([(1, 0, 10), (2, 1, 5)], 1, g(6), id="higher-max-leads-at-other-max+inc"),
        pytest.param([(1, 0, 5), (2, 1, 10)], 2, g(6), id="challenger-with-higher-max-leads"),
        pytest.param([(1, 0, 10), (2, 1, 9)], 1, g(10), id="capped-at-own-max"),
        pytest.param([(1, 0, 10), (2, 1, 10)], 1, g(10), id="equal-max-earlier-leads-at-that-amount"),
        pytest.param([(2, 0, 10), (1, 1, 10)], 2, g(10), id="equal-max-earlier-leads-whoever-it-is"),
        pytest.param([(1, 0, 10), (2, 10, None)], 1, g(10), id="manual-bid-equal-to-proxy-max-loses"),
        pytest.param([(1, 0, 10), (2, 3, None)], 1, g(4), id="manual-bid-below-proxy-max"),
        pytest.param([(1, 0, 10), (2, 11, None)], 2, g(11), id="manual-bid-above-proxy-max-wins"),
        pytest.param([(1, 0, None), (2, 8, 12)], 2, g(8), id="jump-bid-keeps-its-own-amount"),
        pytest.param([(1, 0, 10), (2, 1, 6), (3, 8, 8)], 1, g(9), id="runner-up-is-second-highest-max"),
        pytest.param([(1, 0, 4), (2, 1, 6), (1, 6, 10), (2, 8, 10)], 1, g(10), id="equal-max-reached-by-rebid"),
        pytest.param([(1, 0, 4), (2, 1, 6), (1, 6, 10), (2, 8, 11)], 2, g(11), id="rebid-above-wins-at-own-max"),
    ],
)
def test_proxy_bidding(steps: list[Step], leader: int, price: int) -> None:
    decisions = run_bids([(b, g(a), None if m is None else g(m)) for b, a, m in steps])
    standing = decisions[-1].standing
    assert (standing.leader_id, standing.price) == (leader, price)
    assert close_auction(decisions[-1].snapshot, decisions[-1].snapshot.ends_at).final_price == price


def test_a_losing_proxy_is_recorded_up_to_its_maximum_and_the_leader_answers() -> None:
    decisions = run_bids([(1, g(0), g(10)), (2, g(1), g(5))])
    rows = [(row.bidder_id, row.amount, row.kind) for row in public_rows(decisions[1:])]
    assert rows == [(2, g(1), BidKind.BID), (2, g(5), BidKind.PROXY), (1, g(6), BidKind.PROXY)]
    assert [row.is_proxy for row in decisions[1].new_bids] == [False, True, True]
    assert decisions[1].new_bids[0].max_amount == g(5)
    assert [row.max_amount for row in decisions[1].new_bids[1:]] == [None, None]


def test_a_winning_challenger_is_recorded_above_the_old_proxy_maximum() -> None:
    decisions = run_bids([(1, g(0), g(5)), (2, g(1), g(10))])
    rows = [(row.bidder_id, row.amount, row.kind) for row in public_rows(decisions[1:])]
    assert rows == [(2, g(1), BidKind.BID), (1, g(5), BidKind.PROXY), (2, g(6), BidKind.PROXY)]


def test_a_manual_bid_equal_to_an_earlier_proxy_maximum_loses_to_it() -> None:
    decisions = run_bids([(1, g(0), g(10)), (2, g(10), None)])
    assert (decisions[-1].standing.leader_id, decisions[-1].standing.price) == (1, g(10))
    rows = [(row.bidder_id, row.amount, row.kind) for row in public_rows(decisions[1:])]
    assert rows == [(2, g(10), BidKind.BID), (1, g(10), BidKind.PROXY)]
    events = [e for e in decisions[-1].events if isinstance(e, BidPlaced)]
    assert {e.leader_alias for e in events} == {ALIASES[1]}
    # Bidder 2 is not the leader, so may bid again, one increment above.
    assert refusal(decisions[-1].snapshot, 2, g(10)).details["next_valid"] == g(11)


# --- the known traps of RULES §4 -----------------------------------------------------------------------


def test_trap_two_simultaneous_equal_top_bids_cannot_both_be_winning() -> None:
    (first,) = run_bids([(1, g(0), None)])
    snap, outcomes = place_bids(first.snapshot, [(BidRequest(2, g(3)), OK), (BidRequest(3, g(3)), OK)], NOW)
    assert outcomes[0].decision is not None and outcomes[0].error is None
    assert outcomes[1].decision is None and outcomes[1].error is not None
    assert outcomes[1].error.code is ErrorCode.BID_TOO_LOW
    assert outcomes[1].error.details["next_valid"] == g(4)
    standing = compute_standing(snap.submissions, snap.rules)
    assert (standing.leader_id, standing.price) == (2, g(3))
    closed = close_auction(snap, snap.ends_at)
    assert (closed.winner_id, closed.final_price) == (2, g(3))


def test_trap_two_simultaneous_equal_proxy_maximums_have_one_leader_the_earlier() -> None:
    snap, outcomes = place_bids(
        make_snapshot(), [(BidRequest(1, g(0), g(8)), OK), (BidRequest(2, g(1), g(8)), OK)], NOW
    )
    assert all(outcome.error is None for outcome in outcomes)
    standing = compute_standing(snap.submissions, snap.rules)
    assert (standing.leader_id, standing.price) == (1, g(8))
    last = outcomes[-1].decision
    assert last is not None
    assert {e.leader_alias for e in last.events if isinstance(e, BidPlaced)} == {ALIASES[1]}
    closed = close_auction(snap, snap.ends_at)
    assert (closed.winner_id, closed.final_price) == (1, g(8))
    assert refusal(snap, 2, g(8)).code is ErrorCode.BID_TOO_LOW


@pytest.mark.parametrize(
    ("steps", "price"),
    [
        pytest.param([(1, g(0), g(10)), (2, g(10), None)], g(10), id="after-a-tie-at-the-maximum"),
        pytest.param([(1, g(0), g(10)), (2, g(1), g(10))], g(10), id="after-a-tie-of-two-proxies"),
        pytest.param([(1, g(0), g(10)), (2, g(3), None)], g(4), id="ahead-of-a-lower-bid"),
        pytest.param([(1, g(0), None)], g(0), id="alone"),
    ],
)
def test_trap_a_proxy_bidders_own_new_maximum_does_not_raise_the_visible_price(
    steps: list[tuple[int, int, int | None]], price: int
) -> None:
    decisions = run_bids(steps)
    assert (decisions[-1].standing.leader_id, decisions[-1].standing.price) == (1, price)
    raised = bid(decisions[-1].snapshot, 1, g(11), g(20))
    assert (raised.standing.leader_id, raised.standing.price, raised.standing.leader_max) == (1, price, g(20))
    assert raised.events == ()
    # Replaying the submissions (as a withdrawal or the close does) gives the same price ...
    snap = raised.snapshot
    assert compute_standing(snap.submissions, snap.rules) == raised.standing
    # ... and the winner pays what the public record shows, not a price nobody bid.
    closed = close_auction(snap, snap.ends_at)
    assert (closed.winner_id, closed.final_price) == (1, price)
    assert max(row.amount or 0 for row in public_rows(decisions)) == price


def test_after_a_raise_the_next_challenger_meets_the_new_maximum() -> None:
    decisions = run_bids([(1, g(0), g(10)), (2, g(10), None), (1, g(11), g(20)), (3, g(11), None)])
    assert (decisions[-1].standing.leader_id, decisions[-1].standing.price) == (1, g(12))
    decisions.append(bid(decisions[-1].snapshot, 3, g(20)))
    assert (decisions[-1].standing.leader_id, decisions[-1].standing.price) == (1, g(20))


def test_removing_a_bidders_submissions_restores_the_standing_before_them() -> None:
    """A withdrawal (RULES §5) re-folds the remaining submissions: the withdrawn bid no longer counts."""
    decisions = run_bids([(1, g(0), g(3)), (2, g(1), None), (3, g(5), g(9))])
    before_three = decisions[1].standing
    snap = decisions[-1].snapshot
    remaining = tuple(s for s in snap.submissions if s.bidder_id != 3)
    assert compute_standing(remaining, snap.rules) == before_three
    assert next_valid_amount(compute_standing(remaining, snap.rules), snap.rules) == g(3)
    assert compute_standing((), snap.rules).price is None
    assert next_valid_amount(compute_standing((), snap.rules), snap.rules) == START


# --- events and sequence numbers -----------------------------------------------------------------------


def test_events_are_numbered_consecutively_and_match_the_record_rows() -> None:
    at = NOW
    snap = make_snapshot()
    events: list[LotEvent] = []
    rows: list[NewBid] = []
    for bidder_id, amount, max_amount in [(1, g(0), g(6)), (2, g(2), None), (3, g(7), g(9)), (1, g(10), None)]:
        at += timedelta(seconds=7)
        decision = bid(snap, bidder_id, amount, max_amount, at=at)
        placed = [e for e in decision.events if isinstance(e, BidPlaced)]
        assert [e.seq for e in placed] == [row.seq for row in decision.new_bids]
        assert all(e.current_price == decision.standing.price for e in placed)
        assert decision.standing.leader_id is not None
        assert all(e.leader_alias == ALIASES[decision.standing.leader_id] for e in placed)
        assert all(e.at == at and e.lot_id == LOT_ID for e in decision.events)
        assert [e.alias for e in placed] == [ALIASES[row.bidder_id] for row in decision.new_bids]
        assert [e.amount for e in placed] == [row.amount for row in decision.new_bids]
        assert [e.is_proxy for e in placed] == [row.is_proxy for row in decision.new_bids]
        assert [row.created_at for row in decision.new_bids] == [at] * len(decision.new_bids)
        events.extend(decision.events)
        rows.extend(decision.new_bids)
        snap = decision.snapshot
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert snap.seq == len(events)
    placed_all = [e for e in events if isinstance(e, BidPlaced)]
    assert len(placed_all) == len(events)  # no extension here: every event is a placed bid
    assert [e.bid_count for e in placed_all] == list(range(1, len(rows) + 1))
    assert snap.bid_count == len(rows)
    assert [row.order_no for row in rows] == list(range(1, len(rows) + 1))
    assert snap.order_no == len(rows)
    assert [s.order_no for s in snap.submissions] == [1, 2, 4, 5]  # a submission's order_no is its own row's
