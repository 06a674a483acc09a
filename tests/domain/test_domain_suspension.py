"""暂缓 and 恢复 as pure decisions: who may, with what reason, from which state, and exactly where the lot's
times land on resume. Each decision is compared whole; each refusal by code."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from domain_builders import LOT_ID, NOW, SELLER_ID, T0, make_rules, make_snapshot
from hypothesis import given
from hypothesis import strategies as st

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.events import LotResumed, LotSuspended
from paimai.domain.lots import LotStatus, Phase, phase
from paimai.domain.suspension import ResumeDecision, SuspendDecision, Suspension, resume_auction, suspend_auction

END = T0 + timedelta(hours=1)
STAFF: dict[str, Any] = {"actor_id": 1, "actor_is_staff": True}


def code_of(call: object, *args: object, **kwargs: object) -> ErrorCode:
    assert callable(call)
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    return info.value.code


def test_suspending_a_live_lot_is_one_event_and_remembers_where_it_was() -> None:
    snap = make_snapshot()
    decision = suspend_auction(snap, actor_id=SELLER_ID, actor_is_staff=False, reason=" 权属争议 ", now=NOW)
    assert decision == SuspendDecision(
        LotStatus.SUSPENDED,
        snap.seq + 1,
        Suspension(NOW, LotStatus.LIVE, "权属争议"),
        (LotSuspended(LOT_ID, snap.seq + 1, NOW, reason="权属争议"),),
    )


def test_who_why_and_when_a_lot_may_be_suspended() -> None:
    snap = make_snapshot()
    assert code_of(suspend_auction, snap, actor_id=5, actor_is_staff=False, reason="x", now=NOW) is ErrorCode.STAFF_ONLY
    assert code_of(suspend_auction, snap, **STAFF, reason="  ", now=NOW) is ErrorCode.REASON_REQUIRED
    assert code_of(suspend_auction, snap, **STAFF, reason="x", now=END) is ErrorCode.AUCTION_ENDED  # by time
    for status in (LotStatus.PENDING_REVIEW, LotStatus.SUSPENDED, LotStatus.CANCELLED):
        refused = code_of(suspend_auction, replace(snap, status=status), **STAFF, reason="x", now=NOW)
        assert refused in (ErrorCode.LOT_TRANSITION_NOT_ALLOWED, ErrorCode.AUCTION_ENDED)


def test_a_suspended_lot_is_its_own_phase_whatever_the_clock_says() -> None:
    for now in (T0 - timedelta(days=1), NOW, END + timedelta(days=30)):
        assert phase(LotStatus.SUSPENDED, T0, END, now) is Phase.SUSPENDED


@given(paused=st.integers(min_value=0, max_value=90 * 86400), extended=st.integers(min_value=0, max_value=3600))
def test_resuming_a_live_lot_moves_its_end_by_exactly_the_pause(paused: int, extended: int) -> None:
    effective_end = END + timedelta(seconds=extended)
    snap = replace(make_snapshot(status=LotStatus.SUSPENDED), ends_at=effective_end)
    since = NOW
    now = since + timedelta(seconds=paused)
    held = Suspension(since, LotStatus.LIVE, "x")
    decision = resume_auction(snap, held, scheduled_ends_at=END, **STAFF, reason="ok", now=now)
    moved = timedelta(seconds=paused)
    assert decision == ResumeDecision(
        LotStatus.LIVE,
        snap.seq + 1,
        T0,  # it had started: its start stays in the past
        END + moved,
        effective_end + moved,
        (LotResumed(LOT_ID, snap.seq + 1, now, reason="ok", starts_at=T0, ends_at=effective_end + moved),),
    )
    # the time left to bid is what it was when the lot was suspended
    assert decision.ends_at - now == effective_end - since


def test_resuming_a_lot_suspended_before_its_start_moves_the_start_too() -> None:
    rules = make_rules(starts_at=NOW + timedelta(hours=1), ends_at=NOW + timedelta(hours=3))
    snap = make_snapshot(rules, status=LotStatus.SUSPENDED)
    held = Suspension(NOW, LotStatus.SCHEDULED, "x")
    later = NOW + timedelta(hours=5)
    decision = resume_auction(snap, held, scheduled_ends_at=rules.ends_at, **STAFF, reason="ok", now=later)
    assert (decision.status, decision.starts_at, decision.ends_at) == (
        LotStatus.SCHEDULED,
        rules.starts_at + timedelta(hours=5),
        snap.ends_at + timedelta(hours=5),
    )


def test_only_a_suspended_lot_resumes_and_only_with_a_reason() -> None:
    live = make_snapshot()
    held = Suspension(NOW, LotStatus.LIVE, "x")
    kwargs: dict[str, Any] = {"scheduled_ends_at": END, "now": NOW}
    assert code_of(resume_auction, live, held, **STAFF, reason="ok", **kwargs) is ErrorCode.LOT_TRANSITION_NOT_ALLOWED
    suspended = replace(live, status=LotStatus.SUSPENDED)
    assert code_of(resume_auction, suspended, held, **STAFF, reason="", **kwargs) is ErrorCode.REASON_REQUIRED
    stranger: dict[str, Any] = {"actor_id": 5, "actor_is_staff": False}
    assert code_of(resume_auction, suspended, held, **stranger, reason="ok", **kwargs) is ErrorCode.STAFF_ONLY
