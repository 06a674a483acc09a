"""Server-rendered pages (Jinja2): the lot list, the lot page, sign-in and the personal centre.

Pages read through the very handlers the JSON API serves, so the first view the server renders and the
live updates the scripts fetch from /api/v1 have one shape and one set of rules. Chinese by default;
`?lang=en` (or `?lang=zh`) sets the `lang` cookie. Everything that changes state is done by the scripts
through the JSON API (with the CSRF header), never by a page handler.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.errors import DomainError, ErrorCode
from ...domain.rules import Category, LotKind
from ...services import withdrawal as withdrawal_service
from ..http import api, wallet_api, watchlist_api, withdrawal_api
from . import confirmation_pages, order_pages
from .redirects import safe_next
from .rendering import PAGE_SIZE, PUBLIC_STATUSES, Page

router = APIRouter(include_in_schema=False)


def _choice(value: str | None, allowed: tuple[str, ...] | list[str]) -> str | None:
    return value if value in allowed else None


@router.get("/")
def lot_list(
    request: Request,
    status: str | None = None,
    category: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
) -> Response:
    """Browse and search lots; unknown filter values are ignored rather than refused."""
    page = Page(request)
    status = _choice(status, PUBLIC_STATUSES)
    category = _choice(category, [c.value for c in Category])
    kind = _choice(kind, [k.value for k in LotKind])
    text = (q or "").replace("\x00", "").strip()[:100] or None  # PostgreSQL text cannot hold NUL
    # isascii: str.isdigit() also passes '²', which int() refuses
    after = int(cursor) if cursor and cursor.isascii() and cursor.isdigit() and len(cursor) < 18 else None
    found = api.list_lots(
        container=page.container,
        viewer=page.user,
        status=status,
        category=category,
        kind=kind,
        q=text,
        mine=False,
        limit=PAGE_SIZE,
        cursor=after,
    )
    next_href = page.href(cursor=str(found["next_cursor"])) if found["next_cursor"] else None
    # The same page of the JSON API, which list.js re-reads to keep prices, bid counts and ends current.
    api_query = {"status": status, "category": category, "kind": kind, "q": text, "cursor": after, "limit": PAGE_SIZE}
    request_query = urlencode({key: value for key, value in api_query.items() if value is not None})
    return page.render(
        "index.html",
        request_query=request_query,
        lots=found["items"],
        status=status,
        category=category,
        kind=kind,
        q=text or "",
        next_href=next_href,
        first_href=page.href(cursor=None) if after else None,
    )


@router.get("/lots/{lot_id}")
def lot_page(request: Request, lot_id: str) -> Response:
    """A lot with all its rules, its live price and its bid record; lot.js keeps it live."""
    page = Page(request)
    if not (lot_id.isascii() and lot_id.isdigit()) or len(lot_id) > 18:
        return page.not_found(lot=True)
    try:
        lot = api.get_lot(lot_id=int(lot_id), container=page.container, viewer=page.user)
        bids = api.lot_bids(lot_id=int(lot_id), container=page.container, viewer=page.user)["items"]
    except DomainError as error:
        if error.code in (ErrorCode.LOT_NOT_FOUND, ErrorCode.NOT_FOUND):
            return page.not_found(lot=True)
        raise
    platform = page.container.platform
    window = int(lot["extension_seconds"])
    extension_window = page.t("minutes", n=window // 60) if window % 60 == 0 else page.t("seconds", n=window)
    quota_left = None
    if page.user is not None:
        with page.container.reading() as session:
            quota_left = withdrawal_service.quota(
                session, page.user.id, page.now, platform.withdrawal_quota_per_day
            ).left
    return page.render(
        "lot.html",
        withdrawal_quota_left=quota_left,
        lot=lot,
        bids=bids,
        seller_name=lot["seller_name"],
        extension_window=extension_window,
        withdrawal_quota=platform.withdrawal_quota_per_day,
        payment_hours=platform.payment_deadline_hours,
        confirmation=confirmation_pages.of_lot(page, int(lot_id)) if lot["kind"] == LotKind.JUDICIAL.value else None,
    )


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    page = Page(request)
    target = safe_next(next)
    if page.user is not None:
        return page.redirect(target)
    return page.render("login.html", next_url=target)


@router.get("/register")
def register_page(request: Request, next: str | None = None) -> Response:
    page = Page(request)
    target = safe_next(next)
    if page.user is not None:
        return page.redirect(target)
    return page.render("register.html", next_url=target)


@router.get("/logout")
def logout_page(request: Request) -> Response:
    """A confirmation, because logging out is a state change that must not ride on a GET."""
    return Page(request).render("logout.html")


@router.get("/me")
def me_page(request: Request) -> Response:
    """The personal centre: wallet, sandbox top-up, cash-out (提现) and its history, ledger, deposits, bids and
    withdrawals (with today's quota); for staff, who are not bidders, none of these."""
    page = Page(request)
    user = page.user
    if user is None:
        return page.redirect("/login?" + urlencode({"next": "/me"}))
    container = page.container
    profile = api.me(user=user)
    # the wallet, top-up, cash-out, bids, deposits and withdrawals are a bidder's; staff are not bidders and
    # their roles (decided in domain.wallet.roles) say so
    bidder = "bidder" in profile["roles"]
    money: dict[str, Any] = {}
    if bidder:
        money = {
            "wallet": api.my_wallet(user=user, container=container),
            "ledger": api.my_ledger(user=user, container=container, limit=50, cursor=None)["items"],
            "deposits": api.my_deposits(user=user, container=container)["items"],
            "my_bids": api.my_bids(user=user, container=container)["items"],
            "withdrawals": withdrawal_api.my_withdrawals(user=user, container=container),
            "bank_account": wallet_api.my_bank_account(user=user, container=container)["bank_account"],
            "cash_outs": wallet_api.my_cash_outs(user=user, container=container, limit=50, cursor=None)["items"],
            "cash_out_max": container.platform.cash_out_max,
        }
    return page.render(
        "me.html",
        profile=profile,
        bidder=bidder,
        top_up=container.settings.sandbox_top_up_enabled,
        watched=watchlist_api.my_watchlist(user=user, container=container, limit=50, cursor=None)["items"],
        **money,
        **order_pages.personal_centre(user, container),  # orders, offers and notifications (RULES §6, §8)
    )
