"""Accounts, sessions, CSRF, rate limits, seller review, wallet and idempotency over HTTP (both databases)."""

from __future__ import annotations

from conftest import PASSWORD, Api
from paimai.domain import ledger


def test_register_login_me_and_logout(api: Api) -> None:
    created = api.client.post(
        "/api/v1/auth/register", json={"username": "li_wei", "password": PASSWORD, "display_name": "李伟"}
    )
    assert created.status_code == 201
    assert created.json()["roles"] == ["bidder"]
    assert created.json()["home"] == "/"
    duplicate = api.client.post("/api/v1/auth/register", json={"username": "li_wei", "password": PASSWORD})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "USERNAME_TAKEN"
    assert duplicate.json()["error"]["message_zh"]
    short = api.client.post("/api/v1/auth/register", json={"username": "x", "password": "short"})
    assert short.status_code == 422
    assert short.json()["error"]["code"] == "VALIDATION_FAILED"

    wrong = api.client.post("/api/v1/auth/login", json={"username": "li_wei", "password": "nope-nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "INVALID_CREDENTIALS"
    unknown = api.client.post("/api/v1/auth/login", json={"username": "ghost", "password": "nope-nope"})
    assert unknown.json()["error"]["code"] == "INVALID_CREDENTIALS"

    headers = api.login("li_wei")
    me = api.client.get("/api/v1/me", headers=headers).json()
    assert me["display_name"] == "李伟"
    assert me["default_count"] == 0
    assert api.client.post("/api/v1/auth/logout", headers=headers).status_code == 200
    after = api.client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "NOT_AUTHENTICATED"


def test_cookie_session_needs_csrf_token_for_changes(api: Api) -> None:
    api.user("cookie_user")
    response = api.client.post("/api/v1/auth/login", json={"username": "cookie_user", "password": PASSWORD})
    assert "paimai_session" in response.cookies
    csrf = response.cookies["paimai_csrf"]
    assert api.client.get("/api/v1/me").status_code == 200  # reading needs no token
    refused = api.client.post("/api/v1/me/wallet/top-up", json={"amount": 100})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "CSRF_FAILED"
    assert api.client.get("/api/v1/me/wallet").json() == {"available": 0, "frozen": 0}
    # A token the attacker chose (say, a cookie planted from another site and echoed) does not pass:
    # the token is an HMAC of this session under the server's key.
    api.client.cookies.set("paimai_csrf", "planted")
    forged = api.client.post("/api/v1/me/wallet/top-up", json={"amount": 100}, headers={"X-CSRF-Token": "planted"})
    assert (forged.status_code, forged.json()["error"]["code"]) == (403, "CSRF_FAILED")
    other = api.client.post("/api/v1/auth/login", json={"username": "cookie_user", "password": PASSWORD})
    api.client.cookies.set("paimai_session", response.cookies["paimai_session"])
    stale = api.client.post(
        "/api/v1/me/wallet/top-up", json={"amount": 100}, headers={"X-CSRF-Token": other.cookies["paimai_csrf"]}
    )
    assert stale.status_code == 403  # another session's token does not fit this session
    api.client.cookies.set("paimai_csrf", csrf)
    allowed = api.client.post("/api/v1/me/wallet/top-up", json={"amount": 100}, headers={"X-CSRF-Token": csrf})
    assert allowed.status_code == 200
    assert allowed.json()["available"] == 100


def test_top_up_idempotency_and_ledger(api: Api) -> None:
    headers = api.user("payer")
    first = api.client.post(
        "/api/v1/me/wallet/top-up", headers={**headers, "Idempotency-Key": "t-1"}, json={"amount": 50_000}
    )
    again = api.client.post(
        "/api/v1/me/wallet/top-up", headers={**headers, "Idempotency-Key": "t-1"}, json={"amount": 50_000}
    )
    assert first.json() == again.json() == {"available": 50_000, "frozen": 0}
    assert again.headers.get("Idempotent-Replayed") == "true"
    reused = api.client.post(
        "/api/v1/me/wallet/top-up", headers={**headers, "Idempotency-Key": "t-1"}, json={"amount": 70_000}
    )
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    for bad in (0, -5, 1.5, "100", 10**15):
        response = api.client.post("/api/v1/me/wallet/top-up", headers=headers, json={"amount": bad})
        assert response.status_code == 422, bad
    assert api.wallet(headers) == {"available": 50_000, "frozen": 0}
    lines = api.client.get("/api/v1/me/ledger", headers=headers).json()["items"]
    assert [(line["kind"], line["account"], line["amount"]) for line in lines] == [("top_up", "available", 50_000)]

    with api.container.reading() as session:
        from paimai.services.ledger import sum_of_postings

        totals = sum_of_postings(session)
    assert sum(totals.values()) == 0
    assert totals[ledger.SANDBOX.key] == -50_000


BUSINESS = {"kind": "business", "licence_number": "91310000MA1FL0000X", "contact_phone": "13800000000"}


def test_seller_application_and_staff_review(api: Api) -> None:
    staff = api.user("staff", staff=True)
    applicant = api.user("zhang")
    bidder = api.user("other")
    applied = api.client.post(
        "/api/v1/me/seller-application",
        headers=applicant,
        json={**BUSINESS, "name": "臻品珠宝", "description": "jade"},
    )
    assert applied.status_code == 201
    twice = api.client.post("/api/v1/me/seller-application", headers=applicant, json={**BUSINESS, "name": "again"})
    assert twice.json()["error"]["code"] == "SELLER_APPLICATION_EXISTS"
    assert api.client.get("/api/v1/staff/seller-applications", headers=bidder).status_code == 403
    pending = api.client.get("/api/v1/staff/seller-applications", headers=staff).json()["items"]
    assert [p["name"] for p in pending] == ["臻品珠宝"]
    not_yet = api.client.post("/api/v1/lots", headers=applicant, json={})
    assert not_yet.status_code == 422  # the body is checked before the role
    approved = api.client.post(f"/api/v1/staff/seller-applications/{pending[0]['id']}/approve", headers=staff)
    assert approved.json()["status"] == "approved"
    again = api.client.post(f"/api/v1/staff/seller-applications/{pending[0]['id']}/approve", headers=staff)
    assert again.json()["error"]["code"] == "SELLER_APPLICATION_NOT_PENDING"
    me = api.client.get("/api/v1/me", headers=applicant).json()
    assert "seller" in me["roles"]
    assert me["seller_status"] == "approved"


def test_real_name_verification(api: Api) -> None:
    headers = api.user("wang")
    bad_checksum = api.client.post(
        "/api/v1/me/real-name", headers=headers, json={"name": "王小明", "id_number": "110105194912310021"}
    )
    assert bad_checksum.status_code == 422
    assert bad_checksum.json()["error"]["code"] == "REAL_NAME_INVALID"
    bad_date = api.client.post(
        "/api/v1/me/real-name", headers=headers, json={"name": "王小明", "id_number": "110105194913310021"}
    )
    assert bad_date.json()["error"]["code"] == "REAL_NAME_INVALID"
    assert api.client.get("/api/v1/me", headers=headers).json()["real_name_verified"] is False
    ok = api.client.post(
        "/api/v1/me/real-name", headers=headers, json={"name": "王小明", "id_number": "11010519491231002x"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["real_name_verified"] is True
    assert ok.json()["id_number_masked"] == "110*************2X"
    again = api.client.post(
        "/api/v1/me/real-name", headers=headers, json={"name": "王小明", "id_number": "11010519491231002X"}
    )
    assert again.status_code == 409


def test_a_judicial_lot_needs_real_name_verification_to_join(api: Api) -> None:
    staff = api.user("staff", staff=True)
    court = api.user("court", seller="court")
    lot = api.live_judicial_lot(court, staff)  # 16 days on: sign the bidder in after it (sessions expire)
    wang = api.user("wang", top_up=1_000_000)
    lot_id = lot["id"]
    refused = api.deposit(wang, lot_id)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "REAL_NAME_REQUIRED")
    assert api.wallet(wang) == {"available": 1_000_000, "frozen": 0}
    verified = api.client.post(
        "/api/v1/me/real-name", headers=wang, json={"name": "王小明", "id_number": "11010519491231002X"}
    )
    assert verified.status_code == 200
    assert api.accept_notice(wang, lot_id).status_code == 201
    assert api.deposit(wang, lot_id).status_code == 201
    assert api.bid(wang, lot_id, lot["start_price"]).status_code == 201


def test_a_staff_accounts_home_is_the_back_office(api: Api) -> None:
    """Staff are not bidders (issue 14): signing in tells a client to take them to /staff, not the lot list."""
    api.user("ops", staff=True)
    answer = api.client.post("/api/v1/auth/login", json={"username": "ops", "password": PASSWORD})
    assert answer.status_code == 200
    assert answer.json()["user"]["home"] == "/staff"
    assert answer.json()["user"]["roles"] == ["staff"]
