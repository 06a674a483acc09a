"""Judicial listing (issue 9, RULES §7) through the JSON API on both databases: a court's lot refused by the
law's rules at creation, the announcement's lead judged again at approval, and the notice accepted before
the deposit (NOTICE_NOT_ACCEPTED without)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from conftest import Api

REAL_NAME = {"name": "王小明", "id_number": "11010519491231002X"}


def problems(answer: Any) -> list[str]:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "LOT_INVALID"
    return sorted(problem["code"] for problem in error["problems"])


def verified_bidder(api: Api, name: str) -> dict[str, str]:
    bidder = api.user(name, top_up=10_000_000)
    assert api.client.post("/api/v1/me/real-name", headers=bidder, json=REAL_NAME).status_code == 200
    return bidder


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"appraisal": None}, ["judicial_appraisal_required"]),
        ({"start_price": 690_000, "deposit": 69_000}, ["judicial_start_below_appraisal"]),
        ({"deposit": 34_999}, ["judicial_deposit_out_of_range"]),
        ({"deposit": 140_001}, ["judicial_deposit_out_of_range"]),
        ({"case_number": "浙执1234"}, ["judicial_case_number_invalid"]),
        ({"announcement": "  "}, ["judicial_announcement_required"]),
        ({"bidder_notice": ""}, ["judicial_bidder_notice_required"]),
        ({"reserve_price": 800_000}, ["judicial_reserve"]),
        ({"extension_seconds": 60}, ["judicial_extension_fixed"]),
    ],
    ids=[
        "no appraisal",
        "start 69 %",
        "deposit under 5 %",
        "deposit over 20 %",
        "case number",
        "announcement",
        "notice",
        "reserve",
        "extension",
    ],
)
def test_a_court_lot_breaking_one_rule_is_refused_with_that_problem(
    api: Api, fields: dict[str, Any], expected: list[str]
) -> None:
    court = api.user("court", seller="court")
    body = api.judicial_body(**fields)
    if body.get("appraisal") is None:
        del body["appraisal"]
    assert problems(api.client.post("/api/v1/lots", headers=court, json=body)) == expected


def test_the_limits_themselves_are_accepted_and_the_reserve_is_the_public_start(api: Api) -> None:
    court = api.user("court", seller="court")
    for deposit in (35_000, 140_000):  # exactly 5 % and 20 % of the start
        answer = api.client.post("/api/v1/lots", headers=court, json=api.judicial_body(deposit=deposit))
        assert answer.status_code == 201, answer.text
    lot = answer.json()
    assert lot["public_reserve"] == lot["start_price"] == 700_000
    assert lot["judicial"]["case_number"] == "（2026）浙0102执1234号"
    assert lot["judicial"]["announced_at"] is None  # not public until staff approve it


def test_the_announcement_lead_is_refused_at_creation_15_days_and_30_for_real_estate(api: Api) -> None:
    court = api.user("court", seller="court")
    now = api.now()
    # 15 days and a day for review: a minute short is refused, the helper's start (a minute over) is taken
    short = now + timedelta(days=16) - timedelta(minutes=1)
    body = api.judicial_body(starts_at=short.isoformat(), ends_at=(short + timedelta(days=1)).isoformat())
    assert problems(api.client.post("/api/v1/lots", headers=court, json=body)) == ["judicial_announcement_lead"]
    house = api.judicial_body(category="real_estate")  # 16 days ahead: too soon for real estate (30)
    refused = api.client.post("/api/v1/lots", headers=court, json=house)
    assert problems(refused) == ["judicial_announcement_lead"]
    assert refused.json()["error"]["problems"][0]["days"] == 30
    later = now + timedelta(days=31, minutes=1)
    house = api.judicial_body(
        category="real_estate", starts_at=later.isoformat(), ends_at=(later + timedelta(days=1)).isoformat()
    )
    assert api.client.post("/api/v1/lots", headers=court, json=house).status_code == 201


def test_the_lead_is_judged_again_when_staff_approve(api: Api) -> None:
    """Approving publishes the announcement: a lot reviewed too late for its start is refused with a stable
    code (409) and stays in review; one approved in time carries announced_at = the approval."""
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    late = api.client.post("/api/v1/lots", headers=court, json=api.judicial_body()).json()
    timely = api.client.post("/api/v1/lots", headers=court, json=api.judicial_body()).json()
    assert api.advance(3600).status_code == 200
    approved = api.client.post(f"/api/v1/staff/lots/{timely['id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    announced = datetime.fromisoformat(approved.json()["judicial"]["announced_at"])
    assert abs(announced - api.now()) < timedelta(seconds=5)
    assert api.advance(86_400).status_code == 200  # the day for review is used up: 15 days minus an hour left
    refused = api.client.post(f"/api/v1/staff/lots/{late['id']}/approve", headers=staff)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "ANNOUNCEMENT_LEAD_TOO_SHORT"
    assert error["days"] == 15
    assert api.client.get(f"/api/v1/lots/{late['id']}", headers=court).json()["status"] == "pending_review"


def test_the_deposit_waits_for_the_notice_and_accepting_twice_keeps_the_first_time(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    lot = api.live_judicial_lot(court, staff)  # 16 days on: sign the bidder in after it (sessions expire)
    wang = verified_bidder(api, "wang")
    lot_id = lot["id"]
    seen = api.client.get(f"/api/v1/lots/{lot_id}", headers=wang).json()
    assert seen["viewer"]["notice_accepted"] is False
    assert "notice" in seen["viewer"]["panels"] and "deposit" in seen["viewer"]["panels"]
    refused = api.deposit(wang, lot_id)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "NOTICE_NOT_ACCEPTED")
    assert api.wallet(wang) == {"available": 10_000_000, "frozen": 0}

    first = api.accept_notice(wang, lot_id)
    assert first.status_code == 201, first.text
    assert api.advance(60).status_code == 200
    again = api.accept_notice(wang, lot_id)
    assert (again.status_code, again.json()["accepted_at"]) == (200, first.json()["accepted_at"])
    seen = api.client.get(f"/api/v1/lots/{lot_id}", headers=wang).json()
    assert seen["viewer"]["notice_accepted"] is True and "notice" not in seen["viewer"]["panels"]

    assert api.deposit(wang, lot_id).status_code == 201
    assert api.wallet(wang) == {"available": 10_000_000 - 70_000, "frozen": 70_000}
    seen = api.client.get(f"/api/v1/lots/{lot_id}", headers=wang).json()
    assert seen["withdrawal_allowed"] is False and "withdraw" not in seen["viewer"]["panels"]
    assert api.bid(wang, lot_id, 700_000).status_code == 201
    li = verified_bidder(api, "li")
    assert api.accept_notice(li, lot_id).status_code == 201
    assert api.deposit(li, lot_id).status_code == 201
    assert api.advance(2 * 86_400).status_code == 200  # past the end: sold to wang
    li = api.login("li")
    assert api.client.get(f"/api/v1/lots/{lot_id}").json()["status"] == "sold"
    assert api.wallet(li) == {"available": 10_000_000, "frozen": 0}  # the non-winner's deposit released


def test_who_may_accept_a_notice(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    seller = api.user("shop", seller="individual")
    judicial = api.live_judicial_lot(court, staff)
    court, staff, seller = api.login("court"), api.login("staff"), api.login("shop")  # 16 days later
    commercial = api.live_lot(seller, staff)
    bidder = api.user("li")
    answer = api.accept_notice(bidder, commercial["id"])
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "NOTICE_NOT_APPLICABLE")
    assert api.accept_notice(court, judicial["id"]).json()["error"]["code"] == "BIDDER_NOT_ALLOWED"
    assert api.accept_notice(staff, judicial["id"]).json()["error"]["code"] == "STAFF_NOT_BIDDER"
    assert api.accept_notice(bidder, 999_999).status_code == 404
    # no bearer token: the cookie the test client kept from signing in has no CSRF header (403), or none (401)
    assert api.client.post(f"/api/v1/lots/{judicial['id']}/notice-acceptance").status_code in (401, 403)


def test_a_court_edits_its_draft_under_the_same_rules_and_the_reserve_follows_the_start(api: Api) -> None:
    court = api.user("court", seller="court")
    draft = api.client.post("/api/v1/lots", headers=court, json=api.judicial_body(submit=False)).json()
    assert draft["status"] == "draft"
    edited = api.client.patch(f"/api/v1/lots/{draft['id']}", headers=court, json={"start_price": 800_000})
    assert edited.status_code == 200, edited.text
    assert edited.json()["public_reserve"] == 800_000 == edited.json()["reserve_price"]
    emptied = api.client.patch(f"/api/v1/lots/{draft['id']}", headers=court, json={"announcement": ""})
    assert problems(emptied) == ["judicial_announcement_required"]
    kept = api.client.get(f"/api/v1/lots/{draft['id']}", headers=court).json()
    assert kept["judicial"]["announcement"] != ""  # a refused edit changes nothing
    assert api.advance(2 * 86_400).status_code == 200  # now the start is too close for its announcement
    court = api.login("court")
    late = api.client.post(f"/api/v1/lots/{draft['id']}/submit", headers=court)
    assert problems(late) == ["judicial_announcement_lead"]
