"""What a seller may change when (RULES §2): drafts, lots in review and rejected lots; never a published one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.lots import (
    EDITABLE,
    LotStatus,
    can_submit,
    require_deletable,
    require_editable,
    require_own,
    submitted,
)

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", list(LotStatus))
def test_only_unpublished_lots_are_editable(status: LotStatus) -> None:
    if status in (LotStatus.DRAFT, LotStatus.PENDING_REVIEW, LotStatus.REJECTED):
        require_editable(status)
    else:
        with pytest.raises(DomainError) as refused:
            require_editable(status)
        assert refused.value.code is ErrorCode.LOT_NOT_EDITABLE
    assert (status in EDITABLE) is (status in (LotStatus.DRAFT, LotStatus.PENDING_REVIEW, LotStatus.REJECTED))


@pytest.mark.parametrize("status", list(LotStatus))
def test_only_a_draft_is_deleted(status: LotStatus) -> None:
    if status is LotStatus.DRAFT:
        require_deletable(status)
    else:
        with pytest.raises(DomainError):
            require_deletable(status)


def test_only_the_seller_edits() -> None:
    require_own(7, 7)
    with pytest.raises(DomainError) as refused:
        require_own(7, 8)
    assert refused.value.code is ErrorCode.LOT_NOT_YOURS


@pytest.mark.parametrize("status", [LotStatus.DRAFT, LotStatus.REJECTED])
def test_a_draft_or_rejected_lot_is_submitted_while_its_end_is_ahead(status: LotStatus) -> None:
    assert can_submit(status)
    assert submitted(status, NOW + timedelta(seconds=1), NOW) is LotStatus.PENDING_REVIEW
    with pytest.raises(DomainError) as refused:
        submitted(status, NOW, NOW)  # at its end, not only after it
    assert refused.value.code is ErrorCode.LOT_END_PASSED


@pytest.mark.parametrize("status", [s for s in LotStatus if s not in (LotStatus.DRAFT, LotStatus.REJECTED)])
def test_nothing_else_is_submitted(status: LotStatus) -> None:
    assert not can_submit(status)
    with pytest.raises(DomainError) as refused:
        submitted(status, NOW + timedelta(days=1), NOW)
    assert refused.value.code is ErrorCode.LOT_TRANSITION_NOT_ALLOWED
