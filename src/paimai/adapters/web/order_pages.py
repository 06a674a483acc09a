"""Order pages (RULES §6): my orders (bought and sold), one order with its deadline and its steps, and the
orders and notifications section of the personal centre.

Like the other pages, these read through the JSON API's own handlers and change nothing themselves: every
step is taken by static/orders.js through the JSON API (CSRF header, Idempotency-Key on money moves).
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from ...bootstrap import Container
from ...domain.errors import DomainError, ErrorCode
from ...services.types import User
from ..http import orders_api
from . import i18n
from .rendering import Page, json_block

router = APIRouter(include_in_schema=False)


def _page(request: Request) -> Page:
    return Page(request)


def script_words() -> Markup:
    """The order words in both languages, for orders.js (a JSON block: the CSP allows no inline script)."""
    return json_block(i18n.order_script_words())


def personal_centre(user: User, container: Container) -> dict[str, Any]:
    """What the personal centre shows of orders: open orders first, offers, the latest notifications."""
    orders = orders_api.my_orders(user=user, container=container, role=None, limit=50, cursor=None)["items"]
    open_first = sorted(orders, key=lambda o: (not o["allowed_actions"], not o["awaiting_payment"], -o["id"]))
    notes = orders_api.my_notifications(user=user, container=container, limit=10, cursor=None)
    offers = orders_api.my_offers(user=user, container=container)["items"]
    return {
        "order_summary": open_first[:5],
        "order_count": len(orders),
        "order_notices": notes["items"],
        "order_unread": notes["unread"],
        "order_offers": [o for o in offers if o["status"] == "pending"],
        "order_words": script_words(),
    }


@router.get("/me/orders")
def my_orders_page(request: Request, role: str | None = None) -> Response:
    page = _page(request)
    user = page.user
    if user is None:
        return page.redirect("/login?" + urlencode({"next": "/me/orders"}))
    chosen: Literal["buyer", "seller"] | None = "buyer" if role == "buyer" else "seller" if role == "seller" else None
    container = page.container
    orders = orders_api.my_orders(user=user, container=container, role=chosen, limit=200, cursor=None)["items"]
    offers = orders_api.my_offers(user=user, container=container)["items"]
    return page.render(
        "orders.html",
        orders=orders,
        role=chosen,
        offers=offers,
        order_words=script_words(),
        payment_hours=container.platform.payment_deadline_hours,
    )


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: str) -> Response:
    page = _page(request)
    user = page.user
    if user is None:
        return page.redirect("/login?" + urlencode({"next": f"/orders/{order_id}"}))
    if not (order_id.isascii() and order_id.isdigit()) or len(order_id) > 18:
        return page.not_found()
    try:
        order = orders_api.get_order(order_id=int(order_id), user=user, container=page.container)
    except DomainError as error:
        if error.code is ErrorCode.ORDER_NOT_FOUND:
            return page.not_found()
        raise
    platform = page.container.platform
    return page.render(
        "order.html",
        order=order,
        actions=set(order["allowed_actions"]),
        order_words=script_words(),
        payment_hours=platform.payment_deadline_hours,
        auto_confirm_days=platform.auto_confirm_days,
        second_chance_hours=platform.second_chance_hours,
        done=request.query_params.get("done") == "1",
    )
