"""One Settings object, read from PAIMAI_* environment variables at start-up (never at import)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "paimai-development-secret-do-not-use-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAIMAI_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str | None = None
    clock: Literal["system", "simulated"] = "system"
    data_dir: Path = Path("var")
    scheduler_interval_seconds: float = 1.0
    sse_keepalive_seconds: float = 10.0
    run_scheduler: bool = True
    token_ttl_hours: int = 24 * 14
    login_limit_per_account: str = "10/minute"
    login_limit_per_address: str = "30/minute"
    withdrawal_quota_per_day: int = 3
    payment_deadline_hours: int = 72
    shipping_days: int = 7  # orders (RULES §6): the seller ships within this many days of payment
    auto_confirm_days: int = 10  # receipt is confirmed automatically this long after shipping
    commission_percent: int = Field(default=0, ge=0, le=100)  # the platform's cut of each completed order

    @model_validator(mode="after")
    def _production_is_strict(self) -> Settings:
        if self.env == "production":
            if not self.secret_key:
                raise ValueError("PAIMAI_SECRET_KEY is required when PAIMAI_ENV=production")
            if self.clock == "simulated":
                raise ValueError("PAIMAI_CLOCK=simulated is refused when PAIMAI_ENV=production")
        return self

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'paimai.db'}"

    @property
    def effective_secret_key(self) -> str:
        return self.secret_key or DEV_SECRET

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")
