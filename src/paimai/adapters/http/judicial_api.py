"""Judicial auctions (issue 9): a bidder accepts the lot's 竞买须知 and as-is notice before the deposit; the
court reads who registered (by alias)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ...services import court_reads, notices_judicial
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


@router.get("/lots/{lot_id}/registrations")
def registrations(lot_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """报名情况, for the lot's court and staff: each deposit paid (alias, amount, status, times) and each bidder
    who only accepted the notice; aliases only — bidders stay secret until the sale ends. NOT_LOT_SELLER (403)
    for anyone else; NOTICE_NOT_APPLICABLE (409) on a commercial lot."""
    with container.reading() as session:
        return asdict(court_reads.registrations(session, user, lot_id))
