"""The ASGI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from ...bootstrap import Container
from ...config import Settings
from .. import i18n
from ..realtime import sse
from ..web.mount import install as install_pages
from . import (
    api,
    confirmation_api,
    errors,
    judicial_api,
    media_api,
    openapi,
    orders_api,
    priority_api,
    rounds_api,
    sell_api,
    staff_api,
    wallet_api,
    watchlist_api,
    withdrawal_api,
)
from . import docs as api_docs
from .headers import SecurityHeaders
from .limits import BodySizeLimit


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    """Build the app; the container (engine, bus, clock) is made here, never at import time."""
    i18n.load()  # the compiled catalogues, read once; a missing one stops start-up with how to build it
    container = container or Container(settings or Settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await container.bus.start()
        if container.settings.run_scheduler:
            container.start_scheduler()
        try:
            yield
        finally:
            container.stop_scheduler()
            await container.bus.stop()

    settings = container.settings
    docs = settings.api_docs_enabled  # off in production unless PAIMAI_API_DOCS=true
    app = FastAPI(
        title="paimai 拍卖",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json" if docs else None,
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN; ours serves it (adapters/http/docs.py)
        redoc_url=None,
    )
    app.state.container = container
    errors.install(app)
    app.include_router(api.router)
    app.include_router(withdrawal_api.router)
    app.include_router(watchlist_api.router)
    app.include_router(orders_api.router)
    app.include_router(wallet_api.router)
    app.include_router(sell_api.router)
    app.include_router(staff_api.router)
    app.include_router(media_api.router)
    app.include_router(priority_api.router)
    app.include_router(rounds_api.router)
    app.include_router(judicial_api.router)
    app.include_router(confirmation_api.router)
    app.include_router(sse.router)
    install_pages(app)
    openapi.install(app)
    if docs:
        api_docs.install(app)
    app.add_middleware(BodySizeLimit, upload_bytes=settings.upload_max_bytes)
    if container.settings.trusted_proxy_list:  # outermost: every handler and limit sees the real client
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=container.settings.trusted_proxy_list)
    app.add_middleware(SecurityHeaders, production=settings.env == "production")  # outermost: on every answer
    return app


def app_from_environment() -> FastAPI:
    """Entry point for `uvicorn --factory` in each worker process."""
    return create_app(Settings())
