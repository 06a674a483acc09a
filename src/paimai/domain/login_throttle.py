"""Login back-off by (account, address) pair (issue 8, defect 5).

A lock-out per account lets anyone shut its owner out with a few wrong guesses. Here only the pair that
guessed wrong is slowed down: after FREE_FAILURES consecutive failures, each further attempt from that
address for that user name must wait 1 s, 2 s, 4 s … after the last failure, never more than MAX_WAIT.
The owner, from another address, is not held back at all; a success clears the pair; a pair quiet for
FORGET_AFTER starts afresh. The caller checks the wait before the password is even looked at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_FAILURES = 5  # typing slips: this many failures in a row cost nothing
FIRST_WAIT = timedelta(seconds=1)
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)  # a streak this old no longer counts
_MAX_DOUBLINGS = math.ceil(math.log2(MAX_WAIT / FIRST_WAIT))  # beyond this the cap applies (and 2**n stays small)


@dataclass(frozen=True)
class FailureStreak:
    """The consecutive failures of one (lower-cased user name, address) pair, and when the last was."""

    failures: int
    last_failure_at: datetime


def wait_after(failures: int) -> timedelta:
    """How long after its last failure a pair with this many consecutive failures must wait."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = failures - FREE_FAILURES
    if doublings >= _MAX_DOUBLINGS:
        return MAX_WAIT
    wait: timedelta = FIRST_WAIT * (1 << doublings)
    return min(wait, MAX_WAIT)


def current(streak: FailureStreak | None, now: datetime) -> FailureStreak | None:
    """The streak as it counts at `now`: none once it has been quiet for FORGET_AFTER."""
    if streak is None or now - streak.last_failure_at >= FORGET_AFTER:
        return None
    return streak


def retry_after(streak: FailureStreak | None, now: datetime) -> int | None:
    """None when an attempt may proceed now; else the whole seconds (at least 1) until it may."""
    streak = current(streak, now)
    if streak is None:
        return None
    ready_at = streak.last_failure_at + wait_after(streak.failures)
    if now >= ready_at:
        return None
    return max(1, math.ceil((ready_at - now).total_seconds()))


def after_failure(streak: FailureStreak | None, now: datetime) -> FailureStreak:
    """The streak once another attempt has failed at `now`."""
    streak = current(streak, now)
    return FailureStreak((streak.failures if streak else 0) + 1, now)
