"""Shared by the page tests: a SQLite-only database (page rendering does not depend on the engine) and
signing in through the JSON API so the test client carries the session cookie."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PASSWORD, Api

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(params=["sqlite"])
def sqlite_only(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Use as `db_url = sqlite_only` in a page test module."""
    path = tmp_path / "paimai.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def sign_in(api: Api, username: str) -> None:
    api.client.cookies.clear()
    response = api.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200
