"""The 成交确认书 page (/lots/{id}/confirmation): the confirmation of sale of a sold judicial lot, printable
(print CSS, a print button) and with a link to its PDF; and what the lot page's confirmation box shows.

What a lot's confirmation says, and whether it has one, is services.confirmation_reads' (domain.confirmation)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.confirmation import SaleConfirmation
from ...domain.errors import DomainError, ErrorCode
from ...services.confirmation_reads import lot_confirmation
from ..http.schemas import MAX_ID
from .rendering import Page

router = APIRouter(include_in_schema=False)


def of_lot(page: Page, lot_id: int) -> SaleConfirmation | None:
    """The lot's confirmation for the lot page's box, or None (no box)."""
    try:
        with page.container.reading() as session:
            return lot_confirmation(session, lot_id, page.user)
    except DomainError as error:
        if error.code in (ErrorCode.LOT_NOT_FOUND, ErrorCode.NOT_FOUND):
            return None
        raise


@router.get("/lots/{lot_id}/confirmation")
def confirmation_page(request: Request, lot_id: str) -> Response:
    page = Page(request)
    if not (lot_id.isascii() and lot_id.isdigit()) or not 1 <= int(lot_id) <= MAX_ID:
        return page.not_found(lot=True)
    confirmation = of_lot(page, int(lot_id))
    if confirmation is None:
        return page.not_found(lot=True)
    return page.render("confirmation.html", c=confirmation)
