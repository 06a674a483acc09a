"""Scheduled work in its own room: what falls due (a lot's start and close, an order's reminder, default,
shipping refund and auto-confirmation, a second-chance offer's lapse) runs here, as of the moment it fell
due, earliest first, one item per unit of work, shared between workers with SKIP LOCKED.

- work.py: one due-work function per feature, each claiming its row and calling the service step.
- runner.py: DueWork, the loop that runs everything due up to a moment (the Container's and the seeder's).
- loop.py: the background thread that runs it every few seconds in `paimai serve`.
"""

from .loop import SchedulerThread
from .runner import DueCounts, DueWork, DueWorkStuck

__all__ = ["DueCounts", "DueWork", "DueWorkStuck", "SchedulerThread"]
