"""Judicial auctions (issue 9): a bidder accepts the lot's 竞买须知 and as-is notice before the deposit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ...services import notices_judicial
from .deps import ContainerDep, UserDep
from .schemas import Id, iso

router = APIRouter(prefix="/api/v1", tags=["lots"])


@router.post(
    "/lots/{lot_id}/notice-acceptance",
    status_code=201,
    responses={201: {"description": "Accepted now; 200: accepted before (the first time is kept)"}},
)
def accept_notice(lot_id: Id, user: UserDep, container: ContainerDep) -> JSONResponse:
    """Accept a judicial lot's 竞买须知 and 现状拍卖 notice (required before its deposit: NOTICE_NOT_ACCEPTED).
    Accepting again changes nothing and answers the first acceptance's time. NOTICE_NOT_APPLICABLE (409) on
    a commercial lot; staff and the lot's court are not bidders."""
    with container.transaction() as uow:
        row, created = notices_judicial.accept_notice(uow, user, lot_id)
        body: dict[str, Any] = {"lot_id": row.lot_id, "accepted_at": iso(row.accepted_at), "created": created}
    return JSONResponse(body, status_code=201 if created else 200)
