"""Priority buyers (优先购买权人, RULES §7) over HTTP on both databases: the court registers them before bidding,
with its refusals; a holder's same-amount bid leads, a non-holder's is refused with the next valid amount;
the bid record marks the holder's rows by alias only; the lot tells a holder their rank and their least."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from conftest import Api
from priority_support import INC, START, judicial_lot, pay_deposit, register, to_start, verify


def code(answer: Any) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def user_id(api: Api, headers: dict[str, str]) -> int:
    return int(api.client.get("/api/v1/me", headers=headers).json()["id"])


def test_the_court_registers_priority_buyers_before_bidding(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    shop = api.user("shop", seller="individual")
    wang = api.user("wang")
    li = api.user("li")
    wang_id, li_id, court_id = user_id(api, wang), user_id(api, li), user_id(api, court)
    lot = judicial_lot(api, court, staff)
    lot_id = lot["id"]

    # not the court: refused; the court: registered, and it sees who
    assert code(register(api, li, lot_id, user_id=wang_id, rank=1, basis="co_owner")) == (403, "NOT_LOT_SELLER")
    created = register(api, court, lot_id, user_id=wang_id, rank=1, basis="co_owner")
    assert created.status_code == 201, created.text
    (row,) = created.json()["items"]
    assert (row["user_id"], row["username"], row["rank"], row["basis"], row["alias"]) == (
        wang_id,
        "wang",
        1,
        "co_owner",
        None,  # no alias before the holder pays the deposit
    )
    # refusals: the same holder again, the seller themself, staff, a rank out of range, nobody named
    again = register(api, court, lot_id, user_id=wang_id, rank=2, basis="tenant")
    assert code(again) == (409, "PRIORITY_HOLDER_EXISTS")
    assert code(register(api, court, lot_id, user_id=court_id, rank=1, basis="other")) == (
        409,
        "PRIORITY_HOLDER_NOT_ALLOWED",
    )
    assert code(register(api, court, lot_id, username="staff", rank=1, basis="other")) == (
        409,
        "PRIORITY_HOLDER_NOT_ALLOWED",
    )
    assert code(register(api, court, lot_id, user_id=li_id, rank=0, basis="tenant")) == (422, "VALIDATION_FAILED")
    assert code(register(api, court, lot_id, user_id=li_id, rank=1, basis="cousin")) == (422, "VALIDATION_FAILED")
    assert code(register(api, court, lot_id, username="nobody", rank=1, basis="tenant")) == (404, "USER_NOT_FOUND")

    # staff may register too (by username), and the audit log says so
    by_staff = register(api, staff, lot_id, username="LI", rank=2, basis="tenant")
    assert by_staff.status_code == 201, by_staff.text
    audit = api.client.get("/api/v1/staff/audit", headers=staff, params={"object_id": lot_id}).json()["items"]
    assert [entry["action"] for entry in audit][:1] == ["lot.priority_add"]

    # the public sees ranks (and aliases) only
    public = api.client.get(f"/api/v1/lots/{lot_id}/priority-holders").json()["items"]
    assert public == [{"rank": 1, "alias": None}, {"rank": 2, "alias": None}]
    bidder_view = api.client.get(f"/api/v1/lots/{lot_id}/priority-holders", headers=li).json()["items"]
    assert all(set(item) == {"rank", "alias"} for item in bidder_view)
    assert "wang" not in api.client.get(f"/api/v1/lots/{lot_id}/priority-holders").text

    # removing: the court may, a bidder may not; an unknown registration is not found
    url = f"/api/v1/lots/{lot_id}/priority-holders/{li_id}"
    assert code(api.client.delete(url, headers=li)) == (403, "NOT_LOT_SELLER")
    removed = api.client.delete(url, headers=court)
    assert removed.status_code == 200
    assert [item["user_id"] for item in removed.json()["items"]] == [wang_id]
    assert code(api.client.delete(url, headers=court)) == (404, "PRIORITY_HOLDER_NOT_FOUND")

    # a commercial lot has no priority buyers
    commercial = api.live_lot(shop, staff, starts_at=(api.now() + timedelta(hours=1)).isoformat())
    assert code(register(api, shop, commercial["id"], user_id=wang_id, rank=1, basis="tenant")) == (
        409,
        "PRIORITY_JUDICIAL_ONLY",
    )

    # once bidding has started (by server time, before the scheduler ran), nothing changes any more
    to_start(api, lot, court=court)
    assert code(register(api, court, lot_id, user_id=li_id, rank=2, basis="tenant")) == (
        409,
        "PRIORITY_REGISTRATION_CLOSED",
    )
    assert code(api.client.delete(f"/api/v1/lots/{lot_id}/priority-holders/{wang_id}", headers=court)) == (
        409,
        "PRIORITY_REGISTRATION_CLOSED",
    )


def test_a_holders_same_amount_bid_leads_and_is_marked_in_the_record(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    wang = api.user("wang", top_up=10_000_000)  # the co-owner: priority rank 1
    zhao = api.user("zhao", top_up=10_000_000)  # an ordinary bidder
    for n, headers in enumerate((wang, zhao), start=1):
        verify(api, headers, n)
    lot = judicial_lot(api, court, staff)
    lot_id = lot["id"]
    assert register(api, court, lot_id, username="wang", rank=1, basis="co_owner").status_code == 201
    to_start(api, lot, court=court, wang=wang, zhao=zhao)
    for headers in (wang, zhao):
        pay_deposit(api, headers, lot_id)

    assert api.bid(zhao, lot_id, START + 2 * INC).status_code == 201
    lot = api.client.get(f"/api/v1/lots/{lot_id}", headers=wang).json()
    assert lot["viewer"]["priority_rank"] == 1
    assert lot["next_valid_amount"] == lot["viewer"]["next_valid_amount"] == START + 2 * INC  # may match
    public = api.client.get(f"/api/v1/lots/{lot_id}").json()
    assert public["next_valid_amount"] == START + 3 * INC and public["viewer"]["priority_rank"] is None

    matched = api.bid(wang, lot_id, START + 2 * INC)
    assert matched.status_code == 201, matched.text
    lot = api.client.get(f"/api/v1/lots/{lot_id}", headers=wang).json()
    assert (lot["current_price"], lot["i_am_leader"], lot["leader_alias"]) == (START + 2 * INC, True, lot["my_alias"])

    # the non-holder may not match the holder: one increment more, and the holder's proxy would match that too
    refused = api.bid(zhao, lot_id, START + 2 * INC)
    assert code(refused) == (409, "BID_TOO_LOW")
    assert refused.json()["error"]["next_valid"] == START + 3 * INC
    zhao_lot = api.client.get(f"/api/v1/lots/{lot_id}", headers=zhao).json()
    assert zhao_lot["next_valid_amount"] == START + 3 * INC and zhao_lot["viewer"]["priority_rank"] is None
    assert api.bid(zhao, lot_id, START + 3 * INC).status_code == 201
    assert api.bid(wang, lot_id, START + 3 * INC, START + 6 * INC).status_code == 201
    assert api.bid(zhao, lot_id, START + 5 * INC).status_code == 201  # the holder's proxy answers at the same amount
    lot = api.client.get(f"/api/v1/lots/{lot_id}", headers=wang).json()
    assert (lot["current_price"], lot["i_am_leader"]) == (START + 5 * INC, True)

    record = api.client.get(f"/api/v1/lots/{lot_id}/bids")
    rows = record.json()["items"]
    wang_alias = lot["my_alias"]
    assert [(row["alias"] == wang_alias, row["amount"], row["priority"]) for row in reversed(rows)] == [
        (False, START + 2 * INC, False),
        (True, START + 2 * INC, True),
        (False, START + 3 * INC, False),
        (True, START + 3 * INC, True),
        (False, START + 5 * INC, False),
        (True, START + 5 * INC, True),
    ]
    assert rows[0]["status"] == "leading"
    assert "wang" not in record.text and "王小明" not in record.text  # alias only, never a name
    # the public list now shows the holder's alias with the rank
    holders = api.client.get(f"/api/v1/lots/{lot_id}/priority-holders").json()["items"]
    assert holders == [{"rank": 1, "alias": wang_alias}]

    # the close sells to the holder at the matched price
    api.advance(2 * 24 * 3600)
    closed = api.client.get(f"/api/v1/lots/{lot_id}").json()
    assert (closed["status"], closed["final_price"], closed["winner_alias"]) == ("sold", START + 5 * INC, wang_alias)


def test_a_commercial_lots_record_marks_no_one(api: Api) -> None:
    staff = api.user("staff", staff=True)
    shop = api.user("shop", seller="individual")
    zhao = api.user("zhao", top_up=1_000_000)
    lot = api.live_lot(shop, staff)
    assert api.deposit(zhao, lot["id"]).status_code == 201
    assert api.bid(zhao, lot["id"], lot["start_price"]).status_code == 201
    (row,) = api.client.get(f"/api/v1/lots/{lot['id']}/bids").json()["items"]
    assert row["priority"] is False
    assert api.client.get(f"/api/v1/lots/{lot['id']}/priority-holders").json()["items"] == []
