"""The common-password list, loaded once per process from the `zxcvbn` package's frequency lists (the
30,000 passwords most often found in leaks), for the domain's password rule."""

from __future__ import annotations

from functools import cache

from ..domain.passwords import check_password


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # ~1 MB of lists: imported on first use, not at start

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def check_new_password(password: str) -> None:
    """PASSWORD_TOO_SHORT or PASSWORD_TOO_COMMON, or nothing when the password may be used."""
    check_password(password, common_passwords())
