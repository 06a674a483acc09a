"""我的销售 and a seller's public page over HTTP (both databases), and the seller application's details by kind."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from order_api_helpers import DEPOSIT, INC, START, cheap_password_hashing, refused, sell

from conftest import Api

__all__ = ["cheap_password_hashing"]  # an autouse fixture

PRICE = START + INC


def sales(api: Api, who: dict[str, str]) -> dict[str, Any]:
    response = api.client.get("/api/v1/me/sales", headers=who)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_my_sales_follow_the_order_with_the_next_step_and_the_sums(api: Api) -> None:
    sale = sell(api)
    first = sales(api, sale.seller)
    [item] = first["items"]
    assert (item["id"], item["status"], item["price"], item["my_role"]) == (
        sale.order["id"],
        "awaiting_payment",
        PRICE,
        "seller",
    )
    mine = api.client.get(f"/api/v1/lots/{sale.lot['id']}", headers=sale.buyer).json()
    assert item["buyer_alias"] and item["buyer_alias"] == mine["my_alias"]  # the buyer's 竞买号, as on the lot
    assert item["allowed_actions"] == ["refuse_to_sell"] and item["deadline"]["kind"] == "pay"
    assert first["totals"] == {"sold_count": 1, "turnover": PRICE, "in_escrow": 0, "paid_out": 0}

    sale.ok(sale.buyer, "pay")
    paid = sales(api, sale.seller)
    assert "ship" in paid["items"][0]["allowed_actions"] and paid["items"][0]["deadline"]["kind"] == "ship"
    assert paid["totals"] == {"sold_count": 1, "turnover": PRICE, "in_escrow": PRICE, "paid_out": 0}

    sale.ok(sale.seller, "ship", {"carrier": "顺丰速运", "tracking_no": "SF1234567890"})
    sale.ok(sale.buyer, "confirm-receipt")
    done = sales(api, sale.seller)
    assert done["items"][0]["allowed_actions"] == []
    assert done["totals"] == {"sold_count": 1, "turnover": PRICE, "in_escrow": 0, "paid_out": PRICE}  # no commission

    buyer_side = sales(api, sale.buyer)  # the buyer sold nothing
    assert buyer_side["items"] == [] and buyer_side["totals"] == {
        "sold_count": 0,
        "turnover": 0,
        "in_escrow": 0,
        "paid_out": 0,
    }
    api.client.cookies.clear()  # the test client keeps the last login's cookie
    refused(api.client.get("/api/v1/me/sales"), 401, "NOT_AUTHENTICATED")


def test_a_default_is_no_sale_but_its_penalty_is_paid_out(api: Api) -> None:
    sale = sell(api)
    deadline = datetime.fromisoformat(sale.order["pay_deadline"])
    assert api.advance(int((deadline - api.now()).total_seconds()) + 5).status_code == 200
    assert sale.get(sale.seller)["status"] == "defaulted"
    body = sales(api, sale.seller)
    assert body["items"][0]["allowed_actions"] == [] and body["items"][0]["deadline"] is None
    assert body["totals"] == {"sold_count": 0, "turnover": 0, "in_escrow": 0, "paid_out": DEPOSIT}


def new_lot(api: Api, seller: dict[str, str], title: str, *, submit: bool) -> int:
    now = api.now()
    body = {
        "title": title,
        "category": "art",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": (now + timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
        "submit": submit,
    }
    created = api.client.post("/api/v1/lots", headers=seller, json=body)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def test_a_seller_page_shows_published_lots_only(api: Api) -> None:
    sale = sell(api)
    seller_id = sale.lot["seller_id"]
    draft = new_lot(api, sale.seller, "草稿拍品", submit=False)
    in_review = new_lot(api, sale.seller, "审核中拍品", submit=True)
    rejected = new_lot(api, sale.seller, "被驳回拍品", submit=True)
    turned_down = api.client.post(
        f"/api/v1/staff/lots/{rejected}/reject", headers=sale.staff, json={"reason": "图片不清"}
    )
    assert turned_down.status_code == 200, turned_down.text
    scheduled = new_lot(api, sale.seller, "预展拍品", submit=True)
    assert api.client.post(f"/api/v1/staff/lots/{scheduled}/approve", headers=sale.staff).status_code == 200
    live = api.live_lot(sale.seller, sale.staff)
    hidden = {draft, in_review, rejected}
    api.client.cookies.clear()  # speak as the public
    body = api.client.get(f"/api/v1/sellers/{seller_id}").json()
    assert body["display_name"] and body["kind"] == "individual" and body["approved_since"]
    assert body["deals_count"] == 1 and body["ratings"] is None
    shown = {lot["id"]: group["shelf"] for group in body["groups"] for lot in group["items"]}
    assert shown == {sale.lot["id"]: "ended", scheduled: "scheduled", live["id"]: "live"}
    assert not hidden & set(shown)
    assert [group["shelf"] for group in body["groups"]] == ["live", "scheduled", "ended"]
    own = api.client.get(f"/api/v1/sellers/{seller_id}", headers=sale.seller).json()  # not even to the seller
    assert {lot["id"] for group in own["groups"] for lot in group["items"]} == set(shown)


def test_only_an_approved_seller_has_a_page(api: Api) -> None:
    api.user("staff", staff=True)
    bidder = api.user("bidder")
    me = api.client.get("/api/v1/me", headers=bidder).json()
    refused(api.client.get(f"/api/v1/sellers/{me['id']}"), 404, "SELLER_NOT_FOUND")
    refused(api.client.get("/api/v1/sellers/999999"), 404, "SELLER_NOT_FOUND")
    applied = api.client.post(
        "/api/v1/me/seller-application",
        headers=bidder,
        json={"kind": "individual", "name": "张三", "contact_phone": "13912345678"},
    )
    assert applied.status_code == 201, applied.text
    refused(api.client.get(f"/api/v1/sellers/{me['id']}"), 404, "SELLER_NOT_FOUND")  # pending is not approved
    assert api.client.get("/api/v1/sellers/0").status_code == 422
    assert api.client.get("/api/v1/sellers/abc").status_code == 422


@pytest.mark.parametrize(
    ("details", "code", "field"),
    [
        ({"kind": "individual"}, "SELLER_DETAILS_REQUIRED", "contact_phone"),
        ({"kind": "individual", "contact_phone": "12345"}, "SELLER_PHONE_INVALID", "contact_phone"),
        ({"kind": "individual", "contact_phone": "1381234567a"}, "SELLER_PHONE_INVALID", "contact_phone"),
        ({"kind": "business", "contact_phone": "13800000000"}, "SELLER_DETAILS_REQUIRED", "licence_number"),
        (
            {"kind": "business", "contact_phone": "13800000000", "licence_number": "12345"},
            "SELLER_LICENCE_INVALID",
            "licence_number",
        ),
        (
            {"kind": "business", "contact_phone": "13800000000", "licence_number": "91310000MA1FL0000O"},
            "SELLER_LICENCE_INVALID",
            "licence_number",
        ),
        ({"kind": "court", "contact_phone": "010-65000000"}, "SELLER_DETAILS_REQUIRED", "court_name"),
        ({"kind": "court", "court_name": "北京市第一中级人民法院"}, "SELLER_DETAILS_REQUIRED", "contact_phone"),
    ],
)
def test_an_application_missing_or_misformatting_its_details_is_refused(
    api: Api, details: dict[str, str], code: str, field: str
) -> None:
    applicant = api.user("applicant")
    response = api.client.post("/api/v1/me/seller-application", headers=applicant, json={"name": "某某", **details})
    refused(response, 422, code)
    assert response.json()["error"]["field"] == field
    me = api.client.get("/api/v1/me", headers=applicant).json()
    assert me["seller_status"] == "none"  # nothing half-applied: the user may apply again at once


@pytest.mark.parametrize(
    ("details", "stored"),
    [
        ({"kind": "individual", "contact_phone": "+86 139 1234 5678"}, ("13912345678", "", "")),
        (
            {"kind": "business", "contact_phone": "021-62880000", "licence_number": "91310000ma1fl0000x"},
            ("021-62880000", "91310000MA1FL0000X", ""),
        ),
        (
            {
                "kind": "court",
                "contact_phone": "01065000000",
                "court_name": " 北京市第一中级人民法院 ",
                "licence_number": "x",
            },
            ("01065000000", "", "北京市第一中级人民法院"),
        ),
    ],
)
def test_an_application_with_its_details_is_kept_normalised(
    api: Api, details: dict[str, str], stored: tuple[str, str, str]
) -> None:
    staff = api.user("staff", staff=True)
    applicant = api.user("applicant")
    response = api.client.post("/api/v1/me/seller-application", headers=applicant, json={"name": "某某", **details})
    assert response.status_code == 201, response.text
    [listed] = api.client.get("/api/v1/staff/seller-applications", headers=staff).json()["items"]
    assert (listed["contact_phone"], listed["licence_number"], listed["court_name"]) == stored
