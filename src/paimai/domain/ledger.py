"""Double-entry ledger (RULES §3, ARCHITECTURE rule 5).

Every journal entry is a set of postings that sums to zero. A user's wallet is two accounts,
``available`` and ``frozen``; money from outside (the sandbox payment channel) comes from an
``external`` account that may go negative. User accounts may never go negative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from .errors import DomainError, ErrorCode
from .money import require_positive


class Bucket(Enum):
    AVAILABLE = "available"
    FROZEN = "frozen"
    SANDBOX = "sandbox"  # the outside world's sandbox payment channel
    ESCROW = "escrow"  # 担保交易: an order's price between payment and payout
    REVENUE = "revenue"  # the platform's commission


@dataclass(frozen=True)
class Account:
    owner: str  # "user" or "external"
    owner_id: int
    bucket: Bucket

    @property
    def key(self) -> str:
        return f"{self.owner}:{self.owner_id}:{self.bucket.value}"

    @property
    def may_go_negative(self) -> bool:
        return self.owner == "external"

    @staticmethod
    def parse(key: str) -> Account:
        owner, owner_id, bucket = key.split(":")
        return Account(owner, int(owner_id), Bucket(bucket))


def available(user_id: int) -> Account:
    return Account("user", user_id, Bucket.AVAILABLE)


def frozen(user_id: int) -> Account:
    return Account("user", user_id, Bucket.FROZEN)


SANDBOX = Account("external", 0, Bucket.SANDBOX)


class EntryKind(Enum):
    TOP_UP = "top_up"
    CASH_OUT = "cash_out"  # 提现: available money out to the user's sandbox bank account
    DEPOSIT_FREEZE = "deposit_freeze"
    DEPOSIT_RELEASE = "deposit_release"
    WITHDRAWAL_FEE = "withdrawal_fee"
    ORDER_PAYMENT = "order_payment"  # the price into escrow: wallet balance + applied deposit
    ESCROW_RELEASE = "escrow_release"  # escrow to the seller, less the commission
    PENALTY = "penalty"  # 违约金: the deposit to the seller on a default
    REFUND = "refund"  # escrow back to the buyer (less the penalty for the buyer's own reasons)
    COMPENSATION = "compensation"  # a seller who refuses to sell pays the buyer a sum equal to the deposit


@dataclass(frozen=True)
class Posting:
    account: Account
    amount: int  # positive adds to the account, negative takes from it


@dataclass(frozen=True)
class JournalEntry:
    kind: EntryKind
    postings: tuple[Posting, ...]
    memo: str = ""
    lot_id: int | None = None

    def __post_init__(self) -> None:
        if len(self.postings) < 2 or any(p.amount == 0 for p in self.postings):
            raise DomainError(ErrorCode.LEDGER_UNBALANCED, postings=len(self.postings))
        if sum(p.amount for p in self.postings) != 0:
            raise DomainError(ErrorCode.LEDGER_UNBALANCED)


def transfer(
    kind: EntryKind, source: Account, target: Account, amount: int, memo: str = "", lot_id: int | None = None
) -> JournalEntry:
    require_positive(amount)
    return JournalEntry(kind, (Posting(source, -amount), Posting(target, amount)), memo, lot_id)


def top_up(user_id: int, amount: int) -> JournalEntry:
    """Sandbox payment: money comes in from outside into the user's available balance."""
    return transfer(EntryKind.TOP_UP, SANDBOX, available(user_id), amount, "sandbox top-up")


def cash_out(user_id: int, amount: int) -> JournalEntry:
    """提现: the mirror of a top-up, from the user's available balance (never the frozen one) out to the
    sandbox payment channel; apply_entry refuses it if the available balance would go negative."""
    return transfer(EntryKind.CASH_OUT, available(user_id), SANDBOX, amount, "sandbox cash-out")


def freeze_deposit(user_id: int, lot_id: int, amount: int) -> JournalEntry:
    return transfer(
        EntryKind.DEPOSIT_FREEZE, available(user_id), frozen(user_id), amount, f"deposit for lot {lot_id}", lot_id
    )


def release_deposit(user_id: int, lot_id: int, amount: int) -> JournalEntry:
    return transfer(
        EntryKind.DEPOSIT_RELEASE,
        frozen(user_id),
        available(user_id),
        amount,
        f"deposit released for lot {lot_id}",
        lot_id,
    )


def withdrawal_fee(user_id: int, seller_id: int, lot_id: int, amount: int) -> JournalEntry:
    """撤回费用: taken from the bidder's frozen deposit on the lot, paid to the seller (RULES §5)."""
    return transfer(
        EntryKind.WITHDRAWAL_FEE,
        frozen(user_id),
        available(seller_id),
        amount,
        f"withdrawal fee for lot {lot_id}",
        lot_id,
    )


def apply_entry(balances: Mapping[Account, int], entry: JournalEntry) -> dict[Account, int]:
    """New balances after the entry, or INSUFFICIENT_FUNDS if a user account would go negative."""
    result = dict(balances)
    for posting in entry.postings:
        result[posting.account] = result.get(posting.account, 0) + posting.amount
    for posting in entry.postings:
        balance = result[posting.account]
        if balance < 0 and not posting.account.may_go_negative:
            raise DomainError(
                ErrorCode.INSUFFICIENT_FUNDS,
                needed=-posting.amount,
                available=balances.get(posting.account, 0),
                account=posting.account.bucket.value,
            )
    return result


def balances_from(entries: Sequence[JournalEntry]) -> dict[Account, int]:
    """Balances as the sum of postings: the definition every stored balance is checked against."""
    totals: dict[Account, int] = {}
    for entry in entries:
        for posting in entry.postings:
            totals[posting.account] = totals.get(posting.account, 0) + posting.amount
    return totals
