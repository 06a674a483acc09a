"""What a lot page, the lot API and the scripts show: one view per read model, decided here once.

The adapters render these views; they never re-derive a rule (who may read a lot, whether a reserve is met,
the next valid amount, whether a deposit counts, which action the viewer is offered, whether a bid row is
leading). Every function is pure: stored facts and ``now`` in, a frozen view out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from .bidding import BidKind, may_match_price, next_valid_after, priority_of
from .deposits import paid_in_full
from .lots import LotStatus, Phase, phase
from .rules import LotKind, LotRules
from .withdrawal import RowStatus, withdrawal_offered

# A lot the public may see: published, running or finished. Drafts, lots in review and rejected ones are
# seen only by their seller and staff; to anyone else they do not exist (404, never 403). The one query that
# applies this is services.lot_reads.readable_lots, used by every read and list alike.
PUBLIC_STATUSES = frozenset(
    {LotStatus.SCHEDULED, LotStatus.LIVE, LotStatus.SUSPENDED, LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.CANCELLED}
)
# The order the list page offers its status tabs in.
PUBLIC_STATUS_TABS = (
    LotStatus.LIVE,
    LotStatus.SCHEDULED,
    LotStatus.SUSPENDED,
    LotStatus.SOLD,
    LotStatus.UNSOLD,
    LotStatus.CANCELLED,
)
ENDED_STATUSES = frozenset({LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.CANCELLED})
PROXY_SUGGESTION_INCREMENTS = 4  # the proxy box suggests a maximum this many increments above the next bid


@dataclass(frozen=True)
class Reader:
    """Who is asking: nobody (a guest) is ``None``."""

    user_id: int
    is_staff: bool = False


@dataclass(frozen=True)
class LotState:
    """What the stored lot says now: its rules and its live standing."""

    status: LotStatus
    rules: LotRules
    seller_id: int
    current_price: int | None
    leader_id: int | None
    ends_at: datetime  # the effective end, after extensions
    final_price: int | None = None
    winner_id: int | None = None
    priority: Mapping[int, int] = field(default_factory=dict)  # priority buyers' ranks (RULES §7)


class PriceKind(Enum):
    START = "start"  # no bid yet: the start price
    CURRENT = "current"  # the standing price
    FINAL = "final"  # sold: the deal price


@dataclass(frozen=True)
class LotView:
    """The public facts every reader sees alike."""

    next_valid_amount: int
    suggested_max_amount: int
    has_reserve: bool
    reserve_met: bool | None  # None when the lot has no reserve
    price_kind: PriceKind
    display_price: int
    deposits_open: bool  # scheduled or live and before the effective end
    bidding_open: bool  # live and before the effective end
    ended: bool
    withdrawal_offered: bool
    public_reserve: int | None = None  # 保留价 shown to everyone: a judicial lot's (= its start), never hidden


def lot_view(state: LotState, now: datetime) -> LotView:
    rules = state.rules
    next_valid = next_valid_after(state.current_price, rules.start_price, rules.increment)
    reserve = rules.reserve_price
    current = phase(state.status, rules.starts_at, state.ends_at, now)
    if state.status is LotStatus.SOLD and state.final_price is not None:
        kind, price = PriceKind.FINAL, state.final_price
    elif state.current_price is not None:
        kind, price = PriceKind.CURRENT, state.current_price
    else:
        kind, price = PriceKind.START, rules.start_price
    return LotView(
        next_valid_amount=next_valid,
        suggested_max_amount=next_valid + PROXY_SUGGESTION_INCREMENTS * rules.increment,
        has_reserve=reserve is not None,
        reserve_met=None if reserve is None else (state.current_price is not None and state.current_price >= reserve),
        price_kind=kind,
        display_price=price,
        deposits_open=current in (Phase.BEFORE_START, Phase.OPEN),
        bidding_open=current is Phase.OPEN,
        ended=state.status in ENDED_STATUSES,
        withdrawal_offered=withdrawal_offered(rules),
        public_reserve=reserve if rules.kind is LotKind.JUDICIAL else None,
    )


class ViewerRole(Enum):
    GUEST = "guest"
    SELLER = "seller"  # the lot's own seller: may not bid
    STAFF = "staff"  # platform staff: may not bid (RULES §1)
    BIDDER = "bidder"


class Panel(Enum):
    """The parts of the lot page's action box; the page shows exactly the ones the view lists."""

    LOGIN = "login"  # log in to bid
    SELLER = "seller"  # "you sell this lot"
    STAFF = "staff"  # "staff do not bid"
    CLOSED = "closed"  # not open for deposits or bids
    SUSPENDED = "suspended"  # 暂缓: suspended, with its reason; deposits stay frozen
    REAL_NAME = "real_name"  # a judicial lot: verify your real name first
    NOTICE = "notice"  # a judicial lot: accept the 竞买须知 and the as-is notice, then pay the deposit
    DEPOSIT = "deposit"  # pay the deposit (or make it whole after a withdrawal fee)
    DEPOSIT_SHORT = "deposit_short"  # the note that a fee left the deposit short
    PAID = "paid"  # the deposit is paid in full: your alias
    SCHEDULED = "scheduled"  # paid, waiting for the start
    BID = "bid"  # the bid form
    WITHDRAW = "withdraw"  # 撤回竞拍 (and 撤回出价 when WITHDRAW_BID is listed too)
    WITHDRAW_BID = "withdraw_bid"  # 撤回出价: an active bid of one's own to withdraw
    ORDER = "order"  # a link to the viewer's order of this lot


