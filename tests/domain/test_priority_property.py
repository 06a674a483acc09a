"""Hypothesis property of priority buyers (RULES §4, §7) on a judicial lot: for any holders (ranks, equal ones
too), any sequence of bids and proxy maximums, the leader is the first bidder of a brute-force order —
highest maximum, then priority (a holder before a non-holder, a smaller rank first), then the one who
reached that maximum earlier — and what place_bid accepts or refuses is what RULES says.

The reference here is written from the rules, not from bidding.py: a list of every bidder's maximum and
the step they reached it, sorted; the price is searched for point by point on the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from domain_builders import INC, OK, START, T0, make_rules, make_snapshot
from hypothesis import event, given, settings
from hypothesis import strategies as st

from paimai.domain.bidding import (
    AuctionSnapshot,
    BidRequest,
    NewBid,
    Standing,
    close_auction,
    compute_standing,
    place_bid,
)
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.rules import LotKind

SETTINGS = settings(max_examples=500, deadline=None)
NOT_A_HOLDER = 10**9


@dataclass(frozen=True)
class Step:
    bidder: int  # 1..5
    k: int  # amount = (least this bidder may bid) + (k - 1) increments: mostly valid, sometimes one short
    max_k: int | None  # maximum = amount + max_k increments, or a plain bid
    wait: int


steps_strategy = st.lists(
    st.builds(
        Step,
        bidder=st.integers(1, 5),
        k=st.sampled_from([1, 1, 1, 0, 2, 4]),
        max_k=st.none() | st.integers(0, 6),
        wait=st.integers(0, 30),
    ),
    min_size=2,
    max_size=40,
)
# Some bidders hold a priority right: ranks 1..3, equal ranks allowed.
holders_strategy: st.SearchStrategy[dict[int, int]] = st.just({}) | st.dictionaries(
    st.integers(1, 5), st.integers(1, 3), min_size=1, max_size=4
)


@dataclass
class Reference:
    """Every bidder's maximum, when they reached it, their own highest bid, and whether they raised privately."""

    holders: dict[int, int]
    maxes: dict[int, int] = field(default_factory=dict)
    reached: dict[int, int] = field(default_factory=dict)
    top: dict[int, int] = field(default_factory=dict)
    raised_privately: set[int] = field(default_factory=set)

    def rank(self, bidder: int) -> int:
        return self.holders.get(bidder, NOT_A_HOLDER)

    def submit(self, step_no: int, bidder: int, amount: int | None, maximum: int) -> None:
        if maximum > self.maxes.get(bidder, 0):
            self.maxes[bidder], self.reached[bidder] = maximum, step_no
        if amount is None:
            self.raised_privately.add(bidder)
        else:
            self.top[bidder] = max(self.top.get(bidder, 0), amount)

    def order(self) -> list[int]:
        """The brute-force order: amount desc, priority rank, time."""
        return sorted(self.maxes, key=lambda b: (-self.maxes[b], self.rank(b), self.reached[b]))

    def beats_at(self, leader: int, other: int, amount: int) -> bool:
        """Whether the leader, bidding `amount`, is ahead of `other` standing at their maximum (RULES §4, §7):
        above it; or at it when the leader has the better priority; or both at the same maximum, equal
        priority, and the leader reached it first."""
        other_max = self.maxes[other]
        if amount > other_max:
            return True
        if amount < other_max:
            return False
        if self.rank(leader) != self.rank(other):
            return self.rank(leader) < self.rank(other)
        return self.maxes[leader] == other_max and self.reached[leader] < self.reached[other]

    def price(self, leader: int) -> int:
        """The least point of the grid, from the leader's own bid up to their maximum, that beats everyone."""
        amount = self.top.get(leader, START)
        while not all(self.beats_at(leader, other, amount) for other in self.maxes if other != leader):
            amount += INC
            assert amount <= self.maxes[leader], "the leader's maximum always beats the others"
        return amount

    def least(self, bidder: int, price: int | None, leader: int | None) -> int:
        """The least amount RULES lets `bidder` bid: a holder ahead of the leader by priority matches the price."""
        if price is None:
            return START
        assert leader is not None
        return price if self.rank(bidder) < self.rank(leader) else price + INC


