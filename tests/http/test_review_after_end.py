"""Staff cannot approve a lot whose end has passed by server time (found by `paimai simulate`, seed 6): it
would be published already over. The refusal is LOT_END_PASSED (409) and changes nothing; rejecting it
still works, so the seller can list it anew. Both databases."""

from __future__ import annotations

from datetime import timedelta

from conftest import Api


def test_a_lot_past_its_end_is_not_approved_but_can_be_rejected(api: Api) -> None:
    staff = api.user("staffer", staff=True)
    seller = api.user("seller", seller="individual")
    now = api.now()
    body = {
        "title": "民国银元 Republic-era silver dollar",
        "category": "collectibles",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": (now + timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(minutes=30)).isoformat(),
    }
    created = api.client.post("/api/v1/lots", headers=seller, json=body)
    assert created.status_code == 201, created.text
    lot_id = created.json()["id"]
    assert api.advance(30 * 60).status_code == 200  # review came too late: the end is now

    refused = api.client.post(f"/api/v1/staff/lots/{lot_id}/approve", headers=staff)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "LOT_END_PASSED" and error["message"] and error["message_zh"]
    assert api.client.get(f"/api/v1/lots/{lot_id}", headers=seller).json()["status"] == "pending_review"

    rejected = api.client.post(f"/api/v1/staff/lots/{lot_id}/reject", headers=staff, json={"reason": "过期 too late"})
    assert rejected.status_code == 200, rejected.text
    assert api.client.get(f"/api/v1/lots/{lot_id}", headers=seller).json()["status"] == "rejected"


def test_a_lot_whose_start_passed_but_not_its_end_is_approved_and_open(api: Api) -> None:
    staff = api.user("staffer", staff=True)
    seller = api.user("seller", seller="individual")
    now = api.now()
    body = {
        "title": "翡翠手镯 jadeite bangle",
        "category": "jewellery",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": (now + timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(),
    }
    lot_id = api.client.post("/api/v1/lots", headers=seller, json=body).json()["id"]
    assert api.advance(10 * 60).status_code == 200
    approved = api.client.post(f"/api/v1/staff/lots/{lot_id}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
