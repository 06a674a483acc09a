"""Bidding through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from conftest import PASSWORD, Api


def setup_lot(api: Api, **fields: object) -> tuple[dict[str, object], dict[str, str], dict[str, str], dict[str, str]]:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot = api.live_lot(seller, staff, **fields)
    assert lot["status"] == "live"
    return lot, seller, alice, bob


def test_deposit_bid_proxy_and_close_releases_loser_deposit(api: Api) -> None:
    lot, _seller, alice, bob = setup_lot(api)
    lot_id = int(str(lot["id"]))
    assert api.deposit(alice, lot_id).status_code == 201
    assert api.deposit(alice, lot_id).status_code == 200  # paying twice is a no-op
    assert api.deposit(bob, lot_id).status_code == 201
    assert api.wallet(alice) == {"available": 980_000, "frozen": 20_000}

    first = api.bid(alice, lot_id, 100_000, max_amount=200_000)
    assert first.status_code == 201, first.text
    second = api.bid(bob, lot_id, 120_000)
    assert second.status_code == 201
    assert second.json()["current_price"] == 130_000
    assert second.json()["leading"] is False

    record = api.client.get(f"/api/v1/lots/{lot_id}/bids").json()["items"]
    assert [(r["amount"], r["is_proxy"], r["status"]) for r in record] == [
        (130_000, True, "leading"),
        (120_000, False, "outbid"),
        (100_000, False, "outbid"),
    ]
    assert all("alice" not in str(r) and "bob" not in str(r) for r in record)

    assert api.advance(3601).status_code == 200
    closed = api.client.get(f"/api/v1/lots/{lot_id}").json()
    assert closed["status"] == "sold"
    assert closed["final_price"] == 130_000
    assert api.wallet(alice) == {"available": 980_000, "frozen": 20_000}  # the winner's stays frozen
    assert api.wallet(bob) == {"available": 1_000_000, "frozen": 0}
    assert api.client.get(f"/api/v1/lots/{lot_id}/record").json()["verified"] is True


def test_refusals_change_nothing(api: Api) -> None:
    lot, seller, alice, bob = setup_lot(api)
    lot_id = int(str(lot["id"]))
    no_deposit = api.bid(alice, lot_id, 100_000)
    assert no_deposit.status_code == 409
    assert no_deposit.json()["error"]["code"] == "DEPOSIT_REQUIRED"
    api.deposit(alice, lot_id)
    off_grid = api.bid(alice, lot_id, 105_000)
    assert off_grid.status_code == 422
    assert off_grid.json()["error"]["code"] == "BID_NOT_ON_GRID"
    assert off_grid.json()["error"]["next_valid"] == 100_000
    assert api.bid(alice, lot_id, 100_000).status_code == 201
    api.deposit(bob, lot_id)
    low = api.bid(bob, lot_id, 100_000)
    assert low.status_code == 409
    assert low.json()["error"]["code"] == "BID_TOO_LOW"
    assert low.json()["error"]["next_valid"] == 110_000
    own = api.bid(alice, lot_id, 110_000)
    assert own.json()["error"]["code"] == "ALREADY_LEADING"
    by_seller = api.bid(seller, lot_id, 200_000)
    assert by_seller.status_code == 403
    bad = api.client.post(f"/api/v1/lots/{lot_id}/bids", headers=bob, json={"amount": "lots"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "VALIDATION_FAILED"
    detail = api.client.get(f"/api/v1/lots/{lot_id}").json()
    assert detail["current_price"] == 100_000
    assert detail["bid_count"] == 1


def test_the_winning_row_of_a_sold_lot_says_won(api: Api) -> None:
    lot, seller, alice, bob = setup_lot(api)
    lot_id = int(str(lot["id"]))
    api.deposit(alice, lot_id)
    api.deposit(bob, lot_id)
    api.bid(alice, lot_id, 100_000)
    api.bid(bob, lot_id, 110_000)
    assert [r["status"] for r in api.client.get(f"/api/v1/lots/{lot_id}/bids").json()["items"]] == ["leading", "outbid"]
    api.advance(3601)
    assert [r["status"] for r in api.client.get(f"/api/v1/lots/{lot_id}/bids").json()["items"]] == ["won", "outbid"]
    # The winner and the seller find the order from the lot (API and page); others do not.
    order_id = api.client.get(f"/api/v1/lots/{lot_id}", headers=bob).json()["my_order_id"]
    assert order_id is not None
    assert api.client.get(f"/api/v1/lots/{lot_id}", headers=seller).json()["my_order_id"] == order_id
    assert api.client.get(f"/api/v1/lots/{lot_id}", headers=alice).json()["my_order_id"] is None
    api.client.cookies.clear()
    assert api.client.post("/api/v1/auth/login", json={"username": "bob", "password": PASSWORD}).status_code == 200
    page = api.client.get(f"/lots/{lot_id}").text
    assert f'href="/orders/{order_id}"' in page and "查看订单" in page
