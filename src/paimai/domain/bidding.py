"""Live bidding (RULES §4): the price grid, proxy maximums, ties, auto-extension, start and close.

The standing price and leader are a pure function of the *active submissions* in their original
order and the lot's priority buyers (RULES §7, judicial lots only), so a withdrawal (RULES §5) is
"remove the submissions and fold again". Public record rows (including the bids the system places
for proxies) are produced from the difference between the standing before and after a submission.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum

from .errors import DomainError, ErrorCode, InvariantError
from .events import AuctionExtended, BidPlaced, LotClosed, LotEvent, LotStarted
from .lots import ENDED, LotAction, LotStatus, Phase, phase, transition
from .money import require_positive
from .rules import LotKind, LotRules, on_price_grid


class BidKind(Enum):
    BID = "bid"  # the bidder's own bid (public)
    PROXY = "proxy"  # placed by the system for a proxy maximum (public, is_proxy)
    MAX_RAISE = "max_raise"  # the leader raising their secret maximum (not public)


@dataclass(frozen=True)
class Submission:
    """What a bidder asked for: an explicit amount (None for a max raise) and a maximum ≥ it."""

    order_no: int
    bidder_id: int
    amount: int | None
    max_amount: int


@dataclass(frozen=True)
class BidderLine:
    bidder_id: int
    max_amount: int
    reached_at: int  # order_no of the submission that first reached max_amount (earlier wins ties)
    top_amount: int | None  # the highest explicit amount the bidder bid


@dataclass(frozen=True)
class Standing:
    price: int | None
    leader_id: int | None
    leader_max: int | None
    lines: Mapping[int, BidderLine] = field(default_factory=dict)

    @property
    def has_bids(self) -> bool:
        return self.leader_id is not None


Priority = Mapping[int, int]  # bidder_id → rank (1 highest) of a lot's priority buyers (优先购买权人)
NO_PRIORITY: Priority = {}
_NOT_A_HOLDER = 1 << 62  # sorts after every rank


def priority_of(rules: LotRules, priority: Priority | None) -> Priority:
    """Priority buyers count on judicial lots only: a commercial lot ties by time whatever is stored."""
    return priority if priority and rules.kind is LotKind.JUDICIAL else NO_PRIORITY


def _priority_key(priority: Priority, bidder_id: int) -> int:
    """Smaller leads at an equal amount: a holder's rank, every non-holder after every holder."""
    rank = priority.get(bidder_id)
    return rank if rank is not None else _NOT_A_HOLDER


def outranks(priority: Priority, bidder_id: int, other_id: int | None) -> bool:
    """Whether bidder_id leads other_id at the same amount by priority alone (RULES §7): a holder over a
    non-holder, a smaller rank over a larger one. Equal ranks (and two non-holders) tie by time instead."""
    if other_id is None or bidder_id not in priority:
        return False
    return _priority_key(priority, bidder_id) < _priority_key(priority, other_id)