@dataclass(frozen=True)
class ViewerFacts:
    """What the viewer has on this lot, as stored."""

    reader: Reader
    real_name_verified: bool
    deposit_frozen: int | None  # the viewer's frozen deposit on the lot, None if none
    has_active_bid: bool  # an active public row of theirs in the record
    order_id: int | None = None  # the newest order of this lot they buy or sell
    notice_accepted: bool = False  # a judicial lot's notices accepted (domain.judicial)


@dataclass(frozen=True)
class ViewerView:
    role: ViewerRole
    leading: bool
    deposit_held: bool
    deposit_paid: bool  # held in full: it counts for bidding
    deposit_due: int  # what paying the deposit now freezes (the whole deposit, or what a fee took)
    panels: frozenset[Panel]
    sees_private: bool  # the seller and staff also see the hidden reserve and the review note
    # the least this viewer may bid now: the public next valid amount, or the price itself for a priority
    # buyer who would lead at it (RULES §7)
    next_valid_amount: int
    # whether this viewer takes part as a bidder at all (a guest may, once signed in): not the lot's seller,
    # not staff (RULES §1). The page renders the deposit and bid forms only then.
    may_bid: bool = True
    priority_rank: int | None = None  # the viewer holds a priority right (优先购买权) on this lot, at this rank
    notice_accepted: bool = False


def _role(state: LotState, reader: Reader | None) -> ViewerRole:
    if reader is None:
        return ViewerRole.GUEST
    if reader.user_id == state.seller_id:
        return ViewerRole.SELLER
    if reader.is_staff:
        return ViewerRole.STAFF
    return ViewerRole.BIDDER


