"""Cash-out (提现) and staff who are not bidders, through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from conftest import Api
from paimai.domain import ledger
from paimai.persistence.models import JournalEntryRow, LedgerAccount, PostingRow
from paimai.services.ledger import sum_of_postings

BANK = {"bank_name": "中国工商银行", "holder": "李华", "account_number": "6222 0212 3456 7890 123"}


def bidder(api: Api, name: str = "alice", top_up: int = 100_000, bank: bool = True) -> dict[str, str]:
    headers = api.user(name, top_up=top_up)
    if bank:
        saved = api.client.put("/api/v1/me/bank-account", headers=headers, json=BANK)
        assert saved.status_code == 200, saved.text
    return headers


def cash_out(api: Api, headers: dict[str, str], amount: Any, key: str | None = "co-1") -> Any:
    extra = {} if key is None else {"Idempotency-Key": key}
    return api.client.post("/api/v1/me/cash-outs", headers={**headers, **extra}, json={"amount": amount})


def history(api: Api, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = api.client.get("/api/v1/me/cash-outs", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def assert_ledger_consistent(api: Api) -> None:
    """Every stored balance equals the sum of its postings, and every entry sums to zero."""
    with api.container.reading() as session:
        totals = sum_of_postings(session)
        balances = dict(session.execute(select(LedgerAccount.key, LedgerAccount.balance)).all())
        for entry_id in session.scalars(select(JournalEntryRow.id)):
            amounts = session.scalars(select(PostingRow.amount).where(PostingRow.entry_id == entry_id)).all()
            assert sum(amounts) == 0
    assert {k: v for k, v in balances.items() if v} == {k: v for k, v in totals.items() if v}


def test_a_cash_out_moves_available_money_out_in_one_balanced_entry(api: Api) -> None:
    alice = bidder(api)
    done = cash_out(api, alice, 30_000)
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["wallet"] == {"available": 70_000, "frozen": 0}
    record = body["cash_out"]
    assert (record["amount"], record["status"], record["bank_name"]) == (30_000, "paid", "中国工商银行")
    assert record["number_masked"] == "***************0123"
    assert api.wallet(alice) == {"available": 70_000, "frozen": 0}

    with api.container.reading() as session:
        postings = dict(
            session.execute(
                select(PostingRow.account_key, PostingRow.amount).where(PostingRow.entry_id == record["entry_id"])
            ).all()
        )
        kind = session.scalar(select(JournalEntryRow.kind).where(JournalEntryRow.id == record["entry_id"]))
    user_id = api.client.get("/api/v1/me", headers=alice).json()["id"]
    assert kind == "cash_out"
    assert postings == {ledger.available(user_id).key: -30_000, ledger.SANDBOX.key: 30_000}
    assert_ledger_consistent(api)

    lines = api.client.get("/api/v1/me/ledger", headers=alice).json()["items"]
    assert (lines[0]["kind"], lines[0]["account"], lines[0]["amount"]) == ("cash_out", "available", -30_000)
    assert [(c["id"], c["amount"], c["status"]) for c in history(api, alice)] == [(record["id"], 30_000, "paid")]

    assert cash_out(api, alice, 70_000, key="co-2").status_code == 201  # all of it may go
    assert api.wallet(alice) == {"available": 0, "frozen": 0}
    assert [c["amount"] for c in history(api, alice)] == [70_000, 30_000]  # newest first


def test_more_than_available_is_refused_and_changes_nothing(api: Api) -> None:
    alice = bidder(api)
    refused = cash_out(api, alice, 100_001)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert (error["code"], error["available"], error["needed"]) == ("INSUFFICIENT_FUNDS", 100_000, 100_001)
    assert error["message"] and error["message_zh"]
    assert api.wallet(alice) == {"available": 100_000, "frozen": 0}
    assert history(api, alice) == []
    assert_ledger_consistent(api)


def test_a_frozen_deposit_cannot_be_cashed_out(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    alice = bidder(api, top_up=50_000)
    lot = api.live_lot(seller, staff)  # deposit 20,000
    assert api.deposit(alice, lot["id"]).status_code == 201
    assert api.wallet(alice) == {"available": 30_000, "frozen": 20_000}
    refused = cash_out(api, alice, 50_000)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "INSUFFICIENT_FUNDS"
    assert refused.json()["error"]["available"] == 30_000
    assert cash_out(api, alice, 30_001, key="co-2").status_code == 409
    assert api.wallet(alice) == {"available": 30_000, "frozen": 20_000}
    assert cash_out(api, alice, 30_000, key="co-3").status_code == 201
    assert api.wallet(alice) == {"available": 0, "frozen": 20_000}
    assert_ledger_consistent(api)


@pytest.mark.parametrize("amount", [0, -100, 12.5, "100", True, None])
def test_an_amount_that_is_not_a_positive_integer_of_fen_is_refused(api: Api, amount: Any) -> None:
    alice = bidder(api)
    refused = cash_out(api, alice, amount)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] in ("AMOUNT_NOT_POSITIVE", "VALIDATION_FAILED")
    assert api.wallet(alice) == {"available": 100_000, "frozen": 0}


def test_more_than_the_per_request_maximum_is_refused(api: Api) -> None:
    alice = bidder(api, top_up=60_000_000)
    maximum = api.container.platform.cash_out_max
    refused = cash_out(api, alice, maximum + 1)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "CASH_OUT_TOO_LARGE"
    assert refused.json()["error"]["max"] == maximum
    assert api.wallet(alice)["available"] == 60_000_000
    assert cash_out(api, alice, maximum, key="co-2").status_code == 201


@pytest.mark.parametrize("key", [None, "", "   "])
def test_a_cash_out_without_an_idempotency_key_is_refused(api: Api, key: str | None) -> None:
    alice = bidder(api)
    refused = cash_out(api, alice, 10_000, key=key)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    assert api.wallet(alice) == {"available": 100_000, "frozen": 0}
    assert history(api, alice) == []


def test_a_too_long_idempotency_key_is_refused(api: Api) -> None:
    alice = bidder(api)
    refused = cash_out(api, alice, 10_000, key="k" * 129)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "VALIDATION_FAILED"
    assert api.wallet(alice) == {"available": 100_000, "frozen": 0}


def test_a_replay_returns_the_same_answer_and_moves_money_once(api: Api) -> None:
    alice = bidder(api)
    first = cash_out(api, alice, 25_000)
    again = cash_out(api, alice, 25_000)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert api.wallet(alice) == {"available": 75_000, "frozen": 0}
    assert len(history(api, alice)) == 1
    other = cash_out(api, alice, 10_000)  # the same key with another body
    assert other.status_code == 422 and other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert api.wallet(alice) == {"available": 75_000, "frozen": 0}
    assert_ledger_consistent(api)


def test_a_refused_cash_out_is_replayed_even_once_it_would_pass(api: Api) -> None:
    alice = bidder(api, top_up=10_000)
    refused = cash_out(api, alice, 20_000)
    assert refused.status_code == 409
    api.client.post("/api/v1/me/wallet/top-up", headers=alice, json={"amount": 50_000})
    again = cash_out(api, alice, 20_000)
    assert (again.status_code, again.json()) == (409, refused.json())
    assert api.wallet(alice) == {"available": 60_000, "frozen": 0}


def test_a_cash_out_needs_a_bank_account(api: Api) -> None:
    alice = bidder(api, bank=False)
    assert api.client.get("/api/v1/me/bank-account", headers=alice).json() == {"bank_account": None}
    refused = cash_out(api, alice, 10_000)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "BANK_ACCOUNT_REQUIRED"
    assert api.wallet(alice) == {"available": 100_000, "frozen": 0}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("account_number", "1234"),  # too short
        ("account_number", "1" * 20),  # too long
        ("account_number", "6222 0212 3456 789X"),  # not digits
        ("account_number", "６２２２０２１２３４５６７８９０"),  # full-width digits are not ASCII
        ("bank_name", "   "),
        ("holder", ""),
        ("holder", "x" * 65),
        ("account_number", 6222021234567890),  # a number, not text
    ],
)
def test_an_invalid_bank_account_is_refused(api: Api, field: str, value: Any) -> None:
    alice = bidder(api, bank=False)
    refused = api.client.put("/api/v1/me/bank-account", headers=alice, json={**BANK, field: value})
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] in ("BANK_ACCOUNT_INVALID", "VALIDATION_FAILED")
    assert api.client.get("/api/v1/me/bank-account", headers=alice).json() == {"bank_account": None}


def test_the_bank_account_is_kept_masked_and_may_be_replaced(api: Api) -> None:
    alice = bidder(api, bank=False)
    saved = api.client.post("/api/v1/me/bank-account", headers=alice, json=BANK)
    assert saved.status_code == 200, saved.text
    account = saved.json()["bank_account"]
    assert (account["number_masked"], account["last4"], account["holder"]) == ("***************0123", "0123", "李华")
    assert "62220212" not in saved.text
    replaced = api.client.put(
        "/api/v1/me/bank-account", headers=alice, json={**BANK, "account_number": "6217-0000-1111-2222"}
    )
    assert replaced.json()["bank_account"]["number_masked"] == "************2222"
    assert api.client.get("/api/v1/me/bank-account", headers=alice).json()["bank_account"]["last4"] == "2222"
    done = cash_out(api, alice, 1_000)
    assert done.json()["cash_out"]["number_masked"] == "************2222"


def test_anonymous_is_refused(api: Api) -> None:
    for method, path, body in (
        ("POST", "/api/v1/me/cash-outs", {"amount": 100}),
        ("GET", "/api/v1/me/cash-outs", None),
        ("PUT", "/api/v1/me/bank-account", BANK),
        ("GET", "/api/v1/me/bank-account", None),
    ):
        response = api.client.request(method, path, json=body, headers={"Idempotency-Key": "anon"})
        assert response.status_code == 401, (path, response.text)
        assert response.json()["error"]["code"] == "NOT_AUTHENTICATED"


def test_staff_are_not_bidders(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    lot = api.live_lot(seller, staff)
    assert lot["viewer"]["may_bid"] is False  # read with the seller's session cookie: not a bidder here
    api.client.cookies.clear()
    assert api.client.get(f"/api/v1/lots/{lot['id']}").json()["viewer"]["may_bid"] is True  # a guest, once in
    seen = api.client.get(f"/api/v1/lots/{lot['id']}", headers=staff).json()["viewer"]
    assert seen["may_bid"] is False and seen["panels"] == ["staff"]

    deposit = api.deposit(staff, lot["id"])
    assert deposit.status_code == 403 and deposit.json()["error"]["code"] == "STAFF_NOT_BIDDER"
    bid = api.bid(staff, lot["id"], lot["start_price"])
    assert bid.status_code == 403 and bid.json()["error"]["code"] == "STAFF_NOT_BIDDER"
    top_up = api.client.post("/api/v1/me/wallet/top-up", headers=staff, json={"amount": 10_000})
    assert top_up.status_code == 403 and top_up.json()["error"]["code"] == "STAFF_NOT_BIDDER"
    bank = api.client.put("/api/v1/me/bank-account", headers=staff, json=BANK)
    assert bank.status_code == 403 and bank.json()["error"]["code"] == "STAFF_NOT_BIDDER"
    out = cash_out(api, staff, 100)
    assert out.status_code == 403 and out.json()["error"]["code"] == "STAFF_NOT_BIDDER"
    assert api.wallet(staff) == {"available": 0, "frozen": 0}
    assert api.client.get(f"/api/v1/lots/{lot['id']}/bids").json()["items"] == []
    assert api.client.get("/api/v1/me", headers=staff).json()["roles"] == ["staff"]
    assert api.client.get("/api/v1/me", headers=seller).json()["roles"] == ["bidder", "seller"]
