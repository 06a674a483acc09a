"""Selling (issue 14): a seller's drafts, edits, submission for review and 我的拍品 over HTTP.

Handlers parse, call one service step in one transaction and shape the lot as GET /lots/{id} does; what may
be edited when is the domain's (domain.lots.EDITABLE)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Response

from ...services import order_reads, seller_reads, selling
from .deps import ContainerDep, UserDep
from .orders_api import order_json
from .schemas import Id, LotPatchIn
from .views import lot_json, lot_out

router = APIRouter(prefix="/api/v1", tags=["selling"])


@router.patch("/lots/{lot_id}")
def edit_lot(lot_id: Id, body: LotPatchIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """The seller edits their lot while it is a draft, in review or rejected (LOT_NOT_EDITABLE, 409, once
    it is scheduled: a published lot's rules never change). Only the fields sent change."""
    with container.transaction() as uow:
        lot = selling.edit_lot(uow, user, lot_id, body.changes())
        return lot_out(uow.session, lot, user, uow.now)


@router.post("/lots/{lot_id}/submit")
def submit_lot(lot_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """送审: a draft or rejected lot goes to staff review; its rules are validated again as of server time."""
    with container.transaction() as uow:
        lot = selling.submit_lot(uow, user, lot_id)
        return lot_out(uow.session, lot, user, uow.now)


@router.delete("/lots/{lot_id}", status_code=204)
def delete_draft(lot_id: Id, user: UserDep, container: ContainerDep) -> Response:
    """Delete a draft (only a draft: LOT_NOT_EDITABLE otherwise)."""
    with container.transaction() as uow:
        selling.delete_draft(uow, user, lot_id)
    return Response(status_code=204)


@router.get("/me/lots")
def my_lots(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """我的拍品: the seller's lots grouped by state, with bid, deposit and watcher counts."""
    now = container.now()
    with container.reading() as session:
        shelves = selling.my_lots(session, user, now)
    return {"groups": [{"shelf": shelf, "items": [asdict(lot) for lot in shelves[shelf]]} for shelf in shelves]}


@router.get("/me/sales")
def my_sales(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """我的销售: every order of the seller's lots, newest first, with the seller's next steps and the sums."""
    now = container.now()
    with container.reading() as session:
        sales = order_reads.my_sales(session, user, now)
        items = [{**order_json(sale.order, now), "buyer_alias": sale.buyer_alias} for sale in sales.items]
    return {"items": items, "totals": asdict(sales.totals), "server_time": now}


@router.get("/sellers/{seller_id}", tags=["lots"])
def public_seller(seller_id: Id, container: ContainerDep) -> dict[str, Any]:
    """A seller's public page: name, kind, approved since, published lots (live, scheduled, ended), deals."""
    now = container.now()
    with container.reading() as session:
        profile = seller_reads.public_seller(session, seller_id, now)
        return {
            "id": profile.id,
            "display_name": profile.display_name,
            "kind": profile.kind,
            "approved_since": profile.approved_since,
            "deals_count": profile.deals_count,
            "ratings": None,  # reviews do not exist yet
            "groups": [
                {"shelf": shelf, "items": [lot_json(read, now) for read in reads]}
                for shelf, reads in profile.shelves.items()
            ],
            "server_time": now,
        }
