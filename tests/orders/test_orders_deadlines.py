"""Order deadlines through the simulated clock (POST /_clock/advance), on SQLite and PostgreSQL:
the 24 h reminder, the default at the deadline, the unshipped refund, the auto-confirmation and the
second-chance offer with its 48 h — each applied once, however often the scheduler runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from order_api_helpers import DEPOSIT, FUNDS, INC, START, cheap_password_hashing, notices, refused, sell

from conftest import Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container

__all__ = ["cheap_password_hashing"]  # an autouse fixture
PRICE = START + INC
HOUR = 3600
DAY = 24 * HOUR


def seconds_until(api: Api, moment: str) -> int:
    return int((datetime.fromisoformat(moment) - api.now()).total_seconds())


def me(api: Api, who: dict[str, str]) -> dict[str, object]:
    return dict(api.client.get("/api/v1/me", headers=who).json())


def test_reminder_then_default_at_the_deadline_exactly_once(api: Api) -> None:
    sale = sell(api)
    deadline = sale.order["pay_deadline"]
    api.advance(seconds_until(api, deadline) - DAY - 60)
    assert "payment_due_soon" not in notices(api, sale.buyer)
    api.advance(120)
    assert notices(api, sale.buyer).count("payment_due_soon") == 1
    assert api.advance(60).json()["orders_changed"] == 0  # the reminder is sent once
    assert notices(api, sale.buyer).count("payment_due_soon") == 1
    assert sale.get(sale.buyer)["status"] == "awaiting_payment"

    api.advance(seconds_until(api, deadline) - 5)
    assert sale.get(sale.buyer)["allowed_actions"] == ["pay", "request_close"]
    assert api.advance(10).json()["orders_changed"] == 1  # the default, reported by the clock
    order = sale.get(sale.seller)
    assert order["status"] == "defaulted" and order["penalty"] == DEPOSIT
    assert order["buyer"]["default_count"] == 1  # shown to the seller
    assert me(api, sale.buyer)["default_count"] == 1  # and in the buyer's personal centre
    assert api.wallet(sale.buyer) == {"available": FUNDS - DEPOSIT, "frozen": 0}
    assert api.wallet(sale.seller) == {"available": DEPOSIT, "frozen": 0}
    assert "order_defaulted" in notices(api, sale.buyer) and "order_defaulted" in notices(api, sale.seller)
    refused(sale.post(sale.buyer, "pay"), 409, "ORDER_TRANSITION_NOT_ALLOWED")
    deposits = api.client.get("/api/v1/me/deposits", headers=sale.buyer).json()["items"]
    assert deposits[0]["status"] == "forfeited"

    for _ in range(2):  # the scheduler runs again and again: nothing more happens
        api.advance(HOUR)
    assert me(api, sale.buyer)["default_count"] == 1
    assert api.wallet(sale.seller) == {"available": DEPOSIT, "frozen": 0}
    assert notices(api, sale.seller).count("order_defaulted") == 1
    history = [h["action"] for h in sale.get(sale.buyer)["history"]]
    assert history == ["create", "default"]


def test_a_close_request_left_unanswered_still_defaults(api: Api) -> None:
    sale = sell(api)
    sale.ok(sale.buyer, "close-request", {"reason": "mistaken_bid"})
    api.advance(seconds_until(api, sale.order["pay_deadline"]) + 1)
    assert sale.get(sale.buyer)["status"] == "defaulted"
    refused(sale.post(sale.seller, "close-request/accept"), 409, "ORDER_TRANSITION_NOT_ALLOWED")


def test_unshipped_orders_are_refunded_and_shipped_ones_confirm_themselves(api: Api) -> None:
    unshipped = sell(api, prefix="a")
    paid = unshipped.ok(unshipped.buyer, "pay")
    shipped = sell(api, prefix="b")
    shipped.ok(shipped.buyer, "pay")
    api.advance(DAY)
    sent = shipped.ok(shipped.seller, "ship", {"carrier": "京东物流", "tracking_no": "JD0001234567"})

    api.advance(seconds_until(api, paid["ship_deadline"]) + 1)
    refunded = unshipped.get(unshipped.buyer)
    assert refunded["status"] == "refunded" and refunded["penalty"] == 0
    assert api.wallet(unshipped.buyer) == {"available": FUNDS, "frozen": 0}
    assert me(api, unshipped.buyer)["default_count"] == 0
    refused(
        unshipped.post(unshipped.seller, "ship", {"carrier": "EMS", "tracking_no": "EMS-0001"}),
        409,
        "ORDER_TRANSITION_NOT_ALLOWED",
    )

    assert shipped.get(shipped.buyer)["status"] == "shipped"
    api.advance(seconds_until(api, sent["auto_confirm_at"]) + 1)
    done = shipped.get(shipped.seller)
    assert done["status"] == "completed" and done["history"][-1]["by"] == "system"
    assert api.wallet(shipped.seller) == {"available": PRICE, "frozen": 0}


def test_second_chance_offer_to_the_runner_up(api: Api) -> None:
    sale = sell(api, runner_bid=START)
    refused(sale.post(sale.seller, "second-chance"), 409, "SECOND_CHANCE_NOT_AVAILABLE")
    api.advance(seconds_until(api, sale.order["pay_deadline"]) + 1)
    refused(sale.post(sale.buyer, "second-chance"), 403, "NOT_ORDER_SELLER")
    assert sale.get(sale.seller)["second_chance_available"] is True
    made = sale.post(sale.seller, "second-chance", key="offer-1")
    assert made.status_code == 201, made.text
    offer = made.json()
    assert (offer["amount"], offer["status"]) == (START, "pending")
    assert datetime.fromisoformat(offer["expires_at"]) - datetime.fromisoformat(offer["created_at"]) == timedelta(
        hours=48
    )
    assert sale.post(sale.seller, "second-chance", key="offer-1").json() == offer  # replayed, not a second offer
    refused(sale.post(sale.seller, "second-chance"), 409, "SECOND_CHANCE_NOT_AVAILABLE")
    assert sale.get(sale.seller)["offers"][0]["id"] == offer["id"]

    mine = api.client.get("/api/v1/me/offers", headers=sale.runner).json()["items"]
    assert [o["id"] for o in mine] == [offer["id"]] and mine[0]["mine"] is True
    assert "second_chance_offer" in notices(api, sale.runner)
    refused(api.client.post(f"/api/v1/offers/{offer['id']}/accept", headers=sale.seller), 403, "NOT_OFFER_RECIPIENT")
    refused(api.client.post(f"/api/v1/offers/{offer['id']}/accept", headers=sale.buyer), 404, "OFFER_NOT_FOUND")
    accepted = api.client.post(f"/api/v1/offers/{offer['id']}/accept", headers=sale.runner)
    assert accepted.status_code == 201, accepted.text
    new_order = accepted.json()["order"]
    assert (new_order["buyer_id"], new_order["price"], new_order["deposit"]) == (offer["user_id"], START, 0)
    assert new_order["amount_due"] == START and new_order["status"] == "awaiting_payment"
    assert new_order["offer_id"] == offer["id"]
    refused(api.client.post(f"/api/v1/offers/{offer['id']}/accept", headers=sale.runner), 409, "OFFER_NOT_PENDING")
    assert "second_chance_accepted" in notices(api, sale.seller)

    paid = api.client.post(f"/api/v1/orders/{new_order['id']}/pay", headers=sale.runner)
    assert paid.status_code == 200, paid.text
    assert api.wallet(sale.runner) == {"available": FUNDS - START, "frozen": 0}


def test_an_unanswered_offer_expires_after_48_hours_and_the_next_bidder_may_get_one(api: Api) -> None:
    sale = sell(api, runner_bid=START)
    third = api.user("third", top_up=FUNDS)
    api.advance(seconds_until(api, sale.order["pay_deadline"]) + 1)
    offer = sale.post(sale.seller, "second-chance").json()
    api.advance(48 * HOUR + 1)
    assert api.client.get(f"/api/v1/offers/{offer['id']}", headers=sale.runner).json()["status"] == "expired"
    refused(api.client.post(f"/api/v1/offers/{offer['id']}/accept", headers=sale.runner), 409, "OFFER_NOT_PENDING")
    assert "second_chance_declined" in notices(api, sale.seller)
    refused(sale.post(sale.seller, "second-chance"), 409, "NO_RUNNER_UP")  # the third user never bid
    refused(api.client.get(f"/api/v1/offers/{offer['id']}", headers=third), 404, "OFFER_NOT_FOUND")


@pytest.fixture
def short_deadline_api(db_url: str) -> Iterator[Api]:
    container = Container(make_settings(db_url, payment_deadline_hours=12, commission_percent=5))
    with TestClient(create_app(container=container)) as client:
        yield Api(client, container)
    container.dispose()


def test_the_deadline_and_the_commission_are_platform_settings(short_deadline_api: Api) -> None:
    api = short_deadline_api
    sale = sell(api)
    deadline = datetime.fromisoformat(sale.order["pay_deadline"])
    assert deadline - datetime.fromisoformat(sale.order["created_at"]) == timedelta(hours=12)
    assert "payment_due_soon" in notices(api, sale.buyer)  # the deadline is nearer than 24 h: reminded at once
    sale.ok(sale.buyer, "pay")
    sale.ok(sale.seller, "ship", {"carrier": "顺丰速运", "tracking_no": "SF1234567890"})
    done = sale.ok(sale.buyer, "confirm-receipt")
    assert done["commission"] == PRICE * 5 // 100
    assert api.wallet(sale.seller) == {"available": PRICE - PRICE * 5 // 100, "frozen": 0}
