"""Selling over HTTP (both databases): drafts, edits while editable, submission, and who may do them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from test_lots_api import lot_body

from conftest import Api


def draft(api: Api, seller: dict[str, str], **fields: object) -> dict[str, Any]:
    created = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api, submit=False, **fields))
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_a_draft_is_kept_edited_and_submitted(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    lot = draft(api, seller, return_policy="七天无理由")
    assert lot["status"] == "draft"
    assert lot["return_policy"] == "七天无理由"
    assert api.client.get("/api/v1/staff/lots", headers=staff).json()["items"] == []  # staff do not see drafts
    api.client.cookies.clear()  # the test client keeps the last login's cookie: speak as the public
    assert api.client.get(f"/api/v1/lots/{lot['id']}").status_code == 404  # nor does the public

    edited = api.client.patch(
        f"/api/v1/lots/{lot['id']}",
        headers=seller,
        json={"title": "新标题", "start_price": 30_000_000, "reserve_price": 40_000_000, "description": "更新"},
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["title"], body["start_price"], body["reserve_price"], body["status"]) == (
        "新标题",
        30_000_000,
        40_000_000,
        "draft",
    )
    assert body["increment"] == 100_000  # what was not sent stays
    removed = api.client.patch(f"/api/v1/lots/{lot['id']}", headers=seller, json={"reserve_price": None}).json()
    assert removed["reserve_price"] is None

    submitted = api.client.post(f"/api/v1/lots/{lot['id']}/submit", headers=seller)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "pending_review"
    assert [item["id"] for item in api.client.get("/api/v1/staff/lots", headers=staff).json()["items"]] == [lot["id"]]
    again = api.client.post(f"/api/v1/lots/{lot['id']}/submit", headers=seller)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "LOT_TRANSITION_NOT_ALLOWED"


def test_a_lot_in_review_may_be_edited_a_published_one_not(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    created = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api)).json()
    assert created["status"] == "pending_review"  # the default is unchanged
    edited = api.client.patch(f"/api/v1/lots/{created['id']}", headers=seller, json={"deposit": 1_000_000})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["deposit"], edited.json()["status"]) == (1_000_000, "pending_review")

    live = api.live_lot(seller, staff)
    assert live["status"] == "live"
    refused = api.client.patch(f"/api/v1/lots/{live['id']}", headers=seller, json={"start_price": 1})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "LOT_NOT_EDITABLE"
    assert refused.json()["error"]["message_zh"]
    assert api.client.get(f"/api/v1/lots/{live['id']}").json()["start_price"] == live["start_price"]
    assert api.client.post(f"/api/v1/lots/{live['id']}/submit", headers=seller).status_code == 409
    assert api.client.delete(f"/api/v1/lots/{live['id']}", headers=seller).json()["error"]["code"] == (
        "LOT_NOT_EDITABLE"
    )


def test_someone_elses_lot_is_refused(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    other = api.user("other", seller="individual")
    hidden = draft(api, seller)
    for call in (
        api.client.patch(f"/api/v1/lots/{hidden['id']}", headers=other, json={"title": "mine now"}),
        api.client.post(f"/api/v1/lots/{hidden['id']}/submit", headers=other),
        api.client.delete(f"/api/v1/lots/{hidden['id']}", headers=other),
    ):
        assert call.status_code == 404  # a hidden lot not yours does not exist, as on every read
        assert call.json()["error"]["code"] == "LOT_NOT_FOUND"
    by_staff = api.client.patch(f"/api/v1/lots/{hidden['id']}", headers=staff, json={"title": "staff"})
    assert by_staff.status_code == 403  # staff see it, but only its seller rewrites it
    assert by_staff.json()["error"]["code"] == "LOT_NOT_YOURS"
    api.client.cookies.clear()
    assert api.client.patch(f"/api/v1/lots/{hidden['id']}", json={"title": "anon"}).status_code == 401
    assert api.client.get(f"/api/v1/lots/{hidden['id']}", headers=seller).json()["title"] == lot_body(api)["title"]
    assert api.client.get(f"/api/v1/lots/{hidden['id']}", headers=seller).json()["status"] == "draft"


def test_submitting_invalid_rules_is_refused_and_changes_nothing(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    lot = draft(api, seller)
    bad_edit = api.client.patch(f"/api/v1/lots/{lot['id']}", headers=seller, json={"withdrawal_fee": 9_000_000})
    assert bad_edit.status_code == 422
    assert bad_edit.json()["error"]["code"] == "LOT_INVALID"
    assert api.client.get(f"/api/v1/lots/{lot['id']}", headers=seller).json()["withdrawal_fee"] == 0

    api.advance(26 * 3600)  # the draft's end has passed by server time
    refused = api.client.post(f"/api/v1/lots/{lot['id']}/submit", headers=seller)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "LOT_END_PASSED"
    assert api.client.get(f"/api/v1/lots/{lot['id']}", headers=seller).json()["status"] == "draft"
    now = api.now()
    fixed = api.client.patch(
        f"/api/v1/lots/{lot['id']}",
        headers=seller,
        json={"starts_at": (now + timedelta(hours=1)).isoformat(), "ends_at": (now + timedelta(hours=2)).isoformat()},
    )
    assert fixed.status_code == 200, fixed.text
    assert api.client.post(f"/api/v1/lots/{lot['id']}/submit", headers=seller).json()["status"] == "pending_review"


def test_a_rejected_lot_shows_its_reason_and_is_mended_and_resubmitted(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    lot = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api)).json()
    rejected = api.client.post(f"/api/v1/staff/lots/{lot['id']}/reject", headers=staff, json={"reason": "照片不清晰"})
    assert rejected.status_code == 200
    seen = api.client.get(f"/api/v1/lots/{lot['id']}", headers=seller).json()
    assert (seen["status"], seen["review_note"], seen["editable"]) == ("rejected", "照片不清晰", True)
    groups = {g["shelf"]: g["items"] for g in api.client.get("/api/v1/me/lots", headers=seller).json()["groups"]}
    assert [(item["id"], item["review_note"], item["editable"]) for item in groups["rejected"]] == [
        (lot["id"], "照片不清晰", True)
    ]
    mended = api.client.patch(f"/api/v1/lots/{lot['id']}", headers=seller, json={"description": "新照片"})
    assert mended.json()["status"] == "rejected"
    resubmitted = api.client.post(f"/api/v1/lots/{lot['id']}/submit", headers=seller).json()
    assert (resubmitted["status"], resubmitted["review_note"]) == ("pending_review", None)  # the old reason is gone
    audit = api.client.get("/api/v1/staff/audit", headers=staff, params={"object_id": lot["id"]}).json()["items"]
    assert [(e["action"], e["reason"]) for e in audit] == [("lot.reject", "照片不清晰")]  # and kept in the log


def test_a_draft_is_deleted_and_my_lots_groups_by_state(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    kept, gone = draft(api, seller), draft(api, seller)
    review = api.client.post("/api/v1/lots", headers=seller, json=lot_body(api)).json()
    live = api.live_lot(seller, staff)
    assert api.client.post(f"/api/v1/lots/{gone['id']}/watch", headers=seller).status_code == 200
    assert api.client.delete(f"/api/v1/lots/{gone['id']}", headers=seller).status_code == 204
    assert api.client.get(f"/api/v1/lots/{gone['id']}", headers=seller).status_code == 404
    assert api.client.delete(f"/api/v1/lots/{review['id']}", headers=seller).status_code == 409
    groups = {
        g["shelf"]: [i["id"] for i in g["items"]]
        for g in api.client.get("/api/v1/me/lots", headers=seller).json()["groups"]
    }
    assert groups == {
        "draft": [kept["id"]],
        "pending_review": [review["id"]],
        "rejected": [],
        "scheduled": [],
        "live": [live["id"]],
        "suspended": [],
        "ended": [],
    }
