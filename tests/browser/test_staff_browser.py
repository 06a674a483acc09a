"""The back office's account page in a real browser (Debian's Chromium), on a phone (390 px) and a desktop:
freezing needs a reason, goes through the JSON API and shows the frozen state and its reason; the API's
refusal (FREEZE_NOT_ALLOWED for one's own account) shows in the page's language; no page scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from browsing import DESKTOP, PHONE, api_login, chromium, open_as, seeded_database, shoot
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    url, _now = seeded_database(Path(tmp_path_factory.mktemp("staff-browser")))
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        yield base, browser


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def account_id(base: str, staff: dict[str, str], username: str) -> int:
    found = httpx.get(f"{base}/api/v1/staff/users", params={"q": username}, headers=staff).json()["items"]
    return next(int(item["id"]) for item in found if item["username"] == username)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_staff_freeze_and_unfreeze_an_account_and_see_a_refusal(
    site: tuple[str, Any], viewport: dict[str, int]
) -> None:
    base, browser = site
    staff = api_login(base, "staff")
    bob, me = account_id(base, staff, "bob"), account_id(base, staff, "staff")
    context, page, errors = open_as(browser, base, "staff", f"/staff/users/{bob}", viewport=viewport)
    try:
        page.on("dialog", lambda dialog: dialog.accept())
        no_sideways_scroll(page)
        page.click("form[data-freeze] button[type=submit]")  # no reason: refused before the API
        assert page.locator("form[data-freeze] textarea:invalid").count() == 1
        assert httpx.get(f"{base}/api/v1/staff/users/{bob}", headers=staff).json()["frozen"] is False
        page.fill("form[data-freeze] textarea[name=reason]", "测试冻结 test")
        page.click("form[data-freeze] button[type=submit]")
        page.locator("[data-frozen-reason]").wait_for()
        assert "测试冻结 test" in page.locator("[data-frozen-reason]").inner_text()
        assert httpx.get(f"{base}/api/v1/staff/users/{bob}", headers=staff).json()["frozen"] is True
        no_sideways_scroll(page)
        shoot(page, f"staff-user-frozen-{viewport['width']}")
        page.fill("form[data-freeze] textarea[name=reason]", "解冻")
        page.click("form[data-freeze] button[type=submit]")
        page.locator("[data-frozen=no]").wait_for()
        assert httpx.get(f"{base}/api/v1/staff/users/{bob}", headers=staff).json()["frozen"] is False

        page.goto(f"{base}/staff/users/{me}")
        page.fill("form[data-freeze] textarea[name=reason]", "自己")
        page.click("form[data-freeze] button[type=submit]")
        refused = page.locator("form[data-freeze] [data-message].error")
        refused.wait_for(state="visible")
        assert "冻结" in refused.inner_text()  # FREEZE_NOT_ALLOWED, in Chinese
        page.goto(f"{base}/staff/audit?object_type=user&object_id={bob}")
        entries = page.locator("[data-audit-entry]")
        assert entries.count() >= 2  # this freeze and unfreeze (the other viewport's run may have added two)
        assert 'data-action="user.unfreeze"' in entries.nth(0).inner_html()  # newest first
        assert "测试冻结 test" in entries.nth(1).inner_text()
        no_sideways_scroll(page)
        shoot(page, f"staff-audit-{viewport['width']}")
        page.goto(f"{base}/staff/users")
        no_sideways_scroll(page)
        assert errors == []
    finally:
        context.close()
