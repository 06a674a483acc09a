"""The court's view of who registered (报名) on its judicial lot, over HTTP on both databases: aliases and
deposit facts only (bidders stay secret until the sale ends), the court and staff only, judicial lots only."""

from __future__ import annotations

from typing import Any

from conftest import Api
from priority_support import judicial_lot, pay_deposit, to_start, verify


def code(answer: Any) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def test_the_court_sees_registrations_by_alias_only(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    wang = api.user("wang", top_up=10_000_000)
    zhao = api.user("zhao", top_up=10_000_000)
    li = api.user("li", top_up=10_000_000)
    for n, headers in enumerate((wang, zhao, li), start=1):
        verify(api, headers, n)
    lot = judicial_lot(api, court, staff)
    lot_id = lot["id"]
    to_start(api, lot, court=court, staff=staff, wang=wang, zhao=zhao, li=li)
    pay_deposit(api, wang, lot_id)
    pay_deposit(api, zhao, lot_id)
    assert api.accept_notice(li, lot_id).status_code == 201  # li read the notice, paid nothing

    answer = api.client.get(f"/api/v1/lots/{lot_id}/registrations", headers=court)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["registered"], body["frozen"], body["notice_only"]) == (2, 2, 1)
    paid = [item for item in body["items"] if item["deposit_status"]]
    assert [item["deposit_amount"] for item in paid] == [lot["deposit"]] * 2
    assert all(item["alias"] and item["notice_accepted_at"] for item in paid)
    (waiting,) = [item for item in body["items"] if item["deposit_status"] is None]
    assert waiting["deposit_amount"] is None and waiting["notice_accepted_at"]
    # who they are is not in it: no username, name or user id anywhere
    text = answer.text
    assert not any(word in text for word in ("wang", "zhao", "王小明", "user_id"))

    assert api.client.get(f"/api/v1/lots/{lot_id}/registrations", headers=staff).status_code == 200
    assert code(api.client.get(f"/api/v1/lots/{lot_id}/registrations", headers=wang)) == (403, "NOT_LOT_SELLER")
    api.client.cookies.clear()  # the sign-ins above left a session cookie
    anonymous = api.client.get(f"/api/v1/lots/{lot_id}/registrations")
    assert anonymous.status_code == 401, anonymous.text


def test_registrations_exist_on_judicial_lots_only(api: Api) -> None:
    seller = api.user("shop", seller="individual")
    staff = api.user("staff", staff=True)
    lot = api.live_lot(seller, staff)
    answer = api.client.get(f"/api/v1/lots/{lot['id']}/registrations", headers=seller)
    assert code(answer) == (409, "NOTICE_NOT_APPLICABLE")
    assert code(api.client.get("/api/v1/lots/999999/registrations", headers=seller)) == (404, "LOT_NOT_FOUND")
