"""Money is an integer number of fen (分). There is no float anywhere in the money path."""

from __future__ import annotations

from .errors import DomainError, ErrorCode

# ¥10 billion: far above any lot, far below any integer column's limit.
MAX_AMOUNT_FEN = 1_000_000_000_000


def require_positive(amount: int) -> int:
    """Refuse non-integers, zero, negatives and absurd sizes before they reach the ledger."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DomainError(ErrorCode.AMOUNT_NOT_POSITIVE, amount=amount)
    if amount > MAX_AMOUNT_FEN:
        raise DomainError(ErrorCode.AMOUNT_TOO_LARGE, amount=amount, max=MAX_AMOUNT_FEN)
    return amount


def require_non_negative(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise DomainError(ErrorCode.AMOUNT_NOT_POSITIVE, amount=amount)
    if amount > MAX_AMOUNT_FEN:
        raise DomainError(ErrorCode.AMOUNT_TOO_LARGE, amount=amount, max=MAX_AMOUNT_FEN)
    return amount
