"""`paimai backup` / `paimai restore`: a database made through the API (a paid order, bids, a withdrawal) is
backed up, changed or deleted, restored, and then every table holds exactly what it held at the backup and
`paimai ledger check` passes. SQLite through the online backup API (also under a running server); PostgreSQL
through pg_dump --format=custom and pg_restore into a fresh database.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from argon2 import PasswordHasher
from cli_support import ENV_KEYS, ok, sqlite_url
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, create_engine, select
from typer.testing import CliRunner, Result

from conftest import Api, fresh_postgres_database, make_settings
from paimai.adapters.cli.main import app
from paimai.adapters.http.app import create_app
from paimai.bootstrap import Container
from paimai.persistence import backup as files
from paimai.persistence.db import normalise_url
from paimai.persistence.migrate import alembic_config
from paimai.services import accounts
from servers import running_server


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass
class Made:
    seller: dict[str, str]
    staff: dict[str, str]
    buyer: dict[str, str]
    runner: dict[str, str]
    live: int


def paimai(*args: str, url: str, **env: str) -> Result:
    """`paimai ARGS` in-process on this database (plus any extra environment, e.g. PATH)."""
    full: dict[str, str | None] = dict.fromkeys(ENV_KEYS)
    full.update({"PAIMAI_DATABASE_URL": url, "PAIMAI_CLOCK": "system", **env})
    return CliRunner().invoke(app, list(args), env=full)


@contextmanager
def api_on(url: str) -> Iterator[Api]:
    container = Container(make_settings(url))
    try:
        with TestClient(create_app(container=container)) as client:
            yield Api(client, container)
    finally:
        container.dispose()


def trade(api: Api) -> Made:
    """A lot sold and its order paid, and a live lot with two bidders' bids and one withdrawn bid."""
    seller = api.user("seller", seller="individual")
    staff = api.user("staff", staff=True)
    buyer = api.user("buyer", top_up=1_000_000)
    runner = api.user("runner", top_up=1_000_000)
    sold = int(api.live_lot(seller, staff)["id"])
    for who in (buyer, runner):
        assert api.deposit(who, sold).status_code == 201
    assert api.bid(runner, sold, 100_000).status_code == 201
    assert api.bid(buyer, sold, 110_000).status_code == 201
    assert api.advance(3601).status_code == 200
    (order,) = api.client.get("/api/v1/me/orders", headers=buyer).json()["items"]
    paid = api.client.post(f"/api/v1/orders/{order['id']}/pay", headers=buyer)
    assert paid.status_code == 200, paid.text

    live = int(api.live_lot(seller, staff)["id"])
    for who in (buyer, runner):
        assert api.deposit(who, live).status_code == 201
    assert api.bid(runner, live, 100_000, max_amount=150_000).status_code == 201
    placed = api.bid(buyer, live, 160_000)
    assert placed.status_code == 201, placed.text
    withdrawn = api.client.post(
        f"/api/v1/lots/{live}/bids/{placed.json()['bid']['id']}/withdraw", headers=buyer, json={"confirm": True}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    return Made(seller, staff, buyer, runner, live)


def more_trade(api: Api, made: Made) -> None:
    """Changes after the backup: a top-up and a bid, so the restore has something to undo."""
    assert api.client.post("/api/v1/me/wallet/top-up", headers=made.runner, json={"amount": 7_777}).status_code == 200
    assert api.bid(made.buyer, made.live, 170_000).status_code == 201


Rows = dict[str, list[dict[str, Any]]]


def snapshot(url: str) -> Rows:
    """Every row of every table (alembic_version included), in primary-key order."""
    engine = create_engine(normalise_url(url))
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as conn:
            return {
                name: [dict(row._mapping) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
                for name, table in sorted(metadata.tables.items())
            }
    finally:
        engine.dispose()


def counts(rows: Rows) -> dict[str, int]:
    return {name: len(table) for name, table in rows.items() if table}


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "live" / "paimai.db"
    path.parent.mkdir()
    path.write_bytes(sqlite_template.read_bytes())
    return sqlite_url(path)


# SQLite ----------------------------------------------------------------------------------------------------


def test_a_sqlite_backup_restores_over_a_changed_database_and_over_a_deleted_one(
    sqlite_db: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backups" / "paimai-backup.db"
    with api_on(sqlite_db) as api:
        made = trade(api)
        before = snapshot(sqlite_db)  # the server's connections stay open: much of it is still in the WAL
        out = ok(paimai("backup", str(backup), url=sqlite_db))
        assert f"backed up {sqlite_db} to {backup}" in out and "ledger OK" in out and "records OK" in out
        assert f"revision {files.known_revisions()[-1]}" in out
        more_trade(api, made)
    assert snapshot(sqlite_db) != before
    assert counts(before)["withdrawals"] == 1 and counts(before)["orders"] == 1 and counts(before)["bids"] >= 3
    # One self-contained file: no WAL beside it, and it holds every row the live database held.
    assert not Path(f"{backup}-wal").exists() and not backup.with_name(backup.name + ".partial").exists()
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert snapshot(sqlite_url(backup)) == before

    out = ok(paimai("restore", str(backup), url=sqlite_db))
    assert f"restored {backup} into {sqlite_db}" in out and "ledger OK" in out and "records OK" in out
    assert snapshot(sqlite_db) == before
    assert "ledger OK" in ok(paimai("ledger", "check", url=sqlite_db))

    live = files.sqlite_file(sqlite_db)
    assert live is not None
    remove_sqlite(live)
    ok(paimai("restore", str(backup), url=sqlite_db))
    assert snapshot(sqlite_db) == before
    assert "ledger OK" in ok(paimai("ledger", "check", url=sqlite_db))
    assert not list(live.parent.glob(".*restoring*")), "the scratch copy is removed"


def bid_until(base: str, lot_id: int, bidders: list[dict[str, str]], stop: threading.Event, out: list[int]) -> None:
    """The two bidders outbid each other through the server until told to stop (each accepted bid's id)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for turn, amount in enumerate(range(200_000, 100_000_000, 20_000)):
            if stop.is_set():
                return
            placed = client.post(f"/api/v1/lots/{lot_id}/bids", headers=bidders[turn % 2], json={"amount": amount})
            assert placed.status_code == 201, placed.text
            out.append(placed.json()["bid"]["id"])


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_sqlite_backup_under_a_running_server_and_a_restore_it_refuses_without_force(
    sqlite_db: str, tmp_path: Path
) -> None:
    with api_on(sqlite_db) as api:
        made = trade(api)
    backup = tmp_path / "under-load.db"
    with running_server({"PAIMAI_DATABASE_URL": sqlite_db, "PAIMAI_CLOCK": "simulated"}) as base:
        # Bids keep committing through the server while the backup copies the pages.
        stop, accepted = threading.Event(), list[int]()
        bidding = threading.Thread(target=bid_until, args=(base, made.live, [made.buyer, made.runner], stop, accepted))
        bidding.start()
        try:
            wait_for(lambda: len(accepted) >= 3)
            ok(paimai("backup", str(backup), url=sqlite_db))
            at_backup = len(accepted)
            wait_for(lambda: len(accepted) >= at_backup + 3)
        finally:
            stop.set()
            bidding.join()
        backed_up, live_now = snapshot(sqlite_url(backup)), snapshot(sqlite_db)
        # One moment: a prefix of the bids, with the lot row and its hash-chained record agreeing with them.
        in_backup = [bid["id"] for bid in backed_up["bids"]]
        assert in_backup == [bid["id"] for bid in live_now["bids"]][: len(in_backup)]
        assert set(accepted[:3]) <= set(in_backup) and not set(accepted[at_backup + 1 :]) & set(in_backup)
        assert "ledger OK" in ok(paimai("ledger", "check", url=sqlite_url(backup)))
        lot_then = next(lot for lot in backed_up["lots"] if lot["id"] == made.live)
        assert lot_then["seq"] == max(e["seq"] for e in backed_up["lot_events"] if e["lot_id"] == made.live)

        refused = paimai("restore", str(backup), url=sqlite_db)
        assert refused.exit_code == 1, refused.output
        assert "DATABASE_IN_USE" in refused.output and "--force" in refused.output
        assert snapshot(sqlite_db) == live_now, "a refused restore leaves the database alone"

        out = ok(paimai("restore", "--force", str(backup), url=sqlite_db))
        assert "ledger OK" in out
        # The running server reads the restored database: the lot is back where the backup found it.
        lot = httpx.get(f"{base}/api/v1/lots/{made.live}").json()
        assert (lot["current_price"], lot["seq"]) == (lot_then["current_price"], lot_then["seq"])
        assert lot["current_price"] < max(bid["amount"] for bid in live_now["bids"] if bid["lot_id"] == made.live)
    assert snapshot(sqlite_db) == backed_up


def test_backup_refuses_to_overwrite_without_force_and_needs_a_database(sqlite_db: str, tmp_path: Path) -> None:
    backup = tmp_path / "exists.db"
    backup.write_bytes(b"keep me")
    refused = paimai("backup", str(backup), url=sqlite_db)
    assert refused.exit_code == 1 and "BACKUP_EXISTS" in refused.output
    assert backup.read_bytes() == b"keep me"
    ok(paimai("backup", "--force", str(backup), url=sqlite_db))
    assert files.sqlite_revision(backup) == files.known_revisions()[-1]
    missing = paimai("backup", str(tmp_path / "b.db"), url=sqlite_url(tmp_path / "none.db"))
    assert missing.exit_code == 2 and "no database at" in missing.output
    assert not (tmp_path / "none.db").exists()
    same = paimai("backup", "--force", str(files.sqlite_file(sqlite_db)), url=sqlite_db)
    assert same.exit_code == 1 and "SAME_FILE" in same.output


def refused_restore(backup: Path, url: str, code: str) -> None:
    before = snapshot(url)
    result = paimai("restore", str(backup), url=url)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(code) or f"\n{code}" in result.output, result.output
    assert snapshot(url) == before, "a refused restore leaves the database as it was"


def test_restore_refuses_what_is_not_a_paimai_backup_at_a_known_revision(sqlite_db: str, tmp_path: Path) -> None:
    with api_on(sqlite_db) as api:
        trade(api)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 2, or a photo of a cat" * 100)
    refused_restore(junk, sqlite_db, "NOT_A_PAIMAI_DATABASE")
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
    refused_restore(other, sqlite_db, "NOT_A_PAIMAI_DATABASE")
    refused_restore(tmp_path / "absent.db", sqlite_db, "BACKUP_MISSING")

    newer = tmp_path / "newer.db"
    ok(paimai("backup", str(newer), url=sqlite_db))
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfacef00d'")
        conn.commit()
    refused_restore(newer, sqlite_db, "BACKUP_REVISION_UNKNOWN")
    assert "f00dfacef00d" in paimai("restore", str(newer), url=sqlite_db).output


def test_restore_refuses_a_backup_whose_books_do_not_check_out(sqlite_db: str, tmp_path: Path) -> None:
    with api_on(sqlite_db) as api:
        trade(api)
    tampered = tmp_path / "tampered.db"
    ok(paimai("backup", str(tampered), url=sqlite_db))
    with closing(sqlite3.connect(tampered)) as conn:
        conn.execute("UPDATE postings SET amount = amount + 1 WHERE id = (SELECT min(id) FROM postings)")
        conn.commit()
    refused_restore(tampered, sqlite_db, "BACKUP_CHECK_FAILED")
    result = paimai("restore", str(tampered), url=sqlite_db)
    assert "LEDGER_UNBALANCED" in result.output and "sums to 1, not 0" in result.output


def test_restore_migrates_a_backup_made_at_an_older_revision(tmp_path: Path) -> None:
    revisions = files.known_revisions()
    old = tmp_path / "old.db"
    command.upgrade(alembic_config(sqlite_url(old)), revisions[-2])
    target = sqlite_url(tmp_path / "restored.db")
    out = ok(paimai("restore", str(old), url=target))
    assert f"migration revision {revisions[-2]}, migrated to {revisions[-1]}" in out
    assert files.sqlite_revision(tmp_path / "restored.db") == revisions[-1]
    assert files.sqlite_revision(old) == revisions[-2], "the backup file itself is not changed"


# PostgreSQL ------------------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_postgres_backup_restores_into_a_fresh_database(postgres_db: str, tmp_path: Path) -> None:
    dump = tmp_path / "paimai.dump"
    with api_on(postgres_db) as api:
        made = trade(api)
        before = snapshot(postgres_db)
        out = ok(paimai("backup", str(dump), url=postgres_db))
        assert "pg_dump --format=custom" in out and f"revision {files.known_revisions()[-1]}" in out
        more_trade(api, made)
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert files.pg_dump_revision(dump, postgres_db) == files.known_revisions()[-1]
    assert snapshot(postgres_db) != before
    with fresh_postgres_database("restore") as fresh:
        out = ok(paimai("restore", str(dump), url=fresh))
        assert "restored" in out and "ledger OK" in out and "records OK" in out
        assert snapshot(fresh) == before
        assert "ledger OK" in ok(paimai("ledger", "check", url=fresh))
        # The restored database is a working one: its sequences go on after the restored rows.
        with api_on(fresh) as api:
            more_trade(api, made)
        assert "ledger OK" in ok(paimai("ledger", "check", url=fresh))
        again = paimai("restore", str(dump), url=fresh)
        assert again.exit_code == 1 and "DATABASE_NOT_EMPTY" in again.output


@pytest.mark.postgres
def test_without_pg_dump_on_path_backup_prints_the_command(postgres_db: str, tmp_path: Path) -> None:
    dump = tmp_path / "paimai.dump"
    empty = tmp_path / "bin"
    empty.mkdir()
    result = paimai("backup", str(dump), url=postgres_db, PATH=str(empty))
    assert result.exit_code == 1, result.output
    assert "PG_DUMP_MISSING" in result.output
    assert f"pg_dump --format=custom --file={dump} --dbname=postgresql://postgres@" in result.output
    assert not dump.exists()
    assert os.environ["PATH"] != str(empty)


@pytest.mark.postgres
def test_a_postgres_restore_refuses_a_file_that_is_not_a_dump(postgres_db: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a dump")
    with fresh_postgres_database("restore") as fresh:
        result = paimai("restore", str(junk), url=fresh)
        assert result.exit_code == 1 and "NOT_A_PAIMAI_DATABASE" in result.output
        assert files.postgres_is_empty(fresh)