def compute_standing(submissions: Sequence[Submission], rules: LotRules, priority: Priority | None = None) -> Standing:
    """Fold the active submissions, in order, into the standing price and leader.

    Leader: the highest maximum; at equal maximums a priority buyer before anyone else, a smaller rank
    first, then the one that reached it earlier.
    Price: the leader's own highest bid, raised to (runner-up's maximum + increment) capped at the
    leader's maximum — the least the leader needs to lead; a leader who outranks the runner-up by
    priority needs only the runner-up's maximum itself. A max raise made while leading counts for
    later competitors only.
    """
    priority = priority_of(rules, priority)
    lines: dict[int, BidderLine] = {}
    for sub in sorted(submissions, key=lambda s: s.order_no):
        line = lines.get(sub.bidder_id)
        if line is None:
            lines[sub.bidder_id] = BidderLine(sub.bidder_id, sub.max_amount, sub.order_no, sub.amount)
            continue
        max_amount, reached_at = line.max_amount, line.reached_at
        if sub.max_amount > max_amount:
            max_amount, reached_at = sub.max_amount, sub.order_no
        top = line.top_amount
        if sub.amount is not None and (top is None or sub.amount > top):
            top = sub.amount
        lines[sub.bidder_id] = BidderLine(sub.bidder_id, max_amount, reached_at, top)
    if not lines:
        return Standing(None, None, None, {})
    ranked = sorted(
        lines.values(), key=lambda ln: (-ln.max_amount, _priority_key(priority, ln.bidder_id), ln.reached_at)
    )
    leader = ranked[0]
    own = leader.top_amount if leader.top_amount is not None else rules.start_price
    if len(ranked) == 1:
        price = own
    else:
        runner_up = ranked[1]
        # A maximum the leader raised while already leading (a private max raise after the runner-up
        # reached theirs) answers no competitor, so it must not lift the visible price (RULES §4 trap).
        cap = max(
            sub.max_amount
            for sub in submissions
            if sub.bidder_id == leader.bidder_id and (sub.amount is not None or sub.order_no < runner_up.reached_at)
        )
        step = 0 if outranks(priority, leader.bidder_id, runner_up.bidder_id) else rules.increment
        price = max(own, min(runner_up.max_amount + step, cap))
    return Standing(price, leader.bidder_id, leader.max_amount, lines)


def next_valid_after(price: int | None, start_price: int, increment: int, *, may_match: bool = False) -> int:
    """The least a new (non-leading) bid may be: the start price, then the price plus one increment — or
    the price itself for a priority buyer who would lead at it (may_match, see may_match_price)."""
    if price is None:
        return start_price
    return price if may_match else price + increment


def may_match_price(rules: LotRules, priority: Priority | None, bidder_id: int | None, leader_id: int | None) -> bool:
    """A priority buyer who is not leading may bid the current price itself when they would lead at it:
    they outrank the leader (RULES §7). Everyone else must beat the price by an increment."""
    if bidder_id is None or bidder_id == leader_id:
        return False
    return outranks(priority_of(rules, priority), bidder_id, leader_id)


def next_valid_amount(
    standing: Standing, rules: LotRules, priority: Priority | None = None, bidder_id: int | None = None
) -> int:
    """The least bidder_id may bid now (without a bidder: what anyone may, price + increment)."""
    may_match = may_match_price(rules, priority, bidder_id, standing.leader_id)
    return next_valid_after(standing.price, rules.start_price, rules.increment, may_match=may_match)


@dataclass(frozen=True)
class AuctionSnapshot:
    """Everything the rules need to know about one lot's auction, loaded under the lot's lock."""

    lot_id: int
    status: LotStatus
    seller_id: int
    rules: LotRules
    ends_at: datetime  # the effective end, after extensions
    extensions: int
    seq: int  # last event sequence number of the lot
    order_no: int  # last bid order number of the lot (public or not)
    bid_count: int  # public record rows
    submissions: tuple[Submission, ...]  # active submissions only
    recorded_high: Mapping[int, int]  # per bidder, highest amount among their active public rows
    aliases: Mapping[int, str]  # per bidder alias (竞买号) on this lot
    priority: Priority = field(default_factory=dict)  # priority buyers' ranks (RULES §7), judicial lots


@dataclass(frozen=True)
class BidRequest:
    bidder_id: int
    amount: int
    max_amount: int | None = None


@dataclass(frozen=True)
class BidderStanding:
    """Facts about the bidder the rules need; the caller loads them."""

    has_deposit: bool
    is_staff: bool = False
    is_barred: bool = False
    real_name_verified: bool = True  # 实名认证: required on judicial lots (RULES §1)


@dataclass(frozen=True)
class NewBid:
    order_no: int
    seq: int | None  # None for a private max raise
    bidder_id: int
    kind: BidKind
    amount: int | None
    max_amount: int | None
    created_at: datetime

    @property
    def is_proxy(self) -> bool:
        return self.kind is BidKind.PROXY


