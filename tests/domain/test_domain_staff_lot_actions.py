"""Which forms a lot offers its seller and staff (domain.lots.manage_actions / staff_actions): the review in
review, suspend and cancel while it may run, resume and cancel while suspended — judged by server time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from paimai.domain.lots import LotStatus, manage_actions, staff_actions

START = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
RUNNING = ("suspend", "cancel")


@pytest.mark.parametrize(
    ("status", "now", "review", "manage"),
    [
        (LotStatus.PENDING_REVIEW, START, True, ()),
        (LotStatus.DRAFT, START, False, ()),
        (LotStatus.REJECTED, START, False, ()),
        (LotStatus.SCHEDULED, START - timedelta(days=1), False, RUNNING),
        (LotStatus.SCHEDULED, START + timedelta(minutes=5), False, RUNNING),  # due to start: still open
        (LotStatus.LIVE, END - timedelta(seconds=1), False, RUNNING),
        (LotStatus.LIVE, END, False, ()),  # at the effective end, before the scheduler's close
        (LotStatus.SCHEDULED, END, False, ()),
        (LotStatus.SUSPENDED, START, False, ("resume", "cancel")),
        (LotStatus.SUSPENDED, END + timedelta(days=9), False, ("resume", "cancel")),  # its clock is stopped
        (LotStatus.SOLD, START, False, ()),
        (LotStatus.UNSOLD, START, False, ()),
        (LotStatus.CANCELLED, START, False, ()),
    ],
)
def test_staff_actions(status: LotStatus, now: datetime, review: bool, manage: tuple[str, ...]) -> None:
    actions = staff_actions(status, START, END, now)
    assert (actions.review, actions.manage) == (review, manage)
    assert tuple(action.value for action in manage_actions(status, START, END, now)) == manage  # the seller's too
