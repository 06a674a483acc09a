"""A judicial lot on a phone (issue 9): the bidder reads the tabs, is stopped until the 竞买须知 box is ticked,
then ticks it and pays the deposit in one press (the acceptance is recorded first, then the deposit)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from playwright import sync_api

from browsing import PHONE, api_login, chromium, open_as, seeded_database, shoot
from conftest import PASSWORD, make_settings
from paimai.bootstrap import Container
from paimai.services import accounts
from servers import running_server


def test_a_bidder_accepts_the_notice_and_pays_the_deposit_on_a_phone(tmp_path: Path) -> None:
    expect = sync_api.expect
    url, now = seeded_database(tmp_path)
    seeding = Container(make_settings(url, clock="system"))
    with seeding.transaction() as uow:
        accounts.register(uow, "court", PASSWORD, seller_kind="court", display_name="杭州市上城区人民法院")
    seeding.dispose()
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        staff, court, alice = api_login(base, "staff"), api_login(base, "court"), api_login(base, "alice")
        starts = now + timedelta(days=16, hours=1)
        created = httpx.post(
            f"{base}/api/v1/lots",
            headers=court,
            json={
                "title": "杭州市上城区某小区住宅",
                "category": "collectibles",
                "kind": "judicial",
                "appraisal": 1_000_000,
                "start_price": 700_000,
                "increment": 10_000,
                "deposit": 70_000,
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(days=1)).isoformat(),
                "case_number": "（2026）浙0102执1234号",
                "announcement": "一、拍卖标的：住宅一套。\n\n二、竞买人条件：具备完全民事行为能力。",
                "bidder_notice": "竞买人须先缴纳保证金。\n拍卖成交后十日内付清余款。",
                "as_is_notice": "卫生间有渗水。",
                "viewing": "12月20日上午 现场看样",
            },
        )
        assert created.status_code == 201, created.text
        lot_id = created.json()["id"]
        assert httpx.post(f"{base}/api/v1/staff/lots/{lot_id}/approve", headers=staff).status_code == 200
        assert httpx.post(f"{base}/api/v1/me/wallet/top-up", headers=alice, json={"amount": 100_000}).is_success
        real_name = {"name": "张三", "id_number": "11010519491231002X"}
        assert httpx.post(f"{base}/api/v1/me/real-name", headers=alice, json=real_name).status_code == 200

        context, page, errors = open_as(browser, base, "alice", f"/lots/{lot_id}", viewport=PHONE)
        expect(page.locator("[data-lot-tabs] a")).to_have_count(4)
        expect(page.locator("#description")).to_be_visible()
        expect(page.locator("#announcement")).to_be_hidden()  # one tab at a time with the script
        page.locator("[data-tab=announcement]").click()
        expect(page.locator("#announcement")).to_contain_text("二、竞买人条件")
        expect(page.locator("#description")).to_be_hidden()
        expect(page.locator("[data-panel=notice]")).to_be_visible()
        page.locator("[data-deposit]").click()
        expect(page.locator("[data-message]").first).to_have_text("请先勾选同意竞买须知及现状拍卖说明。")
        assert httpx.get(f"{base}/api/v1/me/wallet", headers=alice).json()["frozen"] == 0
        page.locator("[data-notice-accept]").check()
        shoot(page, "judicial-notice-phone")
        page.locator("[data-deposit]").click()
        expect(page.locator("[data-panel=paid]")).to_be_visible()
        expect(page.locator("[data-panel=notice]")).to_be_hidden()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        shoot(page, "judicial-deposit-paid-phone")
        seen = httpx.get(f"{base}/api/v1/lots/{lot_id}", headers=alice).json()
        assert seen["viewer"]["notice_accepted"] is True and seen["viewer"]["deposit_paid"] is True
        assert errors == []
        context.close()