@dataclass(frozen=True)
class BidDecision:
    snapshot: AuctionSnapshot
    standing: Standing
    new_bids: tuple[NewBid, ...]
    events: tuple[LotEvent, ...]

    @property
    def submitted(self) -> NewBid:
        return self.new_bids[0]


def refuse_unless_open(status: LotStatus, starts_at: datetime | None, ends_at: datetime, now: datetime) -> None:
    """Bids (and withdrawals) only while the lot is open by server time (lots.phase)."""
    current = phase(status, starts_at, ends_at, now)
    if current is Phase.OPEN:
        return
    if status in ENDED:
        raise DomainError(ErrorCode.AUCTION_ENDED, status=status.value)
    if current is Phase.ENDED:
        raise DomainError(ErrorCode.AUCTION_ENDED, ends_at=ends_at.isoformat())
    if current is Phase.SUSPENDED:
        raise DomainError(ErrorCode.LOT_SUSPENDED)
    raise DomainError(ErrorCode.LOT_NOT_LIVE, status=status.value)


@dataclass(frozen=True)
class LotGlance:
    """What the lot row says, read without its lock: enough to refuse most bids that cannot succeed."""

    status: LotStatus
    ends_at: datetime
    seller_id: int
    kind: LotKind
    start_price: int
    increment: int
    deposit: int
    price: int | None
    leader_id: int | None
    starts_at: datetime | None = None  # a scheduled lot is open from here on, started or not
    priority: Priority = field(default_factory=dict)  # the lot's priority buyers (judicial lots)


def refuse_early(glance: LotGlance, request: BidRequest, bidder: BidderStanding, now: datetime) -> None:
    """The refusals of place_bid that need no lock, in its order.

    A refusal changes nothing, so deciding it on a committed read is deciding it at that moment: a stale
    bid on a hot lot is turned away without queueing for the lot's lock. Acceptance always waits for
    the lock (place_bid checks everything again there).
    """
    refuse_unless_open(glance.status, glance.starts_at, glance.ends_at, now)
    if bidder.is_staff:  # staff are not bidders (RULES §1)
        raise DomainError(ErrorCode.STAFF_NOT_BIDDER)
    if request.bidder_id == glance.seller_id or bidder.is_barred:
        raise DomainError(ErrorCode.BIDDER_NOT_ALLOWED)
    if glance.kind is LotKind.JUDICIAL and not bidder.real_name_verified:
        raise DomainError(ErrorCode.REAL_NAME_REQUIRED)
    if not bidder.has_deposit:
        raise DomainError(ErrorCode.DEPOSIT_REQUIRED, deposit=glance.deposit)
    require_positive(request.amount)
    if glance.leader_id == request.bidder_id:
        return  # the leader may only raise their maximum: decided under the lock
    # A priority buyer may match the price when they would lead at it (RULES §7): judicial lots only.
    may_match = glance.kind is LotKind.JUDICIAL and outranks(glance.priority, request.bidder_id, glance.leader_id)
    next_valid = next_valid_after(glance.price, glance.start_price, glance.increment, may_match=may_match)
    if request.amount < next_valid:  # below the start price too: "too low" says what would do
        raise DomainError(ErrorCode.BID_TOO_LOW, next_valid=next_valid, increment=glance.increment)
    if not on_price_grid(request.amount, glance.start_price, glance.increment):
        raise DomainError(ErrorCode.BID_NOT_ON_GRID, next_valid=next_valid, increment=glance.increment)


