"""Cash-out (提现) in a real browser, on a phone: the bank account, a refusal shown in the page, a cash-out
converted from yuan without floats, the history updated live; staff see no wallet, nor a lot's bid form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright import sync_api

from browsing import DESKTOP, PHONE, api_login, chromium, create_lot, open_as, seeded_database, shoot
from servers import running_server


def test_cash_out_on_a_phone_and_staff_without_a_wallet(tmp_path: Path) -> None:
    expect = sync_api.expect
    url, now = seeded_database(tmp_path)
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        alice = api_login(base, "alice")
        assert httpx.post(f"{base}/api/v1/me/wallet/top-up", headers=alice, json={"amount": 100_000}).is_success
        context, page, errors = open_as(browser, base, "alice", "/me", viewport=PHONE)
        expect(page.locator("[data-cashout-available]")).to_have_text("¥1,000.00")

        cash = page.locator("#cashout-form")
        cash.locator("input[name=amount]").fill("10")
        cash.locator("button[type=submit]").click()
        expect(cash.locator("[data-message]")).to_have_text("请先填写收款银行账户。")  # refused, in the page

        bank = page.locator("#bank-form")
        bank.locator("input[name=bank_name]").fill("招商银行")
        bank.locator("input[name=holder]").fill("张三")
        bank.locator("input[name=account_number]").fill("1234")
        bank.locator("button[type=submit]").click()
        expect(bank.locator("[data-message]")).to_contain_text("12–19 位数字")
        bank.locator("input[name=account_number]").fill("6225 8801 1234 5678")
        bank.locator("button[type=submit]").click()
        expect(bank.locator("[data-bank-text]")).to_have_text("招商银行 · 张三 · **** 5678")

        cash.locator("input[name=amount]").fill("2000")
        cash.locator("button[type=submit]").click()
        expect(cash.locator("[data-message]")).to_have_text("可用余额不足。")

        cash.locator("input[name=amount]").fill("123.45")
        cash.locator("button[type=submit]").click()
        expect(cash.locator("[data-message]")).to_contain_text("提现成功")
        expect(page.locator("[data-cashout-available]")).to_have_text("¥876.55")
        expect(page.locator('[data-wallet="available"]')).to_have_text("¥876.55")
        expect(page.locator("[data-cash-outs] tr").first).to_contain_text("¥123.45")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width  # nothing wider than the phone
        shoot(page, "cash-out-phone")
        assert errors == []
        context.close()
        wallet: dict[str, Any] = httpx.get(f"{base}/api/v1/me/wallet", headers=alice).json()
        assert wallet == {"available": 87_655, "frozen": 0}

        staff, seller = api_login(base, "staff"), api_login(base, "seller")
        lot = create_lot(base, seller, staff, now, title="青花瓷瓶 vase")
        context, page, errors = open_as(browser, base, "staff", f"/lots/{lot['id']}", viewport=DESKTOP)
        expect(page.locator("[data-panel=staff]")).to_be_visible()
        assert page.locator("[data-deposit]").count() == 0 and page.locator("#bid-form").count() == 0
        page.goto(f"{base}/me")
        expect(page.locator("#staff")).to_be_visible()
        assert page.locator("#wallet").count() == 0 and page.locator("#cashout-form").count() == 0
        assert errors == []
        context.close()
