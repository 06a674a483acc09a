"""The password rule (domain.passwords): at least 10 meaningful characters, and not on the common list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.passwords import MIN_PASSWORD_LENGTH, check_password
from paimai.services.passwords import common_passwords

COMMON = frozenset({"password12", "1234567890", "qwertyuiop"})


def refusal(password: str, common: frozenset[str] = COMMON) -> ErrorCode | None:
    try:
        check_password(password, common)
    except DomainError as error:
        return error.code
    return None


def test_the_minimum_is_ten_characters() -> None:
    assert MIN_PASSWORD_LENGTH == 10
    assert refusal("abcdefghi") is ErrorCode.PASSWORD_TOO_SHORT  # 9
    assert refusal("abcdefghij") is None  # 10
    with pytest.raises(DomainError) as caught:
        check_password("short", COMMON)
    assert caught.value.details == {"min_length": 10}


def test_white_space_is_no_password() -> None:
    assert refusal(" " * 8) is ErrorCode.PASSWORD_TOO_SHORT
    assert refusal(" " * 40) is ErrorCode.PASSWORD_TOO_SHORT
    assert refusal("\t\n" * 10) is ErrorCode.PASSWORD_TOO_SHORT
    assert refusal("   abcdefghi   ") is ErrorCode.PASSWORD_TOO_SHORT  # the spaces at either end do not count
    assert refusal("abc de fghij") is None  # inner spaces are characters like any other


def test_a_common_password_is_refused_whatever_its_case() -> None:
    assert refusal("password12") is ErrorCode.PASSWORD_TOO_COMMON
    assert refusal("PassWord12") is ErrorCode.PASSWORD_TOO_COMMON
    assert refusal("  QWERTYUIOP ") is ErrorCode.PASSWORD_TOO_COMMON
    assert refusal("password13") is None


def test_the_packaged_list_refuses_the_audit_findings_and_keeps_the_demo_passwords() -> None:
    common = common_passwords()
    assert len(common) > 25_000
    for weak in ("password", "12345678", " " * 8, "1234567890", "password12", "Password123", "qwertyuiop"):
        assert refusal(weak, common) is not None, weak
    for fine in ("paimai-demo", "correct-horse-1", "lihua-pass-1", "password-1", "pass-word-9"):
        assert refusal(fine, common) is None, fine


@given(st.text(max_size=30))
def test_short_after_stripping_is_always_refused_as_short(password: str) -> None:
    code = refusal(password)
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        assert code is ErrorCode.PASSWORD_TOO_SHORT
    else:
        assert code in (None, ErrorCode.PASSWORD_TOO_COMMON)


@given(st.sampled_from(sorted(COMMON)), st.lists(st.booleans(), min_size=10, max_size=10))
def test_every_casing_of_a_listed_password_is_refused(word: str, upper: list[bool]) -> None:
    cased = "".join(c.upper() if up else c for c, up in zip(word, upper, strict=True))
    assert refusal(cased) is ErrorCode.PASSWORD_TOO_COMMON
