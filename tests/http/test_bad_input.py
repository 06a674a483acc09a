"""Bad input gets a 4xx with a code and a bilingual message, never a 500, and changes nothing (both databases).

Regressions found by fuzzing the OpenAPI schema and by hand: ids and cursors beyond BIGINT (PostgreSQL
refused to compare them), NUL characters in text (PostgreSQL cannot store them), lot times that overflow
when turned into UTC, framework refusals without a Chinese message, and errors that escaped as bare text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError

from conftest import PASSWORD, Api
from paimai.adapters.http.app import create_app

BEYOND = [str(2**63), "99999999999999999999", "0", "-1"]


def assert_refused(response: Any, status: int = 422, code: str = "VALIDATION_FAILED") -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and error["message_zh"]
    return error


def test_ids_outside_bigint_are_refused_not_crashed(api: Api) -> None:
    staff = api.user("staff", staff=True)
    bidder = api.user("bidder", top_up=1_000_000)
    before = api.wallet(bidder)
    for bad in BEYOND:
        for method, path in [
            ("GET", f"/api/v1/lots/{bad}"),
            ("GET", f"/api/v1/lots/{bad}/bids"),
            ("GET", f"/api/v1/lots/{bad}/record"),
            ("GET", f"/api/v1/lots/{bad}/events"),
            ("GET", f"/api/v1/lots/{bad}/withdrawal-preview"),
            ("POST", f"/api/v1/lots/{bad}/deposit"),
            ("GET", f"/api/v1/orders/{bad}"),
            ("POST", f"/api/v1/orders/{bad}/pay"),
            ("GET", f"/api/v1/offers/{bad}"),
            ("POST", f"/api/v1/offers/{bad}/accept"),
            ("POST", f"/api/v1/lots/{bad}/watch"),
            ("DELETE", f"/api/v1/lots/{bad}/watch"),
        ]:
            assert_refused(api.client.request(method, path, headers=bidder))
        assert_refused(api.client.post(f"/api/v1/lots/{bad}/bids", headers=bidder, json={"amount": 100}))
        assert_refused(api.client.post(f"/api/v1/lots/1/bids/{bad}/withdraw", headers=bidder, json={"confirm": True}))
        assert_refused(api.client.post(f"/api/v1/staff/lots/{bad}/approve", headers=staff))
        assert_refused(api.client.post(f"/api/v1/staff/seller-applications/{bad}/reject", headers=staff, json={}))
    # the largest BIGINT is a well-formed id that names nothing
    assert_refused(api.client.get(f"/api/v1/lots/{2**63 - 1}"), 404, "LOT_NOT_FOUND")
    assert_refused(api.client.get(f"/api/v1/orders/{2**63 - 1}", headers=bidder), 404, "ORDER_NOT_FOUND")
    assert api.wallet(bidder) == before


def test_cursors_outside_bigint_are_refused(api: Api) -> None:
    staff = api.user("staff", staff=True)
    for path in ["/api/v1/lots", "/api/v1/me/ledger", "/api/v1/me/orders", "/api/v1/me/notifications"]:
        assert_refused(api.client.get(path, params={"cursor": str(2**63)}, headers=staff))
        assert api.client.get(path, params={"cursor": str(2**63 - 1)}, headers=staff).status_code == 200
    for path in ["/api/v1/staff/lots", "/api/v1/staff/orders", "/api/v1/me/watchlist"]:
        assert_refused(api.client.get(path, params={"cursor": "99999999999999999999"}, headers=staff))
    assert_refused(api.client.post("/api/v1/me/notifications/read", headers=staff, json={"ids": [2**63]}))


def test_nul_in_query_text_is_refused(api: Api) -> None:
    staff = api.user("staff", staff=True)
    for name in ("q", "status", "category", "kind"):
        assert_refused(api.client.get("/api/v1/lots", params={name: "a\x00b"}))
    assert_refused(api.client.get("/api/v1/staff/seller-applications", params={"status": "\x00"}, headers=staff))
    assert_refused(api.client.get("/api/v1/staff/lots", params={"status": "\x00"}, headers=staff))
    assert_refused(api.client.get("/api/v1/staff/orders", params={"status": "\x00"}, headers=staff))
    # the browse page ignores what it cannot search for, as it does with unknown filters
    page = api.client.get("/", params={"q": "\x00"})
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]


def test_nul_in_body_text_is_refused_and_changes_nothing(api: Api) -> None:
    user = api.user("bidder")
    assert_refused(api.client.post("/api/v1/auth/login", json={"username": "bid\x00der", "password": "x"}))
    assert_refused(api.client.post("/api/v1/auth/register", json={"username": "newbie", "password": "pass\x00word"}))
    assert (
        api.client.post("/api/v1/auth/register", json={"username": "newbie", "password": "pass-word-9"}).status_code
        == 201
    )
    error = assert_refused(
        api.client.post("/api/v1/me/seller-application", headers=user, json={"kind": "individual", "name": "a\x00"})
    )
    assert error["fields"][0]["loc"] == ["body", "name"]
    assert_refused(
        api.client.post(
            "/api/v1/me/real-name", headers=user, json={"name": "张\x00三", "id_number": "11010519491231002X"}
        )
    )
    me = api.client.get("/api/v1/me", headers=user).json()
    assert me["seller_status"] == "none"
    assert me["real_name_verified"] is False
    assert_refused(api.client.post("/api/v1/orders/1/ship", headers=user, json={"carrier": "\x00", "tracking_no": "1"}))


def test_lot_times_that_overflow_are_refused(api: Api) -> None:
    seller = api.user("seller", seller="individual")
    now = api.now()
    body: dict[str, Any] = {
        "title": "汝窑天青釉洗",
        "category": "art",
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 0,
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=25)).isoformat(),
    }
    for field, value in [
        ("ends_at", "9999-12-31T23:59:59-23:59"),  # beyond datetime.max once in UTC
        ("starts_at", "0001-01-01T00:00:00+23:59"),  # before datetime.min once in UTC
        ("ends_at", "9999-12-31T23:59:59+00:00"),  # any deadline after it would overflow
        ("starts_at", "1900-01-01T00:00:00+08:00"),
    ]:
        error = assert_refused(api.client.post("/api/v1/lots", headers=seller, json={**body, field: value}))
        assert error["fields"][0]["loc"] == ["body", field]
    assert api.client.get("/api/v1/lots", params={"mine": "true"}, headers=seller).json()["items"] == []
    assert api.client.post("/api/v1/lots", headers=seller, json=body).status_code == 201


def test_framework_refusals_are_bilingual_json(api: Api) -> None:
    error = assert_refused(api.client.put("/api/v1/lots"), 405, "HTTP_405")
    assert error["message_zh"] == "不支持该请求方法。"
    assert_refused(api.client.get("/api/v1/no-such-thing"), 404, "NOT_FOUND")
    assert_refused(
        api.client.post("/api/v1/auth/login", content=b'{"username": ', headers={"Content-Type": "application/json"})
    )
    assert api.client.get("/lots/99999999999999999999", headers={"Accept": "text/html"}).status_code == 404


@pytest.mark.parametrize("raised", [DataError("SELECT", {}, Exception("bigint out of range")), RuntimeError("bug")])
def test_escaped_errors_still_answer_json(api: Api, raised: Exception) -> None:
    """A database refusal that validation missed is bad input (422); anything else is a JSON 500, not text."""
    app = create_app(container=api.container)

    @app.get("/api/v1/_boom")
    def boom() -> None:
        raise raised

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/_boom")  # no lifespan: the bus runs
    if isinstance(raised, DataError):
        assert_refused(response)
    else:
        assert_refused(response, 500, "INTERNAL_ERROR")


def test_non_ascii_csrf_token_is_refused_not_crashed(api: Api) -> None:
    api.user("cookie_user", top_up=100)
    response = api.client.post("/api/v1/auth/login", json={"username": "cookie_user", "password": PASSWORD})
    assert "paimai_session" in response.cookies  # the client now sends the session cookie
    for sent in ("é".encode("latin-1"), "令牌".encode()):
        refused = api.client.post("/api/v1/me/wallet/top-up", json={"amount": 100}, headers={"X-CSRF-Token": sent})
        assert_refused(refused, 403, "CSRF_FAILED")
    assert api.client.get("/api/v1/me/wallet").json() == {"available": 100, "frozen": 0}


def test_a_body_of_many_wrong_keys_gets_a_short_answer(api: Api) -> None:
    body = {"amount": 100, **{f"k{i}": 1 for i in range(5000)}}
    user = api.user("bidder")
    error = assert_refused(api.client.post("/api/v1/me/wallet/top-up", headers=user, json=body))
    assert 1 <= len(error["fields"]) <= 20
    assert api.wallet(user) == {"available": 0, "frozen": 0}


def test_last_event_id_that_is_not_a_plain_number_is_refused(api: Api) -> None:
    """str.isdigit() passed '²' and int() then raised; checked before the lot is looked up."""
    for sent in (b"\xb2", b"1\xb9", b"-1", b"9" * 5000, str(2**63).encode()):
        assert_refused(api.client.get("/api/v1/lots/1/events", headers={"Last-Event-ID": sent}))
    assert_refused(api.client.get("/api/v1/lots/1/events", params={"last_event_id": str(2**63)}))
    assert_refused(api.client.get("/api/v1/lots/1/events", headers={"Last-Event-ID": "7"}), 404, "LOT_NOT_FOUND")


def test_pages_take_only_ascii_digits_as_ids(api: Api) -> None:
    """'²' passed str.isdigit() and int() then raised: a 500 page; other scripts' digits named real lots."""
    api.user("bidder")
    html = {"Accept": "text/html"}
    assert api.client.get("/", params={"cursor": "²"}, headers=html).status_code == 200
    assert api.client.get("/lots/²", headers=html).status_code == 404
    assert api.client.get("/lots/١", headers=html).status_code == 404  # Arabic-Indic 1 is not lot 1
    api.client.post("/api/v1/auth/login", json={"username": "bidder", "password": PASSWORD})  # the session cookie
    assert api.client.get("/orders/²", headers=html).status_code == 404


