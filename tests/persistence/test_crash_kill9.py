"""kill -9 under load (issue 8): two real `paimai serve` workers on one fresh PostgreSQL database, clients
alternating between their ports with bids, proxy bids, withdrawals and payments (every one with an
Idempotency-Key), while a worker chosen at random is killed with SIGKILL at random moments and started again.

Afterwards, from the database alone:
- every 2xx a client got is what the database stored for its key, and all of it is there (the bid row and
  its record entry, the withdrawal with its fee and its withdrawn bid, the paid order);
- nothing is there without its answer: every bid, withdrawal, fee, payment and record entry made during the
  load belongs to exactly one stored answer, so a request cut off by the kill was applied whole or not at all;
- the invariants hold: `paimai ledger check` passes (the books balance, every record verifies), each lot's
  price and leader equal a fresh replay of its active bids, and each frozen balance is its frozen deposits.

The plan (who does what, when a worker dies and which) comes from SEED; the interleaving does not.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from crash_load import Bidder, Call, Load, Worker, run_client, run_killer
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from conftest import Api, fresh_postgres_database, make_settings
from paimai.adapters.cli.main import app
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container
from paimai.domain.bidding import compute_standing
from paimai.persistence.db import normalise_url
from paimai.persistence.migrate import upgrade
from paimai.persistence.models import (
    Bid,
    Deposit,
    IdempotencyRecord,
    JournalEntryRow,
    LedgerAccount,
    Lot,
    LotEventRow,
    Order,
    PostingRow,
    Withdrawal,
)
from paimai.services import accounts
from paimai.services.lots import load_snapshot

SEED = 20261202
BIDDERS = 6  # one client thread each
LIVE_LOTS = 3
LOAD_SECONDS = 15.0
KILLS = 4
START, INC, DEPOSIT, FEE = 100_000, 1_000, 20_000, 300


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass(frozen=True)
class Marks:
    """The last row of each kind made by the set-up: everything after it was made under the load."""

    bid: int
    withdrawal: int
    entry: int
    event: int


def build_world(url: str) -> tuple[list[Bidder], list[int]]:
    """Bidders with money; for each a lot already sold to them (an order to pay); live lots everyone has a
    deposit on, without extensions and with a withdrawal fee. Through the API, in-process."""
    container = Container(make_settings(url))
    try:
        with TestClient(create_app(container=container)) as client:
            api = Api(client, container)
            staff = api.user("staff", staff=True)
            seller = api.user("seller", seller="individual")
            people = [api.user(f"bidder{i}", top_up=2_000_000) for i in range(BIDDERS)]
            lots = dict(start_price=START, increment=INC, deposit=DEPOSIT)
            for who in people:
                sold = api.live_lot(seller, staff, **lots)["id"]
                assert api.deposit(who, sold).status_code == 201
                assert api.bid(who, sold, START).status_code == 201
            assert api.advance(3601).status_code == 200
            ends = (api.now() + timedelta(hours=10)).isoformat()
            live = [
                int(api.live_lot(seller, staff, **lots, ends_at=ends, extension_seconds=0, withdrawal_fee=FEE)["id"])
                for _ in range(LIVE_LOTS)
            ]
            bidders = []
            for index, who in enumerate(people):
                for lot_id in live:
                    assert api.deposit(who, lot_id).status_code == 201
                (order,) = client.get("/api/v1/me/orders", headers=who).json()["items"]
                assert order["status"] == "awaiting_payment"
                user_id = client.get("/api/v1/me", headers=who).json()["id"]
                bidders.append(Bidder(index, user_id, who, order["id"]))
    finally:
        container.dispose()
    return bidders, live


def marks_of(session: Session) -> Marks:
    def last(column: Any) -> int:
        return int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0)

    return Marks(last(Bid.id), last(Withdrawal.id), last(JournalEntryRow.id), last(LotEventRow.id))


def check_answers(session: Session, bidders: list[Bidder], calls: list[Call], marks: Marks) -> dict[str, int]:
    """Every stored answer is whole in the database, every 2xx is a stored answer, nothing is unanswered."""
    user_of = {b.index: b.user_id for b in bidders}
    kind_of = {(user_of[c.client], c.key): c for c in calls}  # the request sent under each key
    stored = {(r.user_id, r.key): r for r in session.scalars(select(IdempotencyRecord))}
    bids = {b.id: b for b in session.scalars(select(Bid).where(Bid.id > marks.bid))}
    withdrawals = {w.id: w for w in session.scalars(select(Withdrawal).where(Withdrawal.id > marks.withdrawal))}
    events = {(e.lot_id, e.seq): e for e in session.scalars(select(LotEventRow).where(LotEventRow.id > marks.event))}
    orders = {o.id: o for o in session.scalars(select(Order))}

    # Every 2xx a client got is the answer stored for its key (so a replay gives the same).
    for call in calls:
        if call.acknowledged:
            row = stored.get((user_of[call.client], call.key))
            assert row is not None, f"a 2xx without its stored answer: {call}"
            assert (row.status_code, json.loads(row.response_body)) == (call.status, call.response), call

    # Every stored 2xx answer is in the database whole.
    claimed: Counter[tuple[str, int]] = Counter()
    for (user_id, key), row in stored.items():
        assert (user_id, key) in kind_of, f"a stored answer no client asked for: {key}"
        if not 200 <= row.status_code < 300:
            continue
        body, sent = json.loads(row.response_body), kind_of[(user_id, key)]
        if sent.kind == "bid":
            bid = bids[body["bid"]["id"]]
            lot_id = int(sent.path.split("/")[4])
            asked = sent.body["amount"] if bid.kind == "bid" else None  # a leader's raise keeps only the maximum
            assert (bid.lot_id, bid.bidder_id, bid.amount, bid.max_amount) == (
                lot_id,
                user_id,
                asked,
                sent.body.get("max_amount", sent.body["amount"]),
            )
            assert (bid.kind, bid.seq) == (body["bid"]["kind"], body["bid"]["seq"])
            if bid.seq is not None:
                event = events[(lot_id, bid.seq)]
                assert event.type == "BidPlaced" and json.loads(event.payload)["amount"] == bid.amount
            claimed["bid", bid.id] += 1
        elif sent.kind == "withdraw":
            done = withdrawals[body["withdrawal"]["id"]]
            lot_id, bid_id = int(sent.path.split("/")[4]), int(sent.path.split("/")[6])
            assert (done.lot_id, done.user_id, done.kind, done.fee, done.seq) == (
                lot_id,
                user_id,
                "bid",
                FEE,
                body["withdrawal"]["seq"],
            )
            assert events[(lot_id, done.seq)].type == "BidWithdrawn"
            withdrawn = session.get(Bid, bid_id)
            assert withdrawn is not None and withdrawn.status == "withdrawn" and withdrawn.bidder_id == user_id
            claimed["withdrawal", done.id] += 1
        elif sent.kind == "deposit":
            deposit = session.get(Deposit, body["id"])
            assert deposit is not None and (deposit.lot_id, deposit.user_id) == (body["lot_id"], user_id)
            if row.status_code == 201:  # the shortfall frozen (200: it was whole already, nothing moved)
                claimed["deposit", deposit.lot_id * 1_000_000 + user_id] += 1
        else:
            order = orders[body["id"]]
            assert (order.buyer_id, order.status, body["status"]) == (user_id, "paid", "paid")
            claimed["order", order.id] += 1

    # Nothing made during the load is without its stored answer: a request cut off left no trace, or all of it.
    for bid in bids.values():
        if bid.kind != "proxy":
            assert claimed["bid", bid.id] == 1, f"bid {bid.id} belongs to {claimed['bid', bid.id]} answers"
        if bid.seq is not None:
            assert events[(bid.lot_id, bid.seq)].type == "BidPlaced", bid.id
    for done in withdrawals.values():
        assert claimed["withdrawal", done.id] == 1, f"withdrawal {done.id} belongs to {claimed['withdrawal', done.id]}"
    by_seq = {(b.lot_id, b.seq) for b in bids.values() if b.seq is not None}
    by_seq |= {(w.lot_id, w.seq) for w in withdrawals.values()}
    assert set(events) == by_seq, "every record entry of the load is a bid's or a withdrawal's"
    entries = Counter[tuple[str, int | None, str]]()
    for entry_id, kind, entry_lot in session.execute(
        select(JournalEntryRow.id, JournalEntryRow.kind, JournalEntryRow.lot_id).where(JournalEntryRow.id > marks.entry)
    ):
        payer = session.scalar(
            select(PostingRow.account_key).where(PostingRow.entry_id == entry_id, PostingRow.amount < 0)
        )
        assert payer is not None
        entries[kind, entry_lot, payer.split(":")[1]] += 1
    fees = Counter(("withdrawal_fee", w.lot_id, str(w.user_id)) for w in withdrawals.values())
    payments = Counter(("order_payment", o.lot_id, str(o.buyer_id)) for o in orders.values() if o.status == "paid")
    freezes = Counter[tuple[str, int | None, str]]()
    for (what, packed), count in claimed.items():
        if what == "deposit":
            freezes["deposit_freeze", packed // 1_000_000, str(packed % 1_000_000)] += count
    assert entries == fees + payments + freezes, "each journal entry of the load is a fee, a payment or a freeze"
    for bidder in bidders:
        assert orders[bidder.order_id].status == "paid" and claimed["order", bidder.order_id] == 1

    unanswered = {(user_of[c.client], c.key) for c in calls} - {
        (user_of[c.client], c.key) for c in calls if c.status is not None
    }
    return {
        "requests": len({(c.client, c.key) for c in calls}),
        "attempts": len(calls),
        "acknowledged": len({(c.client, c.key) for c in calls if c.acknowledged}),
        "refused (4xx)": len({(c.client, c.key) for c in calls if c.status is not None and c.status >= 400}),
        "cut off by a kill": sum(1 for c in calls if c.error in ("RemoteProtocolError", "ReadError")),
        "never answered": len(unanswered),
        "never answered but applied": sum(1 for k in unanswered if k in stored),
        "bids": sum(1 for b in bids.values() if b.kind != "proxy"),
        "withdrawals": len(withdrawals),
        "deposits topped up": sum(v for (what, _), v in claimed.items() if what == "deposit"),
    }


def check_invariants(session: Session, url: str) -> None:
    env = {"PAIMAI_DATABASE_URL": url, "PAIMAI_CLOCK": "system", "PAIMAI_REDIS_URL": None, "PAIMAI_ENV": None}
    result = CliRunner().invoke(app, ["ledger", "check"], env=env)
    assert result.exit_code == 0, result.output
    assert "ledger OK" in result.output and "records OK" in result.output
    for lot in session.scalars(select(Lot).order_by(Lot.id)):
        snapshot = load_snapshot(session, lot)
        standing = compute_standing(snapshot.submissions, snapshot.rules)
        assert (standing.price, standing.leader_id) == (lot.current_price, lot.leader_id), f"lot {lot.id}"
    frozen = Counter[str]()
    for user_id, amount in session.execute(select(Deposit.user_id, Deposit.amount).where(Deposit.status == "frozen")):
        frozen[f"user:{user_id}:frozen"] += amount
    held = {
        key: balance
        for key, balance in session.execute(select(LedgerAccount.key, LedgerAccount.balance))
        if key.endswith(":frozen") and key.startswith("user:")
    }
    assert {key: value for key, value in held.items() if value} == dict(frozen)


@pytest.mark.postgres
def test_kill9_under_load_loses_no_acknowledged_request_and_leaves_no_partial_one(tmp_path: Path) -> None:
    with fresh_postgres_database("crash") as url:
        upgrade(url)
        bidders, live = build_world(url)
        engine = create_engine(normalise_url(url))
        with Session(engine) as session:
            marks = marks_of(session)
        env = {
            "PAIMAI_DATABASE_URL": url,
            "PAIMAI_CLOCK": "simulated",
            "PAIMAI_REDIS_URL": "",
            "PAIMAI_WITHDRAWAL_QUOTA_PER_DAY": "100000",
        }
        workers = [Worker("worker-a", env, tmp_path), Worker("worker-b", env, tmp_path)]
        load, kills = Load(), list[tuple[float, str]]()
        try:
            for worker in workers:
                worker.start()
            ports = [worker.port for worker in workers]
            threads = [
                threading.Thread(target=run_client, args=(b, live, ports, LOAD_SECONDS, SEED * 100 + b.index, load))
                for b in bidders
            ]
            threads.append(threading.Thread(target=run_killer, args=(workers, LOAD_SECONDS, KILLS, SEED, kills)))
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=LOAD_SECONDS + 60)
            assert not any(thread.is_alive() for thread in threads)
            took = time.monotonic() - started
        finally:
            for worker in workers:
                worker.stop()
        try:
            assert len(kills) == KILLS, kills
            assert not [c for c in load.calls if c.status is not None and c.status >= 500]
            with Session(engine) as session:
                numbers = check_answers(session, bidders, load.calls, marks)
                check_invariants(session, url)
        finally:
            engine.dispose()
        print(f"\nkill -9 ×{KILLS} at {kills} during {took:.1f} s: {numbers}")
        # The run exercised what it claims to: answers of every kind, requests cut off mid-flight.
        assert numbers["bids"] > 30 and numbers["withdrawals"] > 5 and numbers["deposits topped up"] > 0, numbers
        assert numbers["cut off by a kill"] + numbers["never answered"] > 0, numbers
