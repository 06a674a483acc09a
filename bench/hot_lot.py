"""Hot-lot bench: N concurrent bidders on one live lot, against a real `paimai serve` on PostgreSQL.

Run from the repository root (`make bench` runs it with the defaults):

    .venv/bin/python bench/hot_lot.py --clients 8,32,64 --seconds 15 --workers 2

What it does (figures and their reading are in bench/README.md):
  1. drops, recreates and migrates a dedicated database (default `paimai_bench`; its name must contain "bench");
  2. starts `paimai serve` on 127.0.0.1 (a free port), and always stops it at the end;
  3. creates staff and a seller with the CLI, N bidders over the API (register, log in, top up);
  4. per N: a fresh live lot, N deposits, then N clients bid for --seconds: each bids the next valid amount
     it last saw; on BID_TOO_LOW it retries at the `next_valid` the server returned; when it leads it
     re-reads the lot every --poll-ms until outbid (a leader may not outbid itself);
     afterwards the lot's bid list, sequence numbers and hash-chained record are checked;
  5. with the server stopped, pgbench `UPDATE counter SET v = v + 1 WHERE id = 1` with the same N for the
     same time on the same database: the ceiling of "one hot row, one transaction each" here;
  6. prints a Markdown table (and with --json writes everything to a file).

Only 127.0.0.1 is contacted; every step is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from benchkit import (
    INCREMENT,
    START_PRICE,
    BackendSampler,
    BenchError,
    Server,
    bearer,
    cli_create_user,
    cpu_seconds,
    create_live_lot,
    expect,
    login,
    make_bidder,
    pay_deposit,
    recreate_database,
    run_pgbench,
    server_environment,
    sql_scalar,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from paimai.persistence.db import normalise_url


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="paimai hot-lot bench: one live lot, N concurrent bidders")
    parser.add_argument("--clients", default="8,32,64", help="comma-separated client counts (default 8,32,64)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each round (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="`paimai serve --workers` (default 2)")
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/paimai_bench",
        help="the bench database, DROPPED and recreated; its name must contain 'bench'",
    )
    parser.add_argument("--poll-ms", type=float, default=10.0, help="leader's pause between re-reads (default 10)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results to this file")
    parser.add_argument("--skip-pgbench", action="store_true", help="do not run the pgbench comparison")
    options = parser.parse_args(argv)
    try:
        options.clients = [int(part) for part in options.clients.split(",") if part.strip()]
    except ValueError:
        parser.error("--clients must be comma-separated integers, e.g. 8,32,64")
    if not options.clients or not all(1 <= n <= 200 for n in options.clients):
        parser.error("--clients values must be between 1 and 200")
    if not 1 <= options.seconds <= 600 or not 1 <= options.workers <= 16:
        parser.error("--seconds must be within 1..600 and --workers within 1..16")
    url = make_url(options.database_url)
    if not url.drivername.startswith("postgres") or url.host not in ("127.0.0.1", "localhost"):
        parser.error("--database-url must be a PostgreSQL URL on 127.0.0.1")
    if "bench" not in (url.database or ""):
        parser.error("the bench database is dropped and recreated: its name must contain 'bench'")
    return options


# ---- database and server ----------------------------------------------------------------------


# ---- one round: N clients bid on one lot ------------------------------------------------------


@dataclass
class ClientStats:
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)  # every bid request, accepted or not
    accepted_at: list[float] = field(default_factory=list)
    reads: int = 0
    errors: int = 0  # transport errors and 5xx
    samples: list[str] = field(default_factory=list)  # a few unexpected responses, for the report


def unexpected(stats: ClientStats, what: str) -> None:
    stats.errors += 1
    if len(stats.samples) < 3:
        stats.samples.append(what[:500])


async def next_amount(client: httpx.AsyncClient, lot_id: int, stats: ClientStats) -> tuple[int, bool] | None:
    """GET the lot: (next valid amount, am I leading), or None if it could not be read."""
    try:
        response = await client.get(f"/api/v1/lots/{lot_id}")
    except httpx.HTTPError as error:
        unexpected(stats, f"read: {error!r}")
        return None
    stats.reads += 1
    if response.status_code != 200:
        unexpected(stats, f"read: HTTP {response.status_code} {response.text}")
        return None
    body = response.json()
    return int(body["next_valid_amount"]), bool(body["i_am_leader"])


async def until_outbid(
    client: httpx.AsyncClient, lot_id: int, stats: ClientStats, deadline: float, poll: float
) -> int | None:
    """The leader may not outbid itself: re-read the lot until someone else leads; None when time is up."""
    while time.monotonic() < deadline:
        await asyncio.sleep(poll)
        state = await next_amount(client, lot_id, stats)
        if state is not None and not state[1]:
            return state[0]
    return None


async def bidder(client: httpx.AsyncClient, lot_id: int, deadline: float, poll: float, stats: ClientStats) -> None:
    state = await next_amount(client, lot_id, stats)
    amount: int | None = START_PRICE if state is None else state[0]
    while amount is not None and time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            response = await client.post(f"/api/v1/lots/{lot_id}/bids", json={"amount": amount})
        except httpx.HTTPError as error:
            unexpected(stats, f"bid: {error!r}")
            amount = await until_outbid(client, lot_id, stats, deadline, poll)
            continue
        stats.latencies.append(time.perf_counter() - started)
        try:
            body = response.json()
        except ValueError:  # e.g. a plain-text 500
            body = {}
        if response.status_code == 201:
            stats.accepted += 1
            stats.accepted_at.append(time.monotonic())
            amount = int(body["current_price"]) + INCREMENT
            if body["leading"]:
                amount = await until_outbid(client, lot_id, stats, deadline, poll)
            continue
        code = str(body.get("error", {}).get("code", "?"))
        stats.rejected[code] += 1
        if code == "BID_TOO_LOW":
            amount = int(body["error"]["next_valid"])
        elif code == "ALREADY_LEADING":
            amount = await until_outbid(client, lot_id, stats, deadline, poll)
        else:
            unexpected(stats, f"bid: HTTP {response.status_code} {response.text}")
            amount = await until_outbid(client, lot_id, stats, deadline, poll)


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[max(1, math.ceil(fraction * len(sorted_values))) - 1]


async def check_lot(client: httpx.AsyncClient, lot_id: int, accepted: int) -> dict[str, bool]:
    """After the round: the lot, its bid list, its record and what the clients were told all agree."""
    lot = expect(await client.get(f"/api/v1/lots/{lot_id}"), (200,), "read lot")
    bids = sorted(
        expect(await client.get(f"/api/v1/lots/{lot_id}/bids"), (200,), "bids")["items"], key=lambda b: b["seq"]
    )
    record = expect(await client.get(f"/api/v1/lots/{lot_id}/record"), (200,), "record")
    seqs, amounts = [b["seq"] for b in bids], [b["amount"] for b in bids]
    leading = [b for b in bids if b["status"] == "leading"]
    return {
        "clients' 201s = bid_count = bids listed": accepted == lot["bid_count"] == len(bids),
        "bid seqs gap-free, last = lot seq": not seqs or seqs == list(range(seqs[0], lot["seq"] + 1)),
        "amounts strictly increase": all(b > a for a, b in itertools.pairwise(amounts)),
        "one leader, at current price": not bids or [b["amount"] for b in leading] == [lot["current_price"]],
        "record gap-free and verified": [e["seq"] for e in record["entries"]] == list(range(1, lot["seq"] + 1))
        and record["verified"] is True,
    }


@dataclass
class RoundResult:
    clients: int
    seconds: float
    accepted_per_s: float
    p50_ms: float
    p99_ms: float
    rejected_per_s: float
    rejected: dict[str, int]
    reads_per_s: float
    accepted_first_s: int
    accepted_last_s: int
    errors: int
    samples: list[str]
    checks: dict[str, bool]
    cpu_cores: dict[str, float]
    backends: dict[str, float]
    pgbench_tps: float | None = None
    pgbench_latency_ms: float | None = None

    @property
    def correct(self) -> bool:
        return self.errors == 0 and all(self.checks.values())

    @property
    def ratio(self) -> float | None:
        return self.accepted_per_s / self.pgbench_tps if self.pgbench_tps else None


async def run_round(server: Server, database_url: str, lot_id: int, tokens: list[str], options: Any) -> RoundResult:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)  # one connection per client
    clients = [
        httpx.AsyncClient(base_url=server.base_url, headers=bearer(t), timeout=30.0, limits=limits, trust_env=False)
        for t in tokens
    ]
    stats = [ClientStats() for _ in tokens]
    sampler = BackendSampler(database_url)
    tasks: list[asyncio.Task[None]] = []
    server_session = server.process.pid if server.process else -1  # the session id of its process group
    try:
        await asyncio.gather(*(c.get("/api/v1/_clock") for c in clients))  # connect before the clock starts
        sampler.start()
        cpu_before = cpu_seconds(server_session)
        started = time.monotonic()
        deadline = started + options.seconds
        tasks += [
            asyncio.create_task(bidder(c, lot_id, deadline, options.poll_ms / 1000, s))
            for c, s in zip(clients, stats, strict=True)
        ]
        done, pending = await asyncio.wait(tasks, timeout=options.seconds + 45)
        for task in pending:
            task.cancel()
        elapsed = time.monotonic() - started
        cpu_after = cpu_seconds(server_session)
        backends = sampler.stop()
        for task in done:
            task.result()  # a bug in the bench itself surfaces here
        accepted = sum(s.accepted for s in stats)
        checks = await check_lot(clients[0], lot_id, accepted)
    finally:
        sampler.stopping.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(c.aclose() for c in clients), return_exceptions=True)
    rejected: Counter[str] = Counter()
    for s in stats:
        rejected.update(s.rejected)
    latencies = sorted(x for s in stats for x in s.latencies)
    accepted_at = [x for s in stats for x in s.accepted_at]
    return RoundResult(
        clients=len(tokens),
        seconds=round(elapsed, 1),
        accepted_per_s=round(accepted / elapsed, 1),
        p50_ms=round(percentile(latencies, 0.50) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        rejected_per_s=round(sum(rejected.values()) / elapsed, 1),
        rejected=dict(rejected),
        reads_per_s=round(sum(s.reads for s in stats) / elapsed, 1),
        accepted_first_s=sum(1 for x in accepted_at if x < started + 1),
        accepted_last_s=sum(1 for x in accepted_at if x >= deadline - 1),
        errors=sum(s.errors for s in stats) + len(pending),
        samples=[x for s in stats for x in s.samples][:5],
        checks=checks,
        cpu_cores={key: round((cpu_after[key] - cpu_before[key]) / elapsed, 2) for key in cpu_before},
        backends=backends,
    )


# ---- pgbench ----------------------------------------------------------------------------------


def pgbench_rounds(database_url: str, results: list[RoundResult], seconds: float, workdir: Path) -> None:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS counter"))
            conn.execute(text("CREATE TABLE counter (id int PRIMARY KEY, v bigint NOT NULL)"))
            conn.execute(text("INSERT INTO counter VALUES (1, 0)"))
    finally:
        engine.dispose()
    script = workdir / "counter.sql"
    script.write_text("UPDATE counter SET v = v + 1 WHERE id = 1;\n")
    for result in results:
        print(f"pgbench -c {result.clients} -T {round(seconds)}: ", end="", flush=True)
        result.pgbench_tps, result.pgbench_latency_ms = run_pgbench(database_url, result.clients, seconds, script)
        print(f"{result.pgbench_tps:.0f} tps, latency {result.pgbench_latency_ms} ms", flush=True)


# ---- the whole bench --------------------------------------------------------------------------


async def bench_rounds(server: Server, env: dict[str, str], options: Any, results: list[RoundResult]) -> None:
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)  # unwinds like Ctrl-C
    started = time.monotonic()
    await asyncio.to_thread(cli_create_user, env, "bench_staff", "--staff")
    await asyncio.to_thread(cli_create_user, env, "bench_seller", "--seller")
    gate = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60.0, trust_env=False) as client:
        staff, seller = await login(client, "bench_staff"), await login(client, "bench_seller")
        tokens = await asyncio.gather(*(make_bidder(client, gate, i) for i in range(1, max(options.clients) + 1)))
        print(f"accounts ready: staff, seller, {len(tokens)} bidders ({time.monotonic() - started:.1f}s)", flush=True)
        for n in options.clients:
            lot_id = await create_live_lot(client, seller, staff, f"Hot lot, {n} bidders")
            await asyncio.gather(*(pay_deposit(client, gate, token, lot_id) for token in tokens[:n]))
            print(f"N={n}: lot {lot_id} live, {n} deposits paid; bidding for {options.seconds:g}s", flush=True)
            result = await run_round(server, options.database_url, lot_id, tokens[:n], options)
            results.append(result)
            print_round(result)


def print_round(r: RoundResult) -> None:
    print(f"  accepted {r.accepted_per_s}/s (first second {r.accepted_first_s}, last second {r.accepted_last_s})")
    print(f"  rejected {r.rejected_per_s}/s {r.rejected}; lot reads by leaders {r.reads_per_s}/s")
    print(f"  bid request latency: p50 {r.p50_ms} ms, p99 {r.p99_ms} ms")
    print(f"  CPU cores busy: {r.cpu_cores}")
    print(f"  bench DB backends, on average: {r.backends}")
    print(
        f"  errors (transport, 5xx, unexpected): {r.errors}; checks: {'all ok' if all(r.checks.values()) else r.checks}"
    )
    for sample in r.samples:
        print(f"  ! {sample}")


def tables(results: list[RoundResult]) -> str:
    lines = [
        "| N | accepted bids/s | p50 ms | p99 ms | pgbench 1-row UPDATE tps | ratio | bid requests/s (201 + 409)"
        " | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        tps = "—" if r.pgbench_tps is None else f"{r.pgbench_tps:.0f}"
        ratio = "—" if r.ratio is None else f"{r.ratio:.4f}"
        bid_requests = r.accepted_per_s + r.rejected_per_s
        ratio_all = "—" if r.pgbench_tps is None else f"{bid_requests / r.pgbench_tps:.4f}"
        lines.append(
            f"| {r.clients} | {r.accepted_per_s:.1f} | {r.p50_ms:.0f} | {r.p99_ms:.0f} | {tps} | {ratio}"
            f" | {bid_requests:.1f} | {ratio_all} |"
        )
    lines += [
        "",
        "| N | rejected/s (409) | leader reads/s | accepted 1st s → last s"
        " | CPU cores: server / postgres / bench / machine | backends: idle in tx / lock wait / active | correct |",
        "|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        cpu = " / ".join(f"{r.cpu_cores[key]:.2f}" for key in ("server", "postgres", "bench client", "machine"))
        lock_wait = sum(v for k, v in r.backends.items() if k.startswith("waiting for lock"))
        active = sum(v for k, v in r.backends.items() if k.startswith("active"))
        idle_tx = r.backends.get("idle in transaction (app's turn)", 0.0)
        lines.append(
            f"| {r.clients} | {r.rejected_per_s:.1f} | {r.reads_per_s:.1f} | {r.accepted_first_s} → {r.accepted_last_s}"
            f" | {cpu} | {idle_tx:.1f} / {lock_wait:.1f} / {active:.1f} | {'yes' if r.correct else 'NO'} |"
        )
    return "\n".join(lines)


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM unwinds like Ctrl-C, so the server is stopped either way


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    database = make_url(options.database_url).database
    print(f"database {database}: dropping, creating, migrating", flush=True)
    recreate_database(options.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="paimai-bench-"))
    env = server_environment(options.database_url)
    server = Server(env, options.workers, workdir / "server.log")
    results: list[RoundResult] = []
    failure = None
    try:
        server.start()
        print(f"server {server.base_url}, {options.workers} worker(s), log {server.log_path}", flush=True)
        asyncio.run(bench_rounds(server, env, options, results))
    except BenchError as error:
        failure = f"bench failed: {error}"
    except (KeyboardInterrupt, asyncio.CancelledError):
        failure = "interrupted"
    finally:
        signal.signal(signal.SIGTERM, _interrupt)  # closing the event loop reset it
        server.stop()
    log = server.log_text()
    tracebacks = log.count("Traceback (most recent call last)")
    if results and not options.skip_pgbench and failure is None:
        try:
            pgbench_rounds(options.database_url, results, options.seconds, workdir)
        except (BenchError, subprocess.TimeoutExpired) as error:
            failure = f"pgbench failed: {error}"
    ok = failure is None and tracebacks == 0 and bool(results) and all(r.correct for r in results)
    if results:
        print(f"\n{tables(results)}\n")
    if options.json is not None:
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "postgres": sql_scalar(options.database_url, "SHOW server_version"),
            "command": " ".join(["python", *sys.argv]),
            "workers": options.workers,
            "seconds": options.seconds,
            "rounds": [{**asdict(r), "ratio": r.ratio} for r in results],
            "server_tracebacks": tracebacks,
            "ok": ok,
        }
        options.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {options.json}")
    if failure:
        print(failure, file=sys.stderr)
    if ok:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"NOT OK; {tracebacks} traceback(s) in the server log, kept at {server.log_path}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
