"""The hash-chained public record of a lot, and its verification."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..persistence.models import LotEventRow
from .uow import GENESIS_HASH, event_hash


def entries(session: Session, lot_id: int, after_seq: int = 0) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(LotEventRow).where(LotEventRow.lot_id == lot_id, LotEventRow.seq > after_seq).order_by(LotEventRow.seq)
    )
    return [
        {"seq": r.seq, "type": r.type, "payload": r.payload, "prev_hash": r.prev_hash, "hash": r.hash} for r in rows
    ]


def events_after(session: Session, lot_id: int, after_seq: int) -> list[dict[str, Any]]:
    """The lot's events after a sequence number, as live clients receive them."""
    return [json.loads(e["payload"]) for e in entries(session, lot_id, after_seq)]


def verify(chain: list[dict[str, Any]]) -> bool:
    """True when every entry hashes its payload onto the previous one's hash, from the genesis hash."""
    prev = GENESIS_HASH
    expected_seq = 1
    for entry in chain:
        if entry["seq"] != expected_seq or entry["prev_hash"] != prev:
            return False
        if event_hash(prev, entry["payload"]) != entry["hash"]:
            return False
        prev, expected_seq = entry["hash"], expected_seq + 1
    return True
