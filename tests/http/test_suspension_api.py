"""暂缓/中止 and 恢复 (RULES §2, §7): a suspended lot takes no deposit or bid, does not end while suspended,
and resumes with its remaining times moved by the pause; each refusal changes nothing. Both databases."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conftest import Api


def post(api: Api, headers: dict[str, str], lot_id: int, action: str, reason: str | None = "权属待核实") -> Any:
    body = {} if reason is None else {"reason": reason}
    return api.client.post(f"/api/v1/lots/{lot_id}/{action}", headers=headers, json=body)


def lot_of(api: Api, lot_id: int, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return dict(api.client.get(f"/api/v1/lots/{lot_id}", headers=headers or {}).json())


def code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def record_types(api: Api, lot_id: int) -> list[str]:
    record = api.client.get(f"/api/v1/lots/{lot_id}/record").json()
    assert record["verified"] is True
    return [entry["type"] for entry in record["entries"]]


def test_a_suspended_lot_takes_nothing_never_ends_and_resumes_with_its_end_moved(frozen: Api) -> None:
    api = frozen
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot = api.live_lot(seller, staff)
    lot_id, ends_at = int(lot["id"]), datetime.fromisoformat(lot["ends_at"])
    api.deposit(alice, lot_id)
    assert api.bid(alice, lot_id, 100_000).status_code == 201

    stranger = post(api, bob, lot_id, "suspend")
    assert (stranger.status_code, code(stranger)) == (403, "STAFF_ONLY")
    blank = post(api, seller, lot_id, "suspend", reason="  ")
    assert (blank.status_code, code(blank)) == (422, "REASON_REQUIRED")
    assert lot_of(api, lot_id)["status"] == "live"  # the refusals changed nothing

    suspended = post(api, seller, lot_id, "suspend", reason="权属待核实 ownership to verify")
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    public = lot_of(api, lot_id)
    assert public["suspended_reason"] == "权属待核实 ownership to verify"
    assert public["bidding_open"] is False and public["deposits_open"] is False
    assert "suspended" in lot_of(api, lot_id, bob)["viewer"]["panels"]
    listed = api.client.get("/api/v1/lots", params={"status": "suspended"}).json()["items"]
    assert [item["id"] for item in listed] == [lot_id]

    assert code(api.deposit(bob, lot_id)) == "LOT_SUSPENDED"
    refused = api.bid(alice, lot_id, 110_000)
    assert (refused.status_code, code(refused)) == (409, "LOT_SUSPENDED")
    withdraw = api.client.post(f"/api/v1/lots/{lot_id}/withdraw", headers=alice, json={"confirm": True})
    assert code(withdraw) == "LOT_SUSPENDED"
    assert code(post(api, staff, lot_id, "suspend")) == "LOT_TRANSITION_NOT_ALLOWED"
    assert api.wallet(bob) == {"available": 1_000_000, "frozen": 0}

    assert api.advance(7200).status_code == 200  # past the lot's end: nothing closes a suspended lot
    assert lot_of(api, lot_id)["status"] == "suspended"
    assert api.wallet(alice) == {"available": 980_000, "frozen": 20_000}

    resumed = post(api, staff, lot_id, "resume", reason="核实完毕 verified")
    assert resumed.status_code == 200, resumed.text
    body = resumed.json()
    assert body["status"] == "live" and body["suspended_reason"] is None
    assert datetime.fromisoformat(body["ends_at"]) == ends_at + timedelta(seconds=7200)  # exactly the pause
    assert api.deposit(bob, lot_id).status_code == 201
    assert api.bid(bob, lot_id, 110_000).status_code == 201
    assert code(post(api, staff, lot_id, "resume")) == "LOT_TRANSITION_NOT_ALLOWED"
    assert record_types(api, lot_id)[-3:] == ["LotSuspended", "LotResumed", "BidPlaced"]

    audit = api.client.get("/api/v1/staff/audit", headers=staff, params={"object_id": lot_id}).json()["items"]
    assert [entry["action"] for entry in audit][:1] == ["lot.resume"]  # the seller's suspension is in the record
    assert audit[0]["reason"] == "核实完毕 verified"


def test_a_lot_suspended_before_its_start_resumes_with_its_start_moved_too(frozen: Api) -> None:
    api = frozen
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    starts = api.now() + timedelta(hours=1)
    lot = api.live_lot(seller, staff, starts_at=starts.isoformat(), ends_at=(starts + timedelta(hours=2)).isoformat())
    lot_id = int(lot["id"])
    assert post(api, staff, lot_id, "suspend").json()["status"] == "suspended"
    api.advance(5400)  # past the planned start: a suspended lot does not start
    assert lot_of(api, lot_id)["status"] == "suspended"
    resumed = post(api, staff, lot_id, "resume").json()
    assert resumed["status"] == "scheduled"
    assert datetime.fromisoformat(resumed["starts_at"]) == starts + timedelta(seconds=5400)
    assert datetime.fromisoformat(resumed["ends_at"]) == starts + timedelta(hours=2, seconds=5400)
    api.advance(3599)
    assert lot_of(api, lot_id)["status"] == "scheduled"
    api.advance(1)
    assert lot_of(api, lot_id)["status"] == "live"  # started at its moved start, not before


def test_a_suspended_lot_cancelled_releases_every_deposit_and_staff_give_a_reason(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    lot_id = int(api.live_lot(seller, staff)["id"])
    api.deposit(alice, lot_id)
    api.bid(alice, lot_id, 100_000)
    assert post(api, staff, lot_id, "suspend").status_code == 200
    no_reason = post(api, staff, lot_id, "cancel", reason=None)
    assert (no_reason.status_code, code(no_reason)) == (422, "REASON_REQUIRED")
    assert lot_of(api, lot_id)["status"] == "suspended"
    cancelled = post(api, staff, lot_id, "cancel", reason="法院撤回 court withdrew")
    assert cancelled.json()["status"] == "cancelled"
    assert api.wallet(alice) == {"available": 1_000_000, "frozen": 0}
    assert code(post(api, staff, lot_id, "resume")) == "LOT_TRANSITION_NOT_ALLOWED"
    actions = [e["action"] for e in api.client.get("/api/v1/staff/audit", headers=staff).json()["items"]]
    assert actions[:2] == ["lot.cancel", "lot.suspend"]


def test_a_hidden_lot_is_not_found_and_a_lot_in_review_is_not_suspended(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    bob = api.user("bob")
    draft = api.client.post(
        "/api/v1/lots",
        headers=seller,
        json={
            "title": "待审拍品",
            "category": "art",
            "start_price": 100_000,
            "increment": 10_000,
            "deposit": 0,
            "starts_at": (api.now() + timedelta(hours=1)).isoformat(),
            "ends_at": (api.now() + timedelta(hours=2)).isoformat(),
        },
    ).json()
    for action in ("suspend", "resume"):
        hidden = post(api, bob, int(draft["id"]), action)
        assert (hidden.status_code, code(hidden)) == (404, "LOT_NOT_FOUND")
    in_review = post(api, seller, int(draft["id"]), "suspend")
    assert (in_review.status_code, code(in_review)) == (409, "LOT_TRANSITION_NOT_ALLOWED")
    assert lot_of(api, int(draft["id"]), seller)["status"] == "pending_review"


def test_a_cancel_moves_money_so_its_key_replays_the_first_answer(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    lot_id = int(api.live_lot(seller, staff)["id"])
    api.deposit(alice, lot_id)
    headers = {**staff, "Idempotency-Key": "cancel-1"}
    first = api.client.post(f"/api/v1/lots/{lot_id}/cancel", headers=headers, json={"reason": "权属争议"})
    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    again = api.client.post(f"/api/v1/lots/{lot_id}/cancel", headers=headers, json={"reason": "权属争议"})
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["status"] == "cancelled"  # the first answer, not LOT_TRANSITION_NOT_ALLOWED
    other = api.client.post(f"/api/v1/lots/{lot_id}/cancel", headers=headers, json={"reason": "另一个原因"})
    assert (other.status_code, code(other)) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert api.wallet(alice) == {"available": 1_000_000, "frozen": 0}  # released once
    cancels = [
        e for e in api.client.get("/api/v1/staff/audit", headers=staff).json()["items"] if e["action"] == "lot.cancel"
    ]
    assert len(cancels) == 1
