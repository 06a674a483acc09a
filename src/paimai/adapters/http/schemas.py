"""Request bodies. Validation failures become 422 VALIDATION_FAILED with the fields named."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from ...domain.money import MAX_AMOUNT_FEN
from ...domain.simulated_time import EARLIEST_MOMENT, LATEST_MOMENT

Fen = Field(gt=0, le=MAX_AMOUNT_FEN, strict=True)
# lot times outside these years are typing mistakes, and near year 9999 converting to UTC or adding a deadline
# overflows; the simulated clock stops at the same moment (domain/simulated_time.py)
EARLIEST, LATEST = EARLIEST_MOMENT, LATEST_MOMENT

MAX_ID = 2**63 - 1  # ids are BIGINT: a larger one cannot name a row, and PostgreSQL refuses to compare it
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL (0x00)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Filter = Annotated[str | None, Query(max_length=100, pattern=NO_NUL)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """Text with a NUL character is refused: it cannot be stored, and no honest input has one."""
        if _has_nul(value):
            raise ValueError("text must not contain NUL (\\x00) characters")
        return value


class RegisterIn(Strict):
    username: str = Field(min_length=3, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=1, max_length=128)  # the length and list rule: domain.passwords
    display_name: str | None = Field(default=None, min_length=1, max_length=64)


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class RealNameIn(Strict):
    name: str = Field(min_length=2, max_length=40)
    id_number: str = Field(min_length=18, max_length=18)


class TopUpIn(Strict):
    amount: int = Field(gt=0, le=MAX_AMOUNT_FEN, strict=True)


class SellerApplicationIn(Strict):
    kind: Literal["individual", "business", "court"]
    name: str = Field(min_length=1, max_length=128)
    description: str = Field(default="", max_length=2000)
    licence_number: str = Field(default="", max_length=64)  # business: 营业执照号 (统一社会信用代码)
    court_name: str = Field(default="", max_length=128)  # court: the court's full name
    contact_phone: str = Field(default="", max_length=32)  # checked by domain.sellers (SELLER_PHONE_INVALID)


class DecisionIn(Strict):
    reason: str | None = Field(default=None, max_length=1000)


class LotIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    category: Literal["art", "collectibles", "luxury", "jewellery", "real_estate", "vehicles", "other"]
    kind: Literal["commercial", "judicial"] = "commercial"
    start_price: int = Field(gt=0, le=MAX_AMOUNT_FEN, strict=True)
    increment: int = Field(gt=0, le=MAX_AMOUNT_FEN, strict=True)
    deposit: int = Field(ge=0, le=MAX_AMOUNT_FEN, strict=True)
    reserve_price: int | None = Field(default=None, gt=0, le=MAX_AMOUNT_FEN, strict=True)
    appraisal: int | None = Field(default=None, gt=0, le=MAX_AMOUNT_FEN, strict=True)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    extension_seconds: int = Field(default=300, ge=0, le=3600, strict=True)
    withdrawal_allowed: bool = True
    withdrawal_fee: int = Field(default=0, ge=0, le=MAX_AMOUNT_FEN, strict=True)
    location: str = Field(default="", max_length=128)
    image_url: str | None = Field(default=None, max_length=500)
    return_policy: str = Field(default="", max_length=2000)
    # a judicial lot (RULES §7, checked by domain.judicial): the court, its case number (案号) and its texts
    court_name: str = Field(default="", max_length=128)
    case_number: str = Field(default="", max_length=64)
    announcement: str = Field(default="", max_length=20000)  # 拍卖公告: plain text, paragraphs by blank lines
    bidder_notice: str = Field(default="", max_length=20000)  # 竞买须知
    as_is_notice: str = Field(default="", max_length=5000)  # added to the standard 现状拍卖 notice
    contact: str = Field(default="", max_length=200)
    viewing: str = Field(default="", max_length=2000)  # 看样
    submit: bool = Field(default=True, strict=True)  # false: kept as the seller's draft (POST …/submit later)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _in_range(cls, value: datetime) -> datetime:
        return in_lot_range(value)


def in_lot_range(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ValueError(f"must lie between {EARLIEST.year} and {LATEST.year}")
    return value


class LotPatchIn(Strict):
    """PATCH /lots/{id}: only the fields sent change; `reserve_price: null` removes the reserve."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20000)
    category: Literal["art", "collectibles", "luxury", "jewellery", "real_estate", "vehicles", "other"] | None = None
    kind: Literal["commercial", "judicial"] | None = None
    start_price: int | None = Field(default=None, gt=0, le=MAX_AMOUNT_FEN, strict=True)
    increment: int | None = Field(default=None, gt=0, le=MAX_AMOUNT_FEN, strict=True)
    deposit: int | None = Field(default=None, ge=0, le=MAX_AMOUNT_FEN, strict=True)
    reserve_price: int | None = Field(default=None, gt=0, le=MAX_AMOUNT_FEN, strict=True)
    appraisal: int | None = Field(default=None, gt=0, le=MAX_AMOUNT_FEN, strict=True)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    extension_seconds: int | None = Field(default=None, ge=0, le=3600, strict=True)
    withdrawal_allowed: bool | None = None
    withdrawal_fee: int | None = Field(default=None, ge=0, le=MAX_AMOUNT_FEN, strict=True)
    location: str | None = Field(default=None, max_length=128)
    image_url: str | None = Field(default=None, max_length=500)
    return_policy: str | None = Field(default=None, max_length=2000)
    court_name: str | None = Field(default=None, max_length=128)
    case_number: str | None = Field(default=None, max_length=64)
    announcement: str | None = Field(default=None, max_length=20000)
    bidder_notice: str | None = Field(default=None, max_length=20000)
    as_is_notice: str | None = Field(default=None, max_length=5000)
    contact: str | None = Field(default=None, max_length=200)
    viewing: str | None = Field(default=None, max_length=2000)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _in_range(cls, value: datetime | None) -> datetime | None:
        return None if value is None else in_lot_range(value)

    def changes(self) -> dict[str, object]:
        """The fields sent; a null is a change only where the field may be empty (reserve, appraisal, image)."""
        nullable = {"reserve_price", "appraisal", "image_url"}
        sent = {name: getattr(self, name) for name in self.model_fields_set}
        return {name: value for name, value in sent.items() if value is not None or name in nullable}


class BidIn(Strict):
    amount: int = Field(gt=0, le=MAX_AMOUNT_FEN, strict=True)
    max_amount: int | None = Field(default=None, gt=0, le=MAX_AMOUNT_FEN, strict=True)


class ClockAdvanceIn(Strict):
    seconds: int = Field(gt=0, le=10 * 365 * 24 * 3600, strict=True)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class WithdrawIn(Strict):
    """撤回: nothing changes unless the bidder confirms explicitly, after seeing the preview."""

    confirm: bool = Field(strict=True)
