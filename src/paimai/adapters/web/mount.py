"""Mounting the server-rendered pages (Jinja2), their static files and the friendly 404 on the app."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import (
    confirmation_pages,
    court_pages,
    order_pages,
    pages,
    sales_pages,
    sell_pages,
    staff_detail_pages,
    staff_pages,
)
from .rendering import STATIC_DIR, Page, build_environment


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
        if not isinstance(result, Response):
            raise TypeError(f"the previous 404 handler answered {type(result).__name__}, not a Response")
        return result

    app.add_exception_handler(StarletteHTTPException, handler)


def install(app: FastAPI) -> None:
    """Mount the pages, their static files and the friendly 404 on the app."""
    app.state.jinja = build_environment()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(order_pages.router)
    app.include_router(sell_pages.router)
    app.include_router(court_pages.router)
    app.include_router(sales_pages.router)
    app.include_router(staff_pages.router)
    app.include_router(staff_detail_pages.router)
    app.include_router(confirmation_pages.router)
    _install_not_found_page(app)
