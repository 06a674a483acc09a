"""Shared by the priority-buyer tests (HTTP and pages): a valid judicial lot before its start, real-name
verification with a valid ID number per bidder, and registering a holder through the JSON API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conftest import Api
from paimai.domain.identity import check_digit

START, INC = 1_000_000, 100_000


def verify(api: Api, headers: dict[str, str], n: int) -> None:
    first17 = f"11010519800101{n:03d}"
    id_number = first17 + check_digit(first17)
    answer = api.client.post("/api/v1/me/real-name", headers=headers, json={"name": "王小明", "id_number": id_number})
    assert answer.status_code == 200, answer.text


def judicial_lot(api: Api, court: dict[str, str], staff: dict[str, str], **fields: Any) -> dict[str, Any]:
    """A valid judicial lot (RULES §7: announced 16 days ahead, start 70 %+ of the appraisal), approved, not
    started yet: priority buyers are registered before the start."""
    body = api.judicial_body(
        title="朝阳区车位 一拍 A parking space in Chaoyang, first auction",
        category="other",  # a 15-day announcement (real estate's 30 would outlast the test's sign-ins)
        appraisal=1_400_000,
        start_price=START,
        increment=INC,
        deposit=100_000,
    )
    starts = datetime.fromisoformat(body["starts_at"])
    body.update(ends_at=(starts + timedelta(days=2)).isoformat(), **fields)
    created = api.client.post("/api/v1/lots", headers=court, json=body)
    assert created.status_code == 201, created.text
    approved = api.client.post(f"/api/v1/staff/lots/{created.json()['id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return dict(approved.json())


def to_start(api: Api, lot: dict[str, Any], **signed_in: dict[str, str]) -> None:
    """The clock moved to a second after the lot's start — past the sign-ins' lifetime, so each account named
    (username=its headers) signs in again, its headers updated in place."""
    lead = datetime.fromisoformat(lot["starts_at"]) - api.now()
    assert api.advance(int(lead.total_seconds()) + 1).status_code == 200
    for username, headers in signed_in.items():
        headers.update(api.login(username))


def pay_deposit(api: Api, headers: dict[str, str], lot_id: int) -> None:
    """The 竞买须知 accepted, then the deposit frozen (a judicial lot takes no deposit before the notice)."""
    assert api.accept_notice(headers, lot_id).status_code in (200, 201)
    assert api.deposit(headers, lot_id).status_code == 201


def register(api: Api, headers: dict[str, str], lot_id: int, **body: Any) -> Any:
    return api.client.post(f"/api/v1/lots/{lot_id}/priority-holders", headers=headers, json=body)
