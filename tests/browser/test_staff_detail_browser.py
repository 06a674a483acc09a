"""The back office's detail pages in a real browser (Debian's Chromium), on a phone (390 px) and a desktop: a
lot with bids and a cancel, an application after an earlier rejection; rejecting from the detail page goes
through the JSON API (the queue's script, shared); no page scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from browsing import DESKTOP, PHONE, api_login, chromium, create_lot, open_as, seeded_database, shoot
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, dict[str, int]]]:
    url, now = seeded_database(Path(tmp_path_factory.mktemp("staff-detail-browser")))
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        staff, seller = api_login(base, "staff"), api_login(base, "seller")
        lot = create_lot(
            base,
            seller,
            staff,
            now,
            title="清代青花缠枝莲纹梅瓶 Qing dynasty blue-and-white meiping vase with lotus scrolls",
            reserve_price=150_000,
            appraisal=300_000,
            location="北京市东城区",
        )
        for username, amount in (("alice", 100_000), ("bob", 110_000), ("alice", 130_000)):
            bidder = api_login(base, username)
            httpx.post(f"{base}/api/v1/me/wallet/top-up", headers=bidder, json={"amount": 1_000_000})
            assert httpx.post(f"{base}/api/v1/lots/{lot['id']}/deposit", headers=bidder).status_code in (200, 201)
            placed = httpx.post(f"{base}/api/v1/lots/{lot['id']}/bids", headers=bidder, json={"amount": amount})
            assert placed.status_code == 201, placed.text
        cancelled = httpx.post(
            f"{base}/api/v1/lots/{lot['id']}/cancel", headers=staff, json={"reason": "卖家无法提供来源证明，中止拍卖"}
        )
        assert cancelled.status_code == 200, cancelled.text
        alice = api_login(base, "alice")
        body = {
            "kind": "business",
            "name": "张三古玩店",
            "licence_number": "91110101MA01ABCDEF",
            "contact_phone": "13800138000",
        }
        first = httpx.post(f"{base}/api/v1/me/seller-application", headers=alice, json=body).json()["id"]
        refused = httpx.post(
            f"{base}/api/v1/staff/seller-applications/{first}/reject",
            headers=staff,
            json={"reason": "营业执照照片模糊，无法辨认统一社会信用代码，请重新上传清晰的照片"},
        )
        assert refused.status_code == 200, refused.text
        second = httpx.post(
            f"{base}/api/v1/me/seller-application", headers=alice, json={**body, "name": "张三古玩店（重新申请）"}
        ).json()["id"]
        yield base, browser, {"lot": int(lot["id"]), "first": int(first), "second": int(second)}


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_lot_detail_page(site: tuple[str, Any, dict[str, int]], viewport: dict[str, int]) -> None:
    base, browser, ids = site
    context, page, errors = open_as(browser, base, "staff", f"/staff/lots/{ids['lot']}", viewport=viewport)
    try:
        assert page.locator("[data-history] [data-event=BidPlaced]").count() == 3
        assert page.locator("[data-history] [data-event=LotCancelled]").count() == 1
        no_sideways_scroll(page)
        shoot(page, f"staff-lot-detail-{viewport['width']}")
        page.goto(f"{base}/staff/lots/{ids['lot']}?lang=en")
        assert "Whole history" in page.inner_text("body")
        no_sideways_scroll(page)
        shoot(page, f"staff-lot-detail-en-{viewport['width']}")
        page.goto(f"{base}/staff/lots/{ids['lot']}?lang=zh")
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_application_detail_page(site: tuple[str, Any, dict[str, int]], viewport: dict[str, int]) -> None:
    base, browser, ids = site
    context, page, errors = open_as(browser, base, "staff", f"/staff/applications/{ids['second']}", viewport=viewport)
    try:
        assert "营业执照照片模糊" in page.locator(f"[data-other-application='{ids['first']}']").inner_text()
        no_sideways_scroll(page)
        shoot(page, f"staff-application-detail-{viewport['width']}")
        if viewport is PHONE:
            return  # the desktop run decides it (once: a decided application has no form)
        page.click("form[data-decide] button[value=reject]")  # no reason: refused before the API
        assert page.locator("form[data-decide] [data-message]").is_visible()
        page.fill("form[data-decide] textarea[name=reason]", "仍缺少经营范围")
        page.click("form[data-decide] button[value=reject]")
        page.locator("[data-application-status=rejected]").wait_for()
        assert "仍缺少经营范围" in page.locator("[data-application-reason]").inner_text()
        assert page.locator("form[data-decide]").count() == 0
        no_sideways_scroll(page)
        assert errors == []
    finally:
        context.close()
