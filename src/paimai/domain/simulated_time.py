"""The simulated clock's one rule: it moves forward only, and never past the platform's last moment.

Every time the platform computes (a lot's end, a payment deadline, a Beijing calendar day) must stay far from
the calendar's end (year 9999), or adding a deadline or turning a moment into Beijing time overflows. So
lot times lie before LATEST_MOMENT (the HTTP schemas refuse others), and the simulated clock stops there
too: an advance that would reach it is refused, whatever its size, and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .errors import DomainError, ErrorCode

EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)  # lot times outside these years are typing mistakes
LATEST_MOMENT = datetime(9000, 1, 1, tzinfo=UTC)  # ~1000 years below the calendar's end: room for every deadline


def seconds_left(real_now: datetime, offset_seconds: int) -> int:
    """How many seconds the simulated clock may still move forward from real_now + offset (never negative)."""
    return max(0, int((LATEST_MOMENT - real_now).total_seconds()) - offset_seconds - 1)


def advanced_offset(real_now: datetime, offset_seconds: int, seconds: int) -> int:
    """The offset after moving forward by ``seconds``; refused (CLOCK_OUT_OF_RANGE) unless 0 < seconds and the
    new simulated time stays before LATEST_MOMENT. Integer arithmetic: no size of input can overflow here."""
    left = seconds_left(real_now, offset_seconds)
    if seconds <= 0 or seconds > left:
        raise DomainError(ErrorCode.CLOCK_OUT_OF_RANGE, seconds=seconds, max_seconds=left, latest=LATEST_MOMENT)
    return offset_seconds + seconds
