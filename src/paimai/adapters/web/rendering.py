"""What every page shares: the Jinja2 environment, the security headers, and `Page` — one page view with its
language, its signed-in user and rendering. Page modules (pages.py, order_pages.py) import this; nothing here
imports them, so there is no cycle, and the environment is built by `install`, not at import.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ...bootstrap import Container
from ...domain.lot_views import PUBLIC_STATUS_TABS
from ...domain.rules import Category, LotKind
from ...services import accounts
from ...services.types import User
from .. import i18n as words
from ..http.deps import SESSION_COOKIE
from ..http.headers import CONTENT_SECURITY_POLICY
from . import formatting, i18n
from .redirects import safe_next

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
LANG_COOKIE = "lang"
PAGE_SIZE = 24
PUBLIC_STATUSES = tuple(status.value for status in PUBLIC_STATUS_TABS)  # the list page's status tabs
# Every response carries the security headers (adapters/http/headers.py, the CSP among them); pages add
# that they are never cached as they were.
SECURITY_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache, private"}


def _static_version() -> str:
    """A digest of the static files, so a browser never runs an old script against a new page."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def build_environment() -> Environment:
    """The pages' Jinja2 environment: built once when the app is made (never at import), kept on app.state."""
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
    env.filters["paragraphs"] = formatting.paragraphs
    version = _static_version()
    env.globals["static"] = lambda name: f"/static/{name}?v={version}"
    env.globals["categories"] = [c.value for c in Category]
    env.globals["kinds"] = [k.value for k in LotKind]
    env.globals["public_statuses"] = PUBLIC_STATUSES
    env.globals["glyphs"] = i18n.CATEGORY_GLYPHS
    env.globals["js_i18n"] = json_block(i18n.js_catalogue())
    return env


def json_block(data: object) -> Markup:
    """Data for a page script, as the body of a `<script type="application/json">` block (the CSP allows no
    inline script): JSON cannot break out of the block once `</` is escaped, so it is safe markup."""
    return Markup(json.dumps(data, ensure_ascii=False).replace("</", "<\\/"))  # noqa: S704 (escaped above)


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


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
            "login_href": "/login?" + urlencode({"next": safe_next(here)}),
            "path": self.request.url.path,
            "href": self.href,
            "countdown": self.countdown,
            "category_name": self.category_name,
            "image": _image,
        }
        environment: Environment = self.request.app.state.jinja
        html = environment.get_template(template).render(**base, **context)
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
