"""Events the domain emits. Each lot event carries the lot's sequence number (gap-free per lot)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class LotEvent:
    lot_id: int
    seq: int
    at: datetime

    @property
    def type(self) -> str:
        return type(self).__name__

    def payload(self) -> dict[str, Any]:
        """JSON-ready fields (times as ISO 8601 UTC) for the outbox, the record and live clients."""
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            out[field.name] = value.isoformat() if isinstance(value, datetime) else value
        out["type"] = self.type
        return out


@dataclass(frozen=True)
class LotStarted(LotEvent):
    ends_at: datetime


@dataclass(frozen=True)
class BidPlaced(LotEvent):
    alias: str
    amount: int
    is_proxy: bool
    current_price: int
    leader_alias: str
    ends_at: datetime
    bid_count: int


@dataclass(frozen=True)
class AuctionExtended(LotEvent):
    ends_at: datetime
    extensions: int


@dataclass(frozen=True)
class LotClosed(LotEvent):
    status: str
    final_price: int | None
    winner_alias: str | None


@dataclass(frozen=True)
class LotCancelled(LotEvent):
    reason: str


@dataclass(frozen=True)
class LotSuspended(LotEvent):
    """暂缓/中止: no deposits or bids until resumed; the end does not come meanwhile."""

    reason: str


@dataclass(frozen=True)
class LotResumed(LotEvent):
    """The lot is back where it was, its remaining times moved by the time it was suspended."""

    reason: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class BidWithdrawn(LotEvent):
    """撤回出价 / 撤回竞拍: the rows marked withdrawn (and proxy answers voided), and the new standing."""

    alias: str
    scope: str  # "bid" or "auction"
    withdrawn_seqs: tuple[int, ...]
    voided_seqs: tuple[int, ...]
    current_price: int | None
    leader_alias: str | None
    bid_count: int
