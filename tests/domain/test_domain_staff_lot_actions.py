"""Which staff forms a lot offers (domain.lots.staff_actions): the review in review, the cancel while it may run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from paimai.domain.lots import LotStatus, staff_actions

START = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
END = START + timedelta(hours=1)


@pytest.mark.parametrize(
    ("status", "now", "review", "cancel"),
    [
        (LotStatus.PENDING_REVIEW, START, True, False),
        (LotStatus.DRAFT, START, False, False),
        (LotStatus.REJECTED, START, False, False),
        (LotStatus.SCHEDULED, START - timedelta(days=1), False, True),
        (LotStatus.SCHEDULED, START + timedelta(minutes=5), False, True),  # due to start: still cancellable
        (LotStatus.LIVE, END - timedelta(seconds=1), False, True),
        (LotStatus.LIVE, END, False, False),  # at the effective end, before the scheduler's close
        (LotStatus.SCHEDULED, END, False, False),
        (LotStatus.SOLD, START, False, False),
        (LotStatus.UNSOLD, START, False, False),
        (LotStatus.CANCELLED, START, False, False),
    ],
)
def test_staff_actions(status: LotStatus, now: datetime, review: bool, cancel: bool) -> None:
    actions = staff_actions(status, START, END, now)
    assert (actions.review, actions.cancel) == (review, cancel)
