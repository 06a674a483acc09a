"""Judicial rounds (RULES §7): the court lists the next round (二拍, 变卖, 重新拍卖) of its finished lot, and
anyone who may read a lot sees the property's rounds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, Field, field_validator

from ...domain.money import MAX_AMOUNT_FEN
from ...services import rounds as service
from ...services.uow import UnitOfWork
from .deps import IDEMPOTENT, ContainerDep, OptionalUserDep, UserDep, run_idempotent
from .schemas import Id, Strict, in_lot_range
from .views import lot_out

router = APIRouter(prefix="/api/v1", tags=["lots"])


class NextRoundIn(Strict):
    """The next round's times and prices; everything else is copied from the round before."""

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    start_price: int = Field(gt=0, le=MAX_AMOUNT_FEN, strict=True)
    deposit: int = Field(ge=0, le=MAX_AMOUNT_FEN, strict=True)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _in_range(cls, value: datetime) -> datetime:
        return in_lot_range(value)


@router.post("/lots/{lot_id}/next-round", status_code=201, dependencies=[IDEMPOTENT])
def list_next_round(
    lot_id: Id, body: NextRoundIn, request: Request, user: UserDep, container: ContainerDep
) -> JSONResponse:
    """The lot's court lists its next round: a new lot pending staff review (201). A repeat with the same
    Idempotency-Key answers as the first did; a second next round of the same lot is NEXT_ROUND_EXISTS."""

    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        lot = service.list_next_round(
            uow,
            user,
            lot_id,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            start_price=body.start_price,
            deposit=body.deposit,
            now=uow.now,
        )
        return 201, lot_out(uow.session, lot, user, uow.now)

    return run_idempotent(container, request, user, {"lot_id": lot_id, **body.model_dump(mode="json")}, operation)


@router.get("/lots/{lot_id}/rounds")
def lot_rounds(lot_id: Id, container: ContainerDep, viewer: OptionalUserDep) -> dict[str, Any]:
    """The property's rounds, first to last (those the viewer may read)."""
    with container.reading() as session:
        items = [
            {
                "id": lot.id,
                "round": lot.round,
                "round_kind": lot.round_kind,
                "status": lot.status,
                "start_price": lot.start_price,
                "starts_at": lot.starts_at,
                "ends_at": lot.ends_at,
                "final_price": lot.final_price,
            }
            for lot in service.round_history(session, lot_id, viewer)
        ]
    return {"lot_id": lot_id, "items": items}
