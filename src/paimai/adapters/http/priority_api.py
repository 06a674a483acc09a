"""Priority buyers (优先购买权人) of a judicial lot: the court (or staff) registers them before bidding starts;
anyone who may read the lot sees their aliases and ranks, the court and staff also who they are."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from pydantic import Field

from ...domain.priority import MAX_RANK, PriorityBasis
from ...services import priority as service
from ...services.priority import HolderRead
from .deps import ContainerDep, OptionalUserDep, UserDep
from .schemas import MAX_ID, NO_NUL, Id, Strict

router = APIRouter(prefix="/api/v1", tags=["lots"])


class PriorityHolderIn(Strict):
    """Name the holder by user_id or by username; rank 1 is the highest."""

    user_id: int | None = Field(default=None, ge=1, le=MAX_ID, strict=True)
    username: str | None = Field(default=None, min_length=1, max_length=64, pattern=NO_NUL)
    rank: int = Field(ge=1, le=MAX_RANK, strict=True)
    basis: PriorityBasis


def holder_json(holder: HolderRead) -> dict[str, Any]:
    """The public's row is rank and alias only; the court's and staff's carry the rest (never an ID number)."""
    if holder.user_id is None:
        return {"rank": holder.rank, "alias": holder.alias}
    return asdict(holder)


def _holders(container: ContainerDep, lot_id: int, viewer: Any) -> dict[str, Any]:
    with container.reading() as session:
        items = [holder_json(holder) for holder in service.list_holders(session, lot_id, viewer)]
    return {"lot_id": lot_id, "items": items}


@router.get("/lots/{lot_id}/priority-holders")
def priority_holders(lot_id: Id, container: ContainerDep, viewer: OptionalUserDep) -> dict[str, Any]:
    """The lot's priority buyers by rank."""
    return _holders(container, lot_id, viewer)


@router.post("/lots/{lot_id}/priority-holders", status_code=201)
def register_priority_holder(
    lot_id: Id, body: PriorityHolderIn, user: UserDep, container: ContainerDep
) -> dict[str, Any]:
    """登记优先购买权人: the lot's court (or staff), on a judicial lot, before bidding starts."""
    with container.transaction() as uow:
        service.register_holder(
            uow, user, lot_id, rank=body.rank, basis=body.basis, user_id=body.user_id, username=body.username
        )
    return _holders(container, lot_id, user)


@router.delete("/lots/{lot_id}/priority-holders/{user_id}")
def remove_priority_holder(lot_id: Id, user_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """撤销优先购买权人: the same people, under the same rules."""
    with container.transaction() as uow:
        service.remove_holder(uow, user, lot_id, user_id)
    return _holders(container, lot_id, user)
