"""Suspension in the pages: the lot page tells everyone why and takes nothing, the list marks the card, and
the seller's 我的拍品 offers exactly the actions the domain allows (suspend/cancel, then resume/cancel).
Page rendering does not depend on the database engine, so these run on SQLite only."""

from __future__ import annotations

import re

from web_support import HTML, sign_in, sqlite_only

from conftest import Api

db_url = sqlite_only


def manage_buttons(html: str, lot_id: int) -> list[str]:
    found = re.search(rf'<form class="lot-manage" data-manage="/lots/{lot_id}">(.*?)</form>', html, re.S)
    return re.findall(r'data-manage-action="(\w+)"', found.group(1)) if found else []


def hidden(html: str, panel: str) -> bool:
    found = re.search(rf'data-panel="{panel}"([^>]*)>', html)
    assert found is not None, panel
    return "hidden" in found.group(1)


def test_a_suspended_lot_says_why_everywhere_and_the_seller_may_resume_or_cancel(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    api.user("bidder", top_up=1_000_000)
    lot_id = int(api.live_lot(seller, staff, title="暂缓的画")["id"])

    sign_in(api, "seller")
    mine = api.client.get("/sell/lots", headers=HTML).text
    assert manage_buttons(mine, lot_id) == ["suspend", "cancel"]
    assert "lot_manage.js" in mine

    suspended = api.client.post(f"/api/v1/lots/{lot_id}/suspend", headers=seller, json={"reason": "权属待核实"})
    assert suspended.status_code == 200
    mine = api.client.get("/sell/lots", headers=HTML).text
    shelf = re.search(r'data-shelf="suspended"[^>]*>(.*?)</section>', mine, re.S)
    assert shelf is not None and "暂缓的画" in shelf.group(1) and "权属待核实" in shelf.group(1)
    assert manage_buttons(mine, lot_id) == ["resume", "cancel"]

    sign_in(api, "bidder")
    page = api.client.get(f"/lots/{lot_id}", headers=HTML).text
    assert not hidden(page, "suspended") and hidden(page, "deposit")
    assert "本场拍卖已暂缓" in page and "权属待核实" in page and "已暂缓" in page
    english = api.client.get(f"/lots/{lot_id}?lang=en", headers=HTML).text
    assert "This auction is suspended." in english
    listing = api.client.get("/?status=suspended", headers=HTML).text
    assert "暂缓的画" in listing and 'class="timing suspended"' in listing

    api.client.post(f"/api/v1/lots/{lot_id}/resume", headers=seller, json={"reason": "核实完毕"})
    page = api.client.get(f"/lots/{lot_id}", headers=HTML).text
    assert hidden(page, "suspended") and not hidden(page, "deposit")
