"""Money and the double-entry ledger, to the fen: amounts refused at their exact limits, entries that must
balance, the accounts' stored keys, and the platform's commission rounded down on prices that are not
round. Errors are checked by code and details only (the wording is the catalogue's business)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paimai.adapters.web.formatting import yuan
from paimai.domain import ledger
from paimai.domain import orders as od
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.ledger import SANDBOX, Account, Bucket, EntryKind, JournalEntry, Posting, available, frozen
from paimai.domain.money import MAX_AMOUNT_FEN, require_non_negative, require_positive
from paimai.domain.rules import LotKind, PlatformRules


def refused(call: object, *args: object) -> DomainError:
    assert callable(call)
    with pytest.raises(DomainError) as info:
        call(*args)
    return info.value


# ---- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [require_positive, require_non_negative])
def test_an_amount_up_to_the_limit_is_accepted_and_returned(check: object) -> None:
    assert callable(check)
    assert check(1) == 1
    assert check(MAX_AMOUNT_FEN) == MAX_AMOUNT_FEN
    assert MAX_AMOUNT_FEN == 1_000_000_000_000


@pytest.mark.parametrize("check", [require_positive, require_non_negative])
def test_an_amount_one_fen_over_the_limit_is_too_large(check: object) -> None:
    error = refused(check, MAX_AMOUNT_FEN + 1)
    assert error.code is ErrorCode.AMOUNT_TOO_LARGE
    assert error.details == {"amount": MAX_AMOUNT_FEN + 1, "max": MAX_AMOUNT_FEN}


@pytest.mark.parametrize("check", [require_positive, require_non_negative])
@pytest.mark.parametrize("amount", [True, False, 1.0, 2.5, "100", None, -1])
def test_booleans_floats_strings_and_negatives_are_not_amounts(check: object, amount: object) -> None:
    error = refused(check, amount)
    assert error.code is ErrorCode.AMOUNT_NOT_POSITIVE
    assert error.details == {"amount": amount}


def test_zero_is_non_negative_but_not_positive() -> None:
    assert require_non_negative(0) == 0
    error = refused(require_positive, 0)
    assert (error.code, error.details) == (ErrorCode.AMOUNT_NOT_POSITIVE, {"amount": 0})


@pytest.mark.parametrize(
    ("fen", "shown"),
    [(0, "¥0.00"), (5, "¥0.05"), (100, "¥1.00"), (123_456, "¥1,234.56"), (-123_456, "-¥1,234.56"), (-7, "-¥0.07")],
)
def test_yuan_formats_fen_without_floats(fen: int, shown: str) -> None:
    assert yuan(fen) == shown


# ---- accounts -----------------------------------------------------------------------------------


def test_account_keys_are_what_the_database_stores() -> None:
    assert available(10).key == "user:10:available"
    assert frozen(9).key == "user:9:frozen"
    assert SANDBOX.key == "external:0:sandbox"
    assert od.escrow(11).key == "escrow:11:escrow"
    assert od.PLATFORM_REVENUE.key == "platform:0:revenue"
    assert available(10) == Account("user", 10, Bucket.AVAILABLE)
    assert frozen(9) == Account("user", 9, Bucket.FROZEN)


@pytest.mark.parametrize(
    "account",
    [available(10), frozen(9), SANDBOX, od.escrow(11), od.PLATFORM_REVENUE, Account("user", 0, Bucket.FROZEN)],
)
def test_an_account_key_parses_back_to_the_account(account: Account) -> None:
    assert Account.parse(account.key) == account


def test_only_the_outside_world_may_go_negative() -> None:
    assert SANDBOX.may_go_negative is True
    assert not any(a.may_go_negative for a in (available(1), frozen(1), od.escrow(1), od.PLATFORM_REVENUE))


# ---- journal entries ------------------------------------------------------------------------------


def test_an_entry_that_does_not_sum_to_zero_is_refused() -> None:
    with pytest.raises(DomainError) as info:
        JournalEntry(EntryKind.TOP_UP, (Posting(SANDBOX, -100), Posting(available(1), 99)))
    assert (info.value.code, info.value.details) == (ErrorCode.LEDGER_UNBALANCED, {})


@pytest.mark.parametrize(
    "postings",
    [
        (),
        (Posting(available(1), 100),),
        (Posting(SANDBOX, 0), Posting(available(1), 0)),
        (Posting(SANDBOX, -100), Posting(available(1), 100), Posting(frozen(1), 0)),
    ],
    ids=["none", "one", "two zero postings", "a zero posting among others"],
)
def test_an_entry_needs_two_or_more_postings_none_of_them_zero(postings: tuple[Posting, ...]) -> None:
    with pytest.raises(DomainError) as info:
        JournalEntry(EntryKind.TOP_UP, postings)
    assert (info.value.code, info.value.details) == (ErrorCode.LEDGER_UNBALANCED, {"postings": len(postings)})


def test_a_balanced_entry_of_three_postings_is_accepted() -> None:
    entry = JournalEntry(
        EntryKind.ESCROW_RELEASE,
        (Posting(od.escrow(5), -1000), Posting(available(2), 970), Posting(od.PLATFORM_REVENUE, 30)),
    )
    assert (entry.memo, entry.lot_id) == ("", None)


def test_transfer_moves_the_amount_from_source_to_target() -> None:
    entry = ledger.transfer(EntryKind.TOP_UP, SANDBOX, available(3), 500)
    assert entry == JournalEntry(EntryKind.TOP_UP, (Posting(SANDBOX, -500), Posting(available(3), 500)), "", None)
    with_lot = ledger.transfer(EntryKind.DEPOSIT_FREEZE, available(3), frozen(3), 500, "memo", 7)
    assert (with_lot.kind, with_lot.memo, with_lot.lot_id) == (EntryKind.DEPOSIT_FREEZE, "memo", 7)
    error = refused(ledger.transfer, EntryKind.TOP_UP, SANDBOX, available(3), 0)
    assert error.code is ErrorCode.AMOUNT_NOT_POSITIVE


def money_of(entry: JournalEntry) -> tuple[EntryKind, tuple[Posting, ...], int | None]:
    """An entry without its memo (text for people, checked only for naming what it is about)."""
    return entry.kind, entry.postings, entry.lot_id


def test_the_wallet_entries() -> None:
    top_up = ledger.top_up(3, 500)
    assert money_of(top_up) == (EntryKind.TOP_UP, (Posting(SANDBOX, -500), Posting(available(3), 500)), None)
    assert top_up.memo
    freeze = ledger.freeze_deposit(3, 7, 20_000)
    assert money_of(freeze) == (
        EntryKind.DEPOSIT_FREEZE,
        (Posting(available(3), -20_000), Posting(frozen(3), 20_000)),
        7,
    )
    release = ledger.release_deposit(3, 7, 20_000)
    assert money_of(release) == (
        EntryKind.DEPOSIT_RELEASE,
        (Posting(frozen(3), -20_000), Posting(available(3), 20_000)),
        7,
    )
    fee = ledger.withdrawal_fee(3, 99, 7, 1_500)
    assert money_of(fee) == (EntryKind.WITHDRAWAL_FEE, (Posting(frozen(3), -1_500), Posting(available(99), 1_500)), 7)
    for entry in (freeze, release, fee):
        assert entry.memo  # a line for people (its wording is the catalogue's)


def test_applying_an_entry_moves_balances_and_refuses_a_user_overdraft_with_details() -> None:
    balances = {available(1): 1_000, frozen(1): 0}
    after = ledger.apply_entry(balances, ledger.freeze_deposit(1, 7, 1_000))
    assert after == {available(1): 0, frozen(1): 1_000}
    assert balances == {available(1): 1_000, frozen(1): 0}  # the input is not changed
    with pytest.raises(DomainError) as info:
        ledger.apply_entry(balances, ledger.freeze_deposit(1, 7, 1_001))
    assert info.value.code is ErrorCode.INSUFFICIENT_FUNDS
    assert info.value.details == {"needed": 1_001, "available": 1_000, "account": "available"}
    with pytest.raises(DomainError) as unknown:
        ledger.apply_entry({}, ledger.release_deposit(2, 7, 5))
    assert unknown.value.details == {"needed": 5, "available": 0, "account": "frozen"}
    assert ledger.apply_entry({}, ledger.top_up(2, 5)) == {SANDBOX: -5, available(2): 5}


def test_balances_are_the_sum_of_postings() -> None:
    entries = [ledger.top_up(1, 1_000), ledger.freeze_deposit(1, 7, 300), ledger.withdrawal_fee(1, 2, 7, 100)]
    assert ledger.balances_from(entries) == {SANDBOX: -1_000, available(1): 700, frozen(1): 200, available(2): 100}


# ---- commission: a whole percentage, rounded down -------------------------------------------------


@pytest.mark.parametrize(
    ("price", "percent", "commission"),
    [
        (199_999, 3, 5_999),  # 5,999.97 fen
        (150_050, 7, 10_503),  # 10,503.5 fen
        (101, 1, 1),  # 1.01 fen
        (99, 1, 0),  # 0.99 fen
        (1, 99, 0),
        (333_333, 33, 109_999),  # 109,999.89 fen
        (100_000, 5, 5_000),
        (123_457, 0, 0),
        (123_457, 100, 123_457),
    ],
)
def test_the_commission_is_rounded_down_to_the_fen(price: int, percent: int, commission: int) -> None:
    assert od.commission_of(price, PlatformRules(commission_percent=percent)) == commission


@given(st.integers(1, MAX_AMOUNT_FEN), st.integers(0, 100))
def test_the_commission_is_never_more_than_its_percentage_and_short_of_it_by_less_than_a_fen(
    price: int, percent: int
) -> None:
    commission = od.commission_of(price, PlatformRules(commission_percent=percent))
    assert 0 <= price * percent - 100 * commission < 100


def test_an_odd_price_pays_the_seller_the_price_less_the_rounded_down_commission() -> None:
    t = datetime(2025, 3, 1, 2, tzinfo=UTC)
    platform = PlatformRules(commission_percent=3)
    order = od.new_order(
        order_id=11,
        lot_id=7,
        buyer_id=1,
        seller_id=2,
        kind=LotKind.COMMERCIAL,
        price=199_999,
        deposit=20_000,
        now=t,
        platform=platform,
    )
    paid = od.pay(order, 1, t, platform).order
    shipped = od.ship(paid, 2, "顺丰速运", "SF1234567890", t, platform).order
    done = od.confirm_receipt(shipped, 1, t, platform)
    assert done.order.commission == 5_999
    (entry,) = done.entries
    assert money_of(entry) == (
        EntryKind.ESCROW_RELEASE,
        (Posting(od.escrow(11), -199_999), Posting(available(2), 194_000), Posting(od.PLATFORM_REVENUE, 5_999)),
        7,
    )
