"""Backups of the whole database at one point in time (`paimai backup` / `paimai restore`, docs/operations.md).

SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page inside one read transaction,
so a server may keep writing meanwhile (WAL) and the copy is still one consistent moment; a restore is the
same API the other way round. PostgreSQL: `pg_dump --format=custom` (one snapshot of the whole database) and
`pg_restore` into an empty database. Either way a backup is refused unless it is a paimai database at a
migration revision this version knows. This module only moves and inspects files and databases; checking the
books of what was copied is the caller's (services/audit.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from .db import normalise_url
from .migrate import alembic_config

PG_DUMP_FORMAT = "--format=custom"


class BackupProblem(Exception):
    """A backup or restore refused before anything was overwritten: a code and the details that word it."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code, details)
        self.code = code
        self.details = details


def known_revisions() -> tuple[str, ...]:
    """Every migration revision this version ships, oldest first (the last is the head)."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return tuple(reversed([script.revision for script in scripts.walk_revisions()]))


def judge_revision(revision: str | None, where: str) -> str:
    """The revision, if this version knows it; otherwise the refusal naming what it found."""
    if revision is None:
        raise BackupProblem("NOT_A_PAIMAI_DATABASE", path=where)
    known = known_revisions()
    if revision not in known:
        raise BackupProblem("BACKUP_REVISION_UNKNOWN", path=where, revision=revision, head=known[-1])
    return revision


def is_head(revision: str) -> bool:
    return revision == known_revisions()[-1]


# SQLite ----------------------------------------------------------------------------------------------------


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database)."""
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def sqlite_revision(path: Path) -> str:
    """The migration revision stored in a SQLite file, refused unless it is a sound paimai database."""
    if not path.is_file():
        raise BackupProblem("BACKUP_MISSING", path=str(path))
    try:
        with closing(sqlite3.connect(path, timeout=30)) as conn:
            conn.execute("PRAGMA query_only=1")
            if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupProblem("BACKUP_DAMAGED", path=str(path))
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"alembic_version", "lots", "journal_entries"} <= tables:
                raise BackupProblem("NOT_A_PAIMAI_DATABASE", path=str(path))
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise BackupProblem("NOT_A_PAIMAI_DATABASE", path=str(path)) from None
    return judge_revision(row[0] if row else None, str(path))


def sqlite_copy(source: Path, destination: Path) -> None:
    """Copy a whole SQLite database page by page in one read transaction of the source (the online backup
    API): writers on the source carry on, and the copy is the source as of one moment. Into an existing
    destination the copy is one write transaction there, which readers of the destination see whole."""
    try:
        with (
            closing(sqlite3.connect(source, timeout=30)) as src,
            closing(sqlite3.connect(destination, timeout=30)) as dst,
        ):
            src.backup(dst)
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise BackupProblem("NOT_A_PAIMAI_DATABASE", path=str(source)) from None
        raise


def sqlite_standalone(path: Path) -> None:
    """Make a copy one self-contained file (rollback journal, not WAL), as a backup file should be."""
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


def sqlite_in_use(path: Path) -> bool:
    """Whether any connection (a running server, another command) has this database open.

    In WAL mode every open connection holds a shared lock on the file, so an exclusive lock taken without
    waiting succeeds only when nobody else has it open. Nothing is written."""
    if not path.exists():
        return False
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as conn:
        try:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return True
    return False


# PostgreSQL ------------------------------------------------------------------------------------------------


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as pg_dump and pg_restore take it (no driver, no password) and the environment carrying the
    password (PGPASSWORD), so that it never shows in a printed command or the process list."""
    parsed = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def pg_dump_command(url: str, path: Path) -> list[str]:
    return ["pg_dump", PG_DUMP_FORMAT, f"--file={path}", f"--dbname={libpq(url)[0]}"]


def pg_restore_command(url: str, path: Path) -> list[str]:
    return [
        "pg_restore",
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        f"--dbname={libpq(url)[0]}",
        str(path),
    ]


def have(program: str) -> bool:
    return shutil.which(program) is not None


def _run(command: list[str], url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **libpq(url)[1]}
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603


def postgres_revision(url: str) -> str:
    """The revision of a live PostgreSQL database, refused unless it is a paimai database."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                raise BackupProblem("NOT_A_PAIMAI_DATABASE", path=libpq(url)[0])
            revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()
    return judge_revision(revision, libpq(url)[0])


def postgres_is_empty(url: str) -> bool:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def pg_dump(url: str, path: Path) -> None:
    """Dump the whole database in pg_dump's custom format: one consistent snapshot, taken while it runs."""
    partial = path.with_name(path.name + ".partial")
    done = _run(pg_dump_command(url, partial), url)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupProblem("PG_DUMP_FAILED", output=done.stderr.strip())
    partial.replace(path)


def pg_dump_revision(path: Path, url: str) -> str:
    """The migration revision inside a custom-format dump (the alembic_version table's data), read with
    pg_restore without restoring anything."""
    if not path.is_file():
        raise BackupProblem("BACKUP_MISSING", path=str(path))
    listed = _run(["pg_restore", "--list", str(path)], url)
    if listed.returncode != 0:
        raise BackupProblem("NOT_A_PAIMAI_DATABASE", path=str(path))
    data = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)], url)
    lines = data.stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("COPY ") and "alembic_version" in line]
    revision = None
    if starts and starts[0] + 1 < len(lines) and lines[starts[0] + 1] != "\\.":
        revision = lines[starts[0] + 1].strip()
    return judge_revision(revision, str(path))


def pg_restore(url: str, path: Path) -> None:
    """Restore a custom-format dump into an empty database, all of it or (one transaction) nothing."""
    if not postgres_is_empty(url):
        raise BackupProblem("DATABASE_NOT_EMPTY", database=libpq(url)[0])
    done = _run(pg_restore_command(url, path), url)
    if done.returncode != 0:
        raise BackupProblem("PG_RESTORE_FAILED", output=done.stderr.strip())
