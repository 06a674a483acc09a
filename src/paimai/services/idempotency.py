"""Idempotency-Key: a money-moving request repeated with the same key gets the first answer, whatever it was.

The first answer to (user, key) is stored and replayed for good (so for at least the 24 hours a client may
retry in), refusals included (Stripe's rule): a key whose first use was refused cannot be reused with other
parameters to do something else. A success is stored in the same transaction as the operation it answers,
so either both are kept or neither; a refusal rolls its transaction back and is stored afterwards in a
transaction of its own (store_answer). Two requests racing with one key collide on a unique constraint and
the loser replays the winner's answer.
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


def stored_answer(uow: UnitOfWork, user_id: int, key: str, fingerprint: str) -> Outcome | None:
    """The answer stored for (user, key), if any. The same key with another request (another fingerprint) is
    refused with IDEMPOTENCY_KEY_REUSED: a client bug, not a repeat."""
    stored = uow.session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
    )
    if stored is None:
        return None
    if stored.fingerprint != fingerprint:
        raise DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED)
    return Outcome(stored.status_code, json.loads(stored.response_body), replayed=True)


def _store(uow: UnitOfWork, user_id: int, key: str, fingerprint: str, status: int, encoded: Any) -> Outcome:
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


def run_once(
    uow: UnitOfWork,
    user_id: int,
    key: str,
    fingerprint: str,
    operation: Callable[[UnitOfWork], tuple[int, dict[str, Any]]],
    encode: Callable[[Any], Any],
) -> Outcome:
    """Replay the stored answer to (user, key), or run the operation and store its answer with it.

    A refusal the operation raises propagates (its transaction rolls back); the caller stores it with
    store_answer."""
    replay = stored_answer(uow, user_id, key, fingerprint)
    if replay is not None:
        return replay
    status, result = operation(uow)
    return _store(uow, user_id, key, fingerprint, status, encode(result))


def store_answer(uow: UnitOfWork, user_id: int, key: str, fingerprint: str, status: int, body: Any) -> Outcome:
    """Store a refusal as the key's first answer, in a transaction of its own after the refused one rolled
    back; if a concurrent request with the key stored its answer meanwhile, that one is the first."""
    replay = stored_answer(uow, user_id, key, fingerprint)
    if replay is not None:
        return replay
    return _store(uow, user_id, key, fingerprint, status, body)
