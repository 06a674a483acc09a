"""`paimai simulate` end to end: a short run with every fault on SQLite and PostgreSQL holds every invariant;
one seed gives one history; a planted violation exits 1 with the seed, the step and the history shrunk to
the few steps that still break it; the PostgreSQL run works in a scratch database of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from conftest import POSTGRES_URL, service_missing
from paimai.adapters.cli.main import app
from paimai.adapters.cli.simulate import Scratch, cheap_password_hashing, run_history, simulate
from paimai.adapters.cli.simulate.engine import EPOCH
from paimai.domain.cancellation import cancel_auction as cancel_auction_as_it_is
from paimai.domain.deposits import DepositStatus
from paimai.domain.suspension import suspend_auction as suspend_auction_as_it_is
from paimai.persistence.db import normalise_url
from paimai.persistence.models import Deposit
from paimai.services import deposits, lifecycle
from paimai.services.uow import UnitOfWork
from paimai.simulation import invariants
from paimai.simulation.invariants import LotFact, Violation

FAULTS = {"abort", "duplicate", "restart", "due_twice"}


def databases(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return set(conn.scalars(text("SELECT datname FROM pg_database")))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite (a temporary file); the PostgreSQL server of the suite, on which the run makes its
    own scratch database (checked here to be gone afterwards)."""
    if request.param == "sqlite":
        yield None
        return
    try:
        databases(POSTGRES_URL)
    except Exception as error:
        service_missing("PostgreSQL", error)
    yield POSTGRES_URL
    assert f"paimai_sim_{os.getpid()}" not in databases(POSTGRES_URL)


def test_a_short_run_with_faults_holds_every_invariant(server_url: str | None) -> None:
    # A seed whose 300 steps include every fault. A change in what the platform allows changes the histories:
    # then pick another seed that does (the assertion below prints the tally).
    report = simulate(server_url, seed=2, ops=300, faults=True, full_every=100, shrink_budget=0)
    assert report.failure is None, report.failure and report.failure.lines()
    tally = report.tally
    assert tally.steps == 300 and tally.full_checks == 4  # every 100 steps and after the last
    assert set(tally.faults) == FAULTS
    assert {"register", "create_lot", "review", "deposit", "bid", "advance", "top_up"} <= set(tally.actions)
    assert tally.refusals, "some attempts the platform must refuse are made"


def test_one_seed_gives_one_history() -> None:
    scratch = Scratch(None)
    try:
        with cheap_password_hashing():
            first, _, tally1 = run_history(scratch.fresh(), None, seed=11, ops=100, faults=True)
            second, _, tally2 = run_history(scratch.fresh(), None, seed=11, ops=100, faults=True)
            other, _, _ = run_history(scratch.fresh(), None, seed=12, ops=40, faults=True)
    finally:
        scratch.close()
    assert [s.describe() for s in first] == [s.describe() for s in second]
    assert (tally1.actions, tally1.refusals) == (tally2.actions, tally2.refusals)
    assert [s.describe() for s in first[:40]] != [s.describe() for s in other]


def test_postgres_scratch_is_its_own_database() -> None:
    try:
        scratch = Scratch(POSTGRES_URL)
    except Exception as error:
        service_missing("PostgreSQL", error)
    try:
        settings = scratch.fresh()
        assert scratch.name.startswith("paimai_sim_")
        assert settings.database_url.rsplit("/", 1)[1] == scratch.name
        assert scratch.name in databases(POSTGRES_URL)
    finally:
        scratch.close()
    assert scratch.name not in databases(POSTGRES_URL)


# ---- a planted violation ------------------------------------------------------------------------------------


def plant(monkeypatch: pytest.MonkeyPatch) -> None:
    """Break an invariant on purpose: a lot holding a paid deposit "violates" it. The least history that
    shows it: a staff member, a seller and a bidder registered, money topped up, a lot listed and approved,
    the deposit paid."""
    checked = invariants.check_lot

    def check_lot(lot: LotFact) -> list[Violation]:
        planted = [Violation("planted", f"lot {lot.lot_id}")] if any(d.amount > 0 for d in lot.deposits) else []
        return checked(lot) + planted

    monkeypatch.setattr(invariants, "check_lot", check_lot)


