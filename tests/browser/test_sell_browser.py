"""The seller's lot form in a real browser (Debian's Chromium), on a phone (390 px) and a desktop: amounts
typed in yuan reach the API as integer fen, Beijing times as aware UTC; an API refusal shows above the form
in the page's language and saves nothing; a draft is saved, edited and submitted; no page scrolls sideways."""

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
    url, _now = seeded_database(Path(tmp_path_factory.mktemp("sell-browser")))
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        yield base, browser


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def fill_lot(page: Any, fee: str) -> None:
    page.fill("input[name=title]", "民国 粉彩花鸟纹盘")
    page.select_option("select[name=category]", "collectibles")
    page.fill("textarea[name=description]", "口径 26cm")
    page.fill("input[name=start_price]", "1,234.5")
    page.fill("input[name=increment]", "100")
    page.fill("input[name=deposit]", "200.05")
    page.fill("input[name=withdrawal_fee]", fee)
    page.fill("input[name=starts_at]", "2030-01-02T10:00")
    page.fill("input[name=ends_at]", "2030-01-03T10:00")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_lot_is_drafted_refused_fixed_and_submitted_through_the_form(
    site: tuple[str, Any], viewport: dict[str, int]
) -> None:
    base, browser = site
    seller = api_login(base, "seller")
    before = {lot["id"] for group in httpx.get(f"{base}/api/v1/me/lots", headers=seller).json()["groups"]
              for lot in group["items"]}  # fmt: skip
    context, page, errors = open_as(browser, base, "seller", "/sell/lots/new", viewport=viewport)
    try:
        no_sideways_scroll(page)
        assert page.locator("#lot-photos").count() == 1
        fill_lot(page, fee="300")  # above the deposit: the API refuses
        page.click("button[data-action=save]")
        message = page.locator("#lot-form [data-message].error")
        message.wait_for(state="visible")
        assert "保证金" in message.inner_text()  # the API's refusal, in Chinese
        mine = httpx.get(f"{base}/api/v1/me/lots", headers=seller).json()["groups"]
        assert {lot["id"] for group in mine for lot in group["items"]} == before  # nothing saved
        shoot(page, f"sell-form-refused-{viewport['width']}")

        page.fill("input[name=withdrawal_fee]", "10")
        page.click("button[data-action=save]")
        page.wait_for_url(f"{base}/sell/lots/*/edit")
        lot_id = int(page.url.rsplit("/", 2)[1])
        lot = httpx.get(f"{base}/api/v1/lots/{lot_id}", headers=seller).json()
        figures = (lot["status"], lot["start_price"], lot["deposit"], lot["withdrawal_fee"])
        assert figures == ("draft", 123_450, 20_005, 1_000)
        assert lot["starts_at"].startswith("2030-01-02T02:00:00")  # 10:00 Beijing time is 02:00 UTC
        assert page.input_value("input[name=start_price]") == "1234.50"  # prefilled back in yuan
        no_sideways_scroll(page)

        page.fill("input[name=reserve_price]", "2000")
        page.click("button[data-action=submit]")
        page.wait_for_url(f"{base}/sell/lots")
        lot = httpx.get(f"{base}/api/v1/lots/{lot_id}", headers=seller).json()
        assert (lot["status"], lot["reserve_price"]) == ("pending_review", 200_000)
        assert page.locator(f"#shelf-pending_review [data-lot='{lot_id}']").count() == 1
        no_sideways_scroll(page)
        shoot(page, f"sell-lots-{viewport['width']}")
        page.goto(f"{base}/sell")
        no_sideways_scroll(page)
        assert errors == []
    finally:
        context.close()


def test_the_application_form_shows_each_kinds_details(site: tuple[str, Any]) -> None:
    base, browser = site
    context, page, errors = open_as(browser, base, "alice", "/sell", viewport=PHONE)
    try:
        no_sideways_scroll(page)
        assert not page.locator("input[name=licence_number]").is_visible()
        page.check("input[name=kind][value=business]")
        assert page.locator("input[name=licence_number]").is_visible()
        page.fill("input[name=name]", "张三商行")
        page.fill("input[name=licence_number]", "91310000MA1FL0000X")
        page.fill("input[name=contact_phone]", "13800000000")
        page.click("#apply-form button[type=submit]")
        page.locator("#application-state").wait_for()
        assert "审核中" in page.locator("#application-state").inner_text()
        assert errors == []
    finally:
        context.close()
