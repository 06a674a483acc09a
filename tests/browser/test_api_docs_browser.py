"""/docs in a real browser (Debian's Chromium): Swagger UI comes from this server, not a CDN, and runs under
the strict Content-Security-Policy (issue 8, defect 9) — no request leaves the site, no CSP violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from browsing import TIMEOUT_MS, chromium, seeded_database
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

pytest.importorskip("playwright.sync_api")


def test_swagger_ui_runs_offline_under_the_csp(tmp_path: Path) -> None:
    url, _now = seeded_database(tmp_path)
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        problems: list[str] = []
        foreign: list[str] = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("request", lambda request: None if request.url.startswith(base) else foreign.append(request.url))

        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.goto(f"{base}/docs")
        page.wait_for_selector(".opblock")
        assert page.locator(".opblock").count() > 40  # every operation, drawn from /openapi.json
        page.locator('.opblock-post [data-path="/api/v1/lots/{lot_id}/bids"]').click()
        page.get_by_text("Idempotency-Key").first.wait_for()
        page.screenshot(path=str(tmp_path / "docs.png"))
        assert problems == [] and foreign == []
