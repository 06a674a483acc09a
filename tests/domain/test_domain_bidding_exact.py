"""Bidding to the field: the standing fold's documented tie and fallback rules called directly, the public
rows a bid produces when a bidder already shows a row at their maximum, the shortest extension window,
whole events and snapshots, and a batch that goes on past a refusal."""

from __future__ import annotations

from datetime import timedelta

from domain_builders import ALIASES, LOT_ID, NOW, OK, START, bid, g, make_rules, make_snapshot, refusal, run_bids

from paimai.domain.bidding import (
    BidderLine,
    BidKind,
    BidRequest,
    NewBid,
    Standing,
    Submission,
    compute_standing,
    next_valid_amount,
    place_bids,
)
from paimai.domain.errors import ErrorCode
from paimai.domain.events import AuctionExtended, BidPlaced

RULES = make_rules()


# ---- the fold, called directly --------------------------------------------------------------------


def test_no_submissions_is_no_standing() -> None:
    assert compute_standing((), RULES) == Standing(None, None, None, {})
    assert next_valid_amount(compute_standing((), RULES), RULES) == START
    assert next_valid_amount(Standing(g(3), 1, g(5)), RULES) == g(4)


def test_repeating_a_maximum_does_not_move_when_it_was_reached() -> None:
    """At equal maximums the one who reached it first leads; saying the same maximum again is not reaching it."""
    subs = (Submission(1, 1, g(0), g(5)), Submission(2, 2, g(5), g(5)), Submission(3, 1, None, g(5)))
    standing = compute_standing(subs, RULES)
    assert (standing.leader_id, standing.price) == (1, g(5))
    assert standing.lines[1] == BidderLine(1, g(5), 1, g(0))


def test_a_bidders_top_amount_is_their_highest_explicit_bid_whatever_the_order() -> None:
    subs = (Submission(1, 1, g(4), g(4)), Submission(2, 1, g(2), g(6)), Submission(3, 1, None, g(8)))
    assert compute_standing(subs, RULES).lines[1] == BidderLine(1, g(8), 3, g(4))
    assert compute_standing(subs, RULES).price == g(4)


def test_a_lone_leader_with_only_a_maximum_stands_at_the_start_price() -> None:
    standing = compute_standing((Submission(1, 1, None, g(5)),), RULES)
    assert (standing.leader_id, standing.price, standing.leader_max) == (1, START, g(5))


# ---- public rows when a bidder already shows a row at their maximum --------------------------------


def test_an_outbid_leader_already_showing_their_maximum_gets_no_second_row() -> None:
    first = run_bids([(1, g(5), None)])  # 1 bids g(5), maximum g(5): a row at the maximum
    decision = bid(first[-1].snapshot, 2, g(6))
    assert [(row.bidder_id, row.amount, row.kind) for row in decision.new_bids] == [(2, g(6), BidKind.BID)]
    assert decision.snapshot.recorded_high == {1: g(5), 2: g(6)}


def test_an_outbid_leader_shows_their_maximum_only_when_it_reached_the_new_bid() -> None:
    below = bid(run_bids([(1, g(0), g(5))])[-1].snapshot, 2, g(6))
    assert [(row.bidder_id, row.amount, row.kind) for row in below.new_bids] == [(2, g(6), BidKind.BID)]
    fought = bid(run_bids([(1, g(0), g(8))])[-1].snapshot, 2, g(6), g(10))
    assert [(row.bidder_id, row.amount, row.kind) for row in fought.new_bids] == [
        (2, g(6), BidKind.BID),
        (1, g(8), BidKind.PROXY),
        (2, g(9), BidKind.PROXY),
    ]
    assert fought.snapshot.recorded_high == {1: g(8), 2: g(9)}


def test_a_new_bid_equal_to_the_old_leaders_maximum_shows_that_maximum() -> None:
    """The old leader had reached g(8) first; the newcomer's higher maximum takes the lead, and the record
    shows both at g(8) before the newcomer's answer."""
    decision = bid(run_bids([(1, g(0), g(8))])[-1].snapshot, 2, g(8), g(10))
    assert [(row.bidder_id, row.amount, row.kind) for row in decision.new_bids] == [
        (2, g(8), BidKind.BID),
        (1, g(8), BidKind.PROXY),
        (2, g(9), BidKind.PROXY),
    ]


