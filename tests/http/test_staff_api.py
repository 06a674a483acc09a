"""The staff back office over HTTP on both databases: finding users, freezing and unfreezing them (and what a
frozen account can no longer do), reasons required to reject, and the staff audit log of every decision."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher

from conftest import Api
from paimai.domain.errors import DomainError, ErrorCode
from paimai.persistence.models import User
from paimai.services import accounts, wallet


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and error["message_zh"]
    return error


def user_id(api: Api, headers: dict[str, str]) -> int:
    return int(api.client.get("/api/v1/me", headers=headers).json()["id"])


def audit(api: Api, staff: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    response = api.client.get("/api/v1/staff/audit", headers=staff, params=query)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def freeze(api: Api, staff: dict[str, str], target: int, reason: str = "涉嫌欺诈 suspected fraud") -> Any:
    return api.client.post(f"/api/v1/staff/users/{target}/freeze", headers=staff, json={"reason": reason})


STAFF_ENDPOINTS = [
    ("get", "/api/v1/staff/users?q=a", None),
    ("get", "/api/v1/staff/users/1", None),
    ("post", "/api/v1/staff/users/1/freeze", {"reason": "x"}),
    ("post", "/api/v1/staff/users/1/unfreeze", {"reason": "x"}),
    ("get", "/api/v1/staff/audit", None),
]


def test_every_staff_endpoint_refuses_customers_and_the_anonymous(api: Api) -> None:
    customer = api.user("customer")
    api.client.cookies.clear()  # the login's session cookie: the anonymous requests below carry none
    for method, path, body in STAFF_ENDPOINTS:
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        refused(api.client.request(method, path, headers=customer, **kwargs), 403, "STAFF_ONLY")
        refused(api.client.request(method, path, **kwargs), 401, "NOT_AUTHENTICATED")
    assert api.client.get("/api/v1/me", headers=customer).status_code == 200  # the customer was not frozen


def test_search_users_by_username_or_display_name_paginated(api: Api) -> None:
    staff = api.user("boss", staff=True)
    with api.container.transaction() as uow:
        for i in range(5):
            accounts.register(uow, f"zhang{i}", "correct-horse-1", f"张三{i}")
        accounts.register(uow, "li_si", "correct-horse-1", "李四 Zhang's friend")
    first = api.client.get("/api/v1/staff/users", headers=staff, params={"q": "ZHANG", "limit": 4}).json()
    assert [u["username"] for u in first["items"]] == ["zhang0", "zhang1", "zhang2", "zhang3"]
    assert first["next_cursor"] == first["items"][-1]["id"]
    rest = api.client.get(
        "/api/v1/staff/users", headers=staff, params={"q": "ZHANG", "limit": 4, "cursor": first["next_cursor"]}
    ).json()
    assert [u["username"] for u in rest["items"]] == ["zhang4", "li_si"]  # li_si by display name
    assert rest["next_cursor"] is None
    by_chinese = api.client.get("/api/v1/staff/users", headers=staff, params={"q": "张三3"}).json()["items"]
    assert [u["username"] for u in by_chinese] == ["zhang3"]
    assert api.client.get("/api/v1/staff/users", headers=staff, params={"q": "%"}).json()["items"] == []
    one = api.client.get(f"/api/v1/staff/users/{by_chinese[0]['id']}", headers=staff).json()
    assert one["display_name"] == "张三3" and one["frozen"] is False and one["is_staff"] is False
    refused(api.client.get("/api/v1/staff/users/999999", headers=staff), 404, "USER_NOT_FOUND")


def test_a_frozen_account_cannot_sign_in_its_sessions_end_and_it_cannot_bid_deposit_or_top_up(api: Api) -> None:
    staff = api.user("boss", staff=True)
    seller = api.user("shop", seller="individual")
    bidder = api.user("bidder", top_up=500_000)
    lot = api.live_lot(seller, staff)
    target = user_id(api, bidder)
    second_session = api.login("bidder")
    assert api.deposit(bidder, lot["id"]).status_code == 201

    frozen = freeze(api, staff, target)
    assert frozen.status_code == 200, frozen.text
    assert frozen.json()["frozen"] is True and frozen.json()["frozen_reason"] == "涉嫌欺诈 suspected fraud"
    for headers in (bidder, second_session):  # every session it had ends
        refused(api.client.get("/api/v1/me", headers=headers), 401, "NOT_AUTHENTICATED")
        refused(api.bid(headers, lot["id"], 100_000), 401, "NOT_AUTHENTICATED")
    login = api.client.post("/api/v1/auth/login", json={"username": "bidder", "password": "correct-horse-1"})
    refused(login, 403, "ACCOUNT_FROZEN")
    assert "paimai_session" not in login.cookies
    wrong = api.client.post("/api/v1/auth/login", json={"username": "bidder", "password": "wrong-horse-1"})
    refused(wrong, 401, "INVALID_CREDENTIALS")  # a wrong password does not learn that the account is frozen
    refused(freeze(api, staff, target), 409, "ACCOUNT_ALREADY_FROZEN")

    refused(api.client.post(f"/api/v1/staff/users/{target}/unfreeze", headers=staff, json={"reason": " "}), 422,
            "REASON_REQUIRED")  # fmt: skip
    thawed = api.client.post(f"/api/v1/staff/users/{target}/unfreeze", headers=staff, json={"reason": "核实无误"})
    assert thawed.status_code == 200 and thawed.json()["frozen"] is False and thawed.json()["frozen_at"] is None
    refused(api.client.post(f"/api/v1/staff/users/{target}/unfreeze", headers=staff, json={"reason": "again"}), 409,
            "ACCOUNT_NOT_FROZEN")  # fmt: skip
    again = api.login("bidder")
    assert api.bid(again, lot["id"], 100_000).status_code == 201
    actions = [(e["action"], e["reason"]) for e in audit(api, staff, object_type="user", object_id=target)]
    assert actions == [("user.unfreeze", "核实无误"), ("user.freeze", "涉嫌欺诈 suspected fraud")]


def test_the_services_refuse_a_frozen_account_even_with_a_user_read_before_the_freeze(api: Api) -> None:
    """The adapters' user was read before the request ran: the services read the account afresh."""
    from paimai.services import bidding, deposits
    from paimai.services import staff as staff_service

    staff = api.user("boss", staff=True)
    seller = api.user("shop", seller="individual")
    bidder = api.user("bidder", top_up=500_000)
    lot = api.live_lot(seller, staff)
    target = user_id(api, bidder)
    with api.container.reading() as session:
        stale = staff_service.get_user(session, target)
        actor = staff_service.get_user(session, user_id(api, staff))
    with api.container.transaction() as uow:
        staff_service.freeze(uow, actor, target, "test")
    for attempt in (
        lambda uow: deposits.pay_deposit(uow, stale, lot["id"]),
        lambda uow: bidding.place_bid(uow, stale, lot["id"], 100_000, None),
        lambda uow: wallet.top_up(uow, uow.session.get(User, target), 100),
    ):
        with pytest.raises(DomainError) as caught, api.container.transaction() as uow:
            attempt(uow)
        assert caught.value.code is ErrorCode.ACCOUNT_FROZEN


