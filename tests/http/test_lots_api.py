"""Lots: listing, review, browsing, deposits, extension, close and cancel over HTTP (both databases)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from conftest import Api, make_settings
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container


def lot_body(api: Api, **fields: object) -> dict[str, object]:
    now = api.now()
    body: dict[str, object] = {
        "title": "宝马 X5 2021款 BMW X5",
        "category": "vehicles",
        "start_price": 20_000_000,
        "increment": 100_000,
        "deposit": 2_000_000,
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=25)).isoformat(),
    }
    body.update(fields)
    return body


def test_listing_review_and_visibility(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    bidder = api.user("bidder")
    assert api.client.post("/api/v1/lots", headers=bidder, json=lot_body(api)).json()["error"]["code"] == (
        "SELLER_NOT_APPROVED"
    )
    invalid = api.client.post(
        "/api/v1/lots", headers=seller, json=lot_body(api, ends_at=api.now().isoformat(), withdrawal_fee=9_000_000)
    )
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "LOT_INVALID"
    assert len(invalid.json()["error"]["problems"]) == 2
    naive = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api, starts_at="2026-12-01T10:00:00"))
    assert naive.status_code == 422
    judicial = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api, kind="judicial"))
    assert judicial.json()["error"]["code"] == "COURT_SELLER_REQUIRED"

    created = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api, reserve_price=30_000_000))
    assert created.status_code == 201
    lot = created.json()
    assert lot["status"] == "pending_review"
    assert lot["reserve_price"] == 30_000_000  # the seller sees their reserve
    assert api.client.get(f"/api/v1/lots/{lot['id']}").status_code == 404  # the public does not
    assert api.client.get("/api/v1/lots").json()["items"] == []
    queue = api.client.get("/api/v1/staff/lots", headers=staff).json()["items"]
    assert [item["id"] for item in queue] == [lot["id"]]
    assert api.client.post(f"/api/v1/staff/lots/{lot['id']}/approve", headers=seller).status_code == 403
    approved = api.client.post(f"/api/v1/staff/lots/{lot['id']}/approve", headers=staff).json()
    assert approved["status"] == "scheduled"
    again = api.client.post(f"/api/v1/staff/lots/{lot['id']}/approve", headers=staff)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "LOT_TRANSITION_NOT_ALLOWED"

    public = api.client.get(f"/api/v1/lots/{lot['id']}").json()
    assert "reserve_price" not in public
    assert public["has_reserve"] is True
    assert public["reserve_met"] is False
    assert api.client.get("/api/v1/lots", params={"category": "vehicles"}).json()["items"][0]["id"] == lot["id"]
    assert api.client.get("/api/v1/lots", params={"category": "art"}).json()["items"] == []
    assert len(api.client.get("/api/v1/lots", params={"q": "BMW"}).json()["items"]) == 1
    assert api.client.get("/api/v1/lots", params={"status": "live"}).json()["items"] == []
    assert api.client.get("/api/v1/lots/999999").json()["error"]["code"] == "LOT_NOT_FOUND"

    assert api.advance(3600).json()["lots_changed"] == 1
    assert api.client.get(f"/api/v1/lots/{lot['id']}").json()["status"] == "live"


def test_deposit_needs_funds_and_changes_nothing_when_refused(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    poor = api.user("poor", top_up=10_000)
    lot = api.live_lot(seller, staff)
    refused = api.deposit(poor, lot["id"])
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "INSUFFICIENT_FUNDS"
    assert api.wallet(poor) == {"available": 10_000, "frozen": 0}
    assert api.client.get("/api/v1/me/deposits", headers=poor).json()["items"] == []
    assert api.deposit(seller, lot["id"]).json()["error"]["code"] == "BIDDER_NOT_ALLOWED"
    assert api.deposit(staff, lot["id"]).status_code == 403


def test_auto_extension_and_no_bid_at_or_after_the_end(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    now = api.now()
    lot = api.live_lot(seller, staff, ends_at=(now + timedelta(seconds=600)).isoformat(), extension_seconds=300)
    api.deposit(alice, lot["id"])
    api.deposit(bob, lot["id"])
    early = api.bid(alice, lot["id"], 100_000).json()
    assert early["extensions"] == 0
    api.advance(400)  # 200 s left: inside the 300 s window
    late = api.bid(bob, lot["id"], 110_000).json()
    assert late["extensions"] == 1
    detail = api.client.get(f"/api/v1/lots/{lot['id']}").json()
    assert detail["extensions"] == 1
    assert detail["ends_at"] > lot["ends_at"]
    api.client.post("/api/v1/_clock/advance", json={"seconds": 301})
    after = api.bid(alice, lot["id"], 120_000)
    assert after.status_code == 409
    assert after.json()["error"]["code"] == "AUCTION_ENDED"
    closed = api.client.get(f"/api/v1/lots/{lot['id']}").json()
    assert closed["status"] == "sold"
    assert closed["winner_alias"] == closed["leader_alias"]
    assert api.wallet(alice) == {"available": 1_000_000, "frozen": 0}
    assert api.wallet(bob) == {"available": 980_000, "frozen": 20_000}


def test_cancel_refunds_every_deposit(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot = api.live_lot(seller, staff)
    api.deposit(alice, lot["id"])
    api.deposit(bob, lot["id"])
    api.bid(alice, lot["id"], 100_000)
    not_theirs = api.client.post(f"/api/v1/lots/{lot['id']}/cancel", headers=bob, json={"reason": "no"})
    assert not_theirs.status_code == 403
    cancelled = api.client.post(f"/api/v1/lots/{lot['id']}/cancel", headers=seller, json={"reason": "物品损坏"})
    assert cancelled.json()["status"] == "cancelled"
    assert api.wallet(alice) == api.wallet(bob) == {"available": 1_000_000, "frozen": 0}
    assert api.bid(bob, lot["id"], 110_000).json()["error"]["code"] == "AUCTION_ENDED"
    twice = api.client.post(f"/api/v1/lots/{lot['id']}/cancel", headers=staff, json={"reason": "again"})
    assert twice.json()["error"]["code"] == "LOT_TRANSITION_NOT_ALLOWED"


def test_clock_advance_is_refused_on_the_system_clock(db_url: str) -> None:
    container = Container(make_settings(db_url, clock="system"))
    with TestClient(create_app(container=container)) as client:
        refused = client.post("/api/v1/_clock/advance", json={"seconds": 10})
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "CLOCK_NOT_SIMULATED"
        assert client.get("/api/v1/_clock").json()["simulated"] is False
    container.dispose()
