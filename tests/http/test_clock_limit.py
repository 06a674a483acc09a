"""The simulated clock stops before year 9000 (issue 8, defect 7): repeated advances used to overflow the date
and break the instance for good. Past the limit an advance is a 422 CLOCK_OUT_OF_RANGE that changes nothing,
and the platform goes on answering (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from conftest import Api
from paimai.clock import SimulatedClock
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.simulated_time import LATEST_MOMENT
from paimai.persistence.db import normalise_url

TEN_YEARS = 10 * 365 * 24 * 3600  # the most one HTTP advance may ask for


def clock_now(api: Api) -> datetime:
    response = api.client.get("/api/v1/_clock")
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["now"])


def offset(api: Api) -> int:
    clock = api.container.clock
    assert isinstance(clock, SimulatedClock)
    return clock.offset()


def test_advances_stop_before_the_limit_with_a_clear_refusal(api: Api) -> None:
    api.user("staff", staff=True)
    left = int((LATEST_MOMENT - datetime.now(UTC)).total_seconds())
    # most of the way there through the container (no per-call cap), the rest by HTTP in ten-year steps
    api.container.advance_clock(left - 3 * TEN_YEARS)
    refusals = []
    for _ in range(4):
        response = api.advance(TEN_YEARS)
        if response.status_code != 200:
            refusals.append(response)
    assert len(refusals) == 2, [r.text for r in refusals]  # ~30 years remained: three ten-year steps, then no
    refused = refusals[0]
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "CLOCK_OUT_OF_RANGE"
    assert "9000-01-01" in error["message"] and "9000-01-01" in error["message_zh"]
    assert clock_now(api) < LATEST_MOMENT
    assert 0 <= error["max_seconds"] < TEN_YEARS
    before = offset(api)
    assert api.advance(error["max_seconds"] + 1).status_code == 422  # what would reach the limit
    assert offset(api) == before  # the refusals changed nothing
    moved = api.advance(max(1, refusals[1].json()["error"]["max_seconds"] - 5))
    assert moved.status_code == 200, moved.text
    assert clock_now(api) < LATEST_MOMENT
    # the platform still works at the end of time: lists, pages, the clock
    for path in ("/api/v1/lots", "/api/v1/_clock", "/api/v1/categories", "/"):
        assert api.client.get(path).status_code == 200, path


def test_zero_negative_and_huge_advances_are_refused_not_crashed(api: Api) -> None:
    start = offset(api)
    for bad in (0, -1, -(10**30), 10**30, TEN_YEARS + 1):
        response = api.advance(bad)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "VALIDATION_FAILED"
    huge = [10**30, 2**63, 10**7 * 365 * 24 * 3600]
    for seconds in huge:  # the service path has no per-call cap: the domain's limit refuses it
        with pytest.raises(DomainError) as refused:
            api.container.advance_clock(seconds)
        assert refused.value.code is ErrorCode.CLOCK_OUT_OF_RANGE
    assert offset(api) == start  # nothing moved
    assert clock_now(api) < LATEST_MOMENT


def test_an_offset_stored_past_the_limit_no_longer_breaks_the_platform(api: Api, db_url: str) -> None:
    """A database broken before the limit existed: time stops at the limit instead of overflowing."""
    engine = create_engine(normalise_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM clock_state"))
        conn.execute(text("INSERT INTO clock_state (id, offset_seconds) VALUES (1, :o)"), {"o": 10**15})
    engine.dispose()
    assert clock_now(api) < LATEST_MOMENT
    assert api.client.get("/api/v1/lots").status_code == 200
    refused = api.advance(1)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "CLOCK_OUT_OF_RANGE"
