"""Bid withdrawal (撤回出价 / 撤回竞拍, RULES §5), as the source article describes it.

Two actions on a live commercial lot that allows it:
- **撤回出价** (scope ``bid``): the bidder's latest active bid — the explicit bid and the proxy rows the
  system placed for it (and any later private max raise) — is marked withdrawn.
- **撤回竞拍** (scope ``auction``): every active row of the bidder on the lot is withdrawn and the frozen
  deposit is released, less the fee.

The standing is a pure function of the active submissions (see bidding.compute_standing), so a
withdrawal is "remove the submissions and fold again". Proxy rows of *other* bidders that were answers
to the withdrawn bid end up above the new price; they are voided (已失效) so the public record never shows
a row above the current price, and if the leader has no active row at the new price the system places one
for them (a proxy row), as it would have in an auction that never saw the withdrawn bid.

A withdrawal never extends the auction and never touches reputation. Each counts once against the
bidder's daily quota (Asia/Shanghai calendar day). The fee (lot setting) comes out of the frozen deposit
and goes to the seller; it is never more than the deposit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from .bidding import AuctionSnapshot, BidKind, NewBid, Standing, compute_standing, refuse_unless_open
from .calendar import beijing_day
from .errors import DomainError, ErrorCode, InvariantError
from .events import BidPlaced, BidWithdrawn, LotEvent
from .lots import LotStatus
from .rules import LotKind, LotRules


class WithdrawalScope(Enum):
    BID = "bid"  # 撤回出价
    AUCTION = "auction"  # 撤回竞拍


class RowStatus(Enum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # withdrawn by its bidder
    VOID = "void"  # a proxy answer to a bid that was withdrawn


@dataclass(frozen=True)
class BidRow:
    """One stored bid row of the lot: a public row (seq set) or a private max raise (seq None)."""

    bid_id: int
    order_no: int
    seq: int | None
    bidder_id: int
    kind: BidKind
    amount: int | None
    max_amount: int | None
    status: RowStatus


@dataclass(frozen=True)
class Quota:
    """The bidder's withdrawals today and when the count starts again."""

    limit: int
    used: int
    resets_at: datetime

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


def quota_day(now: datetime) -> tuple[datetime, datetime]:
    """The Asia/Shanghai calendar day containing ``now``, as [start, end) in UTC."""
    return beijing_day(now)


def quota_for(limit: int, used_today: int, now: datetime) -> Quota:
    _start, end = quota_day(now)
    return Quota(limit=limit, used=used_today, resets_at=end)


@dataclass(frozen=True)
class WithdrawalRequest:
    bidder_id: int
    scope: WithdrawalScope
    bid_id: int | None = None  # 撤回出价 names the bid; None means "my latest active bid"


@dataclass(frozen=True)
class WithdrawalFacts:
    """What the rules need besides the auction: the bidder's deposit on the lot and today's quota."""

    deposit_frozen: int | None  # the bidder's frozen deposit on the lot, None if none
    quota: Quota


@dataclass(frozen=True)
class WithdrawalPlan:
    """What a withdrawal would do: the preview shown before the bidder confirms, and what is applied."""

    scope: WithdrawalScope
    bidder_id: int
    rows: tuple[BidRow, ...]  # the bidder's rows that become withdrawn (public ones shown in the preview)
    fee: int
    deposit_release: int  # released to the wallet (撤回竞拍 only)
    quota: Quota
    standing_after: Standing

    @property
    def public_rows(self) -> tuple[BidRow, ...]:
        return tuple(row for row in self.rows if row.seq is not None)


@dataclass(frozen=True)
class WithdrawalDecision:
    plan: WithdrawalPlan
    withdrawn: tuple[BidRow, ...]
    voided: tuple[BidRow, ...]
    new_bids: tuple[NewBid, ...]  # a proxy row re-placed for the leader at the new price, if needed
    snapshot: AuctionSnapshot
    standing: Standing
    events: tuple[LotEvent, ...]


def withdrawal_offered(rules: LotRules) -> bool:
    """Judicial bids are binding; a commercial lot offers withdrawal unless its seller switched it off."""
    return rules.kind is LotKind.COMMERCIAL and rules.withdrawal_allowed


def _refuse_unless_withdrawable(snap: AuctionSnapshot, now: datetime) -> None:
    if not withdrawal_offered(snap.rules):
        raise DomainError(ErrorCode.WITHDRAWAL_NOT_ALLOWED, kind=snap.rules.kind.value)
    refuse_unless_open(snap.status, snap.rules.starts_at, snap.ends_at, now)
    if snap.status is not LotStatus.LIVE:  # not started yet: no bid can have been placed
        raise DomainError(ErrorCode.LOT_NOT_LIVE, status=snap.status.value)


def _rows_to_withdraw(rows: Sequence[BidRow], request: WithdrawalRequest) -> tuple[BidRow, ...]:
    mine = [row for row in rows if row.bidder_id == request.bidder_id and row.status is RowStatus.ACTIVE]
    if request.scope is WithdrawalScope.AUCTION:
        return tuple(mine)
    explicit = [row for row in mine if row.kind is BidKind.BID]
    if request.bid_id is not None:
        named = next((row for row in rows if row.bid_id == request.bid_id), None)
        if named is None or named.seq is None:
            raise DomainError(ErrorCode.BID_NOT_FOUND, bid_id=request.bid_id)
        if named.bidder_id != request.bidder_id:
            raise DomainError(ErrorCode.BID_NOT_YOURS, bid_id=request.bid_id)
        if named.status is not RowStatus.ACTIVE:
            raise DomainError(ErrorCode.BID_ALREADY_WITHDRAWN, bid_id=request.bid_id, status=named.status.value)
    if not explicit:
        raise DomainError(ErrorCode.NOTHING_TO_WITHDRAW)
    latest = max(explicit, key=lambda row: row.order_no)
    group = tuple(row for row in mine if row.order_no >= latest.order_no)
    if request.bid_id is not None and request.bid_id not in {row.bid_id for row in group}:
        raise DomainError(ErrorCode.BID_NOT_LATEST, bid_id=request.bid_id, latest_bid_id=latest.bid_id)
    return group


