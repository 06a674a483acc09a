"""The lot read model over HTTP (both databases): who may read a lot, and what each viewer is offered."""

from __future__ import annotations

from conftest import Api


def panels(api: Api, lot_id: int, headers: dict[str, str] | None = None) -> list[str]:
    api.client.cookies.clear()  # logging in left a session cookie: a guest has none
    body = api.client.get(f"/api/v1/lots/{lot_id}", headers=headers or {}).json()
    return list(body["viewer"]["panels"])


def test_each_viewer_is_offered_what_the_rules_allow(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    lot = api.live_lot(seller, staff, withdrawal_fee=5_000)
    assert panels(api, lot["id"]) == ["login"]
    assert panels(api, lot["id"], seller) == ["seller"]
    assert panels(api, lot["id"], staff) == ["staff"]
    assert panels(api, lot["id"], alice) == ["deposit"]
    assert api.deposit(alice, lot["id"]).status_code == 201
    assert panels(api, lot["id"], alice) == ["bid", "paid", "withdraw"]
    assert api.bid(alice, lot["id"], 100_000).status_code == 201
    body = api.client.get(f"/api/v1/lots/{lot['id']}", headers=alice).json()
    assert body["viewer"]["panels"] == ["bid", "paid", "withdraw", "withdraw_bid"]
    assert body["viewer"]["leading"] is True and body["viewer"]["deposit_paid"] is True
    assert (body["price_kind"], body["display_price"]) == ("current", 100_000)
    assert body["next_valid_amount"] == 110_000  # the price plus one increment
    assert "reserve_price" not in body  # only the seller and staff see private facts
    assert "reserve_price" in api.client.get(f"/api/v1/lots/{lot['id']}", headers=seller).json()


def test_an_explicit_status_filter_never_shows_hidden_lots_to_others(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    other = api.user("other")
    lot = api.live_lot(seller, staff)
    body = {k: lot[k] for k in ("title", "category", "start_price", "increment", "deposit", "starts_at", "ends_at")}
    in_review = api.client.post("/api/v1/lots", headers=seller, json=body).json()
    rejected = api.client.post("/api/v1/lots", headers=seller, json=body).json()
    api.client.post(f"/api/v1/staff/lots/{rejected['id']}/reject", headers=staff, json={"reason": "no"})
    api.client.cookies.clear()
    for status in ("pending_review", "rejected", "draft"):
        assert api.client.get(f"/api/v1/lots?status={status}").json()["items"] == []
        assert api.client.get(f"/api/v1/lots?status={status}", headers=other).json()["items"] == []
    mine = api.client.get("/api/v1/lots?status=pending_review", headers=seller).json()["items"]
    assert [item["id"] for item in mine] == [in_review["id"]]
    queue = api.client.get("/api/v1/lots?status=rejected", headers=staff).json()["items"]
    assert [item["id"] for item in queue] == [rejected["id"]]
    assert [item["id"] for item in api.client.get("/api/v1/lots").json()["items"]] == [lot["id"]]
    for hidden in (in_review["id"], rejected["id"]):
        for path in (f"/api/v1/lots/{hidden}", f"/api/v1/lots/{hidden}/bids", f"/api/v1/lots/{hidden}/record"):
            assert api.client.get(path, headers=other).status_code == 404
            assert api.client.get(path, headers=seller).status_code == 200
        assert api.client.post(f"/api/v1/lots/{hidden}/watch", headers=other).status_code == 404
