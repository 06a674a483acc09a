"""Bid withdrawal (撤回出价 / 撤回竞拍) through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import Api

FEE = 5_000
DEPOSIT = 20_000


def setup(api: Api, **fields: Any) -> tuple[int, dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    bob = api.user("bob", top_up=1_000_000)
    lot = api.live_lot(seller, staff, **fields)
    lot_id = int(lot["id"])
    for who in (alice, bob):
        assert api.deposit(who, lot_id).status_code == 201
    return lot_id, seller, staff, alice, bob


def preview(api: Api, headers: dict[str, str], lot_id: int) -> dict[str, Any]:
    response = api.client.get(f"/api/v1/lots/{lot_id}/withdrawal-preview", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def withdraw_bid(api: Api, headers: dict[str, str], lot_id: int, bid_id: int, confirm: Any = True, **kw: Any) -> Any:
    return api.client.post(
        f"/api/v1/lots/{lot_id}/bids/{bid_id}/withdraw", headers={**headers, **kw}, json={"confirm": confirm}
    )


def withdraw_all(api: Api, headers: dict[str, str], lot_id: int, confirm: Any = True) -> Any:
    return api.client.post(f"/api/v1/lots/{lot_id}/withdraw", headers=headers, json={"confirm": confirm})


def lot_state(api: Api, lot_id: int) -> tuple[Any, Any, Any]:
    lot = api.client.get(f"/api/v1/lots/{lot_id}").json()
    return lot["current_price"], lot["bid_count"], lot["seq"]


def test_withdraw_a_bid_recomputes_the_price_charges_the_fee_and_keeps_the_record(api: Api) -> None:
    lot_id, seller, _staff, alice, bob = setup(api, withdrawal_fee=FEE)
    assert api.bid(alice, lot_id, 100_000, max_amount=150_000).status_code == 201
    placed = api.bid(bob, lot_id, 160_000)
    assert placed.json()["leading"] is True
    bob_bid = placed.json()["bid"]["id"]

    shown = preview(api, bob, lot_id)
    assert shown["allowed"] is True
    assert shown["fee"] == FEE and shown["quota_left"] == 3 and shown["quota"]["limit"] == 3
    assert [b["amount"] for b in shown["bids"]] == [160_000]
    assert shown["options"]["bid"]["price_after"] == 100_000  # alice alone again, at her own bid
    assert shown["options"]["auction"]["deposit_release"] == DEPOSIT - FEE

    done = withdraw_bid(api, bob, lot_id, bob_bid)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["current_price"] == 100_000 and body["leading"] is False
    assert body["withdrawal"]["fee"] == FEE and body["quota"]["left"] == 2
    assert body["wallet"] == {"available": 1_000_000 - DEPOSIT, "frozen": DEPOSIT - FEE}

    record = api.client.get(f"/api/v1/lots/{lot_id}/bids").json()["items"]
    assert [(r["amount"], r["status"]) for r in record] == [(160_000, "withdrawn"), (100_000, "leading")]
    seller_ledger = api.client.get("/api/v1/me/ledger", headers=seller).json()["items"]
    assert any(line["kind"] == "withdrawal_fee" and line["amount"] == FEE for line in seller_ledger)
    assert api.wallet(seller)["available"] == FEE
    bob_ledger = api.client.get("/api/v1/me/ledger", headers=bob).json()["items"]
    assert any(line["kind"] == "withdrawal_fee" and line["amount"] == -FEE for line in bob_ledger)
    assert api.client.get(f"/api/v1/lots/{lot_id}/record").json()["verified"] is True

    # Bidding again needs the deposit made whole (the fee came out of it); then the bid is taken.
    again = api.bid(bob, lot_id, 160_000)
    assert again.status_code == 409 and again.json()["error"]["code"] == "DEPOSIT_REQUIRED"
    topped = api.deposit(bob, lot_id)
    assert topped.status_code == 201 and topped.json()["amount"] == DEPOSIT
    assert api.wallet(bob) == {"available": 1_000_000 - DEPOSIT - FEE, "frozen": DEPOSIT}
    assert api.bid(bob, lot_id, 160_000).status_code == 201

    mine = api.client.get("/api/v1/me/withdrawals", headers=bob).json()
    assert mine["quota"]["left"] == 2
    assert [(w["scope"], w["fee"]) for w in mine["items"]] == [("bid", FEE)]
    my_bids = api.client.get("/api/v1/me/bids", headers=bob).json()["items"]
    assert {b["status"] for b in my_bids} >= {"withdrawn", "leading"}


def test_withdraw_from_the_auction_releases_the_deposit_less_the_fee(api: Api) -> None:
    lot_id, seller, _staff, alice, bob = setup(api, withdrawal_fee=FEE)
    api.bid(alice, lot_id, 100_000)
    api.bid(bob, lot_id, 110_000)
    api.bid(alice, lot_id, 120_000)
    api.bid(bob, lot_id, 130_000, max_amount=200_000)
    done = withdraw_all(api, bob, lot_id)
    assert done.status_code == 200, done.text
    assert done.json()["current_price"] == 120_000
    assert {r["amount"] for r in done.json()["withdrawn"]} == {110_000, 130_000}
    assert api.wallet(bob) == {"available": 1_000_000 - FEE, "frozen": 0}
    assert api.wallet(seller)["available"] == FEE
    # Bidding again means paying the deposit again.
    assert api.bid(bob, lot_id, 130_000).json()["error"]["code"] == "DEPOSIT_REQUIRED"
    assert api.deposit(bob, lot_id).status_code == 201
    assert api.bid(bob, lot_id, 130_000).status_code == 201


def test_withdrawing_the_only_bid_returns_the_lot_to_no_bids_and_never_extends(api: Api) -> None:
    lot_id, _seller, _staff, alice, _bob = setup(api, extension_seconds=300)
    api.advance(3600 - 60)  # the last minute: a bid extends, a withdrawal must not
    placed = api.bid(alice, lot_id, 100_000)
    extended = api.client.get(f"/api/v1/lots/{lot_id}").json()
    assert extended["extensions"] == 1
    done = withdraw_bid(api, alice, lot_id, placed.json()["bid"]["id"])
    assert done.status_code == 200
    after = api.client.get(f"/api/v1/lots/{lot_id}").json()
    assert after["current_price"] is None and after["extensions"] == 1 and after["ends_at"] == extended["ends_at"]
    assert after["bid_count"] == 1  # the withdrawn row stays in the record


def test_each_refusal_is_clear_and_changes_nothing(api: Api) -> None:
    lot_id, seller, staff, alice, bob = setup(api, withdrawal_fee=FEE)
    first = api.bid(alice, lot_id, 100_000).json()["bid"]["id"]
    second = api.bid(bob, lot_id, 110_000).json()["bid"]["id"]
    third = api.bid(alice, lot_id, 120_000).json()["bid"]["id"]
    before = (lot_state(api, lot_id), api.wallet(alice), api.wallet(bob), api.wallet(seller))

    cases = [
        (withdraw_bid(api, alice, lot_id, third, confirm=False), 422, "WITHDRAWAL_CONFIRMATION_REQUIRED"),
        (withdraw_bid(api, alice, lot_id, third, confirm="yes"), 422, "VALIDATION_FAILED"),
        (withdraw_all(api, alice, lot_id, confirm=False), 422, "WITHDRAWAL_CONFIRMATION_REQUIRED"),
        (withdraw_bid(api, alice, lot_id, second), 403, "BID_NOT_YOURS"),
        (withdraw_bid(api, alice, lot_id, first), 409, "BID_NOT_LATEST"),
        (withdraw_bid(api, alice, lot_id, 987_654), 404, "BID_NOT_FOUND"),
        (withdraw_bid(api, seller, lot_id, third), 403, "BID_NOT_YOURS"),
        (withdraw_all(api, staff, lot_id), 409, "NOTHING_TO_WITHDRAW"),
        (api.client.post("/api/v1/lots/424242/withdraw", headers=alice, json={"confirm": True}), 404, "LOT_NOT_FOUND"),
    ]
    api.client.cookies.clear()  # no session cookie, no bearer token
    cases.append((withdraw_all(api, {}, lot_id), 401, "NOT_AUTHENTICATED"))
    in_review = api.client.post(
        "/api/v1/lots",
        headers=seller,
        json={"title": "审核中", "category": "art", "start_price": 100_000, "increment": 10_000, "deposit": 20_000,
              "starts_at": api.now().isoformat(), "ends_at": (api.now() + timedelta(hours=1)).isoformat()},
    ).json()  # fmt: skip
    hidden = api.client.get(f"/api/v1/lots/{in_review['id']}/withdrawal-preview", headers=alice)
    cases.append((hidden, 404, "LOT_NOT_FOUND"))
    for response, status, code in cases:
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), response.text
        assert response.json()["error"]["message"] and response.json()["error"]["message_zh"]
    assert (lot_state(api, lot_id), api.wallet(alice), api.wallet(bob), api.wallet(seller)) == before

    assert withdraw_bid(api, alice, lot_id, third).status_code == 200
    again = withdraw_bid(api, alice, lot_id, third)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "BID_ALREADY_WITHDRAWN")


def test_the_daily_quota_resets_at_beijing_midnight(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    lots = [int(api.live_lot(seller, staff, ends_at=(api.now() + timedelta(days=3)).isoformat())["id"]) for _ in "xyzw"]
    for lot_id in lots:
        api.deposit(alice, lot_id)
    for lot_id in lots[:3]:
        api.bid(alice, lot_id, 100_000)
        assert withdraw_all(api, alice, lot_id).status_code == 200
    api.bid(alice, lots[3], 100_000)
    refused = withdraw_all(api, alice, lots[3])
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "WITHDRAWAL_QUOTA_EXCEEDED" and error["used"] == 3 and error["limit"] == 3
    assert "北京时间" in error["message_zh"]
    shown = preview(api, alice, lots[3])
    assert shown["quota_left"] == 0 and shown["allowed"] is False
    assert shown["reason"]["code"] == "WITHDRAWAL_QUOTA_EXCEEDED"
    assert api.client.get(f"/api/v1/lots/{lots[3]}").json()["current_price"] == 100_000

    resets_at = error["resets_at"]
    from datetime import datetime

    seconds = int((datetime.fromisoformat(resets_at) - api.now()).total_seconds()) + 1
    assert 0 < seconds <= 24 * 3600
    assert error["retry_after"] == int(refused.headers["Retry-After"])  # every 429 says when to come back
    assert seconds - 1 <= error["retry_after"] <= seconds + 10  # (the clock ran on a little since the refusal)
    api.advance(seconds)
    assert preview(api, alice, lots[3])["quota_left"] == 3
    assert withdraw_all(api, alice, lots[3]).status_code == 200


@pytest.mark.parametrize("fields", [{"withdrawal_allowed": False}])
def test_a_lot_with_withdrawal_switched_off_refuses(api: Api, fields: dict[str, Any]) -> None:
    lot_id, _seller, _staff, alice, _bob = setup(api, **fields)
    bid_id = api.bid(alice, lot_id, 100_000).json()["bid"]["id"]
    refused = withdraw_bid(api, alice, lot_id, bid_id)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "WITHDRAWAL_NOT_ALLOWED")
    assert preview(api, alice, lot_id)["withdrawal_allowed"] is False


def test_an_ended_lot_refuses_and_idempotency_replays(api: Api) -> None:
    lot_id, _seller, _staff, alice, bob = setup(api)
    api.bid(alice, lot_id, 100_000)
    bob_bid = api.bid(bob, lot_id, 110_000).json()["bid"]["id"]
    key = {"Idempotency-Key": "withdraw-once-1"}
    first = withdraw_bid(api, bob, lot_id, bob_bid, **key)
    replay = withdraw_bid(api, bob, lot_id, bob_bid, **key)
    assert first.status_code == replay.status_code == 200
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json() == first.json()
    assert api.client.get("/api/v1/me/withdrawals", headers=bob).json()["quota"]["used"] == 1

    api.advance(3601)
    assert api.client.get(f"/api/v1/lots/{lot_id}").json()["status"] == "sold"
    alice_bid = api.client.get(f"/api/v1/lots/{lot_id}/bids").json()["items"][-1]["id"]
    ended = withdraw_bid(api, alice, lot_id, alice_bid)
    assert (ended.status_code, ended.json()["error"]["code"]) == (409, "AUCTION_ENDED")


def test_a_winner_whose_fees_used_up_the_deposit_holds_no_frozen_deposit_after_the_close(api: Api) -> None:
    """Found by `paimai simulate` at step 47,969 of seed 20261202: a winner whose withdrawal fee took the whole
    deposit kept a 0-fen deposit row "frozen" for ever (the seller then refused to sell; nothing settled it)."""
    lot_id, _seller, _staff, alice, bob = setup(api, withdrawal_allowed=True, withdrawal_fee=DEPOSIT)
    assert api.bid(alice, lot_id, 100_000).status_code == 201
    outbid = api.bid(bob, lot_id, 110_000)
    assert outbid.status_code == 201, outbid.text
    second = api.bid(alice, lot_id, 120_000)
    assert second.status_code == 201, second.text
    assert withdraw_bid(api, bob, lot_id, outbid.json()["bid"]["id"]).status_code == 200
    withdrawn = withdraw_bid(api, alice, lot_id, second.json()["bid"]["id"])
    assert withdrawn.status_code == 200, withdrawn.text  # the fee takes the whole deposit; her first bid stands
    assert api.advance(2 * 3600).status_code == 200  # past the end: the lot closes, alice wins
    assert api.client.get(f"/api/v1/lots/{lot_id}").json()["status"] == "sold"
    mine = {d["lot_id"]: d for d in api.client.get("/api/v1/me/deposits", headers=alice).json()["items"]}
    assert mine[lot_id]["amount"] == 0
    assert mine[lot_id]["status"] == "applied"
