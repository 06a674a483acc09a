"""The wallet's rules: the sandbox bank account, cash-out (提现) and staff who are not bidders."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paimai.domain import ledger, wallet
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.ledger import Bucket

MAX = 50_000_000


def refusal(**overrides: Any) -> DomainError:
    args: dict[str, Any] = {"available": 10_000, "has_bank_account": True, "is_staff": False, "maximum": MAX}
    amount = overrides.pop("amount", 5_000)
    args.update(overrides)
    with pytest.raises(DomainError) as caught:
        wallet.cash_out(7, amount, **args)
    return caught.value


def test_a_cash_out_is_one_balanced_entry_from_available_to_the_sandbox() -> None:
    entry = wallet.cash_out(7, 2_500, available=2_500, has_bank_account=True, is_staff=False, maximum=MAX)
    assert entry.kind is ledger.EntryKind.CASH_OUT
    assert {(p.account, p.amount) for p in entry.postings} == {(ledger.available(7), -2_500), (ledger.SANDBOX, 2_500)}
    assert all(p.account.bucket is not Bucket.FROZEN for p in entry.postings)  # never a frozen deposit


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"is_staff": True}, ErrorCode.STAFF_NOT_BIDDER),
        ({"amount": 0}, ErrorCode.AMOUNT_NOT_POSITIVE),
        ({"amount": -1}, ErrorCode.AMOUNT_NOT_POSITIVE),
        ({"amount": 1.5}, ErrorCode.AMOUNT_NOT_POSITIVE),
        ({"amount": True}, ErrorCode.AMOUNT_NOT_POSITIVE),
        ({"amount": MAX + 1, "available": 10 * MAX}, ErrorCode.CASH_OUT_TOO_LARGE),
        ({"has_bank_account": False}, ErrorCode.BANK_ACCOUNT_REQUIRED),
        ({"amount": 10_001}, ErrorCode.INSUFFICIENT_FUNDS),
        ({"amount": 1, "available": 0}, ErrorCode.INSUFFICIENT_FUNDS),
    ],
)
def test_each_refusal(overrides: dict[str, Any], code: ErrorCode) -> None:
    assert refusal(**overrides).code is code


@given(st.integers(min_value=1, max_value=MAX), st.integers(min_value=0, max_value=2 * MAX))
def test_never_more_than_available(amount: int, available: int) -> None:
    try:
        entry = wallet.cash_out(1, amount, available=available, has_bank_account=True, is_staff=False, maximum=MAX)
    except DomainError as error:
        assert error.code is ErrorCode.INSUFFICIENT_FUNDS and amount > available
    else:
        assert amount <= available
        after = ledger.apply_entry({ledger.available(1): available}, entry)
        assert after[ledger.available(1)] == available - amount >= 0


def test_the_bank_account_keeps_only_the_last_four_digits() -> None:
    account = wallet.bank_account(" 中国  银行 ", "李华", "6222 0212-3456 7890")
    assert account == wallet.BankAccount("中国 银行", "李华", "************7890", "7890")


@pytest.mark.parametrize(
    ("bank", "holder", "number"),
    [
        ("", "李华", "6222021234567890"),
        ("银行", " ", "6222021234567890"),
        ("银行", "李华", "12345678901"),  # 11 digits
        ("银行", "李华", "1" * 20),
        ("银行", "李华", "62220212345678a0"),
        ("银行", "李华", "６２２２０２１２３４５６７８"),  # full-width digits
        ("银行", "李华", 6222021234567890),
        ("x" * 65, "李华", "6222021234567890"),
        ("银行", "李\x07华", "6222021234567890"),
    ],
)
def test_an_invalid_bank_account_is_refused(bank: Any, holder: Any, number: Any) -> None:
    with pytest.raises(DomainError) as caught:
        wallet.bank_account(bank, holder, number)
    assert caught.value.code is ErrorCode.BANK_ACCOUNT_INVALID


def test_staff_are_not_bidders() -> None:
    assert wallet.roles(is_staff=True, seller_approved=False) == ["staff"]
    assert wallet.roles(is_staff=False, seller_approved=True) == ["bidder", "seller"]
    with pytest.raises(DomainError) as caught:
        wallet.top_up(3, 100, is_staff=True)
    assert caught.value.code is ErrorCode.STAFF_NOT_BIDDER
    assert wallet.top_up(3, 100, is_staff=False).kind is ledger.EntryKind.TOP_UP
