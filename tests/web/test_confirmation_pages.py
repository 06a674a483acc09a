"""The 成交确认书 page and the lot page's confirmation box (RULES §7), in Chinese and English; a lot without a
confirmation has neither. Page rendering does not depend on the database engine, so these run on SQLite only."""

from __future__ import annotations

from web_support import HTML, sign_in, sqlite_only

from conftest import Api
from priority_support import pay_deposit, verify

db_url = sqlite_only
CASE = "(2026)浙0106执1234号"


def test_a_sold_judicial_lot_shows_its_confirmation(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    lot = api.live_judicial_lot(court, staff, case_number=CASE)
    lot_id = lot["id"]
    wang = api.user("wang", top_up=10_000_000)
    verify(api, wang, 7)
    pay_deposit(api, wang, lot_id)
    # before the end: no box, no page
    assert "data-confirmation" not in api.client.get(f"/lots/{lot_id}", headers=HTML).text
    assert api.client.get(f"/lots/{lot_id}/confirmation", headers=HTML).status_code == 404
    assert api.bid(wang, lot_id, 700_000).status_code == 201
    assert api.advance(2 * 86_400).status_code == 200  # past the end: sold to wang
    masked = api.client.get(f"/api/v1/lots/{lot_id}/confirmation").json()["buyer_masked_id"]

    page = api.client.get(f"/lots/{lot_id}/confirmation", headers=HTML)  # public: nobody signed in
    assert page.status_code == 200
    html = page.text
    for expected in ("网络竞价成交确认书", f"CJ{lot_id:08d}", "王小明", masked, CASE, "¥7,000.00", "打印 / Print"):
        assert expected in html, expected
    assert f'href="/api/v1/lots/{lot_id}/confirmation.pdf"' in html
    assert "confirmation.css" in html and "data-print" in html
    english = api.client.get(f"/lots/{lot_id}/confirmation?lang=en", headers=HTML).text
    assert "Confirmation of sale" in english and "Print / 打印" in english and "Buyer" in english

    sign_in(api, "wang")
    lot_page = api.client.get(f"/lots/{lot_id}", headers=HTML).text
    assert f'data-confirmation="CJ{lot_id:08d}"' in lot_page
    assert "王小明" in lot_page and masked in lot_page
    assert f'href="/lots/{lot_id}/confirmation"' in lot_page


def test_a_commercial_lot_has_no_confirmation_page(api: Api) -> None:
    staff = api.user("staff", staff=True)
    shop = api.user("shop", seller="individual")
    lot = api.live_lot(shop, staff)
    assert api.client.get(f"/lots/{lot['id']}/confirmation", headers=HTML).status_code == 404
    assert "data-confirmation" not in api.client.get(f"/lots/{lot['id']}", headers=HTML).text
    assert api.client.get("/lots/abc/confirmation", headers=HTML).status_code == 404
