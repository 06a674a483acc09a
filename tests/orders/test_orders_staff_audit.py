"""Staff order resolution is audited in its own transaction, and a frozen buyer cannot pay an order (both
databases)."""

from __future__ import annotations

from typing import Any

import pytest
from order_api_helpers import cheap_password_hashing, refused, sell

from conftest import Api
from paimai.services import accounts, locks

__all__ = ["cheap_password_hashing"]  # an autouse fixture


def _audit(api: Api, staff: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    response = api.client.get("/api/v1/staff/audit", headers=staff, params=query)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_a_staff_resolution_is_audited_and_a_refused_one_is_not(api: Api) -> None:
    sale = sell(api)
    sale.ok(sale.buyer, "pay")
    sale.ok(sale.seller, "ship", {"carrier": "EMS", "tracking_no": "EMS-0001"})
    sale.ok(sale.buyer, "refund-request", {"reason": "not_as_described", "note": "瓶底有裂"})
    sale.ok(sale.seller, "refund-request/decline", {"note": "出厂即如此"})
    order_id = sale.order["id"]
    path = f"/api/v1/staff/orders/{order_id}/resolve"
    refused(api.client.post(path, headers=sale.buyer, json={"decision": "release"}), 403, "STAFF_ONLY")
    assert _audit(api, sale.staff, object_type="order") == []

    resolved = api.client.post(path, headers=sale.staff, json={"decision": "refund_seller_fault", "note": "与描述不符"})
    assert resolved.status_code == 200, resolved.text
    again = api.client.post(path, headers=sale.staff, json={"decision": "release", "note": "再次"})
    assert again.status_code == 409, again.text  # refused: no second entry
    (entry,) = _audit(api, sale.staff, object_type="order", object_id=order_id)
    assert (entry["action"], entry["actor"], entry["reason"]) == ("order.resolve", "staff", "与描述不符")
    assert entry["details"] == {"decision": "refund_seller_fault", "to_status": "refunded", "lot_id": sale.lot["id"]}


def test_a_frozen_buyer_cannot_pay_the_order(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    sale = sell(api)
    buyer_id = api.client.get("/api/v1/me", headers=sale.buyer).json()["id"]
    with api.container.transaction() as uow:  # frozen, its session kept (as if the token check let it through)
        locks.users(uow.session, [buyer_id])[buyer_id].frozen_at = uow.now
    real = accounts.user_for_token

    def ignoring_freeze(session: Any, token: str, now: Any) -> Any:  # the token check alone switched off
        from sqlalchemy import select

        from paimai.persistence.models import AuthToken, User

        joined = select(User).join(AuthToken, AuthToken.user_id == User.id)
        return session.scalar(joined.where(AuthToken.token_hash == accounts.hash_token(token)))

    monkeypatch.setattr(accounts, "user_for_token", ignoring_freeze)
    refused(sale.post(sale.buyer, "pay"), 403, "ACCOUNT_FROZEN")
    monkeypatch.setattr(accounts, "user_for_token", real)
    assert sale.get(sale.staff)["status"] == "awaiting_payment"
