"""The one injectable clock. The simulated clock's offset lives in the database so every worker agrees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .domain.simulated_time import advanced_offset, seconds_left
from .persistence.models import ClockState


class Clock(Protocol):
    simulated: bool

    def now(self) -> datetime: ...


class SystemClock:
    simulated = False

    def now(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """Real time plus an offset that only moves forward, shared through the database."""

    simulated = True

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def offset(self) -> int:
        with self._sessions() as session:
            value = session.scalar(select(ClockState.offset_seconds).where(ClockState.id == 1))
            return int(value or 0)

    def now(self) -> datetime:
        real = datetime.now(UTC)
        # an offset stored before the clock had its limit may reach past it: stop at the limit, never overflow
        offset = min(self.offset(), seconds_left(real, 0))
        return real + timedelta(seconds=offset)

    def advance(self, session: Session, seconds: int) -> None:
        """Move forward inside the caller's transaction; refused (CLOCK_OUT_OF_RANGE) past the clock's limit."""
        state = session.get(ClockState, 1, with_for_update=True)
        offset = advanced_offset(datetime.now(UTC), state.offset_seconds if state else 0, seconds)
        if state is None:
            session.add(ClockState(id=1, offset_seconds=offset))
        else:
            state.offset_seconds = offset
