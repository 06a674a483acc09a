"""The watchlist (关注): follow a lot from its page, see every followed lot in the personal centre."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...services import lot_reads
from ...services import watchlist as service
from .deps import ContainerDep, UserDep
from .schemas import Cursor, Id, Limit
from .views import lot_json, page

router = APIRouter(prefix="/api/v1", tags=["watchlist"])


def _state(container: ContainerDep, user: UserDep, lot_id: int) -> dict[str, Any]:
    with container.reading() as session:
        return {
            "lot_id": lot_id,
            "watching": service.is_watching(session, user.id, lot_id),
            "watchers": service.watchers(session, lot_id),
        }


@router.post("/lots/{lot_id}/watch")
def watch(lot_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """关注: add the lot to your watchlist (again: no change)."""
    with container.transaction() as uow:
        lot = lot_reads.readable_lot(uow.session, lot_id, lot_reads.reader_of(user))
        service.watch(uow, user, lot)
    return _state(container, user, lot_id)


@router.delete("/lots/{lot_id}/watch")
def unwatch(lot_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """取消关注: remove the lot from your watchlist (not watched: no change)."""
    with container.transaction() as uow:
        lot_reads.readable_lot(uow.session, lot_id, lot_reads.reader_of(user))
        service.unwatch(uow, user, lot_id)
    return _state(container, user, lot_id)


@router.get("/me/watchlist", tags=["me"])
def my_watchlist(
    user: UserDep,
    container: ContainerDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Every lot you follow, newest first, each as the lot API shows it (price, status, end)."""
    now = container.now()
    with container.reading() as session:
        items = [
            {**lot_json(item.lot, now), "watch_id": item.watch_id, "watched_at": item.watched_at}
            for item in lot_reads.watchlist(session, user, now, limit, cursor)
        ]
    return page(items, limit, lambda item: item["watch_id"])
