"""The password rule (issue 8, defect 6): long enough, and not one that attackers try first.

The list of common passwords is a parameter: the domain reads no files; services.passwords loads the
packaged list once.
"""

from __future__ import annotations

from collections.abc import Collection

from .errors import DomainError, ErrorCode

MIN_PASSWORD_LENGTH = 10


def check_password(password: str, common: Collection[str], min_length: int = MIN_PASSWORD_LENGTH) -> None:
    """Refuse a password shorter than `min_length` characters (leading and trailing white space does not
    count, so eight spaces are none), or one on the `common` list (lower-case entries; compared
    case-insensitively, so `PASSWORD12` is as weak as `password12`)."""
    meaningful = password.strip()
    if len(meaningful) < min_length:
        raise DomainError(ErrorCode.PASSWORD_TOO_SHORT, min_length=min_length)
    if meaningful.lower() in common or password.lower() in common:
        raise DomainError(ErrorCode.PASSWORD_TOO_COMMON)
