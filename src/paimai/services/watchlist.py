"""The watchlist (关注): lots a user follows from the personal centre. Watching moves no money."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..persistence.models import Lot, User, Watch
from .uow import UnitOfWork


def watch(uow: UnitOfWork, user: User, lot: Lot) -> bool:
    """Add the lot; watching it again is a no-op (and two racing requests add one row). True if added."""
    insert = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = uow.session.execute(
        insert(Watch)
        .values(user_id=user.id, lot_id=lot.id, created_at=uow.now)
        .on_conflict_do_nothing(index_elements=["user_id", "lot_id"])
    )
    return bool(getattr(result, "rowcount", 0))


def unwatch(uow: UnitOfWork, user: User, lot_id: int) -> bool:
    """Remove the lot; unwatching a lot not watched is a no-op. True if removed."""
    result = uow.session.execute(delete(Watch).where(Watch.user_id == user.id, Watch.lot_id == lot_id))
    return bool(getattr(result, "rowcount", 0))


def is_watching(session: Session, user_id: int, lot_id: int) -> bool:
    return session.scalar(select(Watch.id).where(Watch.user_id == user_id, Watch.lot_id == lot_id)) is not None


def watchers(session: Session, lot_id: int) -> int:
    return int(session.scalar(select(func.count(Watch.id)).where(Watch.lot_id == lot_id)) or 0)
