"""我的销售 (/sell/sales) and a seller's public page (/sellers/{id}) as the server renders them (tests/web style)."""

from __future__ import annotations

from datetime import timedelta

from order_api_helpers import INC, START, cheap_password_hashing, sell

from conftest import Api

__all__ = ["cheap_password_hashing"]  # an autouse fixture
HTML = {"Accept": "text/html"}


def page(api: Api, username: str | None, path: str) -> tuple[int, str]:
    api.client.cookies.clear()
    if username is not None:
        api.login(username)  # the test client keeps the session cookie of the last login
    response = api.client.get(path, headers=HTML, follow_redirects=False)
    return response.status_code, response.text


def test_my_sales_page_shows_each_order_its_next_step_and_the_sums(api: Api) -> None:
    sale = sell(api)
    order_id = sale.order["id"]
    status, html = page(api, "seller", "/sell/sales")
    assert status == 200
    assert "我的销售" in html and f'href="/orders/{order_id}"' in html
    assert "待付款" in html and 'data-deadline="pay"' in html and 'data-step="refuse_to_sell"' in html
    alias = api.client.get(f"/api/v1/lots/{sale.lot['id']}", headers=sale.buyer).json()["my_alias"]
    assert f"<span data-buyer-alias>{alias}</span>" in html
    assert '<dd data-total="sold_count">1</dd>' in html and '<dd data-total="in_escrow">¥0.00</dd>' in html

    sale.ok(sale.buyer, "pay")
    _, paid = page(api, "seller", "/sell/sales")
    assert 'data-step="ship"' in paid and 'data-deadline="ship"' in paid
    assert f'<dd data-total="in_escrow">¥{(START + INC) / 100:,.2f}</dd>' in paid

    _, home = page(api, "seller", "/sell")
    assert 'href="/sell/sales"' in home and f'href="/sellers/{sale.lot["seller_id"]}"' in home
    status, english = page(api, "seller", "/sell/sales?lang=en")
    assert status == 200 and "My sales" in english and "Turnover" in english

    status, empty = page(api, "buyer", "/sell/sales")  # a buyer has no sales
    assert status == 200 and "data-sales-empty" in empty
    status, _ = page(api, None, "/sell/sales")
    assert status == 303  # to the login page


def test_a_seller_page_lists_published_lots_and_never_unpublished_ones(api: Api) -> None:
    sale = sell(api)
    seller_id = sale.lot["seller_id"]
    now = api.now()
    draft = api.client.post(
        "/api/v1/lots",
        headers=sale.seller,
        json={
            "title": "秘密草稿",
            "category": "art",
            "start_price": 100_000,
            "increment": 10_000,
            "deposit": 20_000,
            "starts_at": (now + timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=2)).isoformat(),
            "submit": False,
        },
    )
    assert draft.status_code == 201
    review = api.client.post(
        "/api/v1/lots",
        headers=sale.seller,
        json={
            "title": "秘密送审",
            "category": "art",
            "start_price": 100_000,
            "increment": 10_000,
            "deposit": 20_000,
            "starts_at": (now + timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=2)).isoformat(),
        },
    )
    assert review.status_code == 201
    for who in (None, "seller"):  # not to the public, nor to the seller on their public page
        status, html = page(api, who, f"/sellers/{seller_id}")
        assert status == 200
        assert f'href="/lots/{sale.lot["id"]}"' in html and 'data-shelf="ended"' in html
        assert "秘密草稿" not in html and "秘密送审" not in html
        assert f'href="/lots/{draft.json()["id"]}"' not in html and f'href="/lots/{review.json()["id"]}"' not in html
        assert "个人卖家" in html or 'data-seller-kind="individual"' in html
        assert "<b data-deals>1</b>" in html and "暂无评价" in html

    status, lot_html = page(api, None, f"/lots/{sale.lot['id']}")
    assert status == 200 and f'<a href="/sellers/{seller_id}" data-seller-link>' in lot_html


def test_a_seller_page_is_not_found_for_anyone_but_an_approved_seller(api: Api) -> None:
    api.user("bidder")
    bidder_id = api.client.get("/api/v1/me").json()["id"]
    for path in (
        f"/sellers/{bidder_id}",
        "/sellers/987654",
        "/sellers/abc",
        "/sellers/0",
        "/sellers/99999999999999999999",
    ):
        status, html = page(api, None, path)
        assert status == 404, path
        assert "404" in html
