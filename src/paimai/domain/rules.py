"""Platform-wide and per-lot rules, with the defaults of docs/rules.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from .errors import DomainError, ErrorCode
from .money import require_non_negative, require_positive

DEFAULT_EXTENSION_SECONDS = 300
JUDICIAL_EXTENSION_SECONDS = 300
MAX_EXTENSION_SECONDS = 3600


class Category(Enum):
    ART = "art"
    COLLECTIBLES = "collectibles"
    LUXURY = "luxury"
    JEWELLERY = "jewellery"
    REAL_ESTATE = "real_estate"
    VEHICLES = "vehicles"
    OTHER = "other"


CATEGORY_NAMES_ZH = {
    Category.ART: "艺术品",
    Category.COLLECTIBLES: "收藏品",
    Category.LUXURY: "奢侈品",
    Category.JEWELLERY: "珠宝玉器",
    Category.REAL_ESTATE: "房产",
    Category.VEHICLES: "机动车",
    Category.OTHER: "其他",
}
CATEGORY_NAMES_EN = {
    Category.ART: "Art",
    Category.COLLECTIBLES: "Collectibles",
    Category.LUXURY: "Luxury",
    Category.JEWELLERY: "Jewellery & jade",
    Category.REAL_ESTATE: "Real estate",
    Category.VEHICLES: "Vehicles",
    Category.OTHER: "Other",
}


class LotKind(Enum):
    COMMERCIAL = "commercial"
    JUDICIAL = "judicial"


@dataclass(frozen=True)
class PlatformRules:
    """Operator settings shown on every lot page."""

    withdrawal_quota_per_day: int = 3
    payment_deadline_hours: int = 72
    shipping_days: int = 7
    auto_confirm_days: int = 10
    commission_percent: int = 0
    judicial_payment_days: int = 10  # 尾款 of a judicial sale (RULES §7)
    payment_reminder_hours: int = 24  # the “payment due soon” notice, this long before the deadline
    second_chance_hours: int = 48  # how long a second-chance offer stays open


@dataclass(frozen=True)
class LotRules:
    """A lot's pricing and timing rules; fixed once the lot is live."""

    kind: LotKind
    start_price: int
    increment: int
    deposit: int
    starts_at: datetime
    ends_at: datetime
    reserve_price: int | None = None
    extension_seconds: int = DEFAULT_EXTENSION_SECONDS
    withdrawal_allowed: bool = True
    withdrawal_fee: int = 0

    def validate(self) -> LotRules:
        """Refuse rules a lot may not be listed with (RULES §2)."""
        require_positive(self.start_price)
        require_positive(self.increment)
        require_non_negative(self.deposit)
        require_non_negative(self.withdrawal_fee)
        problems: list[str] = []
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            problems.append("times must carry a zone")
        elif self.starts_at >= self.ends_at:
            problems.append("starts_at must be before ends_at")
        if self.reserve_price is not None:
            require_positive(self.reserve_price)
            if self.kind is LotKind.JUDICIAL:
                problems.append("judicial lots have no hidden reserve")
        if not 0 <= self.extension_seconds <= MAX_EXTENSION_SECONDS:
            problems.append(f"extension_seconds must be 0..{MAX_EXTENSION_SECONDS}")
        if self.withdrawal_fee > self.deposit:
            problems.append("withdrawal_fee may not exceed the deposit")
        if self.kind is LotKind.JUDICIAL:
            if self.ends_at - self.starts_at < timedelta(hours=24):
                problems.append("judicial bidding lasts at least 24 hours")
            if self.extension_seconds != JUDICIAL_EXTENSION_SECONDS:
                problems.append("judicial lots extend by 300 seconds")
        if problems:
            raise DomainError(
                ErrorCode.LOT_INVALID,
                "The lot's rules are invalid: " + "; ".join(problems),
                "拍品规则无效：" + "；".join(problems),
                problems=problems,
            )
        return self

    def effective_extension_seconds(self) -> int:
        return JUDICIAL_EXTENSION_SECONDS if self.kind is LotKind.JUDICIAL else self.extension_seconds

    def on_grid(self, amount: int) -> bool:
        return on_price_grid(amount, self.start_price, self.increment)


def on_price_grid(amount: int, start_price: int, increment: int) -> bool:
    """Every price is start_price + k × increment (k ≥ 0): the grid all bids and maxima sit on."""
    return amount >= start_price and (amount - start_price) % increment == 0
