"""Configuration: PAIMAI_* variables, production strictness, URLs as users write them."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from pydantic import ValidationError

from paimai.bootstrap import Container
from paimai.config import Settings
from paimai.domain.rules import PlatformRules
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


def test_every_platform_rule_is_a_setting_with_the_rules_own_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """PlatformRules is the one source of the defaults; each field is settable as PAIMAI_<FIELD> and
    reaches the rules the services use. A new rule without its setting fails here."""
    defaults = PlatformRules()
    for rule in fields(PlatformRules):
        assert rule.name in Settings.model_fields, f"PlatformRules.{rule.name} has no PAIMAI_ setting"
        assert Settings.model_fields[rule.name].default == getattr(defaults, rule.name), rule.name
    assert Settings().platform_rules() == defaults
    wanted = {rule.name: getattr(defaults, rule.name) + offset for offset, rule in enumerate(fields(PlatformRules), 1)}
    for name, value in wanted.items():
        monkeypatch.setenv(f"PAIMAI_{name.upper()}", str(value))
    container = Container(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}"))
    try:
        assert {name: getattr(container.platform, name) for name in wanted} == wanted
    finally:
        container.dispose()


def test_platform_rules_out_of_range_are_refused() -> None:
    with pytest.raises(ValidationError, match="commission_percent"):
        Settings(commission_percent=101)
    with pytest.raises(ValidationError, match="payment_deadline_hours"):
        Settings(payment_deadline_hours=0)