# ---- whole rows, events and snapshots -------------------------------------------------------------


def test_a_bid_answered_by_a_proxy_whole() -> None:
    first = run_bids([(1, g(0), g(5))])[-1].snapshot
    decision = bid(first, 2, g(2))
    assert decision.new_bids == (
        NewBid(2, 2, 2, BidKind.BID, g(2), g(2), NOW),
        NewBid(3, 3, 1, BidKind.PROXY, g(3), None, NOW),
    )
    end = first.ends_at
    assert decision.events == (
        BidPlaced(LOT_ID, 2, NOW, alias=ALIASES[2], amount=g(2), is_proxy=False, current_price=g(3),
                  leader_alias=ALIASES[1], ends_at=end, bid_count=2),
        BidPlaced(LOT_ID, 3, NOW, alias=ALIASES[1], amount=g(3), is_proxy=True, current_price=g(3),
                  leader_alias=ALIASES[1], ends_at=end, bid_count=3),
    )  # fmt: skip
    snap = decision.snapshot
    assert (snap.seq, snap.order_no, snap.bid_count, snap.ends_at, snap.extensions) == (3, 3, 3, end, 0)
    assert snap.recorded_high == {1: g(3), 2: g(2)}
    assert snap.submissions == (Submission(1, 1, g(0), g(5)), Submission(2, 2, g(2), g(2)))


def test_a_late_bid_extends_with_a_whole_event() -> None:
    snap = make_snapshot()
    late = snap.ends_at - timedelta(seconds=10)
    decision = bid(snap, 1, g(0), at=late)
    new_end = late + timedelta(seconds=300)
    assert decision.events[-1] == AuctionExtended(LOT_ID, 2, late, ends_at=new_end, extensions=1)
    assert (decision.snapshot.ends_at, decision.snapshot.extensions, decision.snapshot.seq) == (new_end, 1, 2)


def test_a_one_second_window_extends_a_bid_in_the_last_second() -> None:
    snap = make_snapshot(make_rules(extension_seconds=1))
    last = snap.ends_at - timedelta(milliseconds=500)
    decision = bid(snap, 1, g(0), at=last)
    assert decision.snapshot.ends_at == last + timedelta(seconds=1)
    assert bid(snap, 1, g(0), at=snap.ends_at - timedelta(seconds=1)).snapshot.ends_at == snap.ends_at
    no_window = make_snapshot(make_rules(extension_seconds=0))
    assert bid(no_window, 1, g(0), at=last).snapshot.ends_at == no_window.ends_at


def test_a_maximum_raise_is_a_private_row_at_its_time() -> None:
    first = run_bids([(1, g(0), g(3))])[-1].snapshot
    decision = bid(first, 1, g(0), g(7))
    assert decision.new_bids == (NewBid(2, None, 1, BidKind.MAX_RAISE, None, g(7), NOW),)
    assert decision.events == ()
    assert (decision.snapshot.order_no, decision.snapshot.seq, decision.snapshot.bid_count) == (2, 1, 1)
    lower = refusal(decision.snapshot, 1, g(0), g(7))
    assert (lower.code, lower.details) == (ErrorCode.ALREADY_LEADING, {"leader_max": g(7), "current_price": g(0)})
    off_grid = refusal(decision.snapshot, 1, g(0), g(8) + 1)
    assert (off_grid.code, off_grid.details) == (ErrorCode.MAX_AMOUNT_INVALID, {"next_valid": g(1)})


# ---- a batch goes on past a refusal --------------------------------------------------------------


def test_a_batch_reports_each_request_and_goes_on_after_a_refusal() -> None:
    first = run_bids([(1, g(0), None)])[-1].snapshot
    requests = [(BidRequest(2, g(0)), OK), (BidRequest(3, g(1)), OK), (BidRequest(2, g(2)), OK)]
    snap, outcomes = place_bids(first, requests, NOW)
    assert [outcome.request for outcome in outcomes] == [request for request, _ in requests]
    assert outcomes[0].decision is None and outcomes[0].error is not None
    assert outcomes[0].error.code is ErrorCode.BID_TOO_LOW
    assert [o.error for o in outcomes[1:]] == [None, None]
    assert [o.decision.submitted.amount for o in outcomes[1:] if o.decision] == [g(1), g(2)]
    assert compute_standing(snap.submissions, snap.rules).price == g(2)
