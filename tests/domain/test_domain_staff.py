"""The staff back office's rules (domain.staff): a frozen account is refused, who may be frozen, reasons are
required, and the last active staff account keeps its role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.staff import (
    may_freeze,
    may_revoke_staff,
    may_unfreeze,
    refuse_if_frozen,
    required_reason,
)

T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def code_of(call: object, *args: object) -> ErrorCode | None:
    try:
        call(*args)  # type: ignore[operator]
    except DomainError as error:
        return error.code
    return None


def test_a_frozen_account_is_refused_and_an_active_one_is_not() -> None:
    assert code_of(refuse_if_frozen, T0) is ErrorCode.ACCOUNT_FROZEN
    assert code_of(refuse_if_frozen, None) is None
    assert ErrorCode.ACCOUNT_FROZEN.kind.value == "forbidden"


@pytest.mark.parametrize(
    ("actor", "target", "target_is_staff", "target_frozen", "expected"),
    [
        (1, 2, False, False, None),  # a customer: allowed
        (1, 1, True, False, ErrorCode.FREEZE_NOT_ALLOWED),  # oneself
        (1, 1, False, False, ErrorCode.FREEZE_NOT_ALLOWED),  # oneself, whatever the role says
        (1, 2, True, False, ErrorCode.FREEZE_NOT_ALLOWED),  # another staff member: revoke first
        (1, 2, False, True, ErrorCode.ACCOUNT_ALREADY_FROZEN),
    ],
)
def test_who_may_be_frozen(
    actor: int, target: int, target_is_staff: bool, target_frozen: bool, expected: ErrorCode | None
) -> None:
    assert code_of(may_freeze, actor, target, target_is_staff, target_frozen) is expected


def test_only_a_frozen_account_is_unfrozen() -> None:
    assert code_of(may_unfreeze, True) is None
    assert code_of(may_unfreeze, False) is ErrorCode.ACCOUNT_NOT_FROZEN


@given(st.text(alphabet=" \t\n\r\u3000", max_size=10))
def test_a_blank_reason_is_refused(blank: str) -> None:
    assert code_of(required_reason, blank) is ErrorCode.REASON_REQUIRED
    assert code_of(required_reason, None) is ErrorCode.REASON_REQUIRED


def test_a_reason_is_kept_stripped() -> None:
    assert required_reason("  图片不清 blurry photo \n") == "图片不清 blurry photo"


@pytest.mark.parametrize(
    ("is_staff", "others", "expected"),
    [(True, 0, ErrorCode.LAST_STAFF_ACCOUNT), (True, 1, None), (True, 5, None), (False, 0, None)],
)
def test_the_last_active_staff_account_keeps_its_role(is_staff: bool, others: int, expected: ErrorCode | None) -> None:
    assert code_of(may_revoke_staff, is_staff, others) is expected
