"""One Settings object, read from PAIMAI_* environment variables at start-up (never at import).

The platform's rules (domain.rules.PlatformRules) are their own defaults: each field below takes its
default from there, every one is settable as PAIMAI_<FIELD>, and platform_rules() passes them all on.
"""

from __future__ import annotations

import ipaddress
from dataclasses import fields
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .domain.rules import PlatformRules

DEV_SECRET = "paimai-development-secret-do-not-use-in-production"  # noqa: S105 (refused in production)
RULES = PlatformRules()  # the defaults, written once


def _entries(value: str) -> list[str]:
    return [entry.strip() for entry in value.split(",") if entry.strip()]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAIMAI_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str | None = None
    clock: Literal["system", "simulated"] = "system"
    data_dir: Path = Path("var")
    # Uploaded photos and documents (services/storage.py): a directory, <data_dir>/media unless set.
    media_dir: Path | None = None
    upload_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)  # one uploaded file, before re-encoding
    scheduler_interval_seconds: float = 1.0
    sse_keepalive_seconds: float = 10.0
    run_scheduler: bool = True
    token_ttl_hours: int = 24 * 14
    login_limit_per_address: str = "30/minute"  # every login attempt from one address, whatever the account
    register_limit_per_address: str = "10/hour"
    # Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated); empty: none is.
    trusted_proxies: str = ""
    # Development conveniences, off in production unless set (None: on in development, off in production):
    # the API's documents (/docs, /openapi.json) and the sandbox wallet top-up (money from nowhere).
    api_docs: bool | None = None
    sandbox_top_up: bool | None = None
    # PlatformRules, field by field (tests/test_config.py fails if one is missing or its default differs).
    withdrawal_quota_per_day: int = Field(default=RULES.withdrawal_quota_per_day, ge=0)
    payment_deadline_hours: int = Field(default=RULES.payment_deadline_hours, ge=1)
    shipping_days: int = Field(default=RULES.shipping_days, ge=1)
    auto_confirm_days: int = Field(default=RULES.auto_confirm_days, ge=1)
    commission_percent: int = Field(default=RULES.commission_percent, ge=0, le=100)
    judicial_payment_days: int = Field(default=RULES.judicial_payment_days, ge=1)
    payment_reminder_hours: int = Field(default=RULES.payment_reminder_hours, ge=0)
    second_chance_hours: int = Field(default=RULES.second_chance_hours, ge=1)
    cash_out_max: int = Field(default=RULES.cash_out_max, ge=1)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        """A typo must stop start-up, not quietly trust nothing (or the wrong host)."""
        for entry in _entries(value):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"PAIMAI_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from None
        return value

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _entries(self.trusted_proxies)

    @model_validator(mode="after")
    def _production_is_strict(self) -> Settings:
        if self.env == "production":
            if not self.secret_key:
                raise ValueError("PAIMAI_SECRET_KEY is required when PAIMAI_ENV=production")
            if self.clock == "simulated":
                raise ValueError("PAIMAI_CLOCK=simulated is refused when PAIMAI_ENV=production")
        return self

    def platform_rules(self) -> PlatformRules:
        """The operator's rules, every field as configured."""
        return PlatformRules(**{f.name: getattr(self, f.name) for f in fields(PlatformRules)})

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'paimai.db'}"

    @property
    def effective_media_dir(self) -> Path:
        return self.media_dir if self.media_dir is not None else self.data_dir / "media"

    @property
    def effective_secret_key(self) -> str:
        return self.secret_key or DEV_SECRET

    @property
    def api_docs_enabled(self) -> bool:
        return self.env != "production" if self.api_docs is None else self.api_docs

    @property
    def sandbox_top_up_enabled(self) -> bool:
        return self.env != "production" if self.sandbox_top_up is None else self.sandbox_top_up

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")
