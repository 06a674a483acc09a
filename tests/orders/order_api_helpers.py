"""A sold lot through the JSON API: the seller, staff, a winner and a runner-up, and the winner's order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher

from conftest import Api
from paimai.services import accounts


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests register many users: hash their passwords cheaply (the real cost is tested elsewhere).
    Import this fixture into a test module to use it there."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


START, INC, DEPOSIT = 100_000, 10_000, 20_000
FUNDS = 1_000_000


@dataclass
class Sale:
    api: Api
    seller: dict[str, str]
    staff: dict[str, str]
    buyer: dict[str, str]
    runner: dict[str, str]
    lot: dict[str, Any]
    order: dict[str, Any]

    def get(self, who: dict[str, str]) -> dict[str, Any]:
        response = self.api.client.get(f"/api/v1/orders/{self.order['id']}", headers=who)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def post(self, who: dict[str, str], step: str, body: Any = None, key: str | None = None) -> Any:
        headers = dict(who)
        if key:
            headers["Idempotency-Key"] = key
        return self.api.client.post(f"/api/v1/orders/{self.order['id']}/{step}", headers=headers, json=body)

    def ok(self, who: dict[str, str], step: str, body: Any = None) -> dict[str, Any]:
        response = self.post(who, step, body)
        assert response.status_code == 200, response.text
        return dict(response.json())


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and error["message_zh"]


def sell(
    api: Api,
    *,
    prefix: str = "",
    winning: int = START + INC,
    runner_bid: int = START,
    deposit: int = DEPOSIT,
    buyer_funds: int = FUNDS,
    seller_funds: int = 0,
) -> Sale:
    """A lot sold to `buyer` at `winning` after `runner` bid `runner_bid`; the clock moved past its end."""
    seller = api.user(f"{prefix}seller", seller="individual", top_up=seller_funds)
    staff = api.user(f"{prefix}staff", staff=True)
    buyer = api.user(f"{prefix}buyer", top_up=buyer_funds)
    runner = api.user(f"{prefix}runner", top_up=FUNDS)
    lot = api.live_lot(seller, staff, start_price=START, increment=INC, deposit=deposit)
    for who in (buyer, runner):
        assert api.deposit(who, lot["id"]).status_code in (200, 201)
    assert api.bid(runner, lot["id"], runner_bid).status_code == 201
    response = api.bid(buyer, lot["id"], winning)
    assert response.status_code == 201, response.text
    assert api.advance(3600 + 1).status_code == 200
    orders = api.client.get("/api/v1/me/orders", headers=buyer).json()["items"]
    assert len(orders) == 1, orders
    return Sale(api, seller, staff, buyer, runner, lot, orders[0])


def notices(api: Api, who: dict[str, str]) -> list[str]:
    return [item["kind"] for item in api.client.get("/api/v1/me/notifications", headers=who).json()["items"]]
