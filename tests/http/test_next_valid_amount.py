"""The API's next_valid_amount (detail and list) is what the bidding rules accept: the start price before any
bid, then the price plus one increment — on a grid of odd numbers, so no sum of round ones hides a slip.
Both databases."""

from __future__ import annotations

from typing import Any

from conftest import Api

START, INC = 100_100, 7_300  # the grid: 100_100 + k × 7_300


def k(step: int) -> int:
    return START + step * INC


def next_valid(api: Api, lot_id: int) -> tuple[int, int]:
    """(from the lot's detail, from the public list)."""
    detail = api.client.get(f"/api/v1/lots/{lot_id}").json()
    listed = next(item for item in api.client.get("/api/v1/lots").json()["items"] if item["id"] == lot_id)
    return int(detail["next_valid_amount"]), int(listed["next_valid_amount"])


def test_next_valid_amount_follows_the_price_by_one_increment(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot_id = int(api.live_lot(seller, staff, start_price=START, increment=INC)["id"])
    for bidder in (alice, bob):
        assert api.deposit(bidder, lot_id).status_code == 201
    assert next_valid(api, lot_id) == (k(0), k(0))

    assert api.bid(alice, lot_id, k(0), max_amount=k(10)).status_code == 201
    assert next_valid(api, lot_id) == (k(1), k(1))

    too_low: Any = api.bid(bob, lot_id, k(1) - 1)
    assert too_low.json()["error"]["code"] in ("BID_TOO_LOW", "BID_NOT_ON_GRID")
    assert too_low.json()["error"]["next_valid"] == k(1)

    answered = api.bid(bob, lot_id, k(2))  # alice's proxy answers one increment above
    assert answered.status_code == 201, answered.text
    assert answered.json()["current_price"] == k(3)
    assert next_valid(api, lot_id) == (k(4), k(4))
    assert api.bid(bob, lot_id, k(4)).status_code == 201  # exactly the advertised amount is accepted
    assert api.client.get(f"/api/v1/lots/{lot_id}").json()["current_price"] == k(5)
    assert next_valid(api, lot_id) == (k(6), k(6))
