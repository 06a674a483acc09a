"""Table-driven unit tests of a lot's timing (RULES §4): auto-extension, start and close, real-name checks, and the
early refusal agreeing with the locked decision."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from domain_builders import (
    ALIASES,
    INC,
    LOT_ID,
    NOW,
    T0,
    bid,
    g,
    make_rules,
    make_snapshot,
    refusal,
    run_bids,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from paimai.domain.bidding import (
    BidderStanding,
    BidRequest,
    LotGlance,
    close_auction,
    compute_standing,
    next_valid_amount,
    place_bid,
    refuse_early,
    start_auction,
)
from paimai.domain.deposits import may_pay_deposit
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.events import AuctionExtended, BidPlaced, LotClosed, LotStarted
from paimai.domain.lots import LotStatus
from paimai.domain.rules import LotKind

# --- auto-extension (延时) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "before_end", "extends"),
    [
        pytest.param(300, timedelta(seconds=299), True, id="W300-inside"),
        pytest.param(300, timedelta(seconds=1), True, id="W300-last-second"),
        pytest.param(300, timedelta(microseconds=1), True, id="W300-last-microsecond"),
        pytest.param(300, timedelta(seconds=300), False, id="W300-exactly-W-before-end"),
        pytest.param(300, timedelta(seconds=301), False, id="W300-outside"),
        pytest.param(300, timedelta(minutes=30), False, id="W300-long-before"),
        pytest.param(60, timedelta(seconds=59), True, id="W60-inside"),
        pytest.param(60, timedelta(seconds=61), False, id="W60-outside"),
        pytest.param(0, timedelta(seconds=1), False, id="W0-never"),
        pytest.param(0, timedelta(microseconds=1), False, id="W0-never-last-microsecond"),
    ],
)
def test_auto_extension(window: int, before_end: timedelta, extends: bool) -> None:
    snap = make_snapshot(make_rules(extension_seconds=window))
    at = snap.ends_at - before_end
    decision = bid(snap, 1, g(0), g(3), at=at)
    after = decision.snapshot
    extended = [e for e in decision.events if isinstance(e, AuctionExtended)]
    placed = [e for e in decision.events if isinstance(e, BidPlaced)]
    if extends:
        assert after.ends_at == at + timedelta(seconds=window)
        assert after.ends_at > snap.ends_at
        assert after.extensions == 1
        assert len(extended) == 1
        assert decision.events[-1] is extended[0]
        assert extended[0].seq == placed[-1].seq + 1 == after.seq
        assert (extended[0].ends_at, extended[0].extensions) == (after.ends_at, 1)
        assert all(e.ends_at == after.ends_at for e in placed)
    else:
        assert (after.ends_at, after.extensions) == (snap.ends_at, 0)
        assert extended == []
        assert all(e.ends_at == snap.ends_at for e in placed)


def test_extensions_repeat_without_limit_and_are_counted() -> None:
    snap = make_snapshot()
    for n in range(1, 6):
        at = snap.ends_at - timedelta(seconds=30)
        bidder = 1 + n % 2
        snap = bid(snap, bidder, g(n), at=at).snapshot
        assert snap.ends_at == at + timedelta(seconds=300)
        assert snap.extensions == n
    assert snap.ends_at == make_rules().ends_at + 5 * timedelta(seconds=270)


def test_a_judicial_lot_always_extends_by_300_seconds() -> None:
    rules = make_rules(kind=LotKind.JUDICIAL, extension_seconds=0, ends_at=T0 + timedelta(hours=24))
    snap = make_snapshot(rules)
    at = snap.ends_at - timedelta(seconds=100)
    assert bid(snap, 1, g(0), at=at).snapshot.ends_at == at + timedelta(seconds=300)


# --- start and close -----------------------------------------------------------------------------------


def test_start_auction_refuses_before_starts_at() -> None:
    snap = make_snapshot(status=LotStatus.SCHEDULED)
    with pytest.raises(DomainError) as raised:
        start_auction(snap, T0 - timedelta(microseconds=1))
    error = raised.value
    assert error.code is ErrorCode.LOT_NOT_LIVE
    assert error.details["starts_at"] == T0.isoformat()


@pytest.mark.parametrize("late", [timedelta(0), timedelta(minutes=3)])
def test_start_auction_at_or_after_starts_at(late: timedelta) -> None:
    snap = replace(make_snapshot(status=LotStatus.SCHEDULED), seq=4)
    decision = start_auction(snap, T0 + late)
    assert (decision.status, decision.seq) == (LotStatus.LIVE, 5)
    (event,) = decision.events
    assert isinstance(event, LotStarted)
    assert (event.seq, event.at, event.ends_at, event.lot_id) == (5, T0 + late, snap.ends_at, LOT_ID)


@pytest.mark.parametrize("status", [LotStatus.DRAFT, LotStatus.LIVE, LotStatus.SOLD, LotStatus.CANCELLED])
def test_start_auction_only_from_scheduled(status: LotStatus) -> None:
    with pytest.raises(DomainError) as raised:
        start_auction(make_snapshot(status=status), NOW)
    error = raised.value
    assert error.code is ErrorCode.LOT_TRANSITION_NOT_ALLOWED


@pytest.mark.parametrize(
    ("reserve", "sold"),
    [
        pytest.param(None, True, id="no-reserve"),
        pytest.param(g(3), True, id="reserve-below-price"),
        pytest.param(g(4), True, id="reserve-equal-to-price"),
        pytest.param(g(5), False, id="reserve-above-price"),
        pytest.param(g(9), False, id="reserve-below-proxy-max-but-above-price"),
    ],
)
def test_close_auction_sells_to_the_leader_when_the_reserve_is_met(reserve: int | None, sold: bool) -> None:
    decisions = run_bids([(1, g(0), g(10)), (2, g(3), None)], make_snapshot(make_rules(reserve_price=reserve)))
    snap = decisions[-1].snapshot
    assert decisions[-1].standing.price == g(4)
    decision = close_auction(snap, snap.ends_at)
    (event,) = decision.events
    assert isinstance(event, LotClosed)
    assert decision.seq == event.seq == snap.seq + 1
    if sold:
        assert (decision.status, decision.winner_id, decision.final_price) == (LotStatus.SOLD, 1, g(4))
        assert (event.status, event.final_price, event.winner_alias) == ("sold", g(4), ALIASES[1])
    else:
        assert (decision.status, decision.winner_id, decision.final_price) == (LotStatus.UNSOLD, None, None)
        assert (event.status, event.final_price, event.winner_alias) == ("unsold", None, None)


def test_close_auction_without_bids_is_unsold() -> None:
    snap = make_snapshot()
    decision = close_auction(snap, snap.ends_at + timedelta(seconds=5))
    assert (decision.status, decision.winner_id, decision.final_price) == (LotStatus.UNSOLD, None, None)


def test_close_auction_refuses_before_the_effective_end() -> None:
    snap = make_snapshot()
    with pytest.raises(DomainError) as raised:
        close_auction(snap, snap.ends_at - timedelta(microseconds=1))
    error = raised.value
    assert error.code is ErrorCode.LOT_TRANSITION_NOT_ALLOWED
    extended = bid(snap, 1, g(0), at=snap.ends_at - timedelta(seconds=1)).snapshot
    with pytest.raises(DomainError) as info:
        close_auction(extended, snap.ends_at)  # the original end has passed, the effective one has not
    assert info.value.code is ErrorCode.LOT_TRANSITION_NOT_ALLOWED
    assert close_auction(extended, extended.ends_at).winner_id == 1


@pytest.mark.parametrize("status", [LotStatus.SCHEDULED, LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.CANCELLED])
def test_close_auction_only_a_live_lot(status: LotStatus) -> None:
    snap = make_snapshot(status=status)
    with pytest.raises(DomainError) as raised:
        close_auction(snap, snap.ends_at)
    error = raised.value
    assert error.code is ErrorCode.LOT_TRANSITION_NOT_ALLOWED


def test_a_judicial_lot_takes_bids_only_from_real_name_verified_bidders() -> None:
    judicial = make_snapshot(make_rules(kind=LotKind.JUDICIAL, ends_at=T0 + timedelta(days=2)))
    unverified = BidderStanding(has_deposit=True, real_name_verified=False)
    assert refusal(judicial, 1, g(0), standing=unverified).code is ErrorCode.REAL_NAME_REQUIRED
    assert bid(judicial, 1, g(0)).standing.leader_id == 1
    commercial = make_snapshot()
    assert bid(commercial, 1, g(0), standing=unverified).standing.leader_id == 1  # commercial lots do not ask


def test_deposits_on_judicial_lots_need_real_name_verification() -> None:
    ends = T0 + timedelta(days=2)
    with pytest.raises(DomainError) as refused:
        may_pay_deposit(LotStatus.LIVE, ends, NOW, is_seller=False, is_staff=False, is_judicial=True)
    assert refused.value.code is ErrorCode.REAL_NAME_REQUIRED
    with pytest.raises(DomainError) as unaccepted:  # verified, the notice not yet accepted (RULES §7)
        may_pay_deposit(
            LotStatus.LIVE, ends, NOW, is_seller=False, is_staff=False, is_judicial=True, real_name_verified=True
        )
    assert unaccepted.value.code is ErrorCode.NOTICE_NOT_ACCEPTED
    may_pay_deposit(
        LotStatus.LIVE,
        ends,
        NOW,
        is_seller=False,
        is_staff=False,
        is_judicial=True,
        real_name_verified=True,
        notice_accepted=True,
    )
    may_pay_deposit(LotStatus.LIVE, ends, NOW, is_seller=False, is_staff=False)


# --- the early refusal (before the lot's lock) agrees with the full decision --------------------------


@settings(max_examples=200, deadline=None)
@given(
    opening=st.lists(
        st.tuples(st.integers(1, 3), st.integers(0, 2), st.one_of(st.none(), st.integers(0, 4))), max_size=6
    ),
    bidder=st.integers(1, 4),
    offset=st.integers(-3, 3),
    off_grid=st.booleans(),
    has_deposit=st.booleans(),
)
def test_an_early_refusal_is_exactly_what_the_locked_decision_says(
    opening: list[tuple[int, int, int | None]], bidder: int, offset: int, off_grid: bool, has_deposit: bool
) -> None:
    snap = make_snapshot()
    for bidder_id, step, extra in opening:
        standing = compute_standing(snap.submissions, snap.rules)
        amount = next_valid_amount(standing, snap.rules) + step * INC
        try:
            snap = bid(snap, bidder_id, amount, None if extra is None else amount + extra * INC).snapshot
        except DomainError:
            continue
    standing = compute_standing(snap.submissions, snap.rules)
    amount = next_valid_amount(standing, snap.rules) + offset * INC + (INC // 2 if off_grid else 0)
    request = BidRequest(bidder, amount)
    who = BidderStanding(has_deposit=has_deposit)
    glance = LotGlance(
        snap.status, snap.ends_at, snap.seller_id, snap.rules.kind, snap.rules.start_price, snap.rules.increment,
        snap.rules.deposit, standing.price, standing.leader_id,
    )  # fmt: skip
    try:
        refuse_early(glance, request, who, NOW)
    except DomainError as early:
        with pytest.raises(DomainError) as locked:
            place_bid(snap, request, who, NOW)
        assert (locked.value.code, locked.value.details) == (early.code, early.details)
