"""成交确认书 over HTTP on both databases: a judicial lot sold to a verified bidder has a public confirmation
(JSON and a PDF that reads back with the buyer's name, masked ID, case number and price); a commercial, unsold
or running lot has none (CONFIRMATION_NOT_AVAILABLE)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from pypdf import PdfReader

from conftest import Api
from priority_support import pay_deposit, verify

PRICE = 700_000


def code(answer: Any) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def sold_judicial_lot(api: Api) -> int:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    lot = api.live_judicial_lot(court, staff, case_number="(2026)浙0106执1234号")
    wang = api.user("wang", top_up=10_000_000)
    verify(api, wang, 7)
    pay_deposit(api, wang, lot["id"])
    assert api.bid(wang, lot["id"], PRICE).status_code == 201
    assert api.advance(2 * 86_400).status_code == 200  # past the end: sold to wang
    assert api.client.get(f"/api/v1/lots/{lot['id']}").json()["status"] == "sold"
    return int(lot["id"])


def test_a_sold_judicial_lot_has_a_public_confirmation_as_json_and_pdf(api: Api) -> None:
    lot_id = sold_judicial_lot(api)
    answer = api.client.get(f"/api/v1/lots/{lot_id}/confirmation")  # no sign-in: public
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["number"] == f"CJ{lot_id:08d}"
    assert (body["buyer_name"], body["buyer_masked_id"]) == (
        "王小明",
        "110*************" + body["buyer_masked_id"][-2:],
    )
    assert "19800101" not in answer.text  # only the masked ID number is ever shown
    assert (body["case_number"], body["price"], body["commission"]) == ("(2026)浙0106执1234号", PRICE, 0)
    assert body["court_name"] and body["pay_by"] and body["sold_at"]

    pdf = api.client.get(f"/api/v1/lots/{lot_id}/confirmation.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="CJ{lot_id:08d}.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    for expected in ("王小明", body["buyer_masked_id"], "(2026)浙0106执1234号", "7,000.00"):
        assert expected in text, expected

    # the order behind it charges no commission (RULES §7: no platform fee on judicial lots)
    wang = api.login("wang")
    (order,) = [o for o in api.client.get("/api/v1/me/orders", headers=wang).json()["items"] if o["lot_id"] == lot_id]
    assert (order["price"], order["commission"]) == (PRICE, 0)


def test_lots_without_a_confirmation(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    running = api.live_judicial_lot(court, staff)
    staff, court = api.login("staff"), api.login("court")
    shop = api.user("shop", seller="individual")
    commercial = api.live_lot(shop, staff)
    for lot in (running, commercial):  # bidding still open
        for suffix in ("", ".pdf"):
            answer = api.client.get(f"/api/v1/lots/{lot['id']}/confirmation{suffix}")
            assert code(answer) == (404, "CONFIRMATION_NOT_AVAILABLE")
    bidder = api.user("li", top_up=10_000_000)
    verify(api, bidder, 8)  # a verified buyer, so only the lot's kind stands between it and a confirmation
    assert api.deposit(bidder, commercial["id"]).status_code == 201
    assert api.bid(bidder, commercial["id"], commercial["start_price"]).status_code == 201
    assert api.advance(3 * 86_400).status_code == 200  # both end: the commercial one sold, the judicial unsold
    assert api.client.get(f"/api/v1/lots/{commercial['id']}").json()["status"] == "sold"
    assert api.client.get(f"/api/v1/lots/{running['id']}").json()["status"] != "sold"
    for lot in (running, commercial):
        answer = api.client.get(f"/api/v1/lots/{lot['id']}/confirmation")
        assert code(answer) == (404, "CONFIRMATION_NOT_AVAILABLE")
        assert answer.json()["error"]["message_zh"]
    assert code(api.client.get("/api/v1/lots/999999/confirmation")) == (404, "LOT_NOT_FOUND")
