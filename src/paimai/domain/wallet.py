"""The wallet's own rules: who has one, the sandbox bank account, and cash-out (提现).

Staff are not bidders (RULES §1): they pay no deposit, place no bid, and keep no wallet to top up or cash
out. A cash-out moves available money (never a frozen deposit, never more than is available) to the user's
sandbox bank account, as one balanced journal entry (ledger.cash_out).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from . import ledger
from .errors import DomainError, ErrorCode
from .money import require_positive

BANK_NAME_MAX = 64
HOLDER_MAX = 64
ACCOUNT_DIGITS_MIN = 12  # 银行卡号 / account numbers: 12 to 19 digits
ACCOUNT_DIGITS_MAX = 19
SHOWN_DIGITS = 4  # only the last four digits are kept in the clear


class CashOutStatus(Enum):
    PAID = "paid"  # the sandbox pays a cash-out at once


def is_bidder(*, is_staff: bool) -> bool:
    """Whether an account takes part in auctions as a bidder (and so has a wallet): everyone but staff."""
    return not is_staff


def require_bidder(*, is_staff: bool) -> None:
    """Deposits, bids, top-ups and cash-outs are a bidder's; a staff account is refused them."""
    if not is_bidder(is_staff=is_staff):
        raise DomainError(ErrorCode.STAFF_NOT_BIDDER)


def roles(*, is_staff: bool, seller_approved: bool) -> list[str]:
    """The roles an account shows: staff are not bidders, so a staff account is never labelled one."""
    out = ["bidder"] if is_bidder(is_staff=is_staff) else []
    if seller_approved:
        out.append("seller")
    if is_staff:
        out.append("staff")
    return out


@dataclass(frozen=True)
class BankAccount:
    """A sandbox bank account as kept: the number masked but for its last four digits."""

    bank_name: str
    holder: str
    number_masked: str
    last4: str


def _text(value: object, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise DomainError(ErrorCode.BANK_ACCOUNT_INVALID, field=field)
    cleaned = " ".join(value.split())
    if not cleaned or len(cleaned) > limit or any(ord(c) < 32 for c in cleaned):
        raise DomainError(ErrorCode.BANK_ACCOUNT_INVALID, field=field)
    return cleaned


def mask_number(digits: str) -> str:
    return "*" * (len(digits) - SHOWN_DIGITS) + digits[-SHOWN_DIGITS:]


def bank_account(bank_name: object, holder: object, number: object) -> BankAccount:
    """Check what the user entered and keep only what may be kept: spaces and dashes in the number are
    ignored; it must then be 12 to 19 ASCII digits."""
    name = _text(bank_name, "bank_name", BANK_NAME_MAX)
    who = _text(holder, "holder", HOLDER_MAX)
    if not isinstance(number, str):
        raise DomainError(ErrorCode.BANK_ACCOUNT_INVALID, field="account_number")
    digits = number.replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit()) or not ACCOUNT_DIGITS_MIN <= len(digits) <= ACCOUNT_DIGITS_MAX:
        raise DomainError(
            ErrorCode.BANK_ACCOUNT_INVALID, field="account_number", min=ACCOUNT_DIGITS_MIN, max=ACCOUNT_DIGITS_MAX
        )
    return BankAccount(name, who, mask_number(digits), digits[-SHOWN_DIGITS:])


def cash_out(
    user_id: int, amount: int, *, available: int, has_bank_account: bool, is_staff: bool, maximum: int
) -> ledger.JournalEntry:
    """提现: the journal entry moving `amount` fen from the available balance out, or the refusal.

    Checked in this order: a staff account, the amount (a positive integer of fen, at most `maximum` per
    request), the bank account, then the available balance (frozen deposits never count)."""
    require_bidder(is_staff=is_staff)
    require_positive(amount)
    if amount > maximum:
        raise DomainError(ErrorCode.CASH_OUT_TOO_LARGE, amount=amount, max=maximum)
    if not has_bank_account:
        raise DomainError(ErrorCode.BANK_ACCOUNT_REQUIRED)
    if amount > available:
        raise DomainError(ErrorCode.INSUFFICIENT_FUNDS, needed=amount, available=available, account="available")
    return ledger.cash_out(user_id, amount)


def top_up(user_id: int, amount: int, *, is_staff: bool) -> ledger.JournalEntry:
    """The sandbox top-up, a bidder's only."""
    require_bidder(is_staff=is_staff)
    return ledger.top_up(user_id, amount)
