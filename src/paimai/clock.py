"""The one injectable clock. The simulated clock's offset lives in the database so every worker agrees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

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
        return datetime.now(UTC) + timedelta(seconds=self.offset())

    def advance(self, session: Session, seconds: int) -> None:
        """Move forward inside the caller's transaction."""
        state = session.get(ClockState, 1, with_for_update=True)
        if state is None:
            session.add(ClockState(id=1, offset_seconds=seconds))
        else:
            state.offset_seconds += seconds
