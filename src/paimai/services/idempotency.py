"""Idempotency-Key: a money-moving request repeated with the same key gets the first response, once.

The stored response lives in the same transaction as the operation it answers, so either both are kept
or neither; two requests racing with one key collide on a unique constraint and the loser replays.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..domain.errors import DomainError, ErrorCode
from ..persistence.models import IdempotencyRecord
from .uow import UnitOfWork


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Any  # JSON-ready
    replayed: bool


def run_once(
    uow: UnitOfWork,
    user_id: int,
    key: str,
    fingerprint: str,
    operation: Callable[[UnitOfWork], tuple[int, dict[str, Any]]],
    encode: Callable[[Any], Any],
) -> Outcome:
    """Replay the stored answer to (user, key), or run the operation and store its answer with it.

    The same key with another request (another fingerprint) is refused: a client bug, not a repeat."""
    stored = uow.session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
    )
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED)
        return Outcome(stored.status_code, json.loads(stored.response_body), replayed=True)
    status, result = operation(uow)
    encoded = encode(result)
    uow.session.add(
        IdempotencyRecord(
            user_id=user_id,
            key=key,
            fingerprint=fingerprint,
            status_code=status,
            response_body=json.dumps(encoded),
            created_at=uow.now,
        )
    )
    uow.session.flush()
    return Outcome(status, encoded, replayed=False)
