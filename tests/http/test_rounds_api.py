"""Judicial next rounds (RULES §7) over HTTP on both databases: an unsold 一拍 → the court lists its 二拍 at
80 % → staff approve it → it opens; the refusals (start below 80 %, past the 30 days, a second next round,
not the court, a sold lot); and GET …/rounds shows the property's rounds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conftest import Api
from priority_support import pay_deposit, verify

DAY = 86_400


def code(answer: Any) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def next_round(api: Api, headers: dict[str, str], lot_id: int, key: str, **fields: Any) -> Any:
    starts = api.now() + timedelta(days=8, minutes=1)  # 二拍: 7 days' lead plus a day for review
    body: dict[str, Any] = {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=24)).isoformat(),
        "start_price": 560_000,  # 80 % of the 一拍's 700_000
        "deposit": 56_000,
    }
    body.update(fields)
    return api.client.post(f"/api/v1/lots/{lot_id}/next-round", headers={**headers, "Idempotency-Key": key}, json=body)


def unsold_first_round(api: Api) -> tuple[dict[str, str], dict[str, str], int]:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    lot = api.live_judicial_lot(court, staff)
    assert api.advance(DAY + 1).status_code == 200  # past its end, no bids: closed unsold
    status = api.client.get(f"/api/v1/lots/{lot['id']}").json()["status"]
    assert status == "unsold"
    return api.login("court"), api.login("staff"), int(lot["id"])


def test_an_unsold_first_round_gets_its_second_round(api: Api) -> None:
    court, staff, first = unsold_first_round(api)
    starts = api.now() + timedelta(days=8, minutes=1)
    times = {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=24)).isoformat()}
    created = next_round(api, court, first, "r-1", **times)
    assert created.status_code == 201, created.text
    second = created.json()
    assert second["status"] == "pending_review"
    assert second["title"] == "杭州市某小区住宅 A flat in Hangzhou"
    assert second["start_price"] == 560_000
    # the same key answers as the first did; a new key is a second next round: refused
    repeat = next_round(api, court, first, "r-1", **times)
    assert repeat.json().get("id") == second["id"], repeat.text
    assert code(next_round(api, court, first, "r-2")) == (409, "NEXT_ROUND_EXISTS")

    approved = api.client.post(f"/api/v1/staff/lots/{second['id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text  # the 二拍's lead is 7 days, not the 一拍's 15
    lead = datetime.fromisoformat(second["starts_at"]) - api.now()
    assert api.advance(int(lead.total_seconds()) + 1).status_code == 200
    assert api.client.get(f"/api/v1/lots/{second['id']}").json()["status"] == "live"

    rounds = api.client.get(f"/api/v1/lots/{second['id']}/rounds")
    assert rounds.status_code == 200, rounds.text
    items = rounds.json()["items"]
    assert [(r["id"], r["round"], r["round_kind"], r["status"]) for r in items] == [
        (first, 1, "first", "unsold"),
        (second["id"], 2, "second", "live"),
    ]
    assert items[0]["start_price"] == 700_000 and items[1]["start_price"] == 560_000
    assert api.client.get(f"/api/v1/lots/{first}/rounds").json()["items"] == items


def test_next_round_refusals(api: Api) -> None:
    court, _staff, first = unsold_first_round(api)
    stranger = api.user("shop", seller="court")
    assert code(next_round(api, court, first, "low", start_price=559_999, deposit=56_000)) == (
        422,
        "SECOND_ROUND_START_TOO_LOW",
    )
    assert code(next_round(api, stranger, first, "other")) == (403, "NOT_LOT_SELLER")
    short = api.now() + timedelta(days=3)
    lead = next_round(
        api, court, first, "lead", starts_at=short.isoformat(), ends_at=(short + timedelta(days=1)).isoformat()
    )
    assert code(lead) == (422, "ROUND_LEAD_TOO_SHORT")
    assert api.advance(31 * DAY).status_code == 200
    court = api.login("court")
    assert code(next_round(api, court, first, "late")) == (409, "SECOND_ROUND_TOO_LATE")


def test_a_sold_round_has_no_next_round(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    wang = api.user("wang", top_up=2_000_000)
    lot = api.live_judicial_lot(court, staff)
    wang = api.login("wang")
    verify(api, wang, 1)
    pay_deposit(api, wang, lot["id"])
    assert api.bid(wang, lot["id"], 700_000).status_code in (200, 201)
    assert api.advance(DAY + 1).status_code == 200
    assert api.client.get(f"/api/v1/lots/{lot['id']}").json()["status"] == "sold"
    assert code(next_round(api, api.login("court"), lot["id"], "sold")) == (409, "ROUND_SOLD")
