"""Shrinking a failing history (paimai.simulation.shrink) with fake failure predicates: it finds the least
sub-history that still fails, keeps the order, and stops within its budget with a history that still fails."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from paimai.simulation.shrink import ShrinkStats, shrink
from paimai.simulation.steps import Step


def needs(*wanted: int) -> Callable[[list[int]], bool]:
    """Fails when the history holds all of `wanted`, in that order (a bug needing those steps)."""

    def fails(history: list[int]) -> bool:
        positions = [history.index(w) for w in wanted if w in history]
        return len(positions) == len(wanted) and positions == sorted(positions)

    return fails


def test_a_planted_failure_of_two_steps_shrinks_to_those_two() -> None:
    stats = ShrinkStats()
    assert shrink(list(range(200)), needs(37, 141), stats=stats) == [37, 141]
    assert not stats.exhausted
    assert 0 < stats.replays < 200


def test_a_failure_of_one_step_shrinks_to_it() -> None:
    assert shrink(list(range(57)), lambda h: 23 in h) == [23]


def test_the_order_of_the_steps_is_kept() -> None:
    assert shrink([5, 1, 9, 3, 7, 2], needs(9, 2)) == [9, 2]


def test_the_steps_a_failure_depends_on_all_stay() -> None:
    # Registering, listing, depositing and bidding are all needed; the noise between them goes.
    history = ["register a", "noise", "list lot", "noise", "advance", "deposit a", "noise", "bid a", "noise"]

    def fails(candidate: list[str]) -> bool:
        return needs(0, 2, 5, 7)([history.index(step) for step in candidate])

    assert shrink(history, fails) == ["register a", "list lot", "deposit a", "bid a"]


def test_the_budget_stops_the_shrinking_with_a_history_that_still_fails() -> None:
    stats = ShrinkStats()
    fails = needs(3, 50, 97)
    shrunk = shrink(list(range(100)), fails, max_replays=5, stats=stats)
    assert stats.exhausted
    assert stats.replays == 5
    assert fails(shrunk)
    assert len(shrunk) < 100


def test_a_deadline_in_the_past_leaves_the_history_as_it_was() -> None:
    stats = ShrinkStats()
    assert shrink([1, 2, 3], lambda h: True, deadline=0.0, stats=stats) == [1, 2, 3]
    assert stats.exhausted and stats.replays == 0


def test_recorded_steps_shrink_by_their_kind() -> None:
    steps = [Step(i, kind) for i, kind in enumerate(["register", "bid", "advance", "bid", "cancel", "advance"])]
    shrunk = shrink(steps, lambda h: [s.kind for s in h].count("bid") >= 2)
    assert [s.index for s in shrunk] == [1, 3]


@given(
    st.lists(st.integers(0, 300), min_size=1, max_size=4, unique=True).map(sorted),
    st.integers(1, 120),
)
def test_the_result_is_one_minimal(wanted: list[int], extra: int) -> None:
    """Whatever steps a failure needs, the shrunk history is exactly those steps: removing any one of them
    makes it pass (1-minimal), and nothing else is left."""
    history = list(range(max(wanted) + extra))
    fails = needs(*wanted)
    shrunk = shrink(history, fails, max_replays=10_000)
    assert shrunk == wanted
    assert all(not fails(shrunk[:i] + shrunk[i + 1 :]) for i in range(len(shrunk)))