def judicial_snapshot(holders: dict[int, int]) -> AuctionSnapshot:
    rules = make_rules(kind=LotKind.JUDICIAL, ends_at=T0 + timedelta(hours=30))
    snap = make_snapshot(rules)
    return AuctionSnapshot(**{**snap.__dict__, "priority": dict(holders)})


def request_for(step: Step, ref: Reference, standing: Standing) -> BidRequest:
    base = ref.least(step.bidder, standing.price, standing.leader_id)
    if standing.leader_id == step.bidder:  # the leader may only raise their maximum
        assert standing.leader_max is not None
        return BidRequest(step.bidder, base, standing.leader_max + (step.k - 1) * INC)
    amount = base + (step.k - 1) * INC
    return BidRequest(step.bidder, amount, None if step.max_k is None else amount + step.max_k * INC)


def should_refuse(request: BidRequest, ref: Reference, standing: Standing) -> bool:
    if standing.leader_id == request.bidder_id:
        assert standing.leader_max is not None and request.max_amount is not None
        return request.max_amount <= standing.leader_max
    least = ref.least(request.bidder_id, standing.price, standing.leader_id)
    return request.amount < least


@SETTINGS
@given(holders=holders_strategy, steps=steps_strategy)
def test_the_leader_is_first_in_the_reference_order(holders: dict[int, int], steps: list[Step]) -> None:
    snap = judicial_snapshot(holders)
    ref = Reference(dict(holders))
    now = T0 + timedelta(minutes=5)
    rows: list[NewBid] = []
    for step_no, step in enumerate(steps):
        now += timedelta(seconds=step.wait)
        before = compute_standing(snap.submissions, snap.rules, snap.priority)
        request = request_for(step, ref, before)
        refused = should_refuse(request, ref, before)
        try:
            decision = place_bid(snap, request, OK, now)
        except DomainError as error:
            assert refused, f"refused {request} with {error.code.name} ({before}, holders {holders})"
            if before.leader_id == request.bidder_id:
                assert error.code is ErrorCode.ALREADY_LEADING
            else:
                assert error.code is ErrorCode.BID_TOO_LOW
                assert error.details["next_valid"] == ref.least(request.bidder_id, before.price, before.leader_id)
            continue
        assert not refused, f"accepted {request} ({before}, holders {holders})"
        if before.price is not None and request.amount == before.price and before.leader_id != request.bidder_id:
            event("a holder matched the price")
        if before.leader_id == request.bidder_id:
            assert request.max_amount is not None
            ref.submit(step_no, request.bidder_id, None, request.max_amount)
        else:
            maximum = request.amount if request.max_amount is None else request.max_amount
            ref.submit(step_no, request.bidder_id, request.amount, maximum)

        standing = decision.standing
        order = ref.order()
        assert standing.leader_id == order[0], f"leader {standing.leader_id}, reference {order} ({ref})"
        assert standing.leader_max == ref.maxes[order[0]]
        assert standing.price is not None and START <= standing.price <= ref.maxes[order[0]]
        if order[0] not in ref.raised_privately:
            # (a private max raise never lifts the visible price: bidding.py's own trap tests cover that)
            assert standing.price == ref.price(order[0]), f"price {standing.price} ({ref})"
        # The public record shows the leader at the standing price: a holder's matching row among them.
        rows.extend(row for row in decision.new_bids if row.seq is not None)
        assert any(row.bidder_id == order[0] and row.amount == standing.price for row in rows)
        snap = decision.snapshot
        # Replaying the submissions in any order gives the same standing.
        assert compute_standing(tuple(reversed(snap.submissions)), snap.rules, snap.priority) == standing
    closed = close_auction(snap, snap.ends_at)
    if ref.maxes:
        assert closed.winner_id == ref.order()[0]
    else:
        assert closed.winner_id is None
