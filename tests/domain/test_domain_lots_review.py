"""Staff's review judged by server time (domain.lots.reviewed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.lots import LotStatus, reviewed

END = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_approval_depends_on_the_end_alone(offset: int) -> None:
    now = END + timedelta(seconds=offset)
    if offset >= 0:
        with pytest.raises(DomainError) as refused:
            reviewed(LotStatus.PENDING_REVIEW, True, END, now)
        assert refused.value.code is ErrorCode.LOT_END_PASSED
    else:
        assert reviewed(LotStatus.PENDING_REVIEW, True, END, now) is LotStatus.SCHEDULED
    assert reviewed(LotStatus.PENDING_REVIEW, False, END, now) is LotStatus.REJECTED
