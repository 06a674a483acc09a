"""Server-rendered pages (Jinja2): the lot list, the lot page, sign-in and the personal centre.

Pages read through the very handlers the JSON API serves, so the first view the server renders and the
live updates the scripts fetch from /api/v1 have one shape and one set of rules. Chinese by default;
`?lang=en` (or `?lang=zh`) sets the `lang` cookie. Everything that changes state is done by the scripts
through the JSON API (with the CSRF header), never by a page handler.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ...bootstrap import Container
from ...domain.errors import DomainError, ErrorCode
from ...domain.lot_views import PUBLIC_STATUS_TABS
from ...domain.rules import Category, LotKind
from ...services import accounts
from ...services import withdrawal as withdrawal_service
from ...services.types import User
from .. import i18n as words
from ..http import api, watchlist_api, withdrawal_api
from ..http.deps import SESSION_COOKIE
from . import formatting, i18n, order_pages

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
LANG_COOKIE = "lang"
PAGE_SIZE = 24
PUBLIC_STATUSES = tuple(status.value for status in PUBLIC_STATUS_TABS)  # the list page's status tabs
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache, private",
}

router = APIRouter(include_in_schema=False)


def _static_version() -> str:
    """A digest of the static files, so a browser never runs an old script against a new page."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yuan"] = formatting.yuan
    env.filters["yuan_plain"] = formatting.yuan_plain
    env.filters["bjt"] = formatting.beijing
    env.filters["iso"] = formatting.iso
    version = _static_version()
    env.globals["static"] = lambda name: f"/static/{name}?v={version}"
    env.globals["categories"] = [c.value for c in Category]
    env.globals["kinds"] = [k.value for k in LotKind]
    env.globals["public_statuses"] = PUBLIC_STATUSES
    env.globals["glyphs"] = i18n.CATEGORY_GLYPHS
    env.globals["js_i18n"] = Markup(json.dumps(i18n.js_catalogue(), ensure_ascii=False).replace("</", "<\\/"))
    return env


ENV = _environment()


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def _safe_next(value: str | None, default: str = "/") -> str:
    """Only a local path: never //host or a scheme, so a login link cannot send anyone elsewhere."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def _image(url: str | None) -> str | None:
    if url and (url.startswith("https://") or url.startswith("http://") or url.startswith("/")):
        return url
    return None


class Page:
    """One page view: the language, the signed-in user (from the session cookie) and rendering."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.container = _container(request)
        query_lang = request.query_params.get("lang")
        self.lang = i18n.pick_lang(query_lang, request.cookies.get(LANG_COOKIE))
        self.set_lang_cookie = query_lang in i18n.LANGS
        self.user = self._user()
        self.now = self.container.now()

    def _user(self) -> User | None:
        token = self.request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        with self.container.reading() as session:
            return accounts.user_for_token(session, token, self.container.now())

    def t(self, key: str, **values: object) -> str:
        return i18n.translate(key, self.lang, **values)

    def href(self, **changes: str | None) -> str:
        """This page's path and query with some parameters changed (None removes one)."""
        params = dict(self.request.query_params)
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        query = urlencode(params)
        return self.request.url.path + (f"?{query}" if query else "")

    def countdown(self, target: datetime | str | None) -> str:
        moment = formatting.as_datetime(target)
        if moment is None:
            return ""
        return formatting.countdown((moment - self.now).total_seconds(), self.t("days_short"))

    def category_name(self, category: str) -> str:
        return words.category_name(category, self.lang)

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        here = self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else "")
        other = "en" if self.lang == "zh" else "zh"
        base: dict[str, Any] = {
            "lang": self.lang,
            "html_lang": "zh-CN" if self.lang == "zh" else "en",
            "t": self.t,
            "user": self.user,
            "now": self.now,
            "server_time": formatting.iso(self.now),
            "switch_href": self.href(lang=other),
            "login_href": "/login?" + urlencode({"next": _safe_next(here)}),
            "path": self.request.url.path,
            "href": self.href,
            "countdown": self.countdown,
            "category_name": self.category_name,
            "image": _image,
        }
        html = ENV.get_template(template).render(**base, **context)
        response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
        if self.set_lang_cookie:
            response.set_cookie(LANG_COOKIE, self.lang, max_age=365 * 24 * 3600, samesite="lax")
        return response

    def not_found(self, *, lot: bool = False) -> HTMLResponse:
        return self.render("not_found.html", status_code=404, lot_missing=lot)

    def redirect(self, target: str) -> RedirectResponse:
        response = RedirectResponse(target, status_code=303)
        if self.set_lang_cookie:
            response.set_cookie(LANG_COOKIE, self.lang, max_age=365 * 24 * 3600, samesite="lax")
        return response


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
    )


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    page = Page(request)
    target = _safe_next(next)
    if page.user is not None:
        return page.redirect(target)
    return page.render("login.html", next_url=target)


@router.get("/register")
def register_page(request: Request, next: str | None = None) -> Response:
    page = Page(request)
    target = _safe_next(next)
    if page.user is not None:
        return page.redirect(target)
    return page.render("register.html", next_url=target)


@router.get("/logout")
def logout_page(request: Request) -> Response:
    """A confirmation, because logging out is a state change that must not ride on a GET."""
    return Page(request).render("logout.html")


@router.get("/me")
def me_page(request: Request) -> Response:
    """The personal centre: wallet, sandbox top-up, ledger, deposits, bids and withdrawals (with today's quota)."""
    page = Page(request)
    user = page.user
    if user is None:
        return page.redirect("/login?" + urlencode({"next": "/me"}))
    container = page.container
    return page.render(
        "me.html",
        profile=api.me(user=user),
        wallet=api.my_wallet(user=user, container=container),
        ledger=api.my_ledger(user=user, container=container, limit=50, cursor=None)["items"],
        deposits=api.my_deposits(user=user, container=container)["items"],
        my_bids=api.my_bids(user=user, container=container)["items"],
        withdrawals=withdrawal_api.my_withdrawals(user=user, container=container),
        watched=watchlist_api.my_watchlist(user=user, container=container, limit=50, cursor=None)["items"],
        **order_pages.personal_centre(user, container),  # orders, offers and notifications (RULES §6, §8)
    )


def _wants_page(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _install_not_found_page(app: FastAPI) -> None:
    """A browser asking for an unknown page gets a friendly page; API clients keep the JSON error."""
    previous: Callable[[Request, Exception], Any] | None = app.exception_handlers.get(StarletteHTTPException)

    async def handler(request: Request, error: Exception) -> Response:
        if isinstance(error, StarletteHTTPException) and error.status_code == 404 and _wants_page(request):
            return await run_in_threadpool(lambda: Page(request).not_found())
        if previous is None:
            return Response(status_code=getattr(error, "status_code", 500))
        result = previous(request, error)
        if inspect.isawaitable(result):
            result = await result
        assert isinstance(result, Response)
        return result

    app.add_exception_handler(StarletteHTTPException, handler)


def install(app: FastAPI) -> None:
    """Mount the pages, their static files and the friendly 404 on the app."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    app.include_router(order_pages.router)
    _install_not_found_page(app)
