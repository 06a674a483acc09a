"""In-app notifications (RULES §8): written in the same transaction as what they announce, read and marked
read from the personal centre. Their words are the catalogue's (`notice.<kind>`), never stored."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..domain.notices import NoticeKind
from ..persistence.models import Lot, Notification
from .uow import UnitOfWork


def notify(
    uow: UnitOfWork,
    user_id: int,
    kind: NoticeKind,
    *,
    lot: Lot | None = None,
    order_id: int | None = None,
    offer_id: int | None = None,
    **params: Any,
) -> None:
    """An in-app notification, written in the same transaction as what it announces."""
    values = {"lot_title": lot.title if lot is not None else "", **params}
    uow.session.add(
        Notification(
            user_id=user_id,
            kind=kind.value,
            lot_id=lot.id if lot is not None else None,
            order_id=order_id,
            offer_id=offer_id,
            params=json.dumps(values, ensure_ascii=False),
            created_at=uow.now,
        )
    )


def notifications(session: Session, user_id: int, limit: int, before_id: int | None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    return list(session.scalars(query))


def unread_count(session: Session, user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(uow: UnitOfWork, user_id: int, ids: Sequence[int] | None) -> int:
    """Mark some (or, with None, all) of the user's notifications read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    result = uow.session.execute(query.values(read_at=uow.now))
    return int(getattr(result, "rowcount", 0) or 0)