def plan_withdrawal(
    snap: AuctionSnapshot,
    rows: Sequence[BidRow],
    request: WithdrawalRequest,
    facts: WithdrawalFacts,
    now: datetime,
) -> WithdrawalPlan:
    """Check every rule and say what the withdrawal would do, without doing it (the preview)."""
    _refuse_unless_withdrawable(snap, now)
    targets = _rows_to_withdraw(rows, request)
    if request.scope is WithdrawalScope.AUCTION and not targets and facts.deposit_frozen is None:
        raise DomainError(ErrorCode.NOTHING_TO_WITHDRAW)
    if facts.quota.left <= 0:
        raise DomainError(
            ErrorCode.WITHDRAWAL_QUOTA_EXCEEDED,
            limit=facts.quota.limit,
            used=facts.quota.used,
            resets_at=facts.quota.resets_at.isoformat(),
            retry_after=max(1, math.ceil((facts.quota.resets_at - now).total_seconds())),  # Retry-After
        )
    deposit = facts.deposit_frozen or 0
    fee = min(snap.rules.withdrawal_fee, snap.rules.deposit)
    if fee > deposit:
        raise DomainError(ErrorCode.WITHDRAWAL_FEE_NOT_COVERED, fee=fee, deposit_frozen=deposit)
    release = deposit - fee if request.scope is WithdrawalScope.AUCTION else 0
    gone = {row.order_no for row in targets}
    remaining = tuple(sub for sub in snap.submissions if sub.order_no not in gone)
    return WithdrawalPlan(
        scope=request.scope,
        bidder_id=request.bidder_id,
        rows=targets,
        fee=fee,
        deposit_release=release,
        quota=facts.quota,
        standing_after=compute_standing(remaining, snap.rules),
    )


def withdraw(
    snap: AuctionSnapshot,
    rows: Sequence[BidRow],
    request: WithdrawalRequest,
    facts: WithdrawalFacts,
    now: datetime,
) -> WithdrawalDecision:
    """Apply a confirmed withdrawal: rows withdrawn, stale proxy answers voided, the standing recomputed."""
    plan = plan_withdrawal(snap, rows, request, facts, now)
    standing = plan.standing_after
    withdrawn_ids = {row.bid_id for row in plan.rows}
    withdrawn = tuple(replace(row, status=RowStatus.WITHDRAWN) for row in plan.rows)
    price = standing.price
    voided = tuple(
        replace(row, status=RowStatus.VOID)
        for row in rows
        if row.status is RowStatus.ACTIVE
        and row.bid_id not in withdrawn_ids
        and row.seq is not None
        and row.amount is not None
        and (price is None or row.amount > price)
    )
    gone = withdrawn_ids | {row.bid_id for row in voided}
    still_public = [
        row for row in rows if row.status is RowStatus.ACTIVE and row.seq is not None and row.bid_id not in gone
    ]

    seq = snap.seq + 1
    bid_count = snap.bid_count
    new_bids: list[NewBid] = []
    events: list[LotEvent] = []
    leader_alias = snap.aliases.get(standing.leader_id) if standing.leader_id is not None else None
    events.append(
        BidWithdrawn(
            lot_id=snap.lot_id,
            seq=seq,
            at=now,
            alias=snap.aliases.get(request.bidder_id, ""),
            scope=request.scope.value,
            withdrawn_seqs=tuple(row.seq for row in withdrawn if row.seq is not None),
            voided_seqs=tuple(row.seq for row in voided if row.seq is not None),
            current_price=price,
            leader_alias=leader_alias,
            bid_count=bid_count,
        )
    )
    order_no = snap.order_no
    leader = standing.leader_id
    has_row_at_price = any(row.bidder_id == leader and row.amount == price for row in still_public)
    if leader is not None and price is not None and not has_row_at_price:
        seq += 1
        order_no += 1
        bid_count += 1
        new_bids.append(NewBid(order_no, seq, leader, BidKind.PROXY, price, None, now))
        events.append(
            BidPlaced(
                lot_id=snap.lot_id,
                seq=seq,
                at=now,
                alias=snap.aliases[leader],
                amount=price,
                is_proxy=True,
                current_price=price,
                leader_alias=snap.aliases[leader],
                ends_at=snap.ends_at,
                bid_count=bid_count,
            )
        )
    recorded_high: dict[int, int] = {}
    for bidder_id, amount in [(row.bidder_id, row.amount) for row in still_public] + [
        (new.bidder_id, new.amount) for new in new_bids
    ]:
        if amount is None:
            raise InvariantError("a public record row has an amount")
        recorded_high[bidder_id] = max(recorded_high.get(bidder_id, 0), amount)
    gone_orders = {row.order_no for row in plan.rows}
    new_snap = replace(
        snap,
        seq=seq,
        order_no=order_no,
        bid_count=bid_count,
        submissions=tuple(sub for sub in snap.submissions if sub.order_no not in gone_orders),
        recorded_high=recorded_high,
    )
    return WithdrawalDecision(plan, withdrawn, voided, tuple(new_bids), new_snap, standing, tuple(events))