def place_bid(snap: AuctionSnapshot, request: BidRequest, bidder: BidderStanding, now: datetime) -> BidDecision:
    """Accept or refuse one bid; on acceptance return the new snapshot, record rows and events."""
    rules = snap.rules
    before = compute_standing(snap.submissions, rules, snap.priority)
    glance = LotGlance(
        snap.status, snap.ends_at, snap.seller_id, rules.kind, rules.start_price, rules.increment, rules.deposit,
        before.price, before.leader_id, rules.starts_at, snap.priority,
    )  # fmt: skip
    refuse_early(glance, request, bidder, now)
    if snap.status is not LotStatus.LIVE:  # open by time but not started yet: the service starts it first
        raise DomainError(ErrorCode.LOT_NOT_LIVE, status=snap.status.value)
    if request.bidder_id not in snap.aliases:
        raise DomainError(ErrorCode.DEPOSIT_REQUIRED, deposit=rules.deposit)
    if before.leader_id == request.bidder_id:
        return _raise_maximum(snap, before, request, now)
    next_valid = next_valid_amount(before, rules, snap.priority, request.bidder_id)
    maximum = request.amount if request.max_amount is None else request.max_amount
    if maximum < request.amount or not rules.on_grid(maximum):
        raise DomainError(ErrorCode.MAX_AMOUNT_INVALID, next_valid=next_valid)

    order_no = snap.order_no + 1
    submission = Submission(order_no, request.bidder_id, request.amount, maximum)
    after = compute_standing((*snap.submissions, submission), rules, snap.priority)
    if after.price is None or after.leader_id is None:
        raise InvariantError("an accepted bid leaves a leader and a price")

    # Public record rows: the bid itself, then what the proxies did in answer.
    rows: list[tuple[int, int, BidKind]] = [(request.bidder_id, request.amount, BidKind.BID)]
    high = dict(snap.recorded_high)
    high[request.bidder_id] = max(high.get(request.bidder_id, 0), request.amount)
    if after.leader_id == request.bidder_id:
        old = before.leader_id
        if old is not None:
            old_max = before.lines[old].max_amount
            if old_max >= request.amount and old_max > high.get(old, 0):
                rows.append((old, old_max, BidKind.PROXY))
        if after.price > request.amount:
            rows.append((request.bidder_id, after.price, BidKind.PROXY))
    else:
        if maximum > request.amount:
            rows.append((request.bidder_id, maximum, BidKind.PROXY))
        if after.price > high.get(after.leader_id, 0):
            rows.append((after.leader_id, after.price, BidKind.PROXY))

    new_bids: list[NewBid] = []
    events: list[LotEvent] = []
    seq = snap.seq
    bid_count = snap.bid_count
    ends_at, extensions = snap.ends_at, snap.extensions
    window = rules.effective_extension_seconds()
    extended = window > 0 and snap.ends_at - now < timedelta(seconds=window)
    if extended:
        ends_at, extensions = now + timedelta(seconds=window), extensions + 1
    leader_alias = snap.aliases[after.leader_id]
    for index, (bidder_id, amount, kind) in enumerate(rows):
        seq += 1
        bid_count += 1
        high[bidder_id] = max(high.get(bidder_id, 0), amount)
        new_bids.append(
            NewBid(
                order_no=order_no + index,
                seq=seq,
                bidder_id=bidder_id,
                kind=kind,
                amount=amount,
                max_amount=maximum if index == 0 else None,
                created_at=now,
            )
        )
        events.append(
            BidPlaced(
                lot_id=snap.lot_id,
                seq=seq,
                at=now,
                alias=snap.aliases[bidder_id],
                amount=amount,
                is_proxy=kind is BidKind.PROXY,
                current_price=after.price,
                leader_alias=leader_alias,
                ends_at=ends_at,
                bid_count=bid_count,
            )
        )
    if extended:
        seq += 1
        events.append(AuctionExtended(snap.lot_id, seq, now, ends_at=ends_at, extensions=extensions))
    new_snap = replace(
        snap,
        ends_at=ends_at,
        extensions=extensions,
        seq=seq,
        order_no=order_no + len(rows) - 1,
        bid_count=bid_count,
        submissions=(*snap.submissions, submission),
        recorded_high=high,
    )
    return BidDecision(new_snap, after, tuple(new_bids), tuple(events))


