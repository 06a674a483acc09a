"""Orders through the JSON API on SQLite and PostgreSQL (RULES §6): every step, its money, its refusals."""

from __future__ import annotations

from datetime import datetime, timedelta

from order_api_helpers import DEPOSIT, FUNDS, INC, START, cheap_password_hashing, notices, refused, sell

from conftest import Api
from paimai.services.ledger import sum_of_postings

PRICE = START + INC
__all__ = ["cheap_password_hashing"]  # an autouse fixture
HOUR = 3600
DAY = 24 * HOUR


def books_balance(api: Api) -> None:
    """Every stored balance equals the sum of its postings, and all postings sum to zero."""
    from sqlalchemy import select

    from paimai.persistence.models import LedgerAccount

    with api.container.reading() as session:
        sums = sum_of_postings(session)
        stored = {key: balance for key, balance in session.execute(select(LedgerAccount.key, LedgerAccount.balance))}
    assert sum(sums.values()) == 0
    for key, total in sums.items():
        assert stored[key] == total, key


def test_win_pay_ship_confirm_pays_the_seller(api: Api) -> None:
    sale = sell(api)
    order = sale.order
    assert order["status"] == "awaiting_payment"
    assert (order["price"], order["deposit"], order["amount_due"]) == (PRICE, DEPOSIT, PRICE - DEPOSIT)
    closed_at = datetime.fromisoformat(sale.lot["ends_at"])
    assert datetime.fromisoformat(order["pay_deadline"]) - closed_at >= timedelta(hours=72)
    assert order["allowed_actions"] == ["pay", "request_close"]
    assert order["buyer"]["default_count"] == 0
    seller_view = sale.get(sale.seller)
    assert seller_view["my_role"] == "seller" and seller_view["allowed_actions"] == ["refuse_to_sell"]
    assert "order_won" in notices(api, sale.buyer) and "order_sold" in notices(api, sale.seller)
    assert api.wallet(sale.runner) == {"available": FUNDS, "frozen": 0}  # the runner-up's deposit came back at close
    assert api.wallet(sale.buyer) == {"available": FUNDS - DEPOSIT, "frozen": DEPOSIT}

    paid = sale.post(sale.buyer, "pay", key="pay-1")
    assert paid.status_code == 200, paid.text
    again = sale.post(sale.buyer, "pay", key="pay-1")
    assert again.json() == paid.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert paid.json()["status"] == "paid"
    assert api.wallet(sale.buyer) == {"available": FUNDS - PRICE, "frozen": 0}
    refused(sale.post(sale.buyer, "pay"), 409, "ORDER_TRANSITION_NOT_ALLOWED")
    with api.container.reading() as session:
        assert sum_of_postings(session)[f"escrow:{order['id']}:escrow"] == PRICE
    deposits = api.client.get("/api/v1/me/deposits", headers=sale.buyer).json()["items"]
    assert deposits[0]["status"] == "applied"

    refused(
        sale.post(sale.buyer, "ship", {"carrier": "顺丰速运", "tracking_no": "SF1234567890"}), 403, "NOT_ORDER_SELLER"
    )
    refused(
        sale.post(sale.seller, "ship", {"carrier": "顺丰速运", "tracking_no": "no spaces"}),
        422,
        "SHIPPING_INFO_INVALID",
    )
    refused(sale.post(sale.seller, "ship", {"carrier": "顺丰速运"}), 422, "VALIDATION_FAILED")
    shipped = sale.ok(sale.seller, "ship", {"carrier": "顺丰速运", "tracking_no": "SF1234567890"})
    assert shipped["status"] == "shipped" and shipped["tracking_no"] == "SF1234567890"
    assert "order_shipped" in notices(api, sale.buyer)
    refused(sale.post(sale.seller, "confirm-receipt"), 403, "NOT_ORDER_BUYER")
    done = sale.ok(sale.buyer, "confirm-receipt")
    assert done["status"] == "completed" and done["commission"] == 0
    assert api.wallet(sale.seller) == {"available": PRICE, "frozen": 0}
    assert [h["action"] for h in done["history"]] == ["create", "pay", "ship", "confirm_receipt"]
    with api.container.reading() as session:
        assert sum_of_postings(session)[f"escrow:{order['id']}:escrow"] == 0
    books_balance(api)


