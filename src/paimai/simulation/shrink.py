"""Shrinking a failing history: delta debugging (Zeller's ddmin) over the recorded steps.

`fails(steps)` replays a candidate history on a fresh database and says whether it still breaks an
invariant; `shrink` returns the shortest failing history it found. It first removes large chunks, then
smaller ones down to single steps, and stops early when its budget of replays or its deadline runs out
(the history it returns then still fails, it is only perhaps not minimal).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass
class ShrinkStats:
    replays: int = 0
    exhausted: bool = False  # the budget ran out before the history was 1-minimal


def shrink(
    steps: Sequence[T],
    fails: Callable[[list[T]], bool],
    *,
    max_replays: int = 500,
    deadline: float | None = None,
    stats: ShrinkStats | None = None,
) -> list[T]:
    """The shortest sub-history (order kept) for which `fails` holds; `steps` itself must fail.

    `deadline` is a time.monotonic() value after which no more replays start."""
    stats = stats if stats is not None else ShrinkStats()
    current = list(steps)

    def budget_left() -> bool:
        if stats.replays >= max_replays or (deadline is not None and time.monotonic() >= deadline):
            stats.exhausted = True
            return False
        return True

    def test(candidate: list[T]) -> bool:
        stats.replays += 1
        return fails(candidate)

    granularity = 2
    while len(current) >= 2:
        chunk = -(-len(current) // granularity)  # ceiling division
        parts = [current[i : i + chunk] for i in range(0, len(current), chunk)]
        reduced = False
        # Try each complement (the history without one part): the usual winner when failures need few steps.
        for index in range(len(parts)):
            if not budget_left():
                return current
            candidate = [step for j, part in enumerate(parts) if j != index for step in part]
            if candidate and test(candidate):
                current = candidate
                granularity = max(granularity - 1, 2)
                reduced = True
                break
        if reduced:
            continue
        if granularity >= len(current):
            break
        granularity = min(granularity * 2, len(current))
    return current