def viewer_view(state: LotState, view: LotView, facts: ViewerFacts | None) -> ViewerView:
    """What this viewer is offered now: the panels of the action box, their deposit, whether they lead."""
    reader = facts.reader if facts is not None else None
    role = _role(state, reader)
    held = facts is not None and facts.deposit_frozen is not None
    paid = facts is not None and paid_in_full(facts.deposit_frozen, state.rules.deposit)
    frozen_now = facts.deposit_frozen if facts is not None and facts.deposit_frozen is not None else 0
    due = state.rules.deposit - frozen_now
    panels: set[Panel] = set()
    if facts is not None and facts.order_id is not None:
        panels.add(Panel.ORDER)
    if state.status is LotStatus.SUSPENDED:
        panels.add(Panel.SUSPENDED)
    elif not view.deposits_open:
        panels.add(Panel.CLOSED)
    elif role is ViewerRole.GUEST:
        panels.add(Panel.LOGIN)
    elif role is ViewerRole.SELLER:
        panels.add(Panel.SELLER)
    elif role is ViewerRole.STAFF:
        panels.add(Panel.STAFF)
    elif state.rules.kind is LotKind.JUDICIAL and facts is not None and not facts.real_name_verified and not paid:
        panels.add(Panel.REAL_NAME)
    elif not paid:
        panels.add(Panel.DEPOSIT)
        if state.rules.kind is LotKind.JUDICIAL and facts is not None and not facts.notice_accepted:
            panels.add(Panel.NOTICE)
        if held:
            panels.add(Panel.DEPOSIT_SHORT)
    else:
        panels.add(Panel.PAID)
        panels.add(Panel.BID if view.bidding_open else Panel.SCHEDULED)
    has_bid = facts is not None and facts.has_active_bid
    if role is ViewerRole.BIDDER and view.bidding_open and view.withdrawal_offered and (held or has_bid):
        panels.add(Panel.WITHDRAW)
        if has_bid:
            panels.add(Panel.WITHDRAW_BID)
    rules = state.rules
    viewer_id = reader.user_id if reader is not None and role is ViewerRole.BIDDER else None
    may_match = may_match_price(rules, state.priority, viewer_id, state.leader_id)
    least = next_valid_after(state.current_price, rules.start_price, rules.increment, may_match=may_match)
    rank = priority_of(rules, state.priority).get(viewer_id) if viewer_id is not None else None
    return ViewerView(
        role=role,
        leading=reader is not None and state.leader_id == reader.user_id,
        deposit_held=held,
        deposit_paid=paid,
        deposit_due=max(0, due),
        panels=frozenset(panels),
        sees_private=role in (ViewerRole.SELLER, ViewerRole.STAFF),
        may_bid=role in (ViewerRole.GUEST, ViewerRole.BIDDER),
        next_valid_amount=least,
        priority_rank=rank,
        notice_accepted=facts is not None and facts.notice_accepted,
    )


class RecordStatus(Enum):
    """A public bid row's status as the record (拍卖记录) shows it."""

    LEADING = "leading"
    WON = "won"  # the leading row of a sold lot
    OUTBID = "outbid"
    WITHDRAWN = "withdrawn"
    VOID = "void"  # a proxy answer to a bid that was withdrawn


@dataclass(frozen=True)
class RecordRow:
    """One stored public row of the record, as the rules need it."""

    seq: int
    bidder_id: int
    kind: BidKind
    amount: int
    status: RowStatus


def record_statuses(
    rows: Sequence[RecordRow], *, leader_id: int | None, current_price: int | None, status: LotStatus
) -> dict[int, RecordStatus]:
    """Per sequence number: the newest active row of the leader at the standing price leads (or won, once
    sold); every other active row is outbid; withdrawn and void rows keep their status."""
    leading_seq = None
    if leader_id is not None:
        candidates = [
            row.seq
            for row in rows
            if row.status is RowStatus.ACTIVE and row.bidder_id == leader_id and row.amount == current_price
        ]
        leading_seq = max(candidates, default=None)
    top = RecordStatus.WON if status is LotStatus.SOLD else RecordStatus.LEADING
    out: dict[int, RecordStatus] = {}
    for row in rows:
        if row.status is RowStatus.WITHDRAWN:
            out[row.seq] = RecordStatus.WITHDRAWN
        elif row.status is RowStatus.VOID:
            out[row.seq] = RecordStatus.VOID
        else:
            out[row.seq] = top if row.seq == leading_seq else RecordStatus.OUTBID
    return out


def my_bid_status(
    row_status: RowStatus, amount: int | None, *, mine_leads: bool, current_price: int | None
) -> RecordStatus:
    """One of my own rows in my bid list: leading when I lead at that amount, else outbid (or withdrawn/void)."""
    if row_status is RowStatus.WITHDRAWN:
        return RecordStatus.WITHDRAWN
    if row_status is RowStatus.VOID:
        return RecordStatus.VOID
    return RecordStatus.LEADING if mine_leads and amount == current_price else RecordStatus.OUTBID
