"""`paimai simulate`: a deterministic simulation of the whole platform through its services, checking every
invariant after every step, with faults injected on request, and a failing history shrunk to the shortest
that still fails (docs/testing.md).

- world.py: the model of the platform the simulation keeps, and the choice of the next step.
- engine.py: running steps inside Container.transaction(), the faults, the checks after each step.
- here: a run, its replays on fresh databases, the shrinking and the report.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from ....bootstrap import engine_for
from ....config import Settings
from ....persistence.migrate import upgrade
from ....services import accounts
from ....simulation.shrink import ShrinkStats, shrink
from ....simulation.steps import Step
from .engine import Failure, Simulation, Tally
from .world import Chooser

__all__ = ["Report", "Scratch", "replay", "simulate"]


@dataclass
class Report:
    seed: int
    ops: int
    faults: bool
    backend: str
    tally: Tally
    seconds: float
    history: list[Step]
    failure: Failure | None = None
    shrunk: list[Step] | None = None
    shrunk_failure: Failure | None = None
    shrink_stats: ShrinkStats = field(default_factory=ShrinkStats)
    shrink_seconds: float = 0.0


@contextmanager
def cheap_password_hashing() -> Iterator[None]:
    """Registering hashes a password with argon2 at its production cost (~0.2 s on a shared core); the
    simulation never logs in, so its users' passwords are hashed at argon2's least cost instead."""
    saved = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        yield
    finally:
        accounts._hasher = saved


TABLES_TO_EMPTY = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"


class Scratch:
    """Fresh databases for a run and each of its replays: SQLite files copied from one migrated template,
    or one scratch PostgreSQL database beside the one named (never that one), emptied before each run."""

    def __init__(self, url: str | None) -> None:
        self.url = url or ""
        self.postgres = self.url.startswith("postgres")
        self.dir = Path(tempfile.mkdtemp(prefix="paimai-sim-"))
        self.runs = 0
        self._replay_engine: Engine | None = None
        if self.postgres:
            base = make_url(self.url)
            if base.drivername in ("postgresql", "postgres"):
                base = base.set(drivername="postgresql+psycopg")
            self._admin_url = base.render_as_string(hide_password=False)
            self.name = f"paimai_sim_{os.getpid()}"
            self._scratch_url = base.set(database=self.name).render_as_string(hide_password=False)
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')
            # A scratch database: commits need not wait for the disk (a crash loses the run, never its
            # invariants; the kill -9 test is where durability is tested).
            self._admin(f'ALTER DATABASE "{self.name}" SET synchronous_commit TO off')
            upgrade(self._scratch_url)
        else:
            self.template = self.dir / "template.db"
            upgrade(f"sqlite:///{self.template}")

    def _admin(self, statement: str) -> None:
        engine = create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()

    @property
    def backend(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def replay_engine(self) -> Engine:
        """The one engine every replay runs on (one path, one URL), so statements compile once per shrink."""
        if self._replay_engine is None:
            self._replay_engine = engine_for(
                self._scratch_url if self.postgres else f"sqlite:///{self.dir / 'replay.db'}"
            )
        return self._replay_engine

    def fresh(self, *, keep_at: Path | None = None, replay: bool = False) -> Settings:
        """Settings for a run on an empty, migrated database (for a replay, at the replay engine's path)."""
        self.runs += 1
        if self._replay_engine is not None:
            self._replay_engine.dispose()  # no connection open onto the database about to be emptied
        if self.postgres:
            engine = create_engine(self._scratch_url)
            try:
                with engine.begin() as conn:
                    listed = conn.execute(text(TABLES_TO_EMPTY))
                    tables = [row[0] for row in listed]
                    conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            finally:
                engine.dispose()
            url = self._scratch_url
        else:
            for old in [*self.dir.glob("run-*.db*"), *self.dir.glob("replay.db*")]:
                old.unlink()
            path = self.dir / "replay.db" if replay else keep_at or self.dir / f"run-{self.runs}.db"
            shutil.copy(self.template, path)
            url = f"sqlite:///{path}"
        return Settings(database_url=url, clock="simulated", run_scheduler=False, redis_url=None)

    def close(self) -> None:
        if self._replay_engine is not None:
            self._replay_engine.dispose()
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.dir, ignore_errors=True)


