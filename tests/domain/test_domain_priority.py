"""Priority buyers (优先购买权人, RULES §7), table by table: who leads at an equal amount, what a holder may bid,
their proxy maximums, the close, commercial lots (no priority), the lot page's view for a holder, and who may
register holders when."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from domain_builders import NOW, SELLER_ID, START, T0, bid, g, make_rules, make_snapshot, public_rows, refusal

from paimai.domain.bidding import (
    AuctionSnapshot,
    BidKind,
    Standing,
    close_auction,
    compute_standing,
    next_valid_amount,
    outranks,
)
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.lot_views import LotState, Reader, ViewerFacts, lot_view, viewer_view
from paimai.domain.lots import LotStatus
from paimai.domain.priority import (
    MAX_RANK,
    refuse_holder,
    refuse_registration_change,
    refuse_unless_court,
)
from paimai.domain.rules import LotKind

JUDICIAL = make_rules(kind=LotKind.JUDICIAL, ends_at=T0 + timedelta(hours=30))
# Bidders 1 and 2 hold priority rights (rank 1 and 2), 3 holds rank 2 too; 4 and 5 are ordinary bidders.
HOLDERS = {1: 1, 2: 2, 3: 2}


def judicial(priority: dict[int, int] | None = None) -> AuctionSnapshot:
    return replace(make_snapshot(JUDICIAL), priority=dict(HOLDERS if priority is None else priority))


def run(snap: AuctionSnapshot, steps: list[tuple[int, int, int | None]]) -> AuctionSnapshot:
    for bidder_id, amount, max_amount in steps:
        snap = bid(snap, bidder_id, amount, max_amount).snapshot
    return snap


def standing_of(snap: AuctionSnapshot) -> tuple[int | None, int | None]:
    """(leader, price) as the close sees them, and as the live standing says."""
    closed = close_auction(snap, snap.ends_at)
    live = compute_standing(snap.submissions, snap.rules, snap.priority)
    assert (closed.winner_id, closed.final_price) == (live.leader_id, live.price)
    return live.leader_id, live.price


# --- who leads at the same amount ------------------------------------------------------------------------

Step = tuple[int, int, int | None]  # bidder, grid step of the amount, grid step of the maximum (or None)


@pytest.mark.parametrize(
    ("steps", "leader", "price"),
    [
        pytest.param([(4, 2, None), (1, 2, None)], 1, g(2), id="holder-matches-a-non-holder-and-leads"),
        pytest.param([(4, 2, None), (2, 2, None)], 2, g(2), id="any-rank-matches-a-non-holder"),
        pytest.param([(2, 2, None), (1, 2, None)], 1, g(2), id="rank-1-matches-rank-2-and-leads"),
        pytest.param([(4, 2, None), (2, 2, None), (1, 2, None)], 1, g(2), id="rank-1-matches-rank-2-after-a-match"),
        pytest.param([(4, 0, None), (1, 3, None)], 1, g(3), id="holder-may-also-bid-above"),
        # proxies: a holder's maximum equal to another's leads by rank, not by time
        pytest.param([(4, 0, 6), (1, 1, 6)], 1, g(6), id="holder-max-equal-to-earlier-non-holder-max"),
        pytest.param([(1, 0, 6), (4, 1, 6)], 1, g(6), id="non-holder-max-equal-to-earlier-holder-max"),
        pytest.param([(2, 0, 6), (1, 1, 6)], 1, g(6), id="rank-1-max-equal-to-earlier-rank-2-max"),
        pytest.param([(1, 0, 6), (2, 1, 6)], 1, g(6), id="rank-2-max-equal-to-earlier-rank-1-max"),
        pytest.param([(2, 0, 6), (3, 1, 6)], 2, g(6), id="equal-rank-equal-max-earlier-leads"),
        pytest.param([(3, 0, 6), (2, 1, 6)], 3, g(6), id="equal-rank-equal-max-earlier-leads-whoever"),
        # a holder ahead by priority needs only the other's maximum, not one increment more
        pytest.param([(1, 0, 9), (4, 1, 5)], 1, g(5), id="holder-proxy-answers-at-the-same-amount"),
        pytest.param([(4, 0, 5), (1, 1, 9)], 1, g(5), id="holder-challenger-leads-at-the-old-max"),
        pytest.param([(1, 0, 9), (2, 1, 5)], 1, g(5), id="rank-1-proxy-answers-rank-2-at-the-same-amount"),
        pytest.param([(2, 0, 9), (3, 1, 5)], 2, g(6), id="equal-rank-proxy-needs-an-increment"),
        pytest.param([(2, 0, 9), (1, 1, 5)], 2, g(6), id="lower-rank-higher-max-needs-an-increment"),
        # the highest maximum still leads, priority or not
        pytest.param([(1, 0, 5), (4, 1, 6)], 4, g(6), id="non-holder-above-a-holder-max-leads"),
        pytest.param([(1, 0, 5), (4, 6, None)], 4, g(6), id="non-holder-bid-above-holder-max-leads"),
        pytest.param([(4, 0, 10), (5, 1, 10)], 4, g(10), id="two-non-holders-earlier-leads-as-today"),
    ],
)
def test_who_leads(steps: list[Step], leader: int, price: int) -> None:
    snap = run(judicial(), [(b, g(a), None if m is None else g(m)) for b, a, m in steps])
    assert standing_of(snap) == (leader, price)


def test_a_holders_matching_bid_is_in_the_record_and_leads() -> None:
    snap = run(judicial(), [(4, g(2), None)])
    decision = bid(snap, 1, g(2))
    rows = [(row.bidder_id, row.amount, row.kind) for row in public_rows([decision])]
    assert rows == [(1, g(2), BidKind.BID)]
    assert (decision.standing.leader_id, decision.standing.price) == (1, g(2))
    assert {e.leader_alias for e in decision.events if hasattr(e, "leader_alias")} == {snap.aliases[1]}


def test_a_proxy_answers_a_holder_at_the_same_amount() -> None:
    snap = run(judicial(), [(1, g(0), g(9))])
    decision = bid(snap, 4, g(4))
    rows = [(row.bidder_id, row.amount, row.kind) for row in public_rows([decision])]
    assert rows == [(4, g(4), BidKind.BID), (1, g(4), BidKind.PROXY)]
    assert (decision.standing.leader_id, decision.standing.price) == (1, g(4))


# --- what each may bid -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "bidder", "least"),
    [
        pytest.param([], 1, START, id="no-bid-yet-start-price-for-a-holder"),
        pytest.param([(4, 2)], 1, g(2), id="holder-after-non-holder-may-match"),
        pytest.param([(4, 2)], 5, g(3), id="non-holder-after-non-holder-needs-an-increment"),
        pytest.param([(1, 2)], 4, g(3), id="non-holder-after-holder-needs-an-increment"),
        pytest.param([(2, 2)], 1, g(2), id="rank-1-after-rank-2-may-match"),
        pytest.param([(1, 2)], 2, g(3), id="rank-2-after-rank-1-needs-an-increment"),
        pytest.param([(2, 2)], 3, g(3), id="equal-rank-needs-an-increment"),
    ],
)
def test_the_least_each_may_bid(steps: list[tuple[int, int]], bidder: int, least: int) -> None:
    snap = run(judicial(), [(b, g(a), None) for b, a in steps])
    current = compute_standing(snap.submissions, snap.rules, snap.priority)
    assert next_valid_amount(current, snap.rules, snap.priority, bidder) == least
    if least > START:  # one increment less is refused, naming the least
        error = refusal(snap, bidder, least - (g(1) - START))
        assert (error.code, error.details["next_valid"]) == (ErrorCode.BID_TOO_LOW, least)
    assert bid(snap, bidder, least).standing.leader_id == bidder  # and the least itself leads


def test_a_non_holders_same_amount_is_refused_with_the_next_valid_amount() -> None:
    snap = run(judicial(), [(1, g(2), None)])
    error = refusal(snap, 4, g(2))
    assert (error.code, error.details["next_valid"]) == (ErrorCode.BID_TOO_LOW, g(3))


def test_a_leading_holder_still_cannot_raise_the_price_against_themself() -> None:
    snap = run(judicial(), [(4, g(2), None), (1, g(2), None)])
    assert refusal(snap, 1, g(3)).code is ErrorCode.ALREADY_LEADING
    raised = bid(snap, 1, g(3), g(8))
    assert (raised.standing.price, raised.standing.leader_max, raised.events) == (g(2), g(8), ())


def test_the_public_next_valid_amount_is_unchanged_by_priority() -> None:
    assert next_valid_amount(Standing(g(2), 4, g(2)), JUDICIAL) == g(3)  # no bidder named: price + increment
    assert next_valid_amount(Standing(g(2), 4, g(2)), JUDICIAL, HOLDERS, 4) == g(3)  # the leader themself


@pytest.mark.parametrize(
    ("priority", "bidder", "other", "expected"),
    [
        ({1: 1}, 1, 4, True),
        ({1: 1}, 4, 1, False),
        ({1: 1, 2: 2}, 1, 2, True),
        ({1: 1, 2: 2}, 2, 1, False),
        ({2: 2, 3: 2}, 2, 3, False),
        ({}, 4, 5, False),
        ({1: 1}, 1, None, False),
    ],
)
def test_outranks(priority: dict[int, int], bidder: int, other: int | None, expected: bool) -> None:
    assert outranks(priority, bidder, other) is expected


# --- commercial lots: no priority, exactly as before -----------------------------------------------------


def test_priority_is_ignored_on_a_commercial_lot() -> None:
    snap = replace(make_snapshot(), priority=dict(HOLDERS))
    snap = run(snap, [(4, g(2), None)])
    error = refusal(snap, 1, g(2))
    assert (error.code, error.details["next_valid"]) == (ErrorCode.BID_TOO_LOW, g(3))
    tied = run(snap, [(5, g(3), g(6)), (1, g(4), g(6))])
    assert standing_of(tied) == (5, g(6))  # equal maximums: the earlier, holder or not


def test_a_judicial_lot_without_holders_ties_by_time() -> None:
    snap = run(judicial({}), [(1, g(0), g(6)), (2, g(1), g(6))])
    assert standing_of(snap) == (1, g(6))
    assert refusal(snap, 2, g(6)).details["next_valid"] == g(7)


# --- the lot page's view of a holder ----------------------------------------------------------------------


def lot_state(price: int | None, leader: int | None, *, rules: object = JUDICIAL) -> LotState:
    return LotState(
        status=LotStatus.LIVE,
        rules=rules,  # type: ignore[arg-type]
        seller_id=SELLER_ID,
        current_price=price,
        leader_id=leader,
        ends_at=JUDICIAL.ends_at,
        priority=dict(HOLDERS),
    )


def viewer(state: LotState, user_id: int | None, *, staff: bool = False) -> tuple[int, int | None]:
    facts = None if user_id is None else ViewerFacts(Reader(user_id, staff), True, 20_000, False)
    view = viewer_view(state, lot_view(state, NOW), facts)
    return view.next_valid_amount, view.priority_rank


@pytest.mark.parametrize(
    ("price", "leader", "user_id", "expected"),
    [
        pytest.param(g(2), 4, 1, (g(2), 1), id="holder-not-leading-may-match"),
        pytest.param(g(2), 1, 1, (g(3), 1), id="holder-leading"),
        pytest.param(g(2), 1, 2, (g(3), 2), id="rank-2-behind-rank-1"),
        pytest.param(g(2), 3, 2, (g(3), 2), id="equal-rank"),
        pytest.param(g(2), 2, 1, (g(2), 1), id="rank-1-behind-rank-2"),
        pytest.param(g(2), 1, 4, (g(3), None), id="non-holder"),
        pytest.param(None, None, 1, (START, 1), id="no-bids"),
        pytest.param(g(2), 4, None, (g(3), None), id="guest"),
        pytest.param(g(2), 4, SELLER_ID, (g(3), None), id="seller"),
    ],
)
def test_the_viewer_sees_their_own_least_and_rank(
    price: int | None, leader: int | None, user_id: int | None, expected: tuple[int, int | None]
) -> None:
    assert viewer(lot_state(price, leader), user_id) == expected


def test_a_commercial_lot_shows_no_rank_and_the_usual_least() -> None:
    assert viewer(lot_state(g(2), 4, rules=make_rules()), 1) == (g(3), None)


# --- registering holders -----------------------------------------------------------------------------------

BEFORE = T0 - timedelta(hours=1)


@pytest.mark.parametrize(
    ("kind", "status", "now", "expected"),
    [
        (LotKind.JUDICIAL, LotStatus.DRAFT, BEFORE, None),
        (LotKind.JUDICIAL, LotStatus.PENDING_REVIEW, BEFORE, None),
        (LotKind.JUDICIAL, LotStatus.REJECTED, BEFORE, None),
        (LotKind.JUDICIAL, LotStatus.SCHEDULED, BEFORE, None),
        (LotKind.JUDICIAL, LotStatus.SCHEDULED, T0, ErrorCode.PRIORITY_REGISTRATION_CLOSED),  # open by time
        (LotKind.JUDICIAL, LotStatus.LIVE, BEFORE, ErrorCode.PRIORITY_REGISTRATION_CLOSED),
        (LotKind.JUDICIAL, LotStatus.SUSPENDED, BEFORE, ErrorCode.PRIORITY_REGISTRATION_CLOSED),
        (LotKind.JUDICIAL, LotStatus.SOLD, BEFORE, ErrorCode.PRIORITY_REGISTRATION_CLOSED),
        (LotKind.JUDICIAL, LotStatus.UNSOLD, BEFORE, ErrorCode.PRIORITY_REGISTRATION_CLOSED),
        (LotKind.JUDICIAL, LotStatus.CANCELLED, BEFORE, ErrorCode.PRIORITY_REGISTRATION_CLOSED),
        (LotKind.COMMERCIAL, LotStatus.SCHEDULED, BEFORE, ErrorCode.PRIORITY_JUDICIAL_ONLY),
    ],
)
def test_holders_change_only_on_a_judicial_lot_before_it_starts(
    kind: LotKind, status: LotStatus, now: object, expected: ErrorCode | None
) -> None:
    if expected is None:
        refuse_registration_change(kind, status, T0, now)  # type: ignore[arg-type]
        return
    with pytest.raises(DomainError) as info:
        refuse_registration_change(kind, status, T0, now)  # type: ignore[arg-type]
    assert info.value.code is expected


@pytest.mark.parametrize(
    ("holder_id", "is_staff", "rank", "exists", "expected"),
    [
        (1, False, 1, False, None),
        (1, False, MAX_RANK, False, None),
        (1, False, 0, False, ErrorCode.PRIORITY_RANK_INVALID),
        (1, False, MAX_RANK + 1, False, ErrorCode.PRIORITY_RANK_INVALID),
        (SELLER_ID, False, 1, False, ErrorCode.PRIORITY_HOLDER_NOT_ALLOWED),
        (1, True, 1, False, ErrorCode.PRIORITY_HOLDER_NOT_ALLOWED),
        (1, False, 1, True, ErrorCode.PRIORITY_HOLDER_EXISTS),
    ],
)
def test_who_may_be_a_holder(
    holder_id: int, is_staff: bool, rank: int, exists: bool, expected: ErrorCode | None
) -> None:
    def check() -> None:
        refuse_holder(
            holder_id=holder_id, seller_id=SELLER_ID, holder_is_staff=is_staff, rank=rank, already_registered=exists
        )

    if expected is None:
        check()
        return
    with pytest.raises(DomainError) as info:
        check()
    assert info.value.code is expected


@pytest.mark.parametrize(
    ("actor_id", "is_staff", "allowed"),
    [(SELLER_ID, False, True), (1, True, True), (1, False, False)],
)
def test_only_the_court_or_staff_register(actor_id: int, is_staff: bool, allowed: bool) -> None:
    if allowed:
        refuse_unless_court(actor_id, is_staff, SELLER_ID)
        return
    with pytest.raises(DomainError) as info:
        refuse_unless_court(actor_id, is_staff, SELLER_ID)
    assert info.value.code is ErrorCode.NOT_LOT_SELLER