def test_a_violation_exits_1_with_the_seed_and_the_shrunk_history(monkeypatch: pytest.MonkeyPatch) -> None:
    plant(monkeypatch)
    args = ["simulate", "--seed", "3", "--ops", "300", "--faults"]
    result = CliRunner().invoke(app, args, env={"PAIMAI_DATABASE_URL": None})
    assert result.exit_code == 1, result.output
    out = result.output
    assert "invariants: VIOLATED" in out
    assert "VIOLATION with --seed 3 at step #" in out
    assert "planted: lot " in out
    shrunk = [line.strip() for line in out.splitlines() if line.startswith("  #")]
    # Exactly what the planted failure needs (a staff member, a seller and a depositor registered, the lot
    # listed and approved, money topped up, the deposit paid), in the order it happened.
    kinds = [line.split()[1] for line in shrunk]
    assert kinds.count("register") == 3 and kinds[-1] == "deposit", shrunk
    assert sorted(kinds[3:-1]) == ["create_lot", "review", "top_up"], shrunk
    indices = [int(line.split()[0][1:]) for line in shrunk]
    assert indices == sorted(indices)
    assert "budget ran out" not in out
    # The shrunk history, replayed on a fresh database, breaks the same invariant.
    assert out.rstrip().splitlines()[-1].startswith("  → planted: lot")


def test_a_clean_run_exits_0() -> None:
    result = CliRunner().invoke(app, ["simulate", "--seed", "2", "--ops", "60"], env={"PAIMAI_DATABASE_URL": None})
    assert result.exit_code == 0, result.output
    assert "invariants: all held" in result.output
    assert "seed 2, 60 of 60 step(s) on sqlite" in result.output


@pytest.mark.parametrize(
    ("given", "explained"), [("var/sim.db", "sqlite:////absolute/path.db"), ("mysql://u@h/x", "unsupported")]
)
def test_a_database_url_that_is_not_one_is_refused_clearly(given: str, explained: str) -> None:
    """A bare file path (or a database we do not run on) is a usage error (exit 2), not a traceback."""
    result = CliRunner().invoke(app, ["simulate", "--ops", "5", "--database-url", given])
    assert result.exit_code == 2, result.output
    assert "--database-url" in result.output and explained in result.output
    assert "Traceback" not in result.output


def test_a_planted_product_bug_is_caught_at_the_step_that_makes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A release of a deposit that marks it released but moves no money (services/deposits.py broken on
    purpose) is caught at the step that runs it (a close, a cancellation), not only at the next full pass."""

    def release_without_money(uow: UnitOfWork, deposit: Deposit) -> None:
        deposit.status = DepositStatus.RELEASED.value
        deposit.settled_at = uow.now

    monkeypatch.setattr(deposits, "release", release_without_money)
    report = simulate(None, seed=3, ops=200, faults=True, shrink_budget=0)  # shrinking: tested above
    assert report.failure is not None
    assert report.failure.step.kind in ("advance", "due_twice", "cancel", "withdraw")
    assert {v.invariant for v in report.failure.violations} == {"frozen_mismatch"}


def test_shrinking_stops_when_its_budget_runs_out_even_mid_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shrink budget bounds the replays too: with none left, no replay runs a step (a 40k-step history
    once shrank for 17 minutes on a 300 s budget, a whole replay at a time), and the failure reported is the
    run's own rather than a replay of the whole history again."""
    from paimai.adapters.cli.simulate.engine import Simulation

    def release_without_money(uow: UnitOfWork, deposit: Deposit) -> None:
        deposit.status = DepositStatus.RELEASED.value
        deposit.settled_at = uow.now

    monkeypatch.setattr(deposits, "release", release_without_money)
    ran = Simulation.run
    steps_run: list[int] = []

    def counted(self: Simulation, step: Any) -> Any:
        steps_run.append(step.index)
        return ran(self, step)

    monkeypatch.setattr(Simulation, "run", counted)
    report = simulate(None, seed=3, ops=200, faults=True, shrink_budget=0)
    assert report.failure is not None
    assert len(steps_run) == len(report.history)  # the run itself, and not one replayed step
    assert report.shrunk is not None and len(report.shrunk) == len(report.history)
    assert report.shrunk_failure == report.failure
    assert report.shrink_stats.exhausted


