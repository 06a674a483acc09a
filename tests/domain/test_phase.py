"""domain.lots.phase: where a lot is by server time, whatever the scheduler has done yet (RULES §4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from domain_builders import T0, make_rules, make_snapshot

from paimai.domain.cancellation import cancel_auction
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.lots import LotStatus, Phase, phase

START, END = T0, T0 + timedelta(hours=1)
S = LotStatus


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [
        (S.DRAFT, timedelta(0), Phase.UNPUBLISHED),
        (S.PENDING_REVIEW, timedelta(minutes=5), Phase.UNPUBLISHED),
        (S.REJECTED, timedelta(minutes=5), Phase.UNPUBLISHED),
        (S.SCHEDULED, -timedelta(seconds=1), Phase.BEFORE_START),
        (S.SCHEDULED, timedelta(0), Phase.OPEN),  # its start has come: open before the scheduler's tick
        (S.LIVE, timedelta(minutes=5), Phase.OPEN),
        (S.LIVE, timedelta(hours=1) - timedelta(microseconds=1), Phase.OPEN),
        (S.LIVE, timedelta(hours=1), Phase.ENDED),  # at the effective end, closed or not yet
        (S.SCHEDULED, timedelta(hours=1), Phase.ENDED),
        (S.SOLD, timedelta(minutes=5), Phase.ENDED),
        (S.UNSOLD, timedelta(minutes=5), Phase.ENDED),
        (S.CANCELLED, -timedelta(hours=1), Phase.ENDED),
    ],
)
def test_phase(status: LotStatus, offset: timedelta, expected: Phase) -> None:
    assert phase(status, START, END, START + offset) is expected


def test_without_a_start_only_a_live_lot_is_open() -> None:
    assert phase(S.SCHEDULED, None, END, START + timedelta(minutes=5)) is Phase.BEFORE_START
    assert phase(S.LIVE, None, END, START + timedelta(minutes=5)) is Phase.OPEN


def test_a_live_lot_past_its_effective_end_cannot_be_cancelled_by_anyone() -> None:
    snap = make_snapshot(make_rules(), status=S.LIVE)
    for actor, staff in ((snap.seller_id, False), (1, True)):
        with pytest.raises(DomainError) as info:
            cancel_auction(snap, actor_id=actor, actor_is_staff=staff, reason="x", now=snap.ends_at)
        assert (info.value.code, info.value.details) == (ErrorCode.AUCTION_ENDED, {"ends_at": snap.ends_at.isoformat()})
    before = cancel_auction(
        snap, actor_id=snap.seller_id, actor_is_staff=False, reason="x", now=snap.ends_at - timedelta(seconds=1)
    )
    assert before.status is S.CANCELLED
