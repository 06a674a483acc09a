"""The seller's pages (issue 14): /sell (apply to sell, or the seller's home), 我的拍品 and the lot form.

Handlers read through services and the JSON API's handlers and render; every change (applying, saving a
draft, editing, submitting) is made by static/sell.js through the JSON API with the CSRF header. What may
be edited when is the domain's: the edit page asks services.selling, it does not decide.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.errors import DomainError, ErrorCode
from ...domain.lots import LotStatus, can_submit
from ...domain.rules import DEFAULT_EXTENSION_SECONDS, Category, LotKind
from ...services import accounts, selling
from ..http import api, sell_api
from ..i18n import N_, script_words
from .rendering import Page, json_block

router = APIRouter(include_in_schema=False)
BEIJING = ZoneInfo("Asia/Shanghai")

# the words static/sell.js says itself (both languages; the page's lang picks)
SCRIPT_KEYS = (
    N_("sell_saved"),
    N_("sell_submitted"),
    N_("sell_applied"),
    N_("sell_deleted"),
    N_("amount_invalid"),
    N_("fields_required"),
)


def _script_words() -> Any:
    return json_block(script_words(SCRIPT_KEYS))


def _login(page: Page, here: str) -> Response:
    return page.redirect("/login?" + urlencode({"next": here}))


def beijing_local(moment: datetime | str | None) -> str:
    """An aware time as the value of a datetime-local field in Beijing time (YYYY-MM-DDTHH:MM)."""
    if moment is None:
        return ""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")


@router.get("/sell")
def sell_home(request: Request) -> Response:
    """The seller's home: the application to sell and its state, or (approved) links to the seller's pages."""
    page = Page(request)
    user = page.user
    if user is None:
        return _login(page, "/sell")
    with page.container.reading() as session:
        application = accounts.latest_application(session, user.id)
        shown = None
        if application is not None:
            shown = {
                "kind": application.kind,
                "name": application.name,
                "status": application.status,
                "reason": application.reason,
                "created_at": application.created_at,
            }
    return page.render(
        "sell_home.html",
        approved=user.seller_status == "approved",
        seller_kind=user.seller_kind,
        may_apply=accounts.may_apply_to_sell(user),
        application=shown,
        sell_words=_script_words(),
    )


@router.get("/sell/lots")
def my_lots_page(request: Request) -> Response:
    """我的拍品: the seller's lots grouped by state, with their counts and edit or view links."""
    page = Page(request)
    user = page.user
    if user is None:
        return _login(page, "/sell/lots")
    groups = sell_api.my_lots(user=user, container=page.container)["groups"]
    return page.render("sell_lots.html", groups=groups, sell_words=_script_words())


def _form(page: Page, lot: dict[str, Any] | None) -> Response:
    now = page.now
    is_court = page.user is not None and page.user.seller_kind == "court"
    if lot is None:  # a new lot: tomorrow 10:00 to the day after 10:00, Beijing time, as a start
        # a court's judicial lot starts after its announcement's lead (domain.judicial): a month ahead
        ahead = timedelta(days=32) if is_court else timedelta(days=1)
        start = (now.astimezone(BEIJING) + ahead).replace(hour=10, minute=0, second=0, microsecond=0)
        values: dict[str, Any] = {
            "kind": (LotKind.JUDICIAL if is_court else LotKind.COMMERCIAL).value,
            "court_name": page.user.display_name if is_court and page.user is not None else "",
            "category": "",
            "extension_minutes": DEFAULT_EXTENSION_SECONDS // 60,
            "withdrawal_allowed": True,
            "starts_local": beijing_local(start),
            "ends_local": beijing_local(start + timedelta(days=1)),
        }
    else:
        values = {
            **lot,
            **(lot.get("judicial") or {}),
            "extension_minutes": int(lot["extension_seconds"]) // 60,
            "starts_local": beijing_local(lot["starts_at"]),
            "ends_local": beijing_local(lot["scheduled_ends_at"] or lot["ends_at"]),
        }
    return page.render(
        "sell_lot_form.html",
        lot=lot,
        values=values,
        may_submit=lot is None or can_submit(LotStatus(lot["status"])),
        categories_all=[c.value for c in Category],
        kinds=[k.value for k in LotKind],
        is_court=is_court,
        sell_words=_script_words(),
    )


@router.get("/sell/lots/new")
def new_lot_page(request: Request) -> Response:
    page = Page(request)
    user = page.user
    if user is None:
        return _login(page, "/sell/lots/new")
    if user.seller_status != "approved":
        return page.redirect("/sell")
    return _form(page, None)


@router.get("/sell/lots/{lot_id}/edit")
def edit_lot_page(request: Request, lot_id: str) -> Response:
    """The lot form prefilled; a lot not editable any more (scheduled, live, ended) says so and links to it."""
    page = Page(request)
    user = page.user
    if user is None:
        return _login(page, f"/sell/lots/{lot_id}/edit" if lot_id.isdigit() else "/sell/lots")
    if not (lot_id.isascii() and lot_id.isdigit()) or len(lot_id) > 18:
        return page.not_found(lot=True)
    try:
        with page.container.reading() as session:
            selling.editable_lot(session, user, int(lot_id))
        lot = api.get_lot(lot_id=int(lot_id), container=page.container, viewer=user)
    except DomainError as error:
        if error.code in (ErrorCode.LOT_NOT_FOUND, ErrorCode.LOT_NOT_YOURS):
            return page.not_found(lot=True)
        if error.code is ErrorCode.LOT_NOT_EDITABLE:
            return page.render("sell_not_editable.html", status_code=409, lot_id=int(lot_id))
        raise
    return _form(page, lot)
