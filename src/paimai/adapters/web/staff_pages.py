"""The back office (`/staff`, issue 14): the home with the work waiting in each queue, and the queues —
seller applications, lots (in review, live, scheduled, rejected) and orders needing the platform.

Staff only: a visitor is sent to sign in, a signed-in account that is not staff gets the not-found page
(the back office does not announce itself). Like every page, these read through the JSON API's handlers
and change nothing themselves: static/staff.js approves, rejects and cancels through the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.calendar import BEIJING
from ...domain.errors import DomainError, ErrorCode
from ...services import staff_detail_reads, staff_reads
from ...services.types import User
from ..http import api, media_api, orders_api, staff_api
from .rendering import Page

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class StaffPage:
    page: Page
    staff: User


def _staff_page(request: Request) -> StaffPage | Response:
    """The page and its staff member, or the answer for anyone else (sign in first; non-staff: not found)."""
    page = Page(request)
    if page.user is None:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return page.redirect("/login?" + urlencode({"next": here}))
    if not page.user.is_staff:
        return page.not_found()
    return StaffPage(page, page.user)


def _staff_object_page(request: Request, raw_id: str) -> tuple[StaffPage, int] | Response:
    """A detail page's guard: the staff page as above, and its object's id from the path (not a number: the
    not-found page, as for an unknown id)."""
    view = _staff_page(request)
    if isinstance(view, Response):
        return view
    wanted = _number(raw_id)
    if wanted is None:
        return view.page.not_found()
    return view, wanted


def _tab(value: str | None, tabs: tuple[str, ...]) -> str:
    return value if value in tabs else tabs[0]


@router.get("/staff")
def staff_home(request: Request) -> Response:
    view = _staff_page(request)
    if isinstance(view, Response):
        return view
    page = view.page
    with page.container.reading() as session:
        counts = staff_reads.queue_counts(session)
    return page.render("staff_home.html", counts=counts, section="home")


@router.get("/staff/applications")
def staff_applications(request: Request, status: str | None = None) -> Response:
    view = _staff_page(request)
    if isinstance(view, Response):
        return view
    page = view.page
    chosen = _tab(status, staff_reads.APPLICATION_TABS)
    items = api.seller_applications(user=view.staff, container=page.container, status=chosen)["items"]
    with page.container.reading() as session:
        names = staff_reads.display_names(session, {int(item["user_id"]) for item in items})
    documents = {
        item["id"]: media_api.application_documents(
            application_id=item["id"], user=view.staff, container=page.container
        )["items"]
        for item in items
    }
    return page.render(
        "staff_applications.html",
        section="applications",
        status=chosen,
        tabs=staff_reads.APPLICATION_TABS,
        applications=[
            {
                **item,
                "applicant": names.get(int(item["user_id"]), ""),
                "documents": documents[item["id"]],
                "decidable": staff_detail_reads.application_decidable(item["status"]),
            }
            for item in items
        ],
    )


@router.get("/staff/lots")
def staff_lots(request: Request, status: str | None = None) -> Response:
    view = _staff_page(request)
    if isinstance(view, Response):
        return view
    page = view.page
    chosen = _tab(status, staff_reads.LOT_TABS)
    found = api.staff_lots(user=view.staff, container=page.container, status=chosen, limit=100, cursor=None)
    lots = [
        {**lot, "actions": staff_detail_reads.lot_actions(lot["status"], lot["starts_at"], lot["ends_at"], page.now)}
        for lot in found["items"]
    ]
    return page.render("staff_lots.html", section="lots", status=chosen, tabs=staff_reads.LOT_TABS, lots=lots)


@router.get("/staff/orders")
def staff_orders(request: Request, status: str | None = None) -> Response:
    view = _staff_page(request)
    if isinstance(view, Response):
        return view
    page = view.page
    chosen = _tab(status, staff_reads.ORDER_TABS)
    found = orders_api.staff_orders(user=view.staff, container=page.container, status=chosen, limit=100, cursor=None)
    return page.render(
        "staff_orders.html", section="orders", status=chosen, tabs=staff_reads.ORDER_TABS, orders=found["items"]
    )


PAGE_SIZE = 50
MAX_ID = 2**63 - 1


def _text(value: str | None) -> str | None:
    """A search field as the API takes it: no NUL, at most 100 characters, blank means none."""
    text = (value or "").replace("\x00", "").strip()[:100]
    return text or None


def _number(value: str | None) -> int | None:
    text = (value or "").strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID:
        return int(text)
    return None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _beijing_midnight(day: date) -> datetime:
    """The start of a Beijing calendar day, as aware UTC (the API's time)."""
    return datetime.combine(day, time(0), tzinfo=BEIJING).astimezone(UTC)


def _next_link(path: str, params: dict[str, Any], cursor: Any) -> str | None:
    if cursor is None:
        return None
    kept = {key: value for key, value in params.items() if value not in (None, "")}
    return path + "?" + urlencode({**kept, "cursor": cursor})


@router.get("/staff/users")
def staff_users(request: Request, q: str | None = None, cursor: str | None = None) -> Response:
    view = _staff_page(request)
    if isinstance(view, Response):
        return view
    page = view.page
    query = _text(q)
    found = staff_api.users(user=view.staff, container=page.container, q=query, limit=PAGE_SIZE, cursor=_number(cursor))
    return page.render(
        "staff_users.html",
        section="users",
        q=query or "",
        users=found["items"],
        next_link=_next_link("/staff/users", {"q": query}, found["next_cursor"]),
    )


@router.get("/staff/users/{user_id}")
def staff_user(request: Request, user_id: str) -> Response:
    found = _staff_object_page(request, user_id)
    if isinstance(found, Response):
        return found
    view, wanted = found
    page = view.page
    try:
        account = staff_api.get_user(user_id=wanted, user=view.staff, container=page.container)
    except DomainError as error:
        if error.code in (ErrorCode.NOT_FOUND, ErrorCode.USER_NOT_FOUND):
            return page.not_found()
        raise
    entries = staff_api.audit(
        user=view.staff, container=page.container, object_type="user", object_id=wanted, limit=PAGE_SIZE
    )["items"]
    return page.render("staff_user.html", section="users", account=account, entries=entries)


@router.get("/staff/audit")
def staff_audit_log(
    request: Request,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
) -> Response:
    view = _staff_page(request)
    if isinstance(view, Response):
        return view
    page = view.page
    chosen_type = object_type if object_type in staff_reads.AUDIT_OBJECT_TYPES else None
    first_day, last_day = _day(since), _day(until)
    chosen_actor, chosen_id = _text(actor), _number(object_id)
    filters: dict[str, Any] = {
        "actor": chosen_actor,
        "object_type": chosen_type,
        "object_id": chosen_id,
        "since": first_day.isoformat() if first_day else None,
        "until": last_day.isoformat() if last_day else None,
    }
    found = staff_api.audit(
        user=view.staff,
        container=page.container,
        actor=chosen_actor,
        object_type=chosen_type,
        object_id=chosen_id,
        since=_beijing_midnight(first_day) if first_day else None,
        # The last day is included: the API's `until` is exclusive, so the next day's Beijing midnight.
        until=_beijing_midnight(last_day + timedelta(days=1)) if last_day else None,
        limit=PAGE_SIZE,
        cursor=_number(cursor),
    )
    return page.render(
        "staff_audit.html",
        section="audit",
        filters=filters,
        object_types=staff_reads.AUDIT_OBJECT_TYPES,
        entries=found["items"],
        next_link=_next_link("/staff/audit", filters, found["next_cursor"]),
    )