def test_strangers_do_not_see_orders_and_bad_input_is_refused(api: Api) -> None:
    sale = sell(api)
    stranger = api.user("stranger")
    refused(api.client.get(f"/api/v1/orders/{sale.order['id']}", headers=stranger), 404, "ORDER_NOT_FOUND")
    refused(sale.post(stranger, "pay"), 404, "ORDER_NOT_FOUND")
    refused(api.client.get("/api/v1/orders/999999", headers=sale.buyer), 404, "ORDER_NOT_FOUND")
    refused(sale.post(sale.buyer, "close-request", {"reason": "bored"}), 422, "VALIDATION_FAILED")
    refused(sale.post(sale.buyer, "close-request", {"reason": "other", "note": "x" * 501}), 422, "VALIDATION_FAILED")
    refused(sale.post(sale.buyer, "refund-request", {"reason": "changed_mind"}), 409, "ORDER_TRANSITION_NOT_ALLOWED")
    refused(sale.post(sale.buyer, "close-request/accept"), 403, "NOT_ORDER_SELLER")
    refused(sale.post(sale.seller, "close-request/accept"), 409, "ORDER_TRANSITION_NOT_ALLOWED")
    refused(
        api.client.post(
            f"/api/v1/staff/orders/{sale.order['id']}/resolve", headers=sale.buyer, json={"decision": "release"}
        ),
        403,
        "STAFF_ONLY",
    )
    assert sale.get(sale.staff)["my_role"] == "staff"
    assert api.wallet(sale.buyer) == {"available": FUNDS - DEPOSIT, "frozen": DEPOSIT}  # nothing half-applied
    api.client.cookies.clear()
    refused(api.client.get(f"/api/v1/orders/{sale.order['id']}"), 401, "NOT_AUTHENTICATED")


def test_paying_without_funds_changes_nothing(api: Api) -> None:
    sale = sell(api, buyer_funds=DEPOSIT + 5_000)
    refused(sale.post(sale.buyer, "pay"), 409, "INSUFFICIENT_FUNDS")
    assert sale.get(sale.buyer)["status"] == "awaiting_payment"
    assert api.wallet(sale.buyer) == {"available": 5_000, "frozen": DEPOSIT}
    api.client.post("/api/v1/me/wallet/top-up", headers=sale.buyer, json={"amount": PRICE})
    assert sale.ok(sale.buyer, "pay")["status"] == "paid"
    books_balance(api)


def test_close_by_agreement_accepted_releases_the_deposit(api: Api) -> None:
    sale = sell(api)
    asked = sale.ok(sale.buyer, "close-request", {"reason": "mistaken_bid", "note": "拍错了"})
    assert asked["status"] == "close_requested" and asked["close_reason"] == "mistaken_bid"
    assert "close_requested" in notices(api, sale.seller)
    assert sale.get(sale.seller)["allowed_actions"] == ["accept_close", "decline_close", "refuse_to_sell"]
    closed = sale.ok(sale.seller, "close-request/accept")
    assert closed["status"] == "closed" and closed["penalty"] == 0
    assert api.wallet(sale.buyer) == {"available": FUNDS, "frozen": 0}
    assert api.client.get("/api/v1/me", headers=sale.buyer).json()["default_count"] == 0
    assert "close_accepted" in notices(api, sale.buyer)
    assert api.advance(4 * DAY).status_code == 200  # the old deadline passes: nothing happens to a closed order
    assert sale.get(sale.buyer)["status"] == "closed"
    assert api.wallet(sale.seller) == {"available": 0, "frozen": 0}
    books_balance(api)


def test_close_declined_goes_on_and_can_still_be_paid(api: Api) -> None:
    sale = sell(api)
    sale.ok(sale.buyer, "close-request", {"reason": "changed_mind"})
    declined = sale.ok(sale.seller, "close-request/decline")
    assert declined["status"] == "awaiting_payment"
    assert datetime.fromisoformat(declined["pay_deadline"]) == datetime.fromisoformat(sale.order["pay_deadline"])
    assert "close_declined" in notices(api, sale.buyer)
    refused(sale.post(sale.buyer, "close-request", {"reason": "changed_mind"}), 409, "CLOSE_REQUEST_ALREADY_MADE")
    assert sale.ok(sale.buyer, "pay")["status"] == "paid"