def test_resident_id_digits_are_ascii_after_normalising_full_width(api: Api) -> None:
    """\\d matched any script's digits: an Arabic-Indic ID number was verified and stored as such."""
    valid = "11010519491231002X"
    arabic = "".join(chr(ord(c) - ord("0") + 0x660) if c.isdigit() else c for c in valid)
    full_width = "".join(chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() else c for c in valid)
    user = api.user("bidder")
    refused = api.client.post("/api/v1/me/real-name", headers=user, json={"name": "张三", "id_number": arabic})
    assert_refused(refused, 422, "REAL_NAME_INVALID")
    assert api.client.get("/api/v1/me", headers=user).json()["real_name_verified"] is False
    verified = api.client.post("/api/v1/me/real-name", headers=user, json={"name": "张三", "id_number": full_width})
    assert verified.status_code == 200, verified.text
    assert verified.json()["id_number_masked"] == "110*************2X"


def test_malformed_or_non_object_bodies_get_a_readable_message(api: Api) -> None:
    json_type = {"Content-Type": "application/json"}
    broken = assert_refused(api.client.post("/api/v1/auth/login", content=b'{"username": ', headers=json_type))
    assert broken["message"] == "The request is invalid. JSON: JSON decode error"
    assert broken["message_zh"] == "请求参数无效。（JSON）"
    for content, headers in [(b"[]", json_type), (b"username=a", {"Content-Type": "text/plain"})]:
        error = assert_refused(api.client.post("/api/v1/auth/login", content=content, headers=headers))
        assert error["message_zh"] == "请求参数无效。"
        assert ": " not in error["message"]


def test_an_oversized_body_is_refused_before_it_is_read(api: Api) -> None:
    alice = api.user("big_body")
    before = api.wallet(alice)
    huge = b'{"amount": 100, "pad": "' + b"x" * 1_100_000 + b'"}'
    declared = api.client.post(
        "/api/v1/me/wallet/top-up", headers={**alice, "Content-Type": "application/json"}, content=huge
    )
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "REQUEST_TOO_LARGE" and declared.json()["error"]["message_zh"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap applies while reading
        for start in range(0, len(huge), 65_536):
            yield huge[start : start + 65_536]

    streamed = api.client.post(
        "/api/v1/me/wallet/top-up", headers={**alice, "Content-Type": "application/json"}, content=chunks()
    )
    assert streamed.status_code == 413, streamed.text
    assert streamed.json()["error"]["code"] == "REQUEST_TOO_LARGE"
    assert api.wallet(alice) == before
