"""成交确认书 (confirmation of sale, RULES §7) of a sold judicial lot, as JSON and as a PDF.

Public, like the lot: the buyer's real name and masked ID number are published with a sold judicial lot (as on
Alibaba's judicial auctions). A lot without one (commercial, unsold, not ended, its order ended) answers
CONFIRMATION_NOT_AVAILABLE (404)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from ...domain.confirmation import SaleConfirmation
from ...services.confirmation_reads import require_confirmation
from ..web.confirmation_pdf import render_confirmation_pdf
from .deps import ContainerDep, OptionalUserDep
from .schemas import Id

router = APIRouter(prefix="/api/v1", tags=["lots"])


def confirmation_json(c: SaleConfirmation) -> dict[str, Any]:
    return {
        "number": c.number,
        "lot_id": c.lot_id,
        "lot_title": c.lot_title,
        "court_name": c.court_name,
        "case_number": c.case_number,
        "buyer_name": c.buyer_name,
        "buyer_masked_id": c.buyer_masked_id,
        "price": c.price_fen,
        "commission": c.commission_fen,
        "sold_at": c.sold_at.isoformat(),
        "pay_by": c.pay_by.isoformat() if c.pay_by else None,
        "pdf_url": f"/api/v1/lots/{c.lot_id}/confirmation.pdf",
    }


@router.get("/lots/{lot_id}/confirmation")
def lot_confirmation(lot_id: Id, container: ContainerDep, viewer: OptionalUserDep) -> dict[str, Any]:
    """网络竞价成交确认书 of a sold judicial lot: court, case number, buyer (name, masked ID), price (fen)."""
    with container.reading() as session:
        return confirmation_json(require_confirmation(session, lot_id, viewer))


@router.get(
    "/lots/{lot_id}/confirmation.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The confirmation as a PDF."}},
)
def lot_confirmation_pdf(lot_id: Id, container: ContainerDep, viewer: OptionalUserDep) -> Response:
    """The same confirmation as a printable PDF (an attachment named by the confirmation number)."""
    with container.reading() as session:
        confirmation = require_confirmation(session, lot_id, viewer)
    return Response(
        content=render_confirmation_pdf(confirmation),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{confirmation.number}.pdf"'},
    )
