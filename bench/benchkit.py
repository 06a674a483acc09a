"""The parts of the benches that are not the measurement: a throwaway database, a real `paimai serve`,
accounts and lots made through the CLI and the API, CPU and backend sampling, and pgbench as the reference."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from paimai.persistence.db import normalise_url
from paimai.persistence.migrate import upgrade

PASSWORD = "bench-password-1"
START_PRICE = 100_000
INCREMENT = 100
DEPOSIT = 1_000
TOP_UP = 10_000_000
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    """Setup or the server failed (as opposed to a measured result)."""


def recreate_database(database_url: str) -> None:
    url = make_url(database_url)
    admin = create_engine(
        normalise_url(url.set(database="postgres").render_as_string(False)), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        admin.dispose()
    upgrade(normalise_url(database_url))


def sql_scalar(database_url: str, query: str) -> Any:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as conn:
            return conn.execute(text(query)).scalar_one()
    finally:
        engine.dispose()


def paimai_command() -> list[str]:
    script = Path(sys.executable).parent / "paimai"
    return [str(script)] if script.exists() else [sys.executable, "-m", "paimai.adapters.cli.main"]


def server_environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAIMAI_")}
    env.update(
        PAIMAI_DATABASE_URL=database_url,
        PAIMAI_ENV="development",
        PAIMAI_CLOCK="system",
        PAIMAI_LOGIN_LIMIT_PER_ADDRESS="100000/minute",  # setup registers and logs N bidders in from one address
        PAIMAI_REGISTER_LIMIT_PER_ADDRESS="100000/hour",
    )
    return env  # no PAIMAI_REDIS_URL: the in-process bus; the bench measures bidding, not fan-out


class Server:
    """`paimai serve` in a session of its own, so that its whole process group can be stopped."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.env, self.workers, self.log_path = env, workers, log_path
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        command = [*paimai_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", str(self.workers), "--no-migrate"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/api/v1/_clock", timeout=2.0, trust_env=False).status_code == 200:
                    return
            time.sleep(0.2)
        raise BenchError(f"the server did not answer within {timeout:.0f}s:\n{self.log_tail()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # our own group (start_new_session): stray workers end here
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


# ---- accounts and the lot ---------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def expect(response: httpx.Response, statuses: tuple[int, ...], what: str) -> dict[str, Any]:
    if response.status_code not in statuses:
        raise BenchError(f"{what}: HTTP {response.status_code} {response.text[:500]}")
    body: dict[str, Any] = response.json()
    return body


def cli_create_user(env: dict[str, str], username: str, role: str) -> None:
    command = [*paimai_command(), "user", "create", "--username", username, "--password", PASSWORD, role]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise BenchError(f"`paimai user create {username} {role}` failed: {done.stdout}{done.stderr}")


async def login(client: httpx.AsyncClient, username: str) -> str:
    body = {"username": username, "password": PASSWORD}
    return str(expect(await client.post("/api/v1/auth/login", json=body), (200,), "login")["token"])


async def make_bidder(client: httpx.AsyncClient, gate: asyncio.Semaphore, index: int) -> str:
    username = f"bench_bidder_{index:03d}"
    async with gate:
        body = {"username": username, "password": PASSWORD}
        expect(await client.post("/api/v1/auth/register", json=body), (201,), "register")
        token = await login(client, username)
        top_up = await client.post("/api/v1/me/wallet/top-up", headers=bearer(token), json={"amount": TOP_UP})
        expect(top_up, (200,), "top-up")
    return token


async def create_live_lot(client: httpx.AsyncClient, seller: str, staff: str, title: str) -> int:
    now = datetime.now(UTC)
    body = {
        "title": title,
        "category": "art",
        "start_price": START_PRICE,
        "increment": INCREMENT,
        "deposit": DEPOSIT,
        "starts_at": (now - timedelta(seconds=1)).isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
        "extension_seconds": 0,
    }
    lot_id = int(expect(await client.post("/api/v1/lots", headers=bearer(seller), json=body), (201,), "lot")["id"])
    expect(await client.post(f"/api/v1/staff/lots/{lot_id}/approve", headers=bearer(staff)), (200,), "approve")
    status = expect(await client.get(f"/api/v1/lots/{lot_id}"), (200,), "read lot")["status"]
    if status != "live":
        raise BenchError(f"lot {lot_id} is {status} after approval, expected live")
    return lot_id


async def pay_deposit(client: httpx.AsyncClient, gate: asyncio.Semaphore, token: str, lot_id: int) -> None:
    async with gate:
        expect(await client.post(f"/api/v1/lots/{lot_id}/deposit", headers=bearer(token)), (200, 201), "deposit")


# ---- where the time goes: CPU per process group, and what the database backends are doing -------


def cpu_seconds(server_session: int) -> dict[str, float]:
    """Cumulative CPU seconds: the server's process group, all postgres processes, this process, the machine."""
    server = postgres = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(os.path.join(entry.path, "stat")) as handle:
                data = handle.read()
        except OSError:
            continue
        comm, rest = data[data.find("(") + 1 : data.rfind(")")], data[data.rfind(")") + 2 :].split()
        ticks = sum(int(value) for value in rest[11:15])  # utime stime cutime cstime (c*: exited children)
        if int(rest[3]) == server_session:
            server += ticks
        elif comm == "postgres":
            postgres += ticks
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:9]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    return {
        "server": server / CLK_TCK,
        "postgres": postgres / CLK_TCK,
        "bench client": time.process_time(),
        "machine": busy / CLK_TCK,
    }


