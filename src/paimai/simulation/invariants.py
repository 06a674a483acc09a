"""What must hold after every step of the platform, as checks over plain facts (the services load them).

Each check returns the violations it finds (an empty list when all is well), each naming its invariant and
its subject in one line. The checks are incremental where the facts allow: the caller passes only what a
step touched (the journal entries it wrote, the accounts they moved, the lots and orders it changed), and
a full pass (the same checks over everything, plus `paimai ledger check`'s audit) runs every so many steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..domain.bidding import Submission, compute_standing
from ..domain.deposits import DepositStatus
from ..domain.lots import LotStatus
from ..domain.orders.model import TERMINAL, UNPAID, OrderStatus
from ..domain.rules import LotRules

# An order's price sits in its escrow account from payment until it is paid out or refunded.
ESCROW_HELD = frozenset({OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.REFUND_REQUESTED, OrderStatus.DISPUTED})
# Owners whose accounts may go negative: only the outside world's sandbox channel (money comes in from it).
MAY_GO_NEGATIVE = frozenset({"external"})
OPEN_LOT = frozenset({LotStatus.SCHEDULED, LotStatus.LIVE, LotStatus.SUSPENDED})  # deposits may stay frozen


@dataclass(frozen=True)
class Violation:
    invariant: str  # a stable short name: "entry_unbalanced", "price_not_replayed", ...
    text: str  # one line naming the subject

    def __str__(self) -> str:
        return f"{self.invariant}: {self.text}"


@dataclass(frozen=True)
class EntryTotal:
    entry_id: int
    postings: int
    total: int


@dataclass(frozen=True)
class DepositFact:
    deposit_id: int
    user_id: int
    amount: int
    status: str
    settled: bool  # settled_at is set


@dataclass(frozen=True)
class OrderFact:
    order_id: int
    buyer_id: int
    status: OrderStatus
    price: int
    escrow: int  # the balance of the order's escrow account


@dataclass(frozen=True)
class LotFact:
    lot_id: int
    status: LotStatus
    rules: LotRules
    price: int | None
    leader_id: int | None
    winner_id: int | None
    submissions: tuple[Submission, ...]  # accepted, unwithdrawn, in order
    deposits: tuple[DepositFact, ...]
    orders: tuple[OrderFact, ...]
    record_break: str | None  # where the lot's hash chain stops verifying (services/record.py), if it does
    priority: Mapping[int, int] = field(default_factory=dict)  # its priority buyers' ranks (judicial lots)


def check_entries(entries: Iterable[EntryTotal]) -> list[Violation]:
    """Every journal entry has two or more postings and sums to zero."""
    out: list[Violation] = []
    for entry in entries:
        if entry.total != 0:
            out.append(Violation("entry_unbalanced", f"journal entry {entry.entry_id} sums to {entry.total}"))
        if entry.postings < 2:
            out.append(Violation("entry_too_few_postings", f"journal entry {entry.entry_id}: {entry.postings}"))
    return out


def owner_of(key: str) -> str:
    return key.split(":", 1)[0]


def check_accounts(balances: Mapping[str, int], posted: Mapping[str, int]) -> list[Violation]:
    """Each account's stored balance equals the sum of its postings, and none is negative unless its kind
    allows it. `balances` are the accounts to check; `posted` the sums of their postings."""
    out: list[Violation] = []
    for key in sorted(balances):
        balance = balances[key]
        if balance != posted.get(key, 0):
            out.append(
                Violation("balance_mismatch", f"account {key}: balance {balance}, postings {posted.get(key, 0)}")
            )
        if balance < 0 and owner_of(key) not in MAY_GO_NEGATIVE:
            out.append(Violation("balance_negative", f"account {key} is {balance}"))
    return out


def check_money(money_in: int, money_out: int, totals_by_owner: Mapping[str, int]) -> list[Violation]:
    """Money in − money out = the sum of all balances inside the platform; the outside world's account is
    the mirror of it. `money_in` / `money_out` are what the simulation itself moved across the boundary."""
    inside = sum(total for owner, total in totals_by_owner.items() if owner not in MAY_GO_NEGATIVE)
    outside = sum(total for owner, total in totals_by_owner.items() if owner in MAY_GO_NEGATIVE)
    out: list[Violation] = []
    if inside != money_in - money_out:
        out.append(
            Violation("money_not_conserved", f"balances sum to {inside}, money in − out is {money_in - money_out}")
        )
    if outside != -(money_in - money_out):
        out.append(Violation("money_not_conserved", f"the outside account is {outside}, not {-(money_in - money_out)}"))
    return out


def check_frozen(frozen_balances: Mapping[int, int], frozen_deposits: Mapping[int, int]) -> list[Violation]:
    """A user's frozen balance is exactly the deposits still frozen for them: a deposit released, applied or
    forfeited twice (or never) leaves the two apart."""
    out: list[Violation] = []
    for user_id in sorted(set(frozen_balances) | set(frozen_deposits)):
        balance, held = frozen_balances.get(user_id, 0), frozen_deposits.get(user_id, 0)
        if balance != held:
            out.append(
                Violation("frozen_mismatch", f"user {user_id}: frozen balance {balance}, frozen deposits {held}")
            )
    return out


def check_lot(lot: LotFact) -> list[Violation]:
    """The lot's price and leader are a fresh fold of its accepted, unwithdrawn bids; at most one live order,
    and orders only on a sold lot; escrow holds the price exactly while an order is paid and unsettled; every
    deposit frozen for an open reason or settled once; the record verifies."""
    out: list[Violation] = []
    name = f"lot {lot.lot_id}"
    standing = compute_standing(lot.submissions, lot.rules, lot.priority)
    if (standing.price, standing.leader_id) != (lot.price, lot.leader_id):
        out.append(
            Violation(
                "price_not_replayed",
                f"{name}: stored price {lot.price} leader {lot.leader_id}, "
                f"replay of {len(lot.submissions)} bid(s) gives {standing.price} leader {standing.leader_id}",
            )
        )
    if lot.status is LotStatus.SOLD and lot.winner_id != lot.leader_id:
        out.append(Violation("winner_not_leader", f"{name}: winner {lot.winner_id}, leader {lot.leader_id}"))
    out += _check_orders(name, lot)
    out += _check_deposits(name, lot)
    if lot.record_break is not None:
        out.append(Violation("record_broken", f"{name}: {lot.record_break}"))
    return out


def _check_orders(name: str, lot: LotFact) -> list[Violation]:
    out: list[Violation] = []
    live = [o for o in lot.orders if o.status not in TERMINAL]
    if len(live) > 1:
        ids = ", ".join(str(o.order_id) for o in live)
        out.append(Violation("two_live_orders", f"{name}: orders {ids} are all open"))
    if lot.orders and lot.status is not LotStatus.SOLD:
        out.append(Violation("order_on_unsold_lot", f"{name} is {lot.status.value} with {len(lot.orders)} order(s)"))
    for order in lot.orders:
        held = order.price if order.status in ESCROW_HELD else 0
        if order.escrow != held:
            out.append(
                Violation(
                    "escrow_mismatch",
                    f"order {order.order_id} ({order.status.value}): escrow {order.escrow}, expected {held}",
                )
            )
    return out


def _check_deposits(name: str, lot: LotFact) -> list[Violation]:
    out: list[Violation] = []
    statuses = {s.value for s in DepositStatus}
    unpaid_buyers = {o.buyer_id for o in lot.orders if o.status in UNPAID}
    frozen_users: list[int] = []
    for deposit in lot.deposits:
        subject = f"deposit {deposit.deposit_id} of user {deposit.user_id} on {name}"
        if deposit.status not in statuses:
            out.append(Violation("deposit_status_unknown", f"{subject}: {deposit.status}"))
        elif deposit.status == DepositStatus.FROZEN.value:
            frozen_users.append(deposit.user_id)
            if deposit.settled:
                out.append(Violation("deposit_settled_twice", f"{subject} is frozen yet settled"))
            # A lot without a deposit registers bidders with a frozen deposit of 0 that the order steps
            # never settle (they settle only a deposit > 0): it holds no money, so it is let be here.
            nothing_held = deposit.amount == 0 and lot.rules.deposit == 0
            if lot.status not in OPEN_LOT and deposit.user_id not in unpaid_buyers and not nothing_held:
                out.append(
                    Violation("deposit_frozen_without_reason", f"{subject} is frozen on a {lot.status.value} lot")
                )
        elif not deposit.settled:
            out.append(Violation("deposit_settled_twice", f"{subject} is {deposit.status} with no settlement time"))
        if deposit.amount < 0:
            out.append(Violation("deposit_negative", f"{subject}: {deposit.amount}"))
    if len(frozen_users) != len(set(frozen_users)):
        out.append(Violation("deposit_frozen_twice", f"{name}: a user holds two frozen deposits"))
    return out


def check_lots(lots: Sequence[LotFact]) -> list[Violation]:
    return [violation for lot in lots for violation in check_lot(lot)]
