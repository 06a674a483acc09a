"""The court's desk for one judicial lot (issue 9, item 10): `/sell/lots/{id}/court` — who registered (by
alias), who accepted the notice, the priority buyers (register and remove them before bidding starts).

The lot's court (its seller) and staff only; anyone else is told the lot is not found, as the JSON API
answers. Changes go through the JSON API from static/court.js; whether the forms are offered is the
domain's (domain.priority.registration_open).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.errors import DomainError, ErrorCode
from ...domain.lots import LotStatus
from ...domain.priority import MAX_RANK, PriorityBasis, registration_open
from ...domain.rules import LotKind
from ...services import court_reads
from ...services import priority as priority_service
from ..http import api
from ..i18n import N_, script_words
from .rendering import Page, json_block

router = APIRouter(include_in_schema=False)

SCRIPT_KEYS = (N_("court_holder_needed"), N_("court_remove_confirm"))
MISSING = (ErrorCode.LOT_NOT_FOUND, ErrorCode.NOT_LOT_SELLER, ErrorCode.NOTICE_NOT_APPLICABLE)


@router.get("/sell/lots/{lot_id}/court")
def court_lot(request: Request, lot_id: str) -> Response:
    page = Page(request)
    user = page.user
    if user is None:
        target = f"/sell/lots/{lot_id}/court" if lot_id.isascii() and lot_id.isdigit() else "/sell/lots"
        return page.redirect("/login?" + urlencode({"next": target}))
    if not (lot_id.isascii() and lot_id.isdigit()) or len(lot_id) > 18:
        return page.not_found(lot=True)
    wanted = int(lot_id)
    try:
        lot = api.get_lot(lot_id=wanted, container=page.container, viewer=user)
        with page.container.reading() as session:
            registered = court_reads.registrations(session, user, wanted)
            holders = [asdict(h) for h in priority_service.list_holders(session, wanted, user)]
    except DomainError as error:
        if error.code in MISSING:
            return page.not_found(lot=True)
        raise
    starts_at = lot["starts_at"]
    open_now = registration_open(
        LotKind(lot["kind"]),
        LotStatus(lot["status"]),
        starts_at if isinstance(starts_at, datetime) else datetime.fromisoformat(starts_at),
        page.now,
    )
    return page.render(
        "court_lot.html",
        lot=lot,
        registered=registered,
        holders=holders,
        registration_open=open_now,
        bases=[basis.value for basis in PriorityBasis],
        max_rank=MAX_RANK,
        court_words=json_block(script_words(SCRIPT_KEYS)),
    )
