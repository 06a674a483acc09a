"""Judicial auctions (司法拍卖, RULES §7): the listing rules a court's lot must meet, the announcement's lead
time, and the bidder's notice that must be accepted before a deposit.

Pure rules: the stored facts and `now` in, problems or a refusal out. The announcement (拍卖公告) becomes
public when staff approve the lot (it is published then, status scheduled): that moment is the lot's
`announced_at`, and bidding may start no sooner than the lead after it. At listing time the earliest possible
announcement is `now + REVIEW_ALLOWANCE` (staff need time to review), judged again with the real `now` at
approval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import rounds
from .errors import DomainError, ErrorCode
from .rounds import RoundKind
from .rules import Category, LotKind, LotProblem, LotRules

START_MIN_PERCENT = 70  # 一拍: the start is at least 70 % of the appraisal (评估价)
DEPOSIT_MIN_PERCENT = 5  # the deposit is 5 %–20 % of the start
DEPOSIT_MAX_PERCENT = 20
ANNOUNCEMENT_DAYS = 15  # the announcement is public this long before bidding starts
REAL_ESTATE_ANNOUNCEMENT_DAYS = 30
REVIEW_ALLOWANCE = timedelta(days=1)  # at listing: the announcement is public this long after now at the soonest

# 案号, loosely: （2026）浙0102执1234号 — a year in brackets (full- or half-width), the court and case type,
# a number and 号, maybe 之一 / 之2. Anything of that shape passes; a court's own numbering varies.
CASE_NUMBER = re.compile(r"^[（(]\d{4}[）)][^\s（）()]{1,24}?\d{1,8}号(之[一二三四五六七八九十\d]{1,4})?$")
TEXT_MAX = 20_000


@dataclass(frozen=True)
class JudicialListing:
    """What a court states on a judicial lot besides its rules (the texts are the court's own)."""

    category: Category
    appraisal: int | None
    court_name: str = ""
    case_number: str = ""
    announcement: str = ""  # 拍卖公告
    bidder_notice: str = ""  # 竞买须知
    as_is_notice: str = ""  # the court's additions to the standard 现状拍卖 / 瑕疵自担 notice
    contact: str = ""
    viewing: str = ""  # 看样


def announcement_lead(category: Category, round_kind: RoundKind = RoundKind.FIRST) -> timedelta:
    """How long the announcement is public before bidding starts: for a 一拍 30 days for real estate, else 15;
    a later round has its own (domain.rounds: 二拍 15 / 7)."""
    later = rounds.announcement_lead(round_kind, category is Category.REAL_ESTATE)
    if later is not None:
        return later
    return timedelta(days=REAL_ESTATE_ANNOUNCEMENT_DAYS if category is Category.REAL_ESTATE else ANNOUNCEMENT_DAYS)


def earliest_start(category: Category, announced_at: datetime, round_kind: RoundKind = RoundKind.FIRST) -> datetime:
    return announced_at + announcement_lead(category, round_kind)


def deposit_range(start_price: int) -> tuple[int, int]:
    """The least and the most deposit for this start, in whole fen (5 % rounded up, 20 % rounded down)."""
    return -(-start_price * DEPOSIT_MIN_PERCENT // 100), start_price * DEPOSIT_MAX_PERCENT // 100


def minimum_start(appraisal: int) -> int:
    return -(-appraisal * START_MIN_PERCENT // 100)


def case_number_valid(value: str) -> bool:
    return CASE_NUMBER.match(value.strip()) is not None


def listing_problems(
    rules: LotRules, listing: JudicialListing, now: datetime, round_kind: RoundKind = RoundKind.FIRST
) -> list[dict[str, object]]:
    """The judicial rules a lot breaks, each {code, …params}, judged as of listing at `now`. A later round's
    start is judged against the round before (domain.rounds), not the appraisal; its lead is its own."""
    problems: list[dict[str, object]] = []

    def problem(code: LotProblem, **params: object) -> None:
        problems.append({"code": code.value, **params})

    if listing.appraisal is None or listing.appraisal <= 0:
        problem(LotProblem.JUDICIAL_APPRAISAL_REQUIRED)
    elif round_kind is RoundKind.FIRST and rules.start_price < minimum_start(listing.appraisal):
        problem(
            LotProblem.JUDICIAL_START_BELOW_APPRAISAL,
            percent=START_MIN_PERCENT,
            minimum=minimum_start(listing.appraisal),
        )
    low, high = deposit_range(rules.start_price)
    if not low <= rules.deposit <= high:
        problem(
            LotProblem.JUDICIAL_DEPOSIT_OUT_OF_RANGE,
            min_percent=DEPOSIT_MIN_PERCENT,
            max_percent=DEPOSIT_MAX_PERCENT,
            minimum=low,
            maximum=high,
        )
    if rules.starts_at.tzinfo is not None:
        soonest = earliest_start(listing.category, now + REVIEW_ALLOWANCE, round_kind)
        if rules.starts_at < soonest:
            problem(
                LotProblem.JUDICIAL_ANNOUNCEMENT_LEAD,
                days=announcement_lead(listing.category, round_kind).days,
                earliest_start=soonest.isoformat(),
            )
    if not listing.court_name.strip():
        problem(LotProblem.JUDICIAL_COURT_NAME_REQUIRED)
    if not case_number_valid(listing.case_number):
        problem(LotProblem.JUDICIAL_CASE_NUMBER_INVALID)
    if not listing.announcement.strip():
        problem(LotProblem.JUDICIAL_ANNOUNCEMENT_REQUIRED)
    if not listing.bidder_notice.strip():
        problem(LotProblem.JUDICIAL_BIDDER_NOTICE_REQUIRED)
    return problems


def validate_listing(
    rules: LotRules, listing: JudicialListing | None, now: datetime, round_kind: RoundKind = RoundKind.FIRST
) -> LotRules:
    """Every rule of a lot at once (RULES §2 and, for a judicial lot, §7): one LOT_INVALID listing them all.
    The judicial reserve is set here (= the start), so the caller stores what this returns."""
    problems = rules.problems()  # a reserve given to a judicial lot must be its start (or none: it is set)
    if rules.kind is LotKind.JUDICIAL:
        if listing is None:
            listing = JudicialListing(category=Category.OTHER, appraisal=None)
        problems.extend(listing_problems(rules, listing, now, round_kind))
    if problems:
        raise DomainError(ErrorCode.LOT_INVALID, problems=problems)
    return rules.with_system_reserve()


def require_lead_at_approval(
    category: Category, starts_at: datetime, now: datetime, round_kind: RoundKind = RoundKind.FIRST
) -> None:
    """Approving publishes the announcement now: bidding must start at least the lead after it, else the lot
    is refused (ANNOUNCEMENT_LEAD_TOO_SHORT) and the court lists it again with a later start."""
    soonest = earliest_start(category, now, round_kind)
    if starts_at < soonest:
        raise DomainError(
            ErrorCode.ANNOUNCEMENT_LEAD_TOO_SHORT,
            days=announcement_lead(category, round_kind).days,
            starts_at=starts_at.isoformat(),
            earliest_start=soonest.isoformat(),
        )


def require_notice_target(*, is_judicial: bool, is_seller: bool, is_staff: bool) -> None:
    """Only a bidder on a judicial lot accepts its notice (staff and the court itself never bid)."""
    if not is_judicial:
        raise DomainError(ErrorCode.NOTICE_NOT_APPLICABLE)
    if is_staff:
        raise DomainError(ErrorCode.STAFF_NOT_BIDDER)
    if is_seller:
        raise DomainError(ErrorCode.BIDDER_NOT_ALLOWED)


def require_notice_accepted(*, is_judicial: bool, accepted: bool) -> None:
    """RULES §7: the 竞买须知 and the as-is notice are accepted before a judicial deposit is frozen."""
    if is_judicial and not accepted:
        raise DomainError(ErrorCode.NOTICE_NOT_ACCEPTED)
