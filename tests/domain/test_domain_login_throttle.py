"""The login back-off per (user name, address) pair (domain.login_throttle): free slips, then 1 s, 2 s, 4 s …
after the last failure, never above 15 minutes; a streak quiet for a day is forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from paimai.domain.login_throttle import (
    FORGET_AFTER,
    FREE_FAILURES,
    MAX_WAIT,
    FailureStreak,
    after_failure,
    retry_after,
    wait_after,
)

T0 = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_the_first_five_failures_cost_nothing_then_the_wait_doubles_up_to_the_cap() -> None:
    assert FREE_FAILURES == 5
    assert [wait_after(n).total_seconds() for n in range(12)] == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]
    assert wait_after(14) == timedelta(seconds=512)
    assert wait_after(15) == MAX_WAIT == timedelta(minutes=15)  # 1024 s would pass the cap
    assert wait_after(10**9) == MAX_WAIT  # no overflow, no huge integers


def test_an_attempt_waits_for_the_rest_of_the_back_off_in_whole_seconds() -> None:
    assert retry_after(None, T0) is None
    assert retry_after(FailureStreak(4, T0), T0) is None  # still free
    streak = FailureStreak(7, T0)  # 4 s after T0
    assert retry_after(streak, T0) == 4
    assert retry_after(streak, T0 + timedelta(milliseconds=1)) == 4  # rounded up: never early
    assert retry_after(streak, T0 + timedelta(seconds=3, milliseconds=999)) == 1
    assert retry_after(streak, T0 + timedelta(seconds=4)) is None  # the moment it ends, it has ended
    assert retry_after(FailureStreak(100, T0), T0 + timedelta(minutes=14)) == 60


def test_failures_count_up_and_an_old_streak_is_forgotten() -> None:
    first = after_failure(None, T0)
    assert first == FailureStreak(1, T0)
    later = T0 + timedelta(seconds=30)
    assert after_failure(FailureStreak(6, T0), later) == FailureStreak(7, later)
    a_day_on = T0 + FORGET_AFTER
    assert after_failure(FailureStreak(40, T0), a_day_on) == FailureStreak(1, a_day_on)
    assert retry_after(FailureStreak(40, T0), a_day_on) is None


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_the_wait_never_shrinks_as_failures_grow_and_never_passes_the_cap(a: int, b: int) -> None:
    fewer, more = sorted((a, b))
    assert timedelta(0) <= wait_after(fewer) <= wait_after(more) <= MAX_WAIT


@given(
    st.integers(min_value=0, max_value=200),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)),
)
def test_a_refusal_never_asks_for_more_than_the_cap_nor_past_the_back_off(failures: int, since: timedelta) -> None:
    now = T0 + since
    wait = retry_after(FailureStreak(failures, T0), now)
    if wait is None:
        assert failures < FREE_FAILURES or since >= wait_after(failures) or since >= FORGET_AFTER
    else:
        assert 1 <= wait <= MAX_WAIT.total_seconds()
        assert now + timedelta(seconds=wait) >= T0 + wait_after(failures)  # waiting that long is enough
        assert now + timedelta(seconds=wait - 1) < T0 + wait_after(failures)  # and not a second more
