"""`paimai simulate`'s output: a progress bar on a terminal, then the summary, or the failure and its shrunk
history (docs/testing.md)."""

from __future__ import annotations

import sys
import time

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ...bootstrap import database_url_problem
from .simulate import Report, simulate


def run_simulate(
    seed: int, ops: int, faults: bool, database_url: str | None, full_check_every: int, shrink_seconds: float
) -> int:
    """Run, print, and return the exit code: 0 clean, 1 a violation, 2 a bad argument."""
    problem = database_url_problem(database_url) if database_url is not None else None
    if problem is not None:
        typer.secho(f"--database-url {database_url!r}: {problem}", fg=typer.colors.RED, err=True)
        return 2
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("simulate"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=ops)
        shrink_task = None

        started = time.monotonic()
        last_line = [started]
        tenth = max(ops // 10, 1)

        def on_step(index: int) -> None:
            if index % 25 == 0 or index + 1 == ops:
                progress.update(task, completed=index + 1)
            if console.is_terminal or index + 1 == ops:
                return
            now = time.monotonic()
            if (index + 1) % tenth == 0 or now - last_line[0] >= 60:
                # No bar off a terminal (CI's log): a line every tenth of the run, and at least every minute.
                last_line[0] = now
                rate = (index + 1) / (now - started)
                line = f"simulate: {index + 1} of {ops} step(s), {now - started:.0f} s, {rate:.0f} steps/s"
                console.print(line, highlight=False)

        def on_shrink(replays: int, length: int) -> None:
            nonlocal shrink_task
            if shrink_task is None:
                shrink_task = progress.add_task("shrinking", total=None)
            progress.update(shrink_task, description=f"shrinking: replay {replays}, {length} step(s)")

        try:
            report = simulate(
                database_url,
                seed,
                ops,
                faults=faults,
                full_every=full_check_every,
                shrink_budget=shrink_seconds,
                on_step=on_step,
                on_shrink=on_shrink,
            )
        except FileExistsError as error:
            typer.secho(str(error), fg=typer.colors.RED, err=True)
            return 2
    for line in summary(report):
        typer.echo(line)
    if report.failure is None:
        return 0
    for line in failure_lines(report):
        typer.secho(line, fg=typer.colors.RED, err=True)
    sys.stderr.flush()
    return 1


def summary(report: Report) -> list[str]:
    tally = report.tally
    rate = tally.steps / report.seconds if report.seconds else 0.0
    lines = [
        f"seed {report.seed}, {tally.steps} of {report.ops} step(s) on {report.backend}"
        f"{' with faults' if report.faults else ''} in {report.seconds:.1f} s ({rate:.0f} steps/s); "
        f"{tally.full_checks} full check(s)",
        "actions: " + ", ".join(f"{kind} {n}" for kind, n in tally.actions.most_common()),
        "refusals: " + (", ".join(f"{code} {n}" for code, n in tally.refusals.most_common()) or "none"),
        "faults: " + (", ".join(f"{kind} {n}" for kind, n in tally.faults.most_common()) or "none"),
        f"skipped: {tally.skipped}",
    ]
    lines.append("invariants: all held" if report.failure is None else "invariants: VIOLATED")
    return lines


def failure_lines(report: Report) -> list[str]:
    failure = report.failure
    if failure is None:
        return []
    lines = [f"VIOLATION with --seed {report.seed} at step {failure.step.describe()}"]
    lines += [f"  {text}" for text in failure.lines()]
    if report.shrunk is not None:
        stats = report.shrink_stats
        note = " (budget ran out: perhaps not minimal)" if stats.exhausted else ""
        lines.append(
            f"shrunk from {len(report.history)} to {len(report.shrunk)} step(s) in {stats.replays} replay(s), "
            f"{report.shrink_seconds:.1f} s{note}:"
        )
        lines += [f"  {step.describe()}" for step in report.shrunk]
        if report.shrunk_failure is not None:
            lines += [f"  → {text}" for text in report.shrunk_failure.lines()]
    return lines
