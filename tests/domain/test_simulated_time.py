"""The simulated clock's limit (issue 8, defect 7): forward only, never reaching LATEST_MOMENT."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.simulated_time import LATEST_MOMENT, advanced_offset, seconds_left

REAL = datetime(2026, 12, 1, tzinfo=UTC)


def test_the_last_second_before_the_limit_is_reachable_and_no_further() -> None:
    left = seconds_left(REAL, 100)
    assert REAL + timedelta(seconds=100 + left) == LATEST_MOMENT - timedelta(seconds=1)
    assert advanced_offset(REAL, 100, left) == 100 + left
    with pytest.raises(DomainError) as refused:
        advanced_offset(REAL, 100, left + 1)
    assert refused.value.code is ErrorCode.CLOCK_OUT_OF_RANGE
    assert refused.value.details["max_seconds"] == left


@pytest.mark.parametrize("seconds", [0, -1, -(10**40), 10**40])
def test_backward_still_and_huge_moves_are_refused(seconds: int) -> None:
    with pytest.raises(DomainError) as refused:
        advanced_offset(REAL, 0, seconds)
    assert refused.value.code is ErrorCode.CLOCK_OUT_OF_RANGE


def test_an_offset_already_past_the_limit_leaves_nothing() -> None:
    assert seconds_left(REAL, 10**15) == 0
    with pytest.raises(DomainError):
        advanced_offset(REAL, 10**15, 1)
