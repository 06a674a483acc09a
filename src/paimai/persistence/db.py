"""Engines and transactions: one transaction per request, job or command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Accept URLs as users write them; choose the driver for them (psycopg 3 for PostgreSQL)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def url_problem(url: str) -> str | None:
    """Why `url` is not a database URL this program can open (a bare file path, say), or None if it is."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "not a database URL; write sqlite:////absolute/path.db or postgresql://user@host/db"
    if parsed.get_backend_name() not in ("sqlite", "postgresql", "postgres"):
        return f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    return None


def build_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_serialises_writers(engine)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)


def _sqlite_serialises_writers(engine: Engine) -> None:
    """SQLite: WAL for concurrent readers; every write transaction starts with BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get("paimai_readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def session_factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(read-write, read-only) session factories over one pool."""
    readonly = engine.execution_options(paimai_readonly=True)
    return (
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(readonly, expire_on_commit=False),
    )
