"""The personal centre's cash-out (提现) and the pages of staff, who are not bidders (SQLite: rendering does
not depend on the database engine)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PASSWORD, Api

BANK = {"bank_name": "招商银行", "holder": "李华", "account_number": "6225880112345678"}


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only (overrides the both-databases fixture of tests/conftest.py for this module)."""
    path = tmp_path / "paimai.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def sign_in(api: Api, username: str) -> None:
    """A session cookie, as a browser has (the pages read the cookie, not a bearer token)."""
    api.client.cookies.clear()
    response = api.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text


def test_a_bidders_personal_centre_offers_cash_out_and_lists_them(api: Api) -> None:
    alice = api.user("alice", top_up=100_000)
    sign_in(api, "alice")
    text = api.client.get("/me").text
    assert 'id="cashout-form"' in text and 'id="bank-form"' in text and 'id="topup-form"' in text
    assert "提现（沙箱）" in text and "可提现金额" in text and "暂无提现记录" in text
    assert '<span class="tag">竞买人</span>' in text
    assert api.client.put("/api/v1/me/bank-account", headers=alice, json=BANK).status_code == 200
    done = api.client.post(
        "/api/v1/me/cash-outs", headers={**alice, "Idempotency-Key": "page-1"}, json={"amount": 12_345}
    )
    assert done.status_code == 201, done.text
    text = api.client.get("/me").text
    assert "招商银行 · 李华 · **** 5678" in text
    assert "6225880112345678" not in text  # the whole number is never kept, so never shown
    assert "¥123.45" in text and "已到账" in text  # the cash-out in the history
    assert "data-cashout-available>¥876.55<" in text
    english = api.client.get("/me?lang=en").text
    assert "Cash out (sandbox)" in english and "Cash-outs" in english and "Paid" in english


def test_staff_see_no_wallet_and_no_bidder_label(api: Api) -> None:
    api.user("staff", staff=True)
    sign_in(api, "staff")
    text = api.client.get("/me").text
    assert "工作人员" in text and "竞买人" not in text
    for part in ('id="wallet"', 'id="topup-form"', 'id="cashout-form"', 'id="bank-form"', 'data-wallet="available"'):
        assert part not in text, part
    assert "没有钱包" in text
    english = api.client.get("/me?lang=en").text
    assert "Staff" in english and "Bidder" not in english and "My wallet" not in english


def test_staffs_lot_page_has_no_deposit_or_bid_form(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    lot = api.live_lot(seller, staff)
    sign_in(api, "staff")
    text = api.client.get(f"/lots/{lot['id']}").text
    assert "平台工作人员不能参与竞价" in text
    for part in ("data-deposit", 'id="bid-form"', 'data-withdraw="auction"'):
        assert part not in text, part
    api.user("alice", top_up=100_000)
    sign_in(api, "alice")  # a bidder's page of the same lot has them
    text = api.client.get(f"/lots/{lot['id']}").text
    assert "data-deposit" in text and 'id="bid-form"' in text
