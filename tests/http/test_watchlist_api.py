"""The watchlist (关注) through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from conftest import Api


def test_watch_unwatch_and_the_personal_centre_list(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice")
    bob = api.user("bob")
    first = api.live_lot(seller, staff)
    second = api.live_lot(seller, staff, title="和田玉籽料手镯 Hetian jade bangle", category="jewellery")

    watched = api.client.post(f"/api/v1/lots/{first['id']}/watch", headers=alice)
    assert watched.status_code == 200, watched.text
    assert watched.json() == {"lot_id": first["id"], "watching": True, "watchers": 1}
    again = api.client.post(f"/api/v1/lots/{first['id']}/watch", headers=alice)
    assert again.json()["watchers"] == 1  # watching twice changes nothing
    api.client.post(f"/api/v1/lots/{second['id']}/watch", headers=alice)
    api.client.post(f"/api/v1/lots/{first['id']}/watch", headers=bob)

    lot = api.client.get(f"/api/v1/lots/{first['id']}", headers=alice).json()
    assert (lot["watching"], lot["watchers"]) == (True, 2)
    api.client.cookies.clear()  # anonymous from here on (bearer headers still name the user)
    anonymous = api.client.get(f"/api/v1/lots/{first['id']}").json()
    assert "watching" not in anonymous and anonymous["watchers"] == 2  # anonymous: the count only

    mine = api.client.get("/api/v1/me/watchlist", headers=alice).json()
    assert [item["id"] for item in mine["items"]] == [second["id"], first["id"]]  # newest first
    assert mine["items"][0]["status"] == "live" and "current_price" in mine["items"][0]
    paged = api.client.get("/api/v1/me/watchlist?limit=1", headers=alice).json()
    assert len(paged["items"]) == 1 and paged["next_cursor"] is not None
    rest = api.client.get(f"/api/v1/me/watchlist?limit=1&cursor={paged['next_cursor']}", headers=alice).json()
    assert [item["id"] for item in rest["items"]] == [first["id"]]

    removed = api.client.delete(f"/api/v1/lots/{first['id']}/watch", headers=alice)
    assert removed.json() == {"lot_id": first["id"], "watching": False, "watchers": 1}
    assert api.client.delete(f"/api/v1/lots/{first['id']}/watch", headers=alice).status_code == 200
    assert [i["id"] for i in api.client.get("/api/v1/me/watchlist", headers=alice).json()["items"]] == [second["id"]]


def test_watch_refusals(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice")
    in_review = api.client.post(
        "/api/v1/lots",
        headers=seller,
        json={
            "title": "未审核拍品",
            "category": "art",
            "start_price": 100_000,
            "increment": 10_000,
            "deposit": 20_000,
            "starts_at": api.now().isoformat(),
            "ends_at": api.now().replace(year=api.now().year + 1).isoformat(),
        },
    ).json()
    hidden = api.client.post(f"/api/v1/lots/{in_review['id']}/watch", headers=alice)
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "LOT_NOT_FOUND")
    missing = api.client.post("/api/v1/lots/987654/watch", headers=alice)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "LOT_NOT_FOUND")
    api.client.cookies.clear()
    anonymous = api.client.post(f"/api/v1/lots/{in_review['id']}/watch")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "NOT_AUTHENTICATED")
    assert api.client.get("/api/v1/me/watchlist").status_code == 401
    assert api.client.get("/api/v1/me/watchlist", headers=alice).json()["items"] == []
    assert api.client.get("/api/v1/me/watchlist?limit=0", headers=alice).status_code == 422
    del staff