def test_a_zero_balance_due_is_never_stuck_awaiting_payment(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    staff = api.user("staff", staff=True)
    buyer = api.user("buyer", top_up=FUNDS)
    lot = api.live_lot(seller, staff, start_price=START, increment=INC, deposit=START)
    api.deposit(buyer, lot["id"])
    assert api.bid(buyer, lot["id"], START).status_code == 201
    api.advance(HOUR + 1)
    (order,) = api.client.get("/api/v1/me/orders", headers=buyer).json()["items"]
    assert order["status"] == "paid" and order["amount_due"] == 0 and order["paid_at"] is not None
    assert api.wallet(buyer) == {"available": FUNDS - START, "frozen": 0}
    api.advance(4 * DAY)  # no default: it was paid
    assert api.client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()["status"] != "defaulted"


def test_refunds_by_fault(api: Api) -> None:
    own = sell(api, prefix="a")
    own.ok(own.buyer, "pay")
    refund = own.ok(own.buyer, "refund-request", {"reason": "changed_mind"})
    assert refund["status"] == "refunded" and refund["penalty"] == DEPOSIT
    assert api.wallet(own.buyer) == {"available": FUNDS - DEPOSIT, "frozen": 0}
    assert api.wallet(own.seller) == {"available": DEPOSIT, "frozen": 0}
    assert api.client.get("/api/v1/me", headers=own.buyer).json()["default_count"] == 1

    fault = sell(api, prefix="b")
    fault.ok(fault.buyer, "pay")
    refused(
        fault.post(fault.buyer, "refund-request", {"reason": "not_as_described"}), 409, "REFUND_REASON_NOT_APPLICABLE"
    )
    fault.ok(fault.seller, "ship", {"carrier": "EMS", "tracking_no": "EMS-0001"})
    asked = fault.ok(fault.buyer, "refund-request", {"reason": "not_as_described", "note": "瓶底有裂"})
    assert asked["status"] == "refund_requested" and "refund_requested" in notices(api, fault.seller)
    disputed = fault.ok(fault.seller, "refund-request/decline", {"note": "出厂即如此"})
    assert disputed["status"] == "disputed"
    listed = api.client.get("/api/v1/staff/orders", headers=fault.staff).json()["items"]
    assert [o["id"] for o in listed] == [fault.order["id"]]
    resolved = api.client.post(
        f"/api/v1/staff/orders/{fault.order['id']}/resolve",
        headers=fault.staff,
        json={"decision": "refund_seller_fault", "note": "与描述不符"},
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "refunded" and resolved.json()["penalty"] == 0
    assert api.wallet(fault.buyer) == {"available": FUNDS, "frozen": 0}
    assert api.client.get("/api/v1/me", headers=fault.buyer).json()["default_count"] == 0
    books_balance(api)


def test_undeliverable_is_a_default_and_refusing_to_sell_compensates(api: Api) -> None:
    bad_address = sell(api, prefix="a")
    bad_address.ok(bad_address.buyer, "pay")
    done = bad_address.ok(bad_address.seller, "undeliverable", {"note": "地址不存在"})
    assert done["status"] == "refunded" and done["penalty"] == DEPOSIT and done["buyer"]["default_count"] == 1

    refusing = sell(api, prefix="b", seller_funds=DEPOSIT)
    refusing.ok(refusing.buyer, "pay")
    out = refusing.ok(refusing.seller, "refuse", {"note": "不卖了"})
    assert out["status"] == "seller_refused" and out["compensation"] == DEPOSIT
    assert api.wallet(refusing.buyer) == {"available": FUNDS + DEPOSIT, "frozen": 0}
    assert api.wallet(refusing.seller) == {"available": 0, "frozen": 0}

    broke = sell(api, prefix="c")  # a seller without the compensation in the wallet cannot refuse
    refused(broke.post(broke.seller, "refuse"), 409, "INSUFFICIENT_FUNDS")
    assert broke.get(broke.seller)["status"] == "awaiting_payment"
    books_balance(api)


def test_notifications_can_be_read(api: Api) -> None:
    sale = sell(api)
    listed = api.client.get("/api/v1/me/notifications", headers=sale.buyer).json()
    assert listed["unread"] == 1
    (item,) = listed["items"]
    assert item["kind"] == "order_won" and sale.lot["title"] in item["message_zh"] and not item["read"]
    assert item["order_id"] == sale.order["id"]
    marked = api.client.post("/api/v1/me/notifications/read", headers=sale.buyer, json={"ids": [item["id"]]})
    assert marked.json() == {"marked": 1, "unread": 0}
    assert api.client.get("/api/v1/me/notifications", headers=sale.seller).json()["unread"] == 1
    assert api.client.post("/api/v1/me/notifications/read", headers=sale.seller).json()["unread"] == 0
