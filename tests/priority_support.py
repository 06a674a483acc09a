"""Shared by the priority-buyer tests (HTTP and pages): a judicial lot scheduled an hour ahead, real-name
verification with a valid ID number per bidder, and registering a holder through the JSON API."""

from __future__ import annotations

from datetime import timedelta
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
    """A judicial lot scheduled to start in an hour and to run two days."""
    now = api.now()
    body: dict[str, Any] = {
        "title": "朝阳区住宅 一拍 Flat in Chaoyang, first auction",
        "category": "real_estate",
        "kind": "judicial",
        "start_price": START,
        "increment": INC,
        "deposit": 100_000,
        "extension_seconds": 300,
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
    }
    body.update(fields)
    created = api.client.post("/api/v1/lots", headers=court, json=body)
    assert created.status_code == 201, created.text
    approved = api.client.post(f"/api/v1/staff/lots/{created.json()['id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return dict(approved.json())


def register(api: Api, headers: dict[str, str], lot_id: int, **body: Any) -> Any:
    return api.client.post(f"/api/v1/lots/{lot_id}/priority-holders", headers=headers, json=body)
