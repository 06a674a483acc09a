"""The hash-chained public record of a lot, and its verification."""

from __future__ import annotations

import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Break:
    """Where a record stops verifying: the entry's seq and what is wrong with it."""

    seq: int
    reason: str  # "seq" (missing or out of order), "prev_hash", "hash" or "head" (the tail was cut or rewritten)


def first_break(
    chain: list[dict[str, Any]], head: str | None = None, *, after: tuple[int, str] = (0, GENESIS_HASH)
) -> Break | None:
    """The first entry that does not hash its payload onto the previous one's hash, from the genesis hash.

    ``head`` is the hash the lot row says its record ends on: without it, dropping or rewriting the last
    entries would leave a shorter chain that still verifies. ``after`` (seq, hash) verifies only the entries
    that follow one already verified (the simulator checks each step's new entries so).
    """
    expected_seq, prev = after[0] + 1, after[1]
    for entry in chain:
        if entry["seq"] != expected_seq:
            return Break(expected_seq, "seq")
        if entry["prev_hash"] != prev:
            return Break(expected_seq, "prev_hash")
        if event_hash(prev, entry["payload"]) != entry["hash"]:
            return Break(expected_seq, "hash")
        prev, expected_seq = entry["hash"], expected_seq + 1
    if head is not None and prev != head:
        return Break(expected_seq - 1, "head")
    return None


def verify(chain: list[dict[str, Any]], head: str | None = None) -> bool:
    """True when every entry hashes its payload onto the previous one's hash and the chain ends on ``head``."""
    return first_break(chain, head) is None
