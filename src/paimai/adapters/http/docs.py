"""/docs: Swagger UI served from this server, never from a CDN — so it works offline and under the strict
Content-Security-Policy (adapters/http/headers.py). The Swagger UI files come from the swagger-ui-bundle-v2
package (module swagger_ui_bundle) and are served as they ship, under /docs/assets; the page and its start-up
script (static/api-docs.js) are ours. Off in production unless PAIMAI_API_DOCS=true (with /openapi.json)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} — API</title>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Mount /docs and its assets (the app was made with docs_url=None: FastAPI's page loads a CDN)."""
    app.mount("/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    page = PAGE.format(title=app.title, openapi_url=app.openapi_url)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)
