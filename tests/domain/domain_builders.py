"""Builders shared by the domain tests: lot rules, live auction snapshots and bid helpers.

No database and no web: a snapshot is built directly and every call gets its time passed in as an aware
UTC datetime.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from paimai.domain.bidding import (
    AuctionSnapshot,
    BidDecision,
    BidderStanding,
    BidRequest,
    NewBid,
    place_bid,
)
from paimai.domain.errors import DomainError
from paimai.domain.lots import LotStatus
from paimai.domain.rules import LotKind, LotRules

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 北京时间
START = 100_000  # ¥1,000.00
INC = 10_000  # ¥100.00
DEPOSIT = 20_000
LOT_ID = 7
SELLER_ID = 99
BIDDER_IDS = (1, 2, 3, 4, 5)
ALIASES = {1: "A3F9", 2: "B7C2", 3: "C1D4", 4: "D8E6", 5: "E5F0"}
OK = BidderStanding(has_deposit=True)
NOW = T0 + timedelta(minutes=10)  # well inside the default one-hour auction, outside any extension window


def g(k: int) -> int:
    """The k-th point of the price grid: start + k × increment."""
    return START + k * INC


def make_rules(**overrides: Any) -> LotRules:
    values: dict[str, Any] = {
        "kind": LotKind.COMMERCIAL,
        "start_price": START,
        "increment": INC,
        "deposit": DEPOSIT,
        "starts_at": T0,
        "ends_at": T0 + timedelta(hours=1),
    }
    values.update(overrides)
    return LotRules(**values)


def make_snapshot(
    rules: LotRules | None = None,
    *,
    status: LotStatus = LotStatus.LIVE,
    aliases: dict[int, str] | None = None,
) -> AuctionSnapshot:
    rules = rules if rules is not None else make_rules()
    return AuctionSnapshot(
        lot_id=LOT_ID,
        status=status,
        seller_id=SELLER_ID,
        rules=rules,
        ends_at=rules.ends_at,
        extensions=0,
        seq=0,
        order_no=0,
        bid_count=0,
        submissions=(),
        recorded_high={},
        aliases=dict(ALIASES if aliases is None else aliases),
    )


def bid(
    snap: AuctionSnapshot,
    bidder_id: int,
    amount: int,
    max_amount: int | None = None,
    *,
    at: datetime = NOW,
    standing: BidderStanding = OK,
) -> BidDecision:
    return place_bid(snap, BidRequest(bidder_id, amount, max_amount), standing, at)


def refusal(
    snap: AuctionSnapshot,
    bidder_id: int,
    amount: int,
    max_amount: int | None = None,
    *,
    at: datetime = NOW,
    standing: BidderStanding = OK,
) -> DomainError:
    with pytest.raises(DomainError) as info:
        bid(snap, bidder_id, amount, max_amount, at=at, standing=standing)
    return info.value


def run_bids(
    steps: Iterable[tuple[int, int, int | None]], snap: AuctionSnapshot | None = None, *, at: datetime = NOW
) -> list[BidDecision]:
    """Apply (bidder, amount, max_amount) in order, feeding each decision's snapshot into the next call."""
    current = snap if snap is not None else make_snapshot()
    decisions: list[BidDecision] = []
    for bidder_id, amount, max_amount in steps:
        decision = bid(current, bidder_id, amount, max_amount, at=at)
        decisions.append(decision)
        current = decision.snapshot
    return decisions


def public_rows(decisions: Iterable[BidDecision]) -> list[NewBid]:
    """The rows of the public bid record (拍卖记录) the decisions produced, in order."""
    return [row for decision in decisions for row in decision.new_bids if row.seq is not None]
