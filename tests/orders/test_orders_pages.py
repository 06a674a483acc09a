"""The order pages as the server renders them (Chinese by default, English on request), for each party."""

from __future__ import annotations

from order_api_helpers import cheap_password_hashing, sell

from conftest import Api

__all__ = ["cheap_password_hashing"]  # an autouse fixture


def page(api: Api, username: str, path: str) -> tuple[int, str]:
    api.login(username)  # the test client keeps the session cookie of the last login
    response = api.client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    return response.status_code, response.text


def test_buyer_and_seller_pages(api: Api) -> None:
    sale = sell(api)
    order_id = sale.order["id"]
    status, html = page(api, "buyer", f"/orders/{order_id}")
    assert status == 200
    assert "待付款" in html and "付款截止" in html and 'data-order-action="pay"' in html
    assert 'data-order-form="close-request"' in html and "误拍" in html and "改变主意" in html
    assert "data-buyer-defaults" not in html  # the buyer's own record is shown in the personal centre
    assert 'data-target="' in html and "data-countdown" in html

    status, html = page(api, "seller", f"/orders/{order_id}?lang=en")
    assert status == 200
    assert "Awaiting payment" in html and "Buyer&#39;s defaults" in html
    assert 'data-order-action="refuse"' in html and 'data-order-action="pay"' not in html

    status, html = page(api, "buyer", "/me")
    assert status == 200 and "data-me-orders" in html and f'data-order-row="{order_id}"' in html
    assert 'data-notice="order_won"' in html

    status, html = page(api, "seller", "/me/orders?role=seller")
    assert status == 200 and f'data-order-row="{order_id}"' in html and "我是卖家" in html
    status, html = page(api, "seller", "/me/orders?role=buyer")
    assert status == 200 and f'data-order-row="{order_id}"' not in html


def test_strangers_and_visitors(api: Api) -> None:
    sale = sell(api)
    api.user("stranger")
    status, _ = page(api, "stranger", f"/orders/{sale.order['id']}")
    assert status == 404
    status, _ = page(api, "stranger", "/orders/not-a-number")
    assert status == 404
    api.client.cookies.clear()
    response = api.client.get(f"/orders/{sale.order['id']}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    response = api.client.get("/me/orders", follow_redirects=False)
    assert response.status_code == 303


def test_after_a_default_the_seller_is_offered_a_second_chance(api: Api) -> None:
    sale = sell(api)
    api.advance(73 * 3600)
    status, html = page(api, "seller", f"/orders/{sale.order['id']}")
    assert status == 200 and "违约关闭" in html and 'data-order-action="second-chance"' in html
    assert "1 次" in html  # the buyer's record now shows the default
    made = sale.post(sale.seller, "second-chance")
    assert made.status_code == 201
    status, html = page(api, "runner", "/me")
    assert status == 200 and 'data-offer-action="accept"' in html
    status, html = page(api, "runner", "/me/orders")
    assert status == 200 and 'data-offer-action="accept"' in html
    status, html = page(api, "buyer", "/me")
    assert "违约次数：1" in html  # and in the buyer's personal centre
