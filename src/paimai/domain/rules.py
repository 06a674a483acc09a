"""Platform-wide and per-lot rules, with the defaults of docs/rules.md."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from .errors import DomainError, ErrorCode
from .money import require_non_negative, require_positive

DEFAULT_EXTENSION_SECONDS = 300
JUDICIAL_EXTENSION_SECONDS = 300
MAX_EXTENSION_SECONDS = 3600
JUDICIAL_MIN_HOURS = 24  # judicial bidding lasts at least this long


class Category(Enum):
    ART = "art"
    COLLECTIBLES = "collectibles"
    LUXURY = "luxury"
    JEWELLERY = "jewellery"
    REAL_ESTATE = "real_estate"
    VEHICLES = "vehicles"
    OTHER = "other"


class LotProblem(Enum):
    """Why LotRules.validate refuses a lot (LOT_INVALID's `problems`, each with its parameters)."""

    TIMES_WITHOUT_ZONE = "times_without_zone"
    STARTS_NOT_BEFORE_ENDS = "starts_not_before_ends"
    JUDICIAL_RESERVE = "judicial_reserve"  # a judicial reserve is the start price, set by the system
    EXTENSION_OUT_OF_RANGE = "extension_out_of_range"  # max_seconds
    FEE_ABOVE_DEPOSIT = "fee_above_deposit"
    JUDICIAL_TOO_SHORT = "judicial_too_short"  # hours
    JUDICIAL_EXTENSION_FIXED = "judicial_extension_fixed"  # seconds
    # the listing rules of a judicial lot (domain.judicial.listing_problems, RULES §7)
    JUDICIAL_APPRAISAL_REQUIRED = "judicial_appraisal_required"
    JUDICIAL_START_BELOW_APPRAISAL = "judicial_start_below_appraisal"  # percent, minimum
    JUDICIAL_DEPOSIT_OUT_OF_RANGE = "judicial_deposit_out_of_range"  # min_percent, max_percent, minimum, maximum
    JUDICIAL_ANNOUNCEMENT_LEAD = "judicial_announcement_lead"  # days, earliest_start
    JUDICIAL_COURT_NAME_REQUIRED = "judicial_court_name_required"
    JUDICIAL_CASE_NUMBER_INVALID = "judicial_case_number_invalid"
    JUDICIAL_ANNOUNCEMENT_REQUIRED = "judicial_announcement_required"
    JUDICIAL_BIDDER_NOTICE_REQUIRED = "judicial_bidder_notice_required"


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
    cash_out_max: int = 50_000_000  # 提现: the most one cash-out request may move, in fen (¥500,000)


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
        problems = self.problems()
        if problems:
            raise DomainError(ErrorCode.LOT_INVALID, problems=problems)
        return self

    def problems(self) -> list[dict[str, object]]:
        """What `validate` refuses, each {code, …params}; the money rule raises at once (AMOUNT_NOT_POSITIVE)."""
        require_positive(self.start_price)
        require_positive(self.increment)
        require_non_negative(self.deposit)
        require_non_negative(self.withdrawal_fee)
        problems: list[dict[str, object]] = []

        def problem(code: LotProblem, **params: object) -> None:
            problems.append({"code": code.value, **params})

        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            problem(LotProblem.TIMES_WITHOUT_ZONE)
        elif self.starts_at >= self.ends_at:
            problem(LotProblem.STARTS_NOT_BEFORE_ENDS)
        if self.reserve_price is not None:
            require_positive(self.reserve_price)
            if self.kind is LotKind.JUDICIAL and self.reserve_price != self.start_price:
                problem(LotProblem.JUDICIAL_RESERVE)
        if not 0 <= self.extension_seconds <= MAX_EXTENSION_SECONDS:
            problem(LotProblem.EXTENSION_OUT_OF_RANGE, max_seconds=MAX_EXTENSION_SECONDS)
        if self.withdrawal_fee > self.deposit:
            problem(LotProblem.FEE_ABOVE_DEPOSIT)
        if self.kind is LotKind.JUDICIAL:
            if self.ends_at - self.starts_at < timedelta(hours=JUDICIAL_MIN_HOURS):
                problem(LotProblem.JUDICIAL_TOO_SHORT, hours=JUDICIAL_MIN_HOURS)
            if self.extension_seconds != JUDICIAL_EXTENSION_SECONDS:
                problem(LotProblem.JUDICIAL_EXTENSION_FIXED, seconds=JUDICIAL_EXTENSION_SECONDS)
        return problems

    def with_system_reserve(self) -> LotRules:
        """A judicial lot's reserve is its start price, public (RULES §7); a commercial lot's is the seller's."""
        if self.kind is LotKind.JUDICIAL:
            return replace(self, reserve_price=self.start_price)
        return self

    def effective_extension_seconds(self) -> int:
        return JUDICIAL_EXTENSION_SECONDS if self.kind is LotKind.JUDICIAL else self.extension_seconds

    def on_grid(self, amount: int) -> bool:
        return on_price_grid(amount, self.start_price, self.increment)


def on_price_grid(amount: int, start_price: int, increment: int) -> bool:
    """Every price is start_price + k × increment (k ≥ 0): the grid all bids and maxima sit on."""
    return amount >= start_price and (amount - start_price) % increment == 0
