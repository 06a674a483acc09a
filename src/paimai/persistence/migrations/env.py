"""Alembic environment: the URL comes from the caller (paimai migrate) or PAIMAI_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from paimai.config import Settings
from paimai.persistence.db import build_engine
from paimai.persistence.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or Settings().effective_database_url
    engine = build_engine(url)
    with engine.connect() as conn:
        run(conn)
    engine.dispose()