def run_history(
    settings: Settings,
    steps: Sequence[Step] | None,
    *,
    seed: int = 0,
    ops: int = 0,
    faults: bool = False,
    full_every: int = 1000,
    on_step: Callable[[int], None] | None = None,
    engine: Engine | None = None,
    deadline: float | None = None,
) -> tuple[list[Step], Failure | None, Tally]:
    """Run a history: the given steps (a replay), or `ops` new ones chosen from `seed`. A full check runs
    every `full_every` steps and after the last. Stops at the first failure, or, past `deadline` (a
    time.monotonic() value: a shrinking replay out of time), without one."""
    chooser = Chooser(random.Random(seed), faults)  # noqa: S311 (a seeded history, not a secret)
    sim = Simulation(settings, full_every=full_every, engine=engine)
    history: list[Step] = []
    failure: Failure | None = None
    try:
        total = len(steps) if steps is not None else ops
        for index in range(total):
            if deadline is not None and time.monotonic() >= deadline:
                return history, None, sim.tally
            step = steps[index] if steps is not None else chooser.next(index, sim.model, sim.now())
            history.append(step)
            failure = sim.run(step)
            if on_step is not None:
                on_step(index)
            if failure is not None:
                break
        if failure is None and history:
            problems = sim.check(set(), set(), full=True)
            if problems:
                failure = Failure(history[-1], tuple(problems))
    finally:
        sim.close()
    return history, failure, sim.tally


def replay(
    scratch: Scratch, steps: Sequence[Step], full_every: int = 1000, deadline: float | None = None
) -> Failure | None:
    """The failure of `steps` replayed on a fresh database; None if it holds, or if `deadline` passes first."""
    _, failure, _ = run_history(
        scratch.fresh(replay=True), steps, full_every=full_every, engine=scratch.replay_engine(), deadline=deadline
    )
    return failure


def simulate(
    url: str | None,
    seed: int,
    ops: int,
    *,
    faults: bool,
    full_every: int = 1000,
    shrink_budget: float = 300.0,
    max_replays: int = 400,
    on_step: Callable[[int], None] | None = None,
    on_shrink: Callable[[int, int], None] | None = None,
) -> Report:
    """One run; on a violation, the history shrunk (delta debugging, each candidate replayed on a fresh
    database) to the shortest that still breaks the same invariant, within `shrink_budget` seconds."""
    scratch = Scratch(url)
    keep_at = Path(make_url(url).database or "") if url and not scratch.postgres else None
    if keep_at is not None and keep_at.exists():
        scratch.close()
        raise FileExistsError(f"{keep_at} exists: the simulation writes a fresh database there")
    try:
        with cheap_password_hashing():
            started = time.monotonic()
            history, failure, tally = run_history(
                scratch.fresh(keep_at=keep_at),
                None,
                seed=seed,
                ops=ops,
                faults=faults,
                full_every=full_every,
                on_step=on_step,
            )
            report = Report(seed, ops, faults, scratch.backend, tally, time.monotonic() - started, history, failure)
            if failure is not None:
                shrink_started = time.monotonic()
                # The budget bounds the replays too: one of a long history stops when it runs out.
                deadline = shrink_started + shrink_budget
                wanted = {v.invariant for v in failure.violations}

                def fails(candidate: list[Step]) -> bool:
                    found = replay(scratch, candidate, full_every, deadline)
                    if on_shrink is not None:
                        on_shrink(report.shrink_stats.replays, len(candidate))
                    return found is not None and bool(wanted & {v.invariant for v in found.violations})

                # First the history without the steps that were refused or skipped (they changed nothing,
                # so this usually still fails and is far shorter), then delta debugging from there.
                start = history
                if any(step.index in tally.idle for step in history[:-1]):
                    candidate = [s for s in history[:-1] if s.index not in tally.idle] + history[-1:]
                    report.shrink_stats.replays += 1
                    if fails(candidate):
                        start = candidate
                report.shrunk = shrink(
                    start,
                    fails,
                    max_replays=max_replays,
                    deadline=deadline,
                    stats=report.shrink_stats,
                )
                # Not shrunk at all (out of time): the run's own failure is the replay's, no need to redo it.
                unshrunk = len(report.shrunk) == len(history)
                report.shrunk_failure = failure if unshrunk else replay(scratch, report.shrunk, full_every)
                report.shrink_seconds = time.monotonic() - shrink_started
            return report
    finally:
        scratch.close()
