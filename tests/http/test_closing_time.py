"""A lot starts at its start and closes at its effective end — at that second, not one after — seen from
outside: the simulated clock is moved with POST /_clock/advance and the lot read through the public API.

The simulated clock is real time plus an offset, so "exactly at the end" needs real time held still:
these tests swap in a simulated clock whose real part is frozen (the offset still lives in the database
and moves only through the API). Nothing here knows how the scheduler finds due work. Both databases.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conftest import Api


def status_of(api: Api, lot_id: int) -> str:
    return str(api.client.get(f"/api/v1/lots/{lot_id}").json()["status"])


def advance(api: Api, seconds: int) -> dict[str, Any]:
    response = api.advance(seconds)
    assert response.status_code == 200, response.text
    return dict(response.json())


def people(api: Api) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = api.user("alice", top_up=1_000_000)
    return staff, seller, alice


def test_a_lot_closes_at_its_end_not_a_second_later(frozen: Api) -> None:
    staff, seller, alice = people(frozen)
    lot = frozen.live_lot(seller, staff)  # ends one hour from now, to the second
    lot_id = int(lot["id"])
    assert datetime.fromisoformat(lot["ends_at"]) == frozen.now() + timedelta(hours=1)
    assert frozen.deposit(alice, lot_id).status_code == 201
    assert frozen.bid(alice, lot_id, 100_000).status_code == 201
    assert advance(frozen, 3599)["lots_changed"] == 0
    assert status_of(frozen, lot_id) == "live"
    assert advance(frozen, 1)["lots_changed"] == 1
    assert frozen.now() == datetime.fromisoformat(lot["ends_at"])
    closed = frozen.client.get(f"/api/v1/lots/{lot_id}").json()
    assert (closed["status"], closed["final_price"]) == ("sold", 100_000)


def test_an_extended_lot_closes_at_its_effective_end(frozen: Api) -> None:
    staff, seller, alice = people(frozen)
    lot_id = int(frozen.live_lot(seller, staff)["id"])
    assert frozen.deposit(alice, lot_id).status_code == 201
    advance(frozen, 3590)  # ten seconds before the end, inside the 300-second window
    placed = frozen.bid(alice, lot_id, 100_000)
    assert placed.status_code == 201, placed.text
    effective_end = datetime.fromisoformat(placed.json()["ends_at"])
    assert effective_end == frozen.now() + timedelta(seconds=300)
    advance(frozen, 299)
    assert status_of(frozen, lot_id) == "live"
    advance(frozen, 1)
    assert frozen.now() == effective_end
    assert status_of(frozen, lot_id) == "sold"


def test_a_lot_without_bids_closes_unsold_at_its_end(frozen: Api) -> None:
    staff, seller, _alice = people(frozen)
    lot_id = int(frozen.live_lot(seller, staff, ends_at=(frozen.now() + timedelta(minutes=10)).isoformat())["id"])
    advance(frozen, 599)
    assert status_of(frozen, lot_id) == "live"
    advance(frozen, 1)
    assert status_of(frozen, lot_id) == "unsold"


def test_a_scheduled_lot_goes_live_at_its_start_not_a_second_later(frozen: Api) -> None:
    staff, seller, alice = people(frozen)
    now = frozen.now()
    body = {
        "title": "定时开拍 Starts later",
        "category": "art",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": (now + timedelta(seconds=60)).isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
    }
    lot_id = int(frozen.client.post("/api/v1/lots", headers=seller, json=body).json()["id"])
    approved = frozen.client.post(f"/api/v1/staff/lots/{lot_id}/approve", headers=staff)
    assert approved.json()["status"] == "scheduled"
    advance(frozen, 59)
    assert status_of(frozen, lot_id) == "scheduled"
    assert frozen.deposit(alice, lot_id).status_code == 201  # deposits open once the lot is published
    assert frozen.bid(alice, lot_id, 100_000).json()["error"]["code"] == "LOT_NOT_LIVE"
    advance(frozen, 1)
    assert status_of(frozen, lot_id) == "live"
    assert frozen.bid(alice, lot_id, 100_000).status_code == 201
