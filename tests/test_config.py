"""Configuration: PAIMAI_* variables, production strictness, URLs as users write them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from paimai.config import Settings
from paimai.persistence.db import normalise_url


def test_defaults_to_sqlite_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAIMAI_DATABASE_URL", raising=False)
    assert Settings().effective_database_url == "sqlite:///var/paimai.db"


def test_reads_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAIMAI_DATABASE_URL", "postgresql://u@db/auction")
    monkeypatch.setenv("PAIMAI_CLOCK", "simulated")
    settings = Settings()
    assert settings.clock == "simulated"
    assert not settings.is_sqlite


def test_production_refuses_missing_secret_and_simulated_clock() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(env="production")
    with pytest.raises(ValidationError, match="simulated"):
        Settings(env="production", secret_key="s3cret", clock="simulated")
    assert Settings(env="production", secret_key="s3cret").clock == "system"


def test_plain_postgresql_urls_get_a_driver() -> None:
    assert normalise_url("postgresql://postgres@127.0.0.1/test").startswith("postgresql+psycopg://")
    assert normalise_url("postgres://a:b@h:5433/d") == "postgresql+psycopg://a:b@h:5433/d"
    assert normalise_url("sqlite:///var/x.db") == "sqlite:///var/x.db"
