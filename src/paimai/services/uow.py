"""The unit of work a service runs in: one session, the current time, events staged for after commit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..domain.events import LotEvent
from ..domain.rules import PlatformRules
from ..persistence.models import Lot, LotEventRow

GENESIS_HASH = "0" * 64


def event_hash(prev_hash: str, payload_json: str) -> str:
    """Each record entry commits to the previous one: altering or dropping any breaks the chain."""
    return hashlib.sha256((prev_hash + payload_json).encode()).hexdigest()


def canonical_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass
class UnitOfWork:
    session: Session
    now: datetime
    published: list[dict[str, Any]] = field(default_factory=list)
    platform: PlatformRules = field(default_factory=PlatformRules)  # the operator's settings (RULES §6)

    def record(self, lot: Lot, events: Iterable[LotEvent]) -> None:
        """Append events to the lot's hash-chained record (the outbox) and stage them for publishing."""
        for lot_event in events:
            payload = lot_event.payload()
            body = canonical_json(payload)
            digest = event_hash(lot.last_hash, body)
            self.session.add(
                LotEventRow(
                    lot_id=lot.id,
                    seq=lot_event.seq,
                    type=lot_event.type,
                    payload=body,
                    prev_hash=lot.last_hash,
                    hash=digest,
                    created_at=lot_event.at,
                )
            )
            lot.last_hash = digest
            self.published.append(payload)
