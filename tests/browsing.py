"""Shared by the browser tests: Debian's Chromium through Playwright, logging in through the pages, screenshots.

Never a downloaded browser: always /usr/bin/chromium, with the flags this machine's closed network needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from conftest import PASSWORD, make_settings, service_missing
from paimai.bootstrap import Container
from paimai.persistence.migrate import upgrade
from paimai.services import accounts

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium for a module's tests (fails in CI, skips elsewhere, when it is not installed)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        service_missing("Chromium", FileNotFoundError(CHROMIUM))
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def api_login(base: str, username: str) -> dict[str, str]:
    """A bearer token for the JSON API, for the parts of a test that act outside the browser."""
    response = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_as(browser: Any, base: str, username: str, target: str, **options: Any) -> tuple[Any, Any, list[str]]:
    """A browser context of its own, logged in through the login page and sent on to `target`.

    Returns (context, page, errors): script errors and console errors other than refused requests.
    """
    settings = {"viewport": DESKTOP, "locale": "zh-CN", "timezone_id": "Europe/London", **options}
    context = browser.new_context(**settings)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "status of 4" not in m.text else None,
    )
    page.goto(f"{base}/login?next={target}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}{target}")
    return context, page, errors


def seeded_database(folder: Path) -> tuple[str, datetime]:
    """A migrated SQLite file with staff, a seller (荣宝斋拍卖行), alice (张三) and bob; returns (url, now)."""
    url = f"sqlite:///{folder / 'paimai.db'}"
    upgrade(url)
    seeding = Container(make_settings(url, clock="system"))
    with seeding.transaction() as uow:
        accounts.register(uow, "staff", PASSWORD, is_staff=True)
        accounts.register(uow, "seller", PASSWORD, seller_kind="individual", display_name="荣宝斋拍卖行")
        accounts.register(uow, "alice", PASSWORD, display_name="张三")
        accounts.register(uow, "bob", PASSWORD)
    now = seeding.now()
    seeding.dispose()
    return url, now


def create_lot(base: str, seller: dict[str, str], staff: dict[str, str], now: Any, **fields: Any) -> dict[str, Any]:
    """A lot listed by the seller and approved by staff, live from just before `now` for two hours."""
    body: dict[str, Any] = {
        "category": "art",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": (now - timedelta(seconds=2)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(),
    }
    body.update(fields)
    created = httpx.post(f"{base}/api/v1/lots", headers=seller, json=body)
    assert created.status_code == 201, created.text
    approved = httpx.post(f"{base}/api/v1/staff/lots/{created.json()['id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return dict(httpx.get(f"{base}/api/v1/lots/{created.json()['id']}").json())
