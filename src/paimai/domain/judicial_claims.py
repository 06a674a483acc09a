"""悔拍 claims (RULES §7): how a forfeited judicial deposit is applied once the property's outcome is known.

Pure: amounts in fen, no clock, no storage. The forfeited deposit is applied, in this order, to the
re-auction's costs, the difference (差价 = old price - new price, only when the re-auction sold lower),
then the debtor's debts; what remains goes back to the defaulter. The part of the difference the
deposit does not cover is the claim (差价追偿) recorded against the defaulter.

Unsold re-auction: no difference is computed (new_price None) -- the difference waits for a later round
that sells, or the court closes the claim; costs and debts are still applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Application:
    forfeited: int
    to_costs: int
    to_difference: int
    to_debts: int
    refund: int
    difference: int  # the whole 差价 (0 when the re-auction did not sell lower or did not sell)
    claim: int  # the difference the deposit did not cover: recorded against the defaulter

    @property
    def applied(self) -> int:
        return self.to_costs + self.to_difference + self.to_debts


def difference(old_price: int, new_price: int | None) -> int:
    """差价: old price less new price when the re-auction sold lower; 0 otherwise (or when unsold)."""
    if new_price is None:
        return 0
    return max(0, old_price - new_price)


def apply_forfeiture(forfeited: int, *, costs: int, old_price: int, new_price: int | None, debts: int) -> Application:
    """Apply the forfeited deposit to costs, then the difference, then the debts; the rest is refunded."""
    if min(forfeited, costs, old_price, debts) < 0 or (new_price is not None and new_price < 0):
        raise ValueError("amounts are non-negative fen")
    left = forfeited
    to_costs = min(left, costs)
    left -= to_costs
    diff = difference(old_price, new_price)
    to_diff = min(left, diff)
    left -= to_diff
    to_debts = min(left, debts)
    left -= to_debts
    return Application(forfeited, to_costs, to_diff, to_debts, left, diff, diff - to_diff)


def barred_by_earlier_default(
    lot_id: int,
    user_id: int,
    previous_of: Callable[[int], int | None],
    defaulters_of: Mapping[int, frozenset[int]],
) -> int | None:
    """BIDDER_BARRED: the earlier round of this property (walking previous_lot_id back) on which the user
    defaulted (悔拍), or None. `previous_of(lot_id)` gives a lot's previous_lot_id."""
    seen = {lot_id}
    earlier = previous_of(lot_id)
    while earlier is not None and earlier not in seen:
        if user_id in defaulters_of.get(earlier, frozenset()):
            return earlier
        seen.add(earlier)
        earlier = previous_of(earlier)
    return None