@pytest.mark.parametrize(
    ("kind", "decision", "judged", "seed"),
    [
        ("cancel", "cancel_auction", cancel_auction_as_it_is, 11),
        ("suspend", "suspend_auction", suspend_auction_as_it_is, 3),
    ],
)
def test_an_action_judged_by_stale_time_is_caught(
    monkeypatch: pytest.MonkeyPatch, kind: str, decision: str, judged: Any, seed: int
) -> None:
    """Issue 8's defect 1 planted back: a cancellation (or a suspension, 暂缓) judges "ended" by a stale time,
    so a seller can stop a lot whose auction is over before the scheduler has closed it — the winner would
    lose the sale. The simulator reports the step that did it."""

    def stale(snapshot: Any, **decide: Any) -> Any:
        decide["now"] = EPOCH
        return judged(snapshot, **decide)

    monkeypatch.setattr(lifecycle, decision, stale)
    # A seed whose history has that action past the end (re-pick when the histories change).
    report = simulate(None, seed=seed, ops=200, faults=False, shrink_budget=0)
    assert report.failure is not None
    assert report.failure.step.kind == kind
    assert [v.invariant for v in report.failure.violations] == ["acted_after_end"]


def test_a_step_that_commits_half_way_is_caught_when_aborted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A service that commits in the middle of a step (forbidden: the adapter owns the transaction) leaves
    a trace when the step is then aborted: the footprint before and after the abort differs. (Planted only
    in aborted steps, so the run gets that far.)"""
    from contextlib import contextmanager

    from paimai.adapters.cli.simulate.engine import Simulation
    from paimai.services import ledger

    post, aborting, planted = ledger.post, Simulation._aborting_at, []

    @contextmanager
    def flagged(self: Simulation, statement: int) -> Iterator[None]:
        planted.append(True)
        try:
            with aborting(self, 10_000):  # far enough for the entry to be posted before the abort
                yield
        finally:
            planted.clear()

    def post_and_commit(uow: UnitOfWork, entry: Any) -> Any:
        row = post(uow, entry)
        if planted:  # under SQLAlchemy's feet: the database connection itself commits
            dbapi = uow.session.connection().connection.dbapi_connection
            assert dbapi is not None
            dbapi.commit()
        return row

    monkeypatch.setattr(Simulation, "_aborting_at", flagged)
    monkeypatch.setattr(ledger, "post", post_and_commit)
    report = simulate(None, seed=2, ops=300, faults=True, shrink_budget=0)
    assert report.failure is not None
    assert report.failure.step.fault == "abort"
    assert [v.invariant for v in report.failure.violations][:1] == ["abort_persisted"], report.failure.lines()


def test_a_repeated_key_that_runs_twice_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """An Idempotency-Key that no longer replays: the repeated request applies a second time."""
    from paimai.services import idempotency

    run_once, calls = idempotency.run_once, iter(range(10**6))

    def forgetful(uow: UnitOfWork, user_id: int, key: str, *rest: Any) -> Any:
        return run_once(uow, user_id, f"{key}/{next(calls)}", *rest)  # each request a new key, in effect

    monkeypatch.setattr(idempotency, "run_once", forgetful)
    report = simulate(None, seed=2, ops=300, faults=True, shrink_budget=0)
    assert report.failure is not None
    assert report.failure.step.fault == "duplicate"
    assert {"duplicate_applied_twice", "duplicate_answer_differs"} & {v.invariant for v in report.failure.violations}
