"""暂缓 and 恢复 in real browsers: the seller suspends a live lot from 我的拍品 (a reason is asked for first),
a bidder watching the lot on a phone sees it suspended at once with the reason and no bid form, and sees
the bid form come back when the seller resumes it."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright import sync_api

from browsing import DESKTOP, PHONE, api_login, chromium, create_lot, open_as, seeded_database, shoot
from servers import running_server


def test_a_seller_suspends_and_resumes_and_a_watching_bidder_sees_it_live(tmp_path: Path) -> None:
    expect = sync_api.expect
    url, now = seeded_database(tmp_path)
    with running_server({"PAIMAI_DATABASE_URL": url}) as base, chromium() as browser:
        staff, seller, alice = api_login(base, "staff"), api_login(base, "seller"), api_login(base, "alice")
        lot = create_lot(base, seller, staff, now, title="清代青花瓷瓶 vase")
        assert httpx.post(f"{base}/api/v1/me/wallet/top-up", headers=alice, json={"amount": 100_000}).is_success
        assert httpx.post(f"{base}/api/v1/lots/{lot['id']}/deposit", headers=alice).status_code == 201

        bidder_context, watching, bidder_errors = open_as(browser, base, "alice", f"/lots/{lot['id']}", viewport=PHONE)
        expect(watching.locator("[data-panel=bid]")).to_be_visible()
        seller_context, mine, seller_errors = open_as(browser, base, "seller", "/sell/lots", viewport=DESKTOP)
        form = mine.locator(f'form[data-manage="/lots/{lot["id"]}"]')
        form.locator("button[value=suspend]").click()
        expect(form.locator("[data-message]")).to_have_text("请填写原因。")  # nothing sent without a reason
        form.locator("textarea[name=reason]").fill("权属待核实 ownership to verify")
        form.locator("button[value=suspend]").click()
        shelf = mine.locator("[data-shelf=suspended]")
        expect(shelf).to_contain_text("清代青花瓷瓶")
        expect(shelf).to_contain_text("权属待核实")
        shoot(mine, "suspend-my-lots-desktop")

        expect(watching.locator("[data-panel=suspended]")).to_be_visible()  # live, without a reload
        expect(watching.locator("[data-suspended-reason]")).to_have_text("权属待核实 ownership to verify")
        expect(watching.locator("[data-panel=bid]")).to_be_hidden()
        expect(watching.locator("[data-status-badge]").first).to_have_text("已暂缓")
        width = watching.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        shoot(watching, "suspended-lot-phone")

        resume = mine.locator(f'form[data-manage="/lots/{lot["id"]}"]')
        resume.locator("textarea[name=reason]").fill("核实完毕")
        resume.locator("button[value=resume]").click()
        expect(mine.locator("[data-shelf=live]")).to_contain_text("清代青花瓷瓶")
        expect(watching.locator("[data-panel=bid]")).to_be_visible()
        expect(watching.locator("[data-panel=suspended]")).to_be_hidden()
        assert bidder_errors == [] and seller_errors == []
        bidder_context.close()
        seller_context.close()
