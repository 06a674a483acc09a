"""A refused first use of an Idempotency-Key is its answer for good (issue 8, defect 8; Stripe's rule).

The refusal used to be lost with its rolled-back transaction, so the key could then be used with other
parameters, and succeed. Now the refusal is stored in a transaction of its own: the same key and request
replay it (even once the request would succeed), the same key with other parameters is refused with
IDEMPOTENCY_KEY_REUSED, and nothing of the refused step is left (both databases).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from conftest import Api


def post(api: Api, path: str, headers: dict[str, str], key: str, json: Any = None) -> Any:
    return api.client.post(path, headers={**headers, "Idempotency-Key": key}, json=json)


def test_a_refused_deposit_is_replayed_and_its_key_cannot_pay_another(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    poor = api.user("poor", top_up=10_000)  # less than the 20,000 deposit
    first = api.live_lot(seller, staff)["id"]
    second = api.live_lot(seller, staff, deposit=5_000)["id"]

    refused = post(api, f"/api/v1/lots/{first}/deposit", poor, "dep-1")
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "INSUFFICIENT_FUNDS"
    assert "Idempotent-Replayed" not in refused.headers
    assert api.wallet(poor) == {"available": 10_000, "frozen": 0}  # the refused step left nothing

    # the same key for another lot, which this bidder could pay: refused, nothing frozen
    other = post(api, f"/api/v1/lots/{second}/deposit", poor, "dep-1")
    assert other.status_code == 422, other.text
    assert other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert api.wallet(poor) == {"available": 10_000, "frozen": 0}

    # the same request again, after a top-up that would let it pass: the first answer, replayed
    api.client.post("/api/v1/me/wallet/top-up", headers=poor, json={"amount": 100_000})
    again = post(api, f"/api/v1/lots/{first}/deposit", poor, "dep-1")
    assert again.status_code == 409
    assert again.json() == refused.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert api.wallet(poor) == {"available": 110_000, "frozen": 0}

    # a fresh key does the step; the key of another user is that user's own
    paid = post(api, f"/api/v1/lots/{second}/deposit", poor, "dep-2")
    assert paid.status_code == 201, paid.text
    assert api.wallet(poor) == {"available": 105_000, "frozen": 5_000}
    rich = api.user("rich", top_up=100_000)
    assert post(api, f"/api/v1/lots/{first}/deposit", rich, "dep-1").status_code == 201


def test_a_refused_bid_key_cannot_place_another_bid(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    bidder = api.user("bidder", top_up=1_000_000)
    lot = api.live_lot(seller, staff)
    assert api.deposit(bidder, lot["id"]).status_code == 201
    path = f"/api/v1/lots/{lot['id']}/bids"

    low = post(api, path, bidder, "bid-1", {"amount": 10_000})
    assert low.status_code == 409 and low.json()["error"]["code"] == "BID_TOO_LOW"
    valid = post(api, path, bidder, "bid-1", {"amount": lot["start_price"]})
    assert valid.status_code == 422 and valid.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert api.client.get(path).json()["items"] == []  # no bid was placed
    replay = post(api, path, bidder, "bid-1", {"amount": 10_000})
    assert (replay.status_code, replay.json()) == (409, low.json())
    assert replay.headers.get("Idempotent-Replayed") == "true"


def test_a_refused_order_step_is_stored_too(api: Api) -> None:
    """Order steps share the same path (run_idempotent): a refused payment's key is spent."""
    bidder = api.user("bidder")
    missing = post(api, "/api/v1/orders/99/pay", bidder, "pay-1")
    assert missing.status_code == 404, missing.text
    other = post(api, "/api/v1/orders/98/pay", bidder, "pay-1")
    assert other.status_code == 422 and other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    again = post(api, "/api/v1/orders/99/pay", bidder, "pay-1")
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (404, "true")


def test_the_stored_refusal_is_kept_beyond_a_day(api: Api) -> None:
    bidder = api.user("bidder")
    assert post(api, "/api/v1/orders/7/pay", bidder, "old").status_code == 404
    assert api.advance(int(timedelta(days=2).total_seconds())).status_code == 200
    reused = post(api, "/api/v1/orders/8/pay", bidder, "old")
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
