"""After the auction in a real browser (Debian's Chromium) against a real uvicorn process (RULES §6).

Alice wins a lot, sees her order in the personal centre with its payment deadline counting down, and asks
to close the deal by agreement (误拍). The seller, in a second browser context, sees the request and the
buyer's record and accepts. Alice's deposit is back in her wallet. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from browsing import PHONE, api_login, chromium, open_as, seeded_database, shoot
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FUNDS = 5_000_000

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


login = api_login


def test_win_then_close_by_agreement_in_two_browsers(tmp_path: Path, browser: Any) -> None:
    expect = sync_api.expect
    url, now = seeded_database(tmp_path)

    env = {"PAIMAI_DATABASE_URL": url, "PAIMAI_CLOCK": "simulated"}
    with running_server(env) as base:
        staff, seller, alice, bob = (login(base, name) for name in ("staff", "seller", "alice", "bob"))
        for who in (alice, bob):
            assert httpx.post(f"{base}/api/v1/me/wallet/top-up", headers=who, json={"amount": FUNDS}).is_success
        created = httpx.post(
            f"{base}/api/v1/lots",
            headers=seller,
            json={
                "title": "清代青花缠枝莲纹瓷瓶 Qing blue-and-white vase",
                "category": "art",
                "start_price": 100_000,
                "increment": 10_000,
                "deposit": 20_000,
                "starts_at": (now - timedelta(seconds=2)).isoformat(),
                "ends_at": (now + timedelta(hours=2)).isoformat(),
            },
        )
        assert created.status_code == 201, created.text
        lot_id = created.json()["id"]
        assert httpx.post(f"{base}/api/v1/staff/lots/{lot_id}/approve", headers=staff).is_success
        for who, amount in ((bob, 100_000), (alice, 110_000)):
            assert httpx.post(f"{base}/api/v1/lots/{lot_id}/deposit", headers=who).is_success
            placed = httpx.post(f"{base}/api/v1/lots/{lot_id}/bids", headers=who, json={"amount": amount})
            assert placed.status_code == 201, placed.text
        assert httpx.post(f"{base}/api/v1/_clock/advance", json={"seconds": 2 * 3600 + 5}).is_success
        (order,) = httpx.get(f"{base}/api/v1/me/orders", headers=alice).json()["items"]
        assert order["status"] == "awaiting_payment"

        # Alice: the personal centre shows the order, its deadline counting down, and the 'won' notice.
        a_context, a_page, a_errors = open_as(browser, base, "alice", "/me")
        row = a_page.locator(f"[data-me-orders] [data-order-row='{order['id']}']")
        expect(row).to_contain_text("待付款")
        expect(row.locator("[data-countdown-value]")).to_have_text(re.compile(r"^2天 2[23]:\d\d:\d\d$"))
        expect(a_page.locator("[data-notifications] [data-notice=order_won]")).to_contain_text("青花")
        expect(a_page.locator("[data-wallet=frozen]")).to_have_text("¥200.00")
        shoot(a_page, "orders-me-desktop-zh")

        # The order page: the balance due, the deadline, then 协商关闭交易 with the reason 误拍.
        row.locator("a.btn").click()
        a_page.wait_for_url(f"{base}/orders/{order['id']}")
        expect(a_page.locator("[data-amount-due]")).to_have_text("¥900.00")
        expect(a_page.locator("[data-deadline]")).to_contain_text("付款截止")
        expect(a_page.locator("[data-deadline] [data-countdown-value]")).to_have_text(re.compile(r"^2天 "))
        expect(a_page.locator("[data-order-action=pay]")).to_have_text("立即付款 ¥900.00")
        shoot(a_page, "order-buyer-desktop-zh")
        a_page.select_option("[data-close-reason-select]", "mistaken_bid")
        a_page.fill("form[data-order-form='close-request'] input[name=note]", "手滑多点了一次")
        a_page.click("[data-close-submit]")
        expect(a_page.locator("[data-order-status]")).to_have_text("协商关闭中")
        expect(a_page.locator("[data-flash]")).to_have_text("操作成功。")
        expect(a_page.locator("[data-close-pending]")).to_be_visible()
        expect(a_page.locator("[data-close-reason]")).to_contain_text("误拍")

        # The seller, in a second browser: the request, the buyer's record, and 同意关闭交易.
        b_context, b_page, b_errors = open_as(browser, base, "seller", f"/orders/{order['id']}")
        expect(b_page.locator("[data-order-status]")).to_have_text("协商关闭中")
        expect(b_page.locator("[data-close-reason]")).to_contain_text("误拍")
        expect(b_page.locator("[data-buyer-defaults]")).to_have_text("0 次")
        shoot(b_page, "order-seller-desktop-zh")
        b_page.click("[data-order-action='close-request/accept']")
        expect(b_page.locator("[data-order-status]")).to_have_text("交易关闭")
        expect(b_page.locator("[data-no-actions]")).to_be_visible()

        # Alice: the deposit is back in the wallet, and she was told.
        a_page.goto(f"{base}/me")
        expect(a_page.locator("[data-wallet=frozen]")).to_have_text("¥0.00")
        expect(a_page.locator("[data-wallet=available]")).to_have_text("¥50,000.00")
        expect(a_page.locator("[data-notifications] [data-notice=close_accepted]")).to_be_visible()
        expect(a_page.locator(f"[data-order-row='{order['id']}']")).to_contain_text("交易关闭")
        a_page.click("[data-mark-read]")
        expect(a_page.locator("[data-notifications] li.unread")).to_have_count(0)
        assert a_errors == [] and b_errors == []

        # The same order in English on a phone.
        c_context, c_page, c_errors = open_as(
            browser, base, "alice", f"/orders/{order['id']}?lang=en", viewport=PHONE, locale="en-GB"
        )
        expect(c_page.locator("[data-order-status]")).to_have_text("Closed by agreement")
        shoot(c_page, "order-buyer-phone-en")
        assert c_errors == []
        for context in (a_context, b_context, c_context):
            context.close()
