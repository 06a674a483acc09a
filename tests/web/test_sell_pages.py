"""The seller's pages: /sell (sign-in, the application form, the seller's links), 我的拍品 by state and the
edit form prefilled. Page rendering does not depend on the database engine, so these run on SQLite only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from web_support import HTML, sign_in, sqlite_only

from conftest import Api

db_url = sqlite_only


def lot_body(api: Api, **fields: object) -> dict[str, object]:
    now = api.now()
    body: dict[str, object] = {
        "title": "宝马 X5",
        "category": "vehicles",
        "start_price": 20_000_000,
        "increment": 100_000,
        "deposit": 2_000_000,
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=25)).isoformat(),
    }
    body.update(fields)
    return body


def field(html: str, name: str) -> str:
    found = re.search(rf'<input name="{name}"[^>]*value="([^"]*)"', html, re.S) or re.search(
        rf'name="{name}"[^>]*value="([^"]*)"', html, re.S
    )
    assert found is not None, name
    return found.group(1)


def test_sell_asks_to_sign_in_then_shows_the_application_form(api: Api) -> None:
    api.user("applicant")
    api.client.cookies.clear()
    away = api.client.get("/sell", headers=HTML, follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"] == "/login?next=%2Fsell"
    sign_in(api, "applicant")
    page = api.client.get("/sell", headers=HTML)
    assert page.status_code == 200
    assert 'id="apply-form"' in page.text
    assert "申请成为卖家" in page.text and "营业执照号" in page.text and "法院名称" in page.text
    assert "/static/sell.js?v=" in page.text
    assert 'href="/sell"' in page.text  # the header's link for a signed-in user
    assert "Apply to sell" in api.client.get("/sell?lang=en", headers=HTML).text
    assert "/sell/lots/new" not in page.text


def test_a_pending_then_rejected_application_shows_its_state_and_reason(api: Api) -> None:
    staff = api.user("staff", staff=True)
    applicant = api.user("applicant")
    applied = api.client.post(
        "/api/v1/me/seller-application",
        headers=applicant,
        json={
            "kind": "business",
            "name": "某某商行",
            "licence_number": "91310000MA1FL0000X",
            "contact_phone": "13800000000",
        },
    )
    assert applied.status_code == 201, applied.text
    listed = api.client.get("/api/v1/staff/seller-applications", headers=staff).json()["items"][0]
    assert (listed["licence_number"], listed["contact_phone"]) == ("91310000MA1FL0000X", "13800000000")
    sign_in(api, "applicant")
    pending = api.client.get("/sell", headers=HTML).text
    assert "审核中" in pending and 'id="apply-form"' not in pending
    application_id = applied.json()["id"]
    api.client.post(
        f"/api/v1/staff/seller-applications/{application_id}/reject", headers=staff, json={"reason": "执照模糊"}
    )
    sign_in(api, "applicant")
    rejected = api.client.get("/sell", headers=HTML).text
    assert "执照模糊" in rejected and 'id="apply-form"' in rejected  # the reason, and apply again


def test_an_approved_seller_sees_links_and_my_lots_by_state(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    draft = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api, title="草稿瓶", submit=False)).json()
    review = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api, title="审核车")).json()
    refused = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api, title="驳回表")).json()
    api.client.post(f"/api/v1/staff/lots/{refused['id']}/reject", headers=staff, json={"reason": "图片不清"})
    live = api.live_lot(seller, staff, title="直播画")
    sign_in(api, "seller")
    home = api.client.get("/sell", headers=HTML).text
    assert 'href="/sell/lots/new"' in home and 'href="/sell/lots"' in home and 'id="apply-form"' not in home

    page = api.client.get("/sell/lots", headers=HTML)
    assert page.status_code == 200
    text = page.text

    def shelf(name: str) -> str:
        found = re.search(rf'<section[^>]*data-shelf="{name}"[^>]*>(.*?)</section>', text, re.S)
        assert found is not None, name
        return found.group(1)

    assert "草稿瓶" in shelf("draft") and f"/sell/lots/{draft['id']}/edit" in shelf("draft")
    assert "审核车" in shelf("pending_review") and f"/sell/lots/{review['id']}/edit" in shelf("pending_review")
    assert "驳回表" in shelf("rejected") and "图片不清" in shelf("rejected")
    assert "直播画" in shelf("live") and f"/sell/lots/{live['id']}/edit" not in shelf("live")  # not editable
    assert "草稿瓶" not in shelf("live")
    assert "My lots" in api.client.get("/sell/lots?lang=en", headers=HTML).text

    lot_page = api.client.get(f"/lots/{refused['id']}", headers=HTML).text  # the lot view shows its seller why
    assert "data-seller-note" in lot_page and "图片不清" in lot_page and f"/sell/lots/{refused['id']}/edit" in lot_page
    assert "data-seller-note" not in api.client.get(f"/lots/{live['id']}", headers=HTML).text
    refused_edit = api.client.get(f"/sell/lots/{live['id']}/edit", headers=HTML)
    assert refused_edit.status_code == 409


def test_the_edit_form_is_prefilled_in_yuan_and_beijing_time(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    api.user("other", seller="individual")
    body = lot_body(
        api,
        submit=False,
        title="清代花瓶",
        start_price=12_345_600,
        increment=50_050,
        deposit=0,
        reserve_price=20_000_000,
        return_policy="七天无理由退货",
        starts_at=datetime(2027, 1, 2, 2, 0, tzinfo=UTC).isoformat(),
        ends_at=datetime(2027, 1, 3, 2, 0, tzinfo=UTC).isoformat(),
    )
    lot = api.client.post("/api/v1/lots", headers=seller, json=body).json()
    sign_in(api, "seller")
    page = api.client.get(f"/sell/lots/{lot['id']}/edit", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert field(html, "title") == "清代花瓶"
    assert field(html, "start_price") == "123456.00"
    assert field(html, "increment") == "500.50"
    assert field(html, "deposit") == "0.00"
    assert field(html, "reserve_price") == "200000.00"
    assert field(html, "starts_at") == "2027-01-02T10:00"  # 02:00 UTC is 10:00 in Beijing
    assert field(html, "ends_at") == "2027-01-03T10:00"
    assert "七天无理由退货" in html
    assert 'id="lot-photos"' in html
    assert 'data-action="submit"' in html
    new = api.client.get("/sell/lots/new", headers=HTML)
    assert new.status_code == 200 and 'id="lot-form"' in new.text
    sign_in(api, "other")
    assert api.client.get(f"/sell/lots/{lot['id']}/edit", headers=HTML).status_code == 404


def test_the_new_lot_form_needs_an_approved_seller(api: Api) -> None:
    api.user("bidder")
    sign_in(api, "bidder")
    away = api.client.get("/sell/lots/new", headers=HTML, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/sell"
