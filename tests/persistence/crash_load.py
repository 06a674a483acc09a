"""What the kill -9 test drives: real `paimai serve` processes that can be killed and restarted on their port,
and clients that send bids, withdrawals and payments, each with an Idempotency-Key, noting every answer.

Only the plan is seeded (what each client does next, when a worker is killed and which); how the threads and
processes interleave is up to the machine, which is the point.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from servers import free_port


class Worker:
    """One `paimai serve` process on a fixed port of its own, killable with SIGKILL and started again there."""

    def __init__(self, name: str, env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.logs = logs
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = (self.logs / f"{self.name}-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "paimai.adapters.cli.main", "serve", "--port", str(self.port), "--no-migrate"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.base}/api/v1/categories", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start on port {self.port}; see {self.logs}")
            time.sleep(0.05)

    def kill9(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Call:
    """One HTTP attempt. A retry of an unanswered request is another Call with the same key."""

    client: int
    kind: str  # "bid", "withdraw", "deposit" or "pay"
    key: str
    path: str
    body: dict[str, Any]
    port: int
    status: int | None = None  # None: no answer (connection refused, or cut off by the kill)
    response: Any = None
    error: str | None = None

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Bidder:
    index: int
    user_id: int
    headers: dict[str, str]
    order_id: int


@dataclass
class Load:
    """Everything the clients did, shared by their threads."""

    calls: list[Call] = field(default_factory=list)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def note(self, call: Call) -> None:
        with self.guard:
            self.calls.append(call)


def send(http: httpx.Client, call: Call, headers: dict[str, str], load: Load) -> Call:
    try:
        answer = http.post(
            f"http://127.0.0.1:{call.port}{call.path}",
            headers={**headers, "Idempotency-Key": call.key},
            json=call.body,
        )
    except httpx.HTTPError as error:
        call.error = type(error).__name__
    else:
        call.status = answer.status_code
        call.response = answer.json()
    load.note(call)
    return call


def run_client(bidder: Bidder, lot_ids: list[int], ports: list[int], seconds: float, seed: int, load: Load) -> None:
    """Bid (a quarter of them with a proxy maximum), withdraw one's latest bid (its fee comes out of the
    deposit, so a bid refused with DEPOSIT_REQUIRED is followed by a deposit), and pay one's order once, at
    a seeded moment; an unanswered payment is sent again with its key until it is answered, an unanswered
    bid or withdrawal half the time."""
    rng = random.Random(seed)
    started = time.monotonic()
    pay_after = rng.uniform(0.2, 0.7) * seconds
    paid = False
    mine: dict[int, list[int]] = {lot_id: [] for lot_id in lot_ids}  # acknowledged bids, oldest first
    turn = 0
    with httpx.Client(timeout=10) as http:
        while time.monotonic() - started < seconds:
            turn += 1
            port = ports[(bidder.index + turn) % len(ports)]
            other = ports[(bidder.index + turn + 1) % len(ports)]
            key = f"c{bidder.index}-{turn}"
            if not paid and time.monotonic() - started >= pay_after:
                call = Call(bidder.index, "pay", key, f"/api/v1/orders/{bidder.order_id}/pay", {}, port)
                for attempt in range(40):
                    sent = send(http, call, bidder.headers, load)
                    if sent.status is not None:
                        break
                    time.sleep(0.1)
                    call = Call(bidder.index, "pay", key, call.path, {}, other if attempt % 2 == 0 else port)
                paid = True
                continue
            lot_id = rng.choice(lot_ids)
            if rng.random() < 0.25 and mine[lot_id]:
                bid_id = mine[lot_id][-1]
                call = Call(
                    bidder.index,
                    "withdraw",
                    key,
                    f"/api/v1/lots/{lot_id}/bids/{bid_id}/withdraw",
                    {"confirm": True},
                    port,
                )
            else:
                try:
                    lot = http.get(f"http://127.0.0.1:{port}/api/v1/lots/{lot_id}").json()
                except (httpx.HTTPError, ValueError):
                    time.sleep(0.05)
                    continue
                amount = lot["next_valid_amount"] + rng.choice((0, 0, 1, 2)) * lot["increment"]
                body: dict[str, Any] = {"amount": amount}
                if rng.random() < 0.25:
                    body["max_amount"] = amount + rng.randint(1, 4) * lot["increment"]
                call = Call(bidder.index, "bid", key, f"/api/v1/lots/{lot_id}/bids", body, port)
            sent = send(http, call, bidder.headers, load)
            if sent.status is None and rng.random() < 0.5:
                time.sleep(0.05)
                sent = send(http, Call(call.client, call.kind, key, call.path, call.body, other), bidder.headers, load)
            if sent.status == 409 and sent.response["error"]["code"] == "DEPOSIT_REQUIRED":
                # A withdrawal fee came out of the deposit: freeze the shortfall, then bid again later.
                top = Call(bidder.index, "deposit", f"{key}-d", f"/api/v1/lots/{lot_id}/deposit", {}, port)
                send(http, top, bidder.headers, load)
            if sent.acknowledged and sent.kind == "bid":
                mine[lot_id].append(sent.response["bid"]["id"])
            if sent.kind == "withdraw" and sent.status is not None:
                mine[lot_id].remove(int(call.path.split("/")[-2]))  # withdrawn, or not ours to withdraw now


def run_killer(workers: list[Worker], seconds: float, kills: int, seed: int, done: list[tuple[float, str]]) -> None:
    """Kill a seeded choice of worker at seeded moments with SIGKILL, and start it again on its port."""
    rng = random.Random(seed)
    started = time.monotonic()
    moments = sorted(rng.uniform(0.5, seconds - 2.5) for _ in range(kills))
    for moment in moments:
        victim = rng.choice(workers)
        time.sleep(max(0.0, moment - (time.monotonic() - started)))
        victim.kill9()
        done.append((round(time.monotonic() - started, 2), victim.name))
        time.sleep(rng.uniform(0.0, 0.3))  # a while with one worker only
        victim.start()
