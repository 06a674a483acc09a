"""Real-name verification (实名认证, RULES §1): a name and a resident ID number checked for format and checksum."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .errors import DomainError, ErrorCode

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII: \d would pass other scripts' digits
_NAME_PATTERN = re.compile(r"^[\u4e00-\u9fff·A-Za-z .'-]{2,40}$")


@dataclass(frozen=True)
class VerifiedIdentity:
    name: str
    masked_id: str  # only the first 3 and last 2 characters are kept
    birth_date: date


def check_digit(first17: str) -> str:
    return _CHECK_CODES[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def verify_identity(name: str, id_number: str, today: date) -> VerifiedIdentity:
    """Check an 18-character resident ID (GB 11643-1999): digits, a real birth date, the check character."""
    name = name.strip()
    id_number = unicodedata.normalize("NFKC", id_number).strip().upper()  # full-width １２… typed by an IME
    if not _NAME_PATTERN.match(name):
        raise DomainError(ErrorCode.REAL_NAME_INVALID, field="name")
    if not _ID_PATTERN.match(id_number):
        raise DomainError(ErrorCode.REAL_NAME_INVALID, field="id_number")
    try:
        birth = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        raise DomainError(ErrorCode.REAL_NAME_INVALID, field="id_number") from None
    if birth > today or birth.year < 1900:
        raise DomainError(ErrorCode.REAL_NAME_INVALID, field="id_number")
    if check_digit(id_number[:17]) != id_number[17]:
        raise DomainError(ErrorCode.REAL_NAME_INVALID, field="id_number")
    return VerifiedIdentity(name, f"{id_number[:3]}{'*' * 13}{id_number[-2:]}", birth)
