"""Beijing time, the one calendar: days turn at 16:00 UTC, and "day N at hour H" lands on that Beijing hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from paimai.domain.calendar import BEIJING, beijing_date, beijing_day, beijing_hour

# hypothesis takes naive bounds and attaches the zone itself
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2090, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def test_the_beijing_day_turns_at_16_utc() -> None:
    assert beijing_date(datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC)).isoformat() == "2026-03-01"
    assert beijing_date(datetime(2026, 3, 1, 16, tzinfo=UTC)).isoformat() == "2026-03-02"
    start, end = beijing_day(datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    assert (start, end) == (datetime(2026, 3, 1, 16, tzinfo=UTC), datetime(2026, 3, 2, 16, tzinfo=UTC))


def test_day_n_at_hour_h_beijing_time() -> None:
    late_evening = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)  # 23:30 on 1 March in Beijing
    assert beijing_hour(late_evening, 0, 10) == datetime(2026, 3, 1, 2, tzinfo=UTC)
    assert beijing_hour(late_evening, 1, 20) == datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert beijing_hour(late_evening, -3, 9) == datetime(2026, 2, 26, 1, tzinfo=UTC)
    assert beijing_hour(late_evening, 0, 10).tzinfo is UTC


@given(moments, st.integers(-60, 60), st.integers(0, 23))
def test_beijing_hour_is_that_hour_on_that_day(moment: datetime, days: int, hour: int) -> None:
    at = beijing_hour(moment, days, hour)
    local = at.astimezone(BEIJING)
    assert (local.hour, local.minute, local.second) == (hour, 0, 0)
    assert local.date() == beijing_date(moment) + timedelta(days=days)


@given(moments)
def test_the_day_contains_the_moment_and_lasts_24_hours(moment: datetime) -> None:
    start, end = beijing_day(moment)
    assert start <= moment < end and end - start == timedelta(days=1)
    assert start.astimezone(BEIJING).hour == 0
