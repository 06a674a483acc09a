"""Live bidding (and a withdrawal) in a real browser (Debian's Chromium) against a real uvicorn process.

User A logs in through the login page, pays the deposit with the button and bids through the form; user B
bids through the JSON API, and A's page shows B's price, leader and record row live, without a reload.
Screenshots of the list, lot and personal-centre pages (desktop and phone, Chinese and English) go to
artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from browsing import DESKTOP, PHONE, TIMEOUT_MS, api_login, chromium, create_lot, seeded_database, shoot
from conftest import PASSWORD
from servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


login = api_login


def test_live_bidding_in_the_browser(tmp_path: Path, browser: Any) -> None:
    expect = sync_api.expect
    url, now = seeded_database(tmp_path)

    env = {"PAIMAI_DATABASE_URL": url, "PAIMAI_SSE_KEEPALIVE_SECONDS": "2", "PAIMAI_CLOCK": "simulated"}
    with running_server(env) as base:
        staff, seller, bob = login(base, "staff"), login(base, "seller"), login(base, "bob")
        for who in (login(base, "alice"), bob):
            assert httpx.post(f"{base}/api/v1/me/wallet/top-up", headers=who, json={"amount": 5_000_000}).is_success
        lot = create_lot(
            base,
            seller,
            staff,
            now,
            title="清代青花缠枝莲纹瓷瓶 Qing blue-and-white vase",
            description="高 32 厘米，品相完好。\nHeight 32 cm, in good condition.",
            location="北京",
            reserve_price=125_000,
            withdrawal_fee=5_000,
        )
        others: list[tuple[str, str, dict[str, Any]]] = [
            ("和田玉籽料手镯 Hetian jade bangle", "jewellery", {}),
            ("上海市徐汇区住宅一套 Flat in Xuhui, Shanghai", "real_estate", {"start_price": 350_000_000}),
            ("劳力士 Daytona 腕表 Rolex Daytona", "luxury", {}),
            ("2019 款特斯拉 Model 3 Tesla Model 3", "vehicles", {}),
            (
                "齐白石款花鸟立轴 Bird-and-flower hanging scroll",
                "art",
                {
                    "starts_at": (now + timedelta(hours=3)).isoformat(),
                    "ends_at": (now + timedelta(hours=27)).isoformat(),
                },
            ),
        ]
        for title, category, extra in others:
            create_lot(base, seller, staff, now, title=title, category=category, **extra)

        context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Europe/London")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        money_requests: list[dict[str, str]] = []
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        def console(message: Any) -> None:
            # refused requests (wrong password, a bid too low) are expected; script errors are not
            if message.type == "error" and "the server responded with a status of 4" not in message.text:
                errors.append(message.text)

        page.on("console", console)

        def remember(request: Any) -> None:
            if request.method == "POST" and re.search(r"/api/v1/lots/\d+/(deposit|bids)$", request.url):
                money_requests.append(request.headers)

        page.on("request", remember)

        # The list, as anyone sees it.
        page.goto(f"{base}/")
        expect(page.locator(".lot-card")).to_have_count(6)
        shoot(page, "list-desktop-zh")

        # A logs in through the login page and lands back on the lot.
        lot_path = f"/lots/{lot['id']}"
        page.goto(f"{base}/login?next={lot_path}")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", "wrong-password")
        page.click("#login-form button[type=submit]")
        expect(page.locator("#login-form [data-message]")).to_have_text(re.compile("用户名或密码错误"))
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(f"{base}{lot_path}")
        expect(page.locator("[data-live-indicator]")).to_have_text("实时")

        # The deposit button, then the bid form (the next valid amount is prefilled).
        page.click("[data-deposit]")
        expect(page.locator("[data-panel=paid]")).to_be_visible()
        expect(page.locator("#bid-form")).to_be_visible()
        alias_a = page.locator("[data-my-alias]").inner_text().strip()
        assert re.fullmatch(r"[A-Z0-9]{4}", alias_a), alias_a
        assert page.input_value("#bid-amount") == "1000.00"
        page.click("[data-step='1']")
        assert page.input_value("#bid-amount") == "1100.00"
        page.click("[data-bid-submit]")
        expect(page.locator("[data-message]")).to_have_text(re.compile("出价成功"))
        expect(page.locator("[data-price]")).to_have_text("¥1,100.00")
        expect(page.locator("[data-leader]")).to_have_text(alias_a)
        expect(page.locator("[data-leader-note]")).to_be_visible()
        expect(page.locator("[data-record] tr")).to_have_count(1)
        expect(page.locator("[data-record] tr.mine .bid-status")).to_have_text("领先")
        expect(page.locator("[data-reserve]")).to_contain_text("未达到")

        # Every money-moving request carried the CSRF header and its own Idempotency-Key.
        assert len(money_requests) == 2
        keys = {headers.get("idempotency-key") for headers in money_requests}
        assert None not in keys and len(keys) == 2
        assert all(headers.get("x-csrf-token") for headers in money_requests)

        # B bids through the API; A's page follows without a reload.
        page.evaluate("window.__stillHere = true")
        assert httpx.post(f"{base}/api/v1/lots/{lot['id']}/deposit", headers=bob).status_code == 201
        placed = httpx.post(f"{base}/api/v1/lots/{lot['id']}/bids", headers=bob, json={"amount": 130_000})
        assert placed.status_code == 201, placed.text
        alias_b = placed.json()["leader"]
        assert alias_b != alias_a
        expect(page.locator("[data-price]")).to_have_text("¥1,300.00")
        expect(page.locator("[data-leader]")).to_have_text(alias_b)
        expect(page.locator("[data-bid-count]")).to_have_text("2")
        expect(page.locator("[data-record] tr")).to_have_count(2)
        first_row = page.locator("[data-record] tr").first
        expect(first_row.locator(".alias")).to_have_text(alias_b)
        expect(first_row.locator(".bid-status")).to_have_text("领先")
        # bids are numbered 1..n (the lot-started event takes seq 1; the row keeps its seq in data-seq)
        expect(page.locator("[data-record] tr td:first-child")).to_have_text(["#2", "#1"])
        expect(page.locator("[data-record] tr.mine .bid-status")).to_have_text("出局")
        expect(page.locator("[data-next-valid]")).to_have_text("¥1,400.00")
        expect(page.locator("[data-leader-note]")).to_be_hidden()
        expect(page.locator("#bid-amount")).to_have_value("1400.00")
        expect(page.locator("[data-reserve]")).to_contain_text("已达到")
        assert page.evaluate("window.__stillHere") is True

        # A too-low bid is refused with the message in the page's language and the next valid amount.
        page.fill("#bid-amount", "1300")
        page.click("[data-bid-submit]")
        expect(page.locator("[data-message]")).to_have_text(re.compile("最低可出价 ¥1,400.00"))
        expect(page.locator("[data-message]")).to_have_class(re.compile("error"))
        # A proxy bid: A's maximum answers B at once.
        page.check("[data-proxy-toggle]")
        page.fill("#bid-amount", "1400")
        page.fill("#bid-max", "2000")
        page.click("[data-bid-submit]")
        expect(page.locator("[data-price]")).to_have_text("¥1,400.00")
        expect(page.locator("[data-leader]")).to_have_text(alias_a)
        countered = httpx.post(f"{base}/api/v1/lots/{lot['id']}/bids", headers=bob, json={"amount": 150_000})
        assert countered.status_code == 201
        expect(page.locator("[data-price]")).to_have_text("¥1,600.00")
        expect(page.locator("[data-leader]")).to_have_text(alias_a)
        expect(page.locator("[data-record] tr").first.locator(".col-type")).to_have_text("代理")
        expect(page.locator("[data-record] tr")).to_have_count(5)
        assert page.evaluate("window.__stillHere") is True

        # 撤回出价: the confirmation shows the bids, the fee and the quota; the page follows the new standing.
        expect(page.locator("[data-panel=withdraw]")).to_be_visible()
        page.click("[data-withdraw=bid]")
        confirm = page.locator("[data-withdraw-confirm]")
        expect(confirm).to_be_visible()
        expect(confirm.locator("[data-withdraw-rows]")).to_contain_text("#4 ¥1,400.00")
        expect(confirm.locator("[data-withdraw-rows]")).to_contain_text("#6 ¥1,600.00")
        expect(confirm.locator("[data-withdraw-fee]")).to_have_text("¥50.00")
        expect(confirm.locator("[data-withdraw-price]")).to_have_text("¥1,500.00")
        expect(confirm.locator("[data-withdraw-leader]")).to_have_text(alias_b)
        expect(confirm.locator("[data-withdraw-quota]")).to_have_text("3 / 3")
        expect(page.locator("[data-quota-left-panel]")).to_have_text("3")
        shoot(page, "lot-withdraw-confirm-desktop-zh")
        page.click("[data-withdraw-go]")
        expect(page.locator("[data-message]")).to_have_text(re.compile("已撤回"))
        expect(page.locator("[data-price]")).to_have_text("¥1,500.00")
        expect(page.locator("[data-leader]")).to_have_text(alias_b)
        expect(page.locator("[data-record] tr.row-withdrawn")).to_have_count(2)
        expect(page.locator("[data-record] tr[data-seq='6'] .bid-status")).to_have_text("已撤回")
        # the fee came out of the deposit: top it up before bidding again
        expect(page.locator("[data-panel=deposit_short]")).to_be_visible()
        expect(page.locator("[data-deposit]")).to_have_text("补缴保证金 ¥50.00")
        expect(page.locator("#bid-form")).to_be_hidden()
        assert page.evaluate("window.__stillHere") is True
        shoot(page, "lot-desktop-zh")

        # The personal centre: wallet, sandbox top-up, bids, deposits and ledger.
        page.goto(f"{base}/me")
        expect(page.locator("[data-wallet=frozen]")).to_have_text("¥150.00")
        expect(page.locator("[data-wallet=available]")).to_have_text("¥49,800.00")
        expect(page.locator("[data-quota-left]")).to_have_text("2")
        page.click("[data-quick='1000.00']")
        page.click("#topup-form button[type=submit]")
        expect(page.locator("#topup-form [data-message]")).to_have_text(re.compile("充值成功"))
        expect(page.locator("[data-wallet=available]")).to_have_text("¥50,800.00")
        expect(page.locator("[data-ledger] tr")).to_have_count(5)  # top-up, freeze (two accounts), fee, top-up
        shoot(page, "me-desktop-zh")

        # English, then the phone.
        page.goto(f"{base}/?lang=en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        shoot(page, "list-desktop-en")
        page.goto(f"{base}{lot_path}")
        expect(page.locator("[data-live-indicator]")).to_have_text("Live updates")
        expect(page.locator("[data-record] tr[data-seq='6'] .bid-status")).to_have_text("Withdrawn")
        shoot(page, "lot-desktop-en")
        page.goto(f"{base}/me")
        shoot(page, "me-desktop-en")

        page.set_viewport_size(PHONE)
        for lang in ("en", "zh"):
            for name, path in (("list", f"/?lang={lang}"), ("lot", lot_path), ("me", "/me")):
                page.goto(f"{base}{path}")
                if name == "lot":
                    expect(page.locator("[data-live-indicator]")).to_be_visible()
                shoot(page, f"{name}-phone-{lang}")
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{name} page scrolls sideways on a phone ({lang})"

        # The last minutes, on the simulated clock: A tops the deposit up, bids inside the extension window,
        # the end moves (and the countdown with it), then the lot closes and A's page shows the result live.
        page.set_viewport_size(DESKTOP)
        page.goto(f"{base}{lot_path}")
        expect(page.locator("[data-live-indicator]")).to_have_text("实时")
        page.evaluate("window.__stillHere = true")
        server_now = datetime.fromisoformat(httpx.get(f"{base}/api/v1/_clock").json()["now"])
        ends_at = datetime.fromisoformat(httpx.get(f"{base}/api/v1/lots/{lot['id']}").json()["ends_at"])
        left = int((ends_at - server_now).total_seconds())
        assert httpx.post(f"{base}/api/v1/_clock/advance", json={"seconds": left - 120}).is_success
        page.click("[data-deposit]")  # 补缴保证金 ¥50.00
        expect(page.locator("#bid-form")).to_be_visible()
        expect(page.locator("#bid-amount")).to_have_value("1600.00")
        page.click("[data-bid-submit]")
        expect(page.locator("[data-extensions]")).to_have_text("1")
        expect(page.locator("[data-price]")).to_have_text("¥1,600.00")
        expect(page.locator("[data-countdown-value]")).to_have_text(re.compile(r"^00:0[45]:\d\d$"))
        expect(page.locator("[data-scheduled-end]")).to_be_visible()
        assert httpx.post(f"{base}/api/v1/_clock/advance", json={"seconds": 400}).is_success
        expect(page.locator("[data-result-text]")).to_have_text("拍卖已成交")
        expect(page.locator("[data-winner-alias]")).to_have_text(alias_a)
        expect(page.locator("[data-price-label]")).to_have_text("成交价")
        expect(page.locator("[data-price]")).to_have_text("¥1,600.00")
        expect(page.locator("[data-status-badge]").first).to_have_text("已成交")
        expect(page.locator("[data-panel=closed]")).to_be_visible()
        expect(page.locator("#bid-form")).to_be_hidden()
        assert page.evaluate("window.__stillHere") is True
        shoot(page, "lot-sold-desktop-zh")
        assert errors == []
        context.close()
