"""What the CLI tests share: running `paimai` in-process on a database of the test's own, and engines onto it."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from typer.testing import CliRunner, Result

from paimai.adapters.cli.main import app
from paimai.persistence.db import normalise_url

ENV_KEYS = (
    "PAIMAI_DATABASE_URL",
    "PAIMAI_CLOCK",
    "PAIMAI_ENV",
    "PAIMAI_REDIS_URL",
    "PAIMAI_DATA_DIR",
    "PAIMAI_MEDIA_DIR",
)


def media_dir(url: str) -> Path:
    """Where the commands run on this database keep uploaded files (the demo's photos): a temporary
    directory of its own, never the working directory's var/."""
    return Path(tempfile.gettempdir()) / "paimai-cli-media" / hashlib.sha256(url.encode()).hexdigest()[:16]


def paimai(*args: str, url: str, clock: str = "system") -> Result:
    """Run `paimai ARGS` in-process with this database and clock, and nothing else from the environment."""
    env: dict[str, str | None] = dict.fromkeys(ENV_KEYS)
    env.update({"PAIMAI_DATABASE_URL": url, "PAIMAI_CLOCK": clock, "PAIMAI_MEDIA_DIR": str(media_dir(url))})
    return CliRunner().invoke(app, list(args), env=env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    return result.output


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


EngineFor = Callable[[str], Engine]


@pytest.fixture(name="engine_for")
def engine_for_fixture() -> Iterator[EngineFor]:
    """Engines onto the databases the commands wrote, disposed after the test."""
    made: list[Engine] = []

    def of(url: str) -> Engine:
        made.append(create_engine(normalise_url(url)))
        return made[-1]

    yield of
    for engine in made:
        engine.dispose()