def test_a_frozen_account_is_refused_a_deposit_and_a_top_up_over_http(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over HTTP with a session that still stands (as if the token check let it through): the services refuse."""
    staff = api.user("boss", staff=True)
    seller = api.user("shop", seller="individual")
    bidder = api.user("bidder", top_up=500_000)
    lot = api.live_lot(seller, staff)
    target = user_id(api, bidder)
    real = accounts.user_for_token

    def ignoring_freeze(session: Any, token: str, now: Any) -> Any:  # the token check alone switched off
        from sqlalchemy import select

        from paimai.persistence.models import AuthToken, User

        row = session.scalar(
            select(User)
            .join(AuthToken, AuthToken.user_id == User.id)
            .where(AuthToken.token_hash == accounts.hash_token(token))
        )
        return row if row is not None else real(session, token, now)

    with api.container.transaction() as uow:  # frozen without deleting the sessions
        from paimai.services import locks

        locks.users(uow.session, [target])[target].frozen_at = uow.now
    # a token still stored is worth nothing while the account is frozen
    refused(api.client.get("/api/v1/me", headers=bidder), 401, "NOT_AUTHENTICATED")
    monkeypatch.setattr(accounts, "user_for_token", ignoring_freeze)
    refused(api.deposit(bidder, lot["id"]), 403, "ACCOUNT_FROZEN")
    refused(api.bid(bidder, lot["id"], 100_000), 403, "ACCOUNT_FROZEN")
    refused(api.client.post("/api/v1/me/wallet/top-up", headers=bidder, json={"amount": 100}), 403, "ACCOUNT_FROZEN")
    assert api.wallet(bidder) == {"available": 500_000, "frozen": 0}


def test_staff_cannot_freeze_themselves_or_another_staff_member_and_a_reason_is_required(api: Api) -> None:
    staff = api.user("boss", staff=True)
    other = api.user("deputy", staff=True)
    customer = api.user("customer")
    refused(freeze(api, staff, user_id(api, staff)), 403, "FREEZE_NOT_ALLOWED")
    refused(freeze(api, staff, user_id(api, other)), 403, "FREEZE_NOT_ALLOWED")
    refused(freeze(api, staff, user_id(api, customer), reason=""), 422, "REASON_REQUIRED")
    refused(freeze(api, staff, user_id(api, customer), reason="   "), 422, "REASON_REQUIRED")
    missing = api.client.post(f"/api/v1/staff/users/{user_id(api, customer)}/freeze", headers=staff, json={})
    refused(missing, 422, "VALIDATION_FAILED")
    refused(freeze(api, staff, 999_999), 404, "USER_NOT_FOUND")
    assert api.client.get("/api/v1/me", headers=customer).status_code == 200
    assert api.client.get("/api/v1/me", headers=other).status_code == 200
    assert audit(api, staff) == []  # nothing refused was logged


def _pending_lot(api: Api, seller: dict[str, str]) -> int:
    now = api.now()
    body = {
        "title": "宋代铜镜 Song bronze mirror",
        "category": "art",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=3)).isoformat(),
    }
    created = api.client.post("/api/v1/lots", headers=seller, json=body)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def test_rejections_need_a_reason_and_every_decision_is_audited_and_searchable(api: Api) -> None:
    staff = api.user("boss", staff=True)
    deputy = api.user("deputy", staff=True)
    seller = api.user("shop", seller="individual")
    applicants = [api.user(name) for name in ("app_a", "app_b")]
    apps = []
    for headers in applicants:
        body = {"kind": "individual", "name": "小店", "description": "", "contact_phone": "13800000000"}
        apps.append(api.client.post("/api/v1/me/seller-application", headers=headers, json=body).json()["id"])
    lot_a, lot_b = _pending_lot(api, seller), _pending_lot(api, seller)

    for path in (f"/api/v1/staff/seller-applications/{apps[0]}/reject", f"/api/v1/staff/lots/{lot_a}/reject"):
        for body in ({}, {"reason": ""}, {"reason": "  \n"}):
            refused(api.client.post(path, headers=staff, json=body), 422, "REASON_REQUIRED")
    assert audit(api, staff) == []
    assert api.client.get(f"/api/v1/lots/{lot_a}", headers=seller).json()["status"] == "pending_review"

    assert api.client.post(f"/api/v1/staff/seller-applications/{apps[0]}/approve", headers=staff).status_code == 200
    rejected = api.client.post(
        f"/api/v1/staff/seller-applications/{apps[1]}/reject", headers=deputy, json={"reason": "资料不全"}
    )
    assert rejected.status_code == 200, rejected.text
    assert api.client.post(f"/api/v1/staff/lots/{lot_a}/approve", headers=staff).status_code == 200
    lot_rejected = api.client.post(f"/api/v1/staff/lots/{lot_b}/reject", headers=deputy, json={"reason": "图片不清"})
    assert lot_rejected.status_code == 200, lot_rejected.text

    entries = audit(api, staff)
    assert [(e["action"], e["object_type"], e["object_id"], e["actor"], e["reason"]) for e in entries] == [
        ("lot.reject", "lot", lot_b, "deputy", "图片不清"),
        ("lot.approve", "lot", lot_a, "boss", None),
        ("seller_application.reject", "seller_application", apps[1], "deputy", "资料不全"),
        ("seller_application.approve", "seller_application", apps[0], "boss", None),
    ]
    assert entries[0]["details"] == {"from_status": "pending_review", "to_status": "rejected"}
    assert entries[3]["details"]["user_id"] == user_id(api, applicants[0])
    deputy_id = user_id(api, deputy)
    assert [e["object_id"] for e in audit(api, staff, actor=str(deputy_id))] == [lot_b, apps[1]]
    assert [e["object_id"] for e in audit(api, staff, actor="DEPUTY")] == [lot_b, apps[1]]
    assert [e["action"] for e in audit(api, staff, object_type="lot", object_id=lot_a)] == ["lot.approve"]
    first_page = api.client.get("/api/v1/staff/audit", headers=staff, params={"limit": 3}).json()
    assert len(first_page["items"]) == 3 and first_page["next_cursor"] == first_page["items"][-1]["id"]
    second = audit(api, staff, limit=3, cursor=first_page["next_cursor"])
    assert [e["action"] for e in second] == ["seller_application.approve"]

    now = api.now()
    assert len(audit(api, staff, since=(now - timedelta(minutes=1)).isoformat())) == 4
    assert audit(api, staff, since=(now + timedelta(seconds=1)).isoformat()) == []
    assert audit(api, staff, until=(now - timedelta(minutes=1)).isoformat()) == []
    later = api.advance(3600)
    assert later.status_code == 200
    api.client.post(f"/api/v1/staff/users/{user_id(api, applicants[1])}/freeze", headers=staff, json={"reason": "r"})
    recent = audit(api, staff, since=(now + timedelta(minutes=30)).isoformat())
    assert [e["action"] for e in recent] == ["user.freeze"]
    refused(
        api.client.get("/api/v1/staff/audit", headers=staff, params={"since": "2026-12-01T00:00:00"}),
        422,
        "VALIDATION_FAILED",
    )  # fmt: skip  (a time without a zone)
