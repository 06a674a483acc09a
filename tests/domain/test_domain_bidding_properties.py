"""Hypothesis properties of live bidding (RULES §4) over random sequences of bids by up to five bidders.

Each step is applied with place_bid, feeding the decision's snapshot into the next step; refusals
(DomainError) are skipped, but only where the rules say a refusal is due. After every accepted step the
standing, the public record and the events are checked against the rules and against an independent
fold of the accepted submissions (a reference proxy-bidding model written here, not taken from the code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from domain_builders import INC, OK, START, T0, make_rules, make_snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from paimai.domain.bidding import (
    AuctionSnapshot,
    BidDecision,
    BidKind,
    BidRequest,
    NewBid,
    Standing,
    close_auction,
    compute_standing,
    next_valid_amount,
    place_bid,
)
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.events import AuctionExtended, BidPlaced, LotEvent

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Step:
    bidder: int  # 1..5
    relative: bool  # amount counted from the next valid amount (mostly accepted) or from the start price
    k: int  # grid offset: from the start price, or (k % 5 - 1) from the next valid amount
    max_k: int | None  # proxy maximum = amount + max_k × increment, or no maximum
    off_grid: bool  # move the amount off the grid by half an increment
    wait: int  # seconds since the previous step


steps_strategy = st.lists(
    st.builds(
        Step,
        bidder=st.integers(1, 5),
        relative=st.booleans(),
        k=st.integers(0, 40),
        max_k=st.none() | st.integers(0, 8),
        off_grid=st.integers(0, 11).map(lambda n: n == 0),
        wait=st.integers(0, 90),
    ),
    max_size=40,
)


@dataclass
class ReferenceModel:
    """Proxy bidding as RULES §4 states it, folded one accepted submission at a time.

    A new maximum above the leader's takes the lead at (old leader's maximum + increment, capped at its
    own maximum, never below its own bid); one at or below it leaves the leader ahead at (that maximum +
    increment, capped at the leader's maximum); the leader raising their own maximum moves nothing.
    """

    leader: int | None = None
    leader_max: int = 0
    price: int | None = None
    maxes: dict[int, int] = field(default_factory=dict)
    reached: dict[int, int] = field(default_factory=dict)  # step at which each bidder reached their maximum

    def submit(self, step_no: int, bidder: int, amount: int | None, maximum: int) -> None:
        if maximum > self.maxes.get(bidder, 0):
            self.maxes[bidder], self.reached[bidder] = maximum, step_no
        if self.leader is None:
            assert amount is not None
            self.leader, self.leader_max, self.price = bidder, maximum, amount
        elif bidder == self.leader:
            assert amount is None and maximum > self.leader_max
            self.leader_max = maximum
        elif maximum > self.leader_max:
            assert amount is not None
            self.price = max(amount, min(self.leader_max + INC, maximum))
            self.leader, self.leader_max = bidder, maximum
        else:
            assert self.price is not None
            self.price = max(self.price, min(maximum + INC, self.leader_max))


def on_grid(amount: int) -> bool:
    return amount >= START and (amount - START) % INC == 0


def request_for(step: Step, standing: Standing, snap: AuctionSnapshot) -> BidRequest:
    base = next_valid_amount(standing, snap.rules) + (step.k % 5 - 1) * INC
    amount = base if step.relative else START + step.k * INC
    maximum = None if step.max_k is None else amount + step.max_k * INC
    if step.off_grid:
        amount += INC // 2
    return BidRequest(step.bidder, amount, maximum)


def expected_refusal(request: BidRequest, standing: Standing, snap: AuctionSnapshot, now_past_end: bool) -> bool:
    """Whether the rules refuse this request; an independent statement of RULES §4's acceptance test."""
    if now_past_end:
        return True
    if standing.leader_id == request.bidder_id:  # only a higher maximum on the grid
        assert standing.leader_max is not None
        return (
            request.max_amount is None or request.max_amount <= standing.leader_max or not on_grid(request.max_amount)
        )
    least = START if standing.price is None else standing.price + INC
    maximum = request.amount if request.max_amount is None else request.max_amount
    return not on_grid(request.amount) or request.amount < least or maximum < request.amount or not on_grid(maximum)


@dataclass
class Run:
    decisions: list[BidDecision] = field(default_factory=list)
    rows: list[NewBid] = field(default_factory=list)  # public record rows
    events: list[LotEvent] = field(default_factory=list)
    final: AuctionSnapshot | None = None


def check_standing(standing: Standing, model: ReferenceModel, rows: list[NewBid]) -> None:
    price, leader, leader_max = standing.price, standing.leader_id, standing.leader_max
    assert price is not None and leader is not None and leader_max is not None

    # Agreement with the reference fold of RULES §4.
    assert (leader, price, leader_max) == (model.leader, model.price, model.leader_max)

    # The leader holds the highest maximum; at an equal maximum, the leader reached it earlier.
    assert leader_max == model.maxes[leader]
    for other, other_max in model.maxes.items():
        if other == leader:
            continue
        assert leader_max >= other_max
        if other_max == leader_max:
            assert model.reached[leader] < model.reached[other]

    # The price is on the grid, within the leader's maximum, and at or above every other maximum
    # (equal to one only in a tie the leader won at that amount, before any private max raise).
    assert on_grid(price)
    assert price <= leader_max
    for other, other_max in model.maxes.items():
        if other != leader:
            assert price >= other_max
            if price == other_max:
                assert any(row.bidder_id == leader and row.amount == price for row in rows)

    # The public record: no row above the price; the leader holds a row at the price; another bidder
    # holds one at the price only in a tie they lost (their maximum equals the price, reached later).
    assert all(row.amount is not None and on_grid(row.amount) for row in rows)
    assert all(row.amount <= price for row in rows if row.amount is not None)
    at_price = {row.bidder_id for row in rows if row.amount == price}
    assert leader in at_price
    for other in at_price - {leader}:
        assert model.maxes[other] == price


def run_steps(steps: list[Step], window: int) -> Run:
    rules = make_rules(extension_seconds=window, ends_at=T0 + timedelta(minutes=15))
    snap = make_snapshot(rules)
    now = T0 + timedelta(minutes=5)
    model = ReferenceModel()
    run = Run()
    last_price: int | None = None
    for step_no, step in enumerate(steps):
        now += timedelta(seconds=step.wait)
        before = compute_standing(snap.submissions, snap.rules)
        request = request_for(step, before, snap)
        refused = expected_refusal(request, before, snap, now >= snap.ends_at)
        try:
            decision = place_bid(snap, request, OK, now)
        except DomainError as error:
            assert refused, f"refused {request} with {error.code.name} at {now} ({before})"
            if now >= snap.ends_at:
                assert error.code is ErrorCode.AUCTION_ENDED
            elif before.leader_id == request.bidder_id:
                assert error.code in (ErrorCode.ALREADY_LEADING, ErrorCode.MAX_AMOUNT_INVALID)
            else:
                assert error.code in (ErrorCode.BID_TOO_LOW, ErrorCode.BID_NOT_ON_GRID, ErrorCode.MAX_AMOUNT_INVALID)
                assert error.details["next_valid"] == next_valid_amount(before, snap.rules)
            continue
        assert not refused, f"accepted {request} at {now} ({before})"

        # Feed the reference model exactly what was asked for.
        if before.leader_id == request.bidder_id:
            assert request.max_amount is not None
            model.submit(step_no, request.bidder_id, None, request.max_amount)
        else:
            maximum = request.amount if request.max_amount is None else request.max_amount
            model.submit(step_no, request.bidder_id, request.amount, maximum)

        standing = decision.standing
        new = decision.snapshot
        public = [row for row in decision.new_bids if row.seq is not None]
        placed = [e for e in decision.events if isinstance(e, BidPlaced)]
        extended = [e for e in decision.events if isinstance(e, AuctionExtended)]
        run.rows.extend(public)
        run.events.extend(decision.events)
        run.decisions.append(decision)

        # The standing price never falls.
        assert standing.price is not None
        assert last_price is None or standing.price >= last_price
        last_price = standing.price

        check_standing(standing, model, run.rows)

        # Replay determinism, whatever order the submissions are handed over in.
        assert compute_standing(new.submissions, new.rules) == standing
        assert compute_standing(tuple(reversed(new.submissions)), new.rules) == standing

        # Events: BidPlaced rows carry the record rows' seq numbers, then at most one AuctionExtended.
        assert [e.seq for e in placed] == [row.seq for row in public]
        assert [e.seq for e in decision.events] == list(range(snap.seq + 1, new.seq + 1))
        assert all(e.current_price == standing.price for e in placed)
        if decision.submitted.kind is BidKind.MAX_RAISE:
            assert decision.events == () and len(decision.new_bids) == 1
            assert (new.ends_at, new.extensions) == (snap.ends_at, snap.extensions)
        elif window > 0 and snap.ends_at - now < timedelta(seconds=window):
            assert new.ends_at == now + timedelta(seconds=window) > snap.ends_at
            assert new.extensions == snap.extensions + 1
            assert [(e.seq, e.ends_at, e.extensions) for e in extended] == [(new.seq, new.ends_at, new.extensions)]
        else:
            assert (new.ends_at, new.extensions, extended) == (snap.ends_at, snap.extensions, [])
        snap = new
    run.final = snap
    return run


@PROPERTY_SETTINGS
@given(steps=steps_strategy, window=st.sampled_from([0, 60, 300]))
def test_bidding_sequences_keep_the_rules(steps: list[Step], window: int) -> None:
    run = run_steps(steps, window)
    assert run.final is not None
    # Sequence numbers are gap-free across every event the lot emitted.
    assert [e.seq for e in run.events] == list(range(1, len(run.events) + 1))
    assert run.final.seq == len(run.events)
    assert run.final.bid_count == len(run.rows)
    assert run.final.extensions == sum(isinstance(e, AuctionExtended) for e in run.events)
    # ends_at never moves backwards, and the record only ever grows by consecutive order numbers.
    ends = [e.ends_at for e in run.events if isinstance(e, BidPlaced | AuctionExtended)]
    assert ends == sorted(ends)
    orders = [row.order_no for d in run.decisions for row in d.new_bids]
    assert orders == list(range(1, len(orders) + 1))
    # Closing sells to the leader at the last standing price (no reserve), and that price is on the record.
    closed = close_auction(run.final, run.final.ends_at)
    if run.decisions:
        last = run.decisions[-1].standing
        assert (closed.winner_id, closed.final_price) == (last.leader_id, last.price)
        assert closed.final_price in {row.amount for row in run.rows if row.bidder_id == closed.winner_id}
    else:
        assert (closed.winner_id, closed.final_price) == (None, None)


@PROPERTY_SETTINGS
@given(steps=steps_strategy, data=st.data())
def test_compute_standing_ignores_the_order_submissions_are_passed_in(steps: list[Step], data: st.DataObject) -> None:
    run = run_steps(steps, 0)
    assert run.final is not None
    submissions = run.final.submissions
    shuffled = data.draw(st.permutations(submissions))
    expected = run.decisions[-1].standing if run.decisions else Standing(None, None, None, {})
    assert compute_standing(tuple(shuffled), run.final.rules) == expected
    # Folding any prefix of the submissions (in any order) replays the standing after that prefix.
    if run.decisions:
        cut = data.draw(st.integers(0, len(run.decisions) - 1))
        prefix = run.decisions[cut].snapshot.submissions
        mixed = data.draw(st.permutations(prefix))
        assert compute_standing(tuple(mixed), run.final.rules) == run.decisions[cut].standing
