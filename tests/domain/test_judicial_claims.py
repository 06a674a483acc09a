import pytest
from hypothesis import given
from hypothesis import strategies as st

from paimai.domain.judicial_claims import apply_forfeiture, barred_by_earlier_default, difference

# forfeited, costs, old, new, debts -> to_costs, to_diff, to_debts, refund, claim
TABLE = [
    (1000, 0, 10000, 10000, 0, (0, 0, 0, 1000, 0)),  # sold at the same price: all back
    (1000, 300, 10000, 9500, 0, (300, 500, 0, 200, 0)),  # costs, then difference, rest refunded
    (1000, 300, 10000, 9000, 500, (300, 700, 0, 0, 300)),  # difference beyond the deposit: a claim
    (1000, 100, 10000, 9800, 500, (100, 200, 500, 200, 0)),  # then the debtor's debts
    (1000, 2000, 10000, 5000, 500, (1000, 0, 0, 0, 5000)),  # costs eat everything
    (1000, 100, 10000, None, 300, (100, 0, 300, 600, 0)),  # unsold: no difference yet
    (1000, 0, 10000, 12000, 0, (0, 0, 0, 1000, 0)),  # sold higher: no difference
]


@pytest.mark.parametrize(("forfeited", "costs", "old", "new", "debts", "want"), TABLE)
def test_application_order(
    forfeited: int, costs: int, old: int, new: int | None, debts: int, want: tuple[int, ...]
) -> None:
    a = apply_forfeiture(forfeited, costs=costs, old_price=old, new_price=new, debts=debts)
    assert (a.to_costs, a.to_difference, a.to_debts, a.refund, a.claim) == want


def test_negative_amounts_refused() -> None:
    with pytest.raises(ValueError):
        apply_forfeiture(-1, costs=0, old_price=0, new_price=0, debts=0)


fen = st.integers(min_value=0, max_value=10**9)


@given(fen, fen, fen, st.none() | fen, fen)
def test_no_fen_created_or_lost(forfeited: int, costs: int, old: int, new: int | None, debts: int) -> None:
    a = apply_forfeiture(forfeited, costs=costs, old_price=old, new_price=new, debts=debts)
    assert a.applied + a.refund == forfeited
    assert 0 <= a.to_costs <= costs
    assert 0 <= a.to_difference <= difference(old, new)
    assert 0 <= a.to_debts <= debts
    assert a.refund >= 0
    assert a.claim == difference(old, new) - a.to_difference >= 0
    # each bucket is filled before the next gets anything
    if a.to_difference or a.to_debts or a.refund:
        assert a.to_costs == costs
    if a.to_debts or a.refund:
        assert a.to_difference == difference(old, new)


PREV = {3: 2, 2: 1, 1: None, 9: None}


@pytest.mark.parametrize(
    ("lot", "user", "defaulters", "want"),
    [
        (3, 7, {1: frozenset({7})}, 1),  # defaulted two rounds back
        (3, 7, {2: frozenset({7})}, 2),
        (3, 8, {1: frozenset({7})}, None),  # someone else defaulted
        (1, 7, {1: frozenset({7})}, None),  # the round itself is not an earlier round
        (9, 7, {1: frozenset({7})}, None),  # another property
    ],
)
def test_barred_by_earlier_default(
    lot: int, user: int, defaulters: dict[int, frozenset[int]], want: int | None
) -> None:
    assert barred_by_earlier_default(lot, user, PREV.get, defaulters) == want