class BackendSampler(threading.Thread):
    """Every 50 ms, pg_stat_activity of the bench database: how many backends do what, on average."""

    QUERY = text(
        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
        "WHERE datname = :db AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )

    def __init__(self, database_url: str) -> None:
        super().__init__(name="pg-sampler", daemon=True)
        self.engine = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
        self.database = make_url(database_url).database
        self.stopping = threading.Event()
        self.samples = 0
        self.counts: Counter[str] = Counter()

    @staticmethod
    def classify(state: str | None, wait_type: str | None, wait_event: str | None) -> str:
        if state == "idle":
            return "idle"
        if state == "idle in transaction":
            return "idle in transaction (app's turn)"
        if wait_type == "Lock":
            return f"waiting for lock ({wait_event})"
        return "active" if wait_type is None else f"active, {wait_type}:{wait_event}"

    def run(self) -> None:
        with contextlib.suppress(Exception), self.engine.connect() as conn:  # an aid: failing must not end the bench
            while not self.stopping.wait(0.05):
                rows = conn.execute(self.QUERY, {"db": self.database}).all()
                self.samples += 1
                self.counts.update(self.classify(*row) for row in rows)

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.join(timeout=5)
        self.engine.dispose()
        return {key: round(count / max(self.samples, 1), 1) for key, count in self.counts.most_common()}


def run_pgbench(database_url: str, clients: int, seconds: float, script: Path) -> tuple[float, float]:
    """(tps, average latency ms) of the one-row UPDATE with `clients` connections."""
    url = make_url(database_url)
    command = [shutil.which("pgbench") or "/usr/bin/pgbench", "-h", url.host or "127.0.0.1"]
    command += ["-p", str(url.port or 5432), "-U", url.username or "postgres", "-n", "-f", str(script)]
    command += ["-c", str(clients), "-j", str(min(clients, 2)), "-T", str(round(seconds)), str(url.database)]
    env = dict(os.environ, PGPASSWORD=url.password or "")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False)
    tps = re.search(r"^tps = ([0-9.]+)", done.stdout, re.MULTILINE)
    latency = re.search(r"^latency average = ([0-9.]+) ms", done.stdout, re.MULTILINE)
    if done.returncode != 0 or tps is None or latency is None:
        raise BenchError(f"pgbench -c {clients} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return float(tps.group(1)), float(latency.group(1))