def _raise_maximum(snap: AuctionSnapshot, before: Standing, request: BidRequest, now: datetime) -> BidDecision:
    """The leader may raise their secret maximum; the visible price never moves against them."""
    if before.leader_max is None or before.price is None:
        raise InvariantError("a leader has a maximum and a price")
    if request.max_amount is None or request.max_amount <= before.leader_max:
        raise DomainError(ErrorCode.ALREADY_LEADING, leader_max=before.leader_max, current_price=before.price)
    if not snap.rules.on_grid(request.max_amount):
        raise DomainError(ErrorCode.MAX_AMOUNT_INVALID, next_valid=before.price + snap.rules.increment)
    order_no = snap.order_no + 1
    submission = Submission(order_no, request.bidder_id, None, request.max_amount)
    after = compute_standing((*snap.submissions, submission), snap.rules, snap.priority)
    new_bid = NewBid(order_no, None, request.bidder_id, BidKind.MAX_RAISE, None, request.max_amount, now)
    new_snap = replace(snap, order_no=order_no, submissions=(*snap.submissions, submission))
    return BidDecision(new_snap, after, (new_bid,), ())


@dataclass(frozen=True)
class BatchOutcome:
    request: BidRequest
    decision: BidDecision | None
    error: DomainError | None


def place_bids(
    snap: AuctionSnapshot,
    requests: Sequence[tuple[BidRequest, BidderStanding]],
    now: datetime,
) -> tuple[AuctionSnapshot, list[BatchOutcome]]:
    """Apply many bids of one lot in order, under one lock; each is accepted or refused on its own."""
    outcomes: list[BatchOutcome] = []
    for request, bidder in requests:
        try:
            decision = place_bid(snap, request, bidder, now)
        except DomainError as error:
            outcomes.append(BatchOutcome(request, None, error))
            continue
        snap = decision.snapshot
        outcomes.append(BatchOutcome(request, decision, None))
    return snap, outcomes


@dataclass(frozen=True)
class LifecycleDecision:
    status: LotStatus
    seq: int
    events: tuple[LotEvent, ...]
    winner_id: int | None = None
    final_price: int | None = None


def start_auction(snap: AuctionSnapshot, now: datetime) -> LifecycleDecision:
    """A scheduled lot goes live at starts_at (never early)."""
    status = transition(snap.status, LotAction.START)
    if now < snap.rules.starts_at:
        raise DomainError(ErrorCode.LOT_NOT_LIVE, starts_at=snap.rules.starts_at.isoformat())
    seq = snap.seq + 1
    return LifecycleDecision(status, seq, (LotStarted(snap.lot_id, seq, now, ends_at=snap.ends_at),))


def close_auction(snap: AuctionSnapshot, now: datetime) -> LifecycleDecision:
    """A live lot closes at its effective end: sold to the leader if the reserve is met, else unsold."""
    if snap.status is LotStatus.LIVE and now < snap.ends_at:
        raise DomainError(ErrorCode.LOT_TRANSITION_NOT_ALLOWED, ends_at=snap.ends_at.isoformat())
    standing = compute_standing(snap.submissions, snap.rules, snap.priority)
    reserve = snap.rules.reserve_price
    sold = standing.price is not None and (reserve is None or standing.price >= reserve)
    status = transition(snap.status, LotAction.CLOSE_SOLD if sold else LotAction.CLOSE_UNSOLD)
    seq = snap.seq + 1
    winner = standing.leader_id if sold else None
    price = standing.price if sold else None
    event = LotClosed(
        snap.lot_id,
        seq,
        now,
        status=status.value,
        final_price=price,
        winner_alias=snap.aliases.get(winner) if winner is not None else None,
    )
    return LifecycleDecision(status, seq, (event,), winner, price)
