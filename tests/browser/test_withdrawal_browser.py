"""撤回出价 / 撤回竞拍 in a real browser: the button, the confirmation, cancel, confirm — and a second
bidder's page following live, in its own browser context, without a reload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from browsing import api_login, chromium, create_lot, open_as, seeded_database, shoot
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def page_login(browser: Any, base: str, username: str, path: str) -> tuple[Any, Any, list[str]]:
    context, page, errors = open_as(browser, base, username, path, viewport={"width": 1280, "height": 900})
    sync_api.expect(page.locator("[data-live-indicator]")).to_have_text("实时")
    return context, page, errors


def test_withdrawal_dialog_cancel_confirm_and_a_watcher_following_live(tmp_path: Path, browser: Any) -> None:
    expect = sync_api.expect
    url, now = seeded_database(tmp_path)

    env = {"PAIMAI_DATABASE_URL": url, "PAIMAI_SSE_KEEPALIVE_SECONDS": "2", "PAIMAI_CLOCK": "simulated"}
    with running_server(env) as base:
        staff, seller = api_login(base, "staff"), api_login(base, "seller")
        alice, bob = api_login(base, "alice"), api_login(base, "bob")
        lot = create_lot(
            base, seller, staff, now, title="田黄石印章 Tianhuang seal", category="collectibles", withdrawal_fee=3_000
        )
        lot_id = lot["id"]
        for who in (alice, bob):
            assert httpx.post(f"{base}/api/v1/me/wallet/top-up", headers=who, json={"amount": 1_000_000}).is_success
            assert httpx.post(f"{base}/api/v1/lots/{lot_id}/deposit", headers=who).status_code == 201
        assert httpx.post(f"{base}/api/v1/lots/{lot_id}/bids", headers=alice, json={"amount": 100_000}).is_success
        placed = httpx.post(f"{base}/api/v1/lots/{lot_id}/bids", headers=bob, json={"amount": 130_000})
        assert placed.status_code == 201
        alias_b = placed.json()["leader"]

        path = f"/lots/{lot_id}"
        bob_context, bob_page, bob_errors = page_login(browser, base, "bob", path)
        alice_context, alice_page, alice_errors = page_login(browser, base, "alice", path)
        for page in (bob_page, alice_page):
            expect(page.locator("[data-price]")).to_have_text("¥1,300.00")
            page.evaluate("window.__stillHere = true")

        # Bob opens 撤回出价, reads the confirmation, and cancels: nothing changes anywhere.
        bob_page.click("[data-withdraw=bid]")
        dialog = bob_page.locator("[data-withdraw-confirm]")
        expect(dialog).to_be_visible()
        expect(dialog.locator("[data-withdraw-rows]")).to_contain_text("¥1,300.00")
        expect(dialog.locator("[data-withdraw-fee]")).to_have_text("¥30.00")
        expect(dialog.locator("[data-withdraw-price]")).to_have_text("¥1,000.00")
        expect(dialog.locator("[data-withdraw-quota]")).to_have_text("3 / 3")
        shoot(bob_page, "withdraw-dialog-bob-zh")
        dialog.get_by_role("button", name="取消").click()
        expect(dialog).to_be_hidden()
        lot = httpx.get(f"{base}/api/v1/lots/{lot_id}").json()
        assert (lot["current_price"], lot["bid_count"]) == (130_000, 2)
        assert httpx.get(f"{base}/api/v1/me/withdrawals", headers=bob).json()["quota"]["used"] == 0

        # Bob confirms; Alice's page (another browser context) follows live: price, leader, record.
        bob_page.click("[data-withdraw=bid]")
        expect(dialog).to_be_visible()
        bob_page.click("[data-withdraw-go]")
        expect(bob_page.locator("[data-message]")).to_have_text(re.compile("已撤回"))
        expect(bob_page.locator("[data-price]")).to_have_text("¥1,000.00")
        expect(bob_page.locator("[data-quota-left-panel]")).to_have_text("2")  # the quota left, on the lot page
        for page in (alice_page, bob_page):
            expect(page.locator("[data-price]")).to_have_text("¥1,000.00")
            expect(page.locator("[data-record] tr.row-withdrawn")).to_have_count(1)
            expect(page.locator("[data-record] tr.row-withdrawn .bid-status")).to_have_text("已撤回")
            expect(page.locator("[data-record] tr.row-withdrawn .alias")).to_contain_text(alias_b)
        expect(alice_page.locator("[data-leader-note]")).to_be_visible()  # Alice leads again, live
        shoot(alice_page, "withdraw-watcher-alice-zh")

        # Bob withdraws from the auction altogether; the deposit comes back less the fee.
        bob_page.click("[data-withdraw=auction]")
        expect(dialog).to_be_visible()
        bob_page.click("[data-withdraw-go]")
        expect(bob_page.locator("[data-message]")).to_have_text(re.compile("已撤回"))
        wallet = httpx.get(f"{base}/api/v1/me/wallet", headers=bob).json()
        assert wallet == {"available": 1_000_000 - 3_000 - 3_000, "frozen": 0}
        seller_wallet = httpx.get(f"{base}/api/v1/me/wallet", headers=seller).json()
        assert seller_wallet["available"] == 6_000
        for page in (alice_page, bob_page):
            assert page.evaluate("window.__stillHere") is True  # no reload happened
        # 关注: Alice watches the lot from its page and finds it in her personal centre.
        alice_page.click("[data-watch]")
        expect(alice_page.locator("[data-watch-label]")).to_have_text("★ 已关注")
        expect(alice_page.locator("[data-watchers]")).to_have_text("1")
        alice_page.goto(f"{base}/me")
        expect(alice_page.locator("[data-watchlist] tr", has_text="田黄石印章")).to_have_count(1)
        shoot(alice_page, "me-watchlist-alice-zh")
        # The list page keeps prices and bid counts current without a reload.
        alice_page.goto(f"{base}/")
        card = alice_page.locator(f".lot-card[data-lot-id='{lot_id}']")
        expect(card.locator("[data-card-price] .price")).to_have_text("¥1,000.00")
        alice_page.evaluate("window.__stillHere = true")
        assert httpx.post(f"{base}/api/v1/lots/{lot_id}/deposit", headers=bob).status_code == 201
        assert httpx.post(f"{base}/api/v1/lots/{lot_id}/bids", headers=bob, json={"amount": 110_000}).is_success
        expect(card.locator("[data-card-price] .price")).to_have_text("¥1,100.00", timeout=12_000)
        expect(card.locator("[data-card-bids]")).to_have_text("3")  # two before, the withdrawn one included
        assert alice_page.evaluate("window.__stillHere") is True
        assert bob_errors == [] and alice_errors == []
        bob_context.close()
        alice_context.close()
