"""The back office's detail pages (issue 14): one lot (`/staff/lots/{id}`) and one seller application
(`/staff/applications/{id}`), each with its whole history and the same decision forms as its queue.

Staff only, guarded as every back-office page (staff_pages._staff_page). They change nothing: static/staff.js
approves, rejects and cancels through the JSON API, as on the queues.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.errors import DomainError, ErrorCode
from ...services import staff_detail_reads, staff_reads
from ..http import api, media_api, staff_api
from .staff_pages import PAGE_SIZE, _staff_object_page

router = APIRouter(include_in_schema=False)

MISSING = (ErrorCode.LOT_NOT_FOUND, ErrorCode.NOT_FOUND)


@router.get("/staff/lots/{lot_id}")
def staff_lot(request: Request, lot_id: str) -> Response:
    found = _staff_object_page(request, lot_id)
    if isinstance(found, Response):
        return found
    view, wanted = found
    page = view.page
    try:
        lot = api.get_lot(lot_id=wanted, container=page.container, viewer=view.staff)
    except DomainError as error:
        if error.code in MISSING:
            return page.not_found()
        raise
    with page.container.reading() as session:
        deposits = staff_detail_reads.lot_deposits(session, wanted)
        orders = staff_detail_reads.lot_orders(session, wanted)
        history = staff_detail_reads.lot_history(session, wanted)
    actions = staff_detail_reads.lot_actions(lot["status"], lot["starts_at"], lot["ends_at"], page.now)
    window = int(lot["extension_seconds"])
    extension_window = page.t("minutes", n=window // 60) if window % 60 == 0 else page.t("seconds", n=window)
    return page.render(
        "staff_lot.html",
        section="lots",
        lot={**lot, "actions": actions},
        tab=lot["status"] if lot["status"] in staff_reads.LOT_TABS else None,
        extension_window=extension_window,
        deposits=deposits,
        orders=orders,
        history=history,
    )


@router.get("/staff/applications/{application_id}")
def staff_application(request: Request, application_id: str) -> Response:
    found = _staff_object_page(request, application_id)
    if isinstance(found, Response):
        return found
    view, wanted = found
    page = view.page
    try:
        with page.container.reading() as session:
            application = staff_detail_reads.application(session, wanted)
            others = [a for a in staff_detail_reads.applications_of(session, application.user_id) if a.id != wanted]
    except DomainError as error:
        if error.code in MISSING:
            return page.not_found()
        raise
    documents = media_api.application_documents(application_id=wanted, user=view.staff, container=page.container)
    entries = staff_api.audit(
        user=view.staff,
        container=page.container,
        object_type="seller_application",
        object_id=wanted,
        limit=PAGE_SIZE,
    )["items"]
    shown: dict[str, Any] = {**asdict(application), "documents": documents["items"]}
    return page.render(
        "staff_application.html",
        section="applications",
        a=shown,
        others=others,
        entries=entries,
    )
