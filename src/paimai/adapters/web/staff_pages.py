"""The back office (`/staff`, issue 14): the home with the work waiting in each queue, and the queues —
seller applications, lots (in review, live, scheduled, rejected) and orders needing the platform.

Staff only: a visitor is sent to sign in, a signed-in account that is not staff gets the not-found page
(the back office does not announce itself). Like every page, these read through the JSON API's handlers
and change nothing themselves: static/staff.js approves, rejects and cancels through the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...services import staff_reads
from ...services.types import User
from ..http import api, media_api, orders_api
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
    return page.render(
        "staff_applications.html",
        section="applications",
        status=chosen,
        tabs=staff_reads.APPLICATION_TABS,
        applications=[
            {
                **item,
                "applicant": names.get(int(item["user_id"]), ""),
                # the applicant's documents (licence, court letter…), to open before deciding
                "documents": media_api.application_documents(
                    application_id=int(item["id"]), user=view.staff, container=page.container
                )["items"],
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
    return page.render("staff_lots.html", section="lots", status=chosen, tabs=staff_reads.LOT_TABS, lots=found["items"])


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
