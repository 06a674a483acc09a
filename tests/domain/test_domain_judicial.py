"""Judicial listing rules (RULES §7, domain.judicial): each rule at its limit accepted, each broken rule one
problem, the announcement's lead at listing and at approval, and the notice before the deposit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from paimai.domain import judicial as j
from paimai.domain.deposits import may_pay_deposit
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.lots import LotStatus
from paimai.domain.rules import Category, LotKind, LotProblem, LotRules

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
LEAD = timedelta(days=15) + j.REVIEW_ALLOWANCE  # the soonest start at listing, other than real estate
START = NOW + LEAD


def rules(**overrides: Any) -> LotRules:
    values: dict[str, Any] = {
        "kind": LotKind.JUDICIAL,
        "start_price": 700_000,
        "increment": 10_000,
        "deposit": 70_000,
        "starts_at": START,
        "ends_at": START + timedelta(hours=24),
        "extension_seconds": 300,
    }
    values.update(overrides)
    return LotRules(**values)


def listing(**overrides: Any) -> j.JudicialListing:
    values: dict[str, Any] = {
        "category": Category.OTHER,
        "appraisal": 1_000_000,
        "court_name": "杭州市上城区人民法院",
        "case_number": "（2026）浙0102执1234号",
        "announcement": "拍卖公告",
        "bidder_notice": "竞买须知",
    }
    values.update(overrides)
    return j.JudicialListing(**values)


def problems(lot_rules: LotRules, lot_listing: j.JudicialListing, now: datetime = NOW) -> list[str]:
    with pytest.raises(DomainError) as info:
        j.validate_listing(lot_rules, lot_listing, now)
    assert info.value.code is ErrorCode.LOT_INVALID
    return sorted(str(p["code"]) for p in info.value.details["problems"])


@pytest.mark.parametrize(
    ("lot_rules", "lot_listing"),
    [
        (rules(), listing()),  # start exactly 70 %, the soonest start exactly
        (rules(deposit=35_000), listing()),  # 5 %
        (rules(deposit=140_000), listing()),  # 20 %
        (rules(reserve_price=700_000), listing()),  # a reserve given equal to the start
        (rules(), listing(case_number="(2025)京01执恢12号之一")),  # half-width brackets, 执恢, 之一
        (
            rules(starts_at=NOW + timedelta(days=31), ends_at=NOW + timedelta(days=32)),
            listing(category=Category.REAL_ESTATE),
        ),
    ],
    ids=["70 %", "5 %", "20 %", "reserve = start", "case number", "real estate 30 days"],
)
def test_a_listing_at_the_limits_is_accepted_and_its_reserve_is_the_start(
    lot_rules: LotRules, lot_listing: j.JudicialListing
) -> None:
    accepted = j.validate_listing(lot_rules, lot_listing, NOW)
    assert accepted.reserve_price == accepted.start_price


@pytest.mark.parametrize(
    ("lot_rules", "lot_listing", "problem"),
    [
        (rules(), listing(appraisal=None), LotProblem.JUDICIAL_APPRAISAL_REQUIRED),
        (rules(start_price=699_990, deposit=70_000), listing(), LotProblem.JUDICIAL_START_BELOW_APPRAISAL),
        (rules(deposit=34_999), listing(), LotProblem.JUDICIAL_DEPOSIT_OUT_OF_RANGE),
        (rules(deposit=140_001), listing(), LotProblem.JUDICIAL_DEPOSIT_OUT_OF_RANGE),
        (rules(deposit=0), listing(), LotProblem.JUDICIAL_DEPOSIT_OUT_OF_RANGE),
        (
            rules(starts_at=START - timedelta(seconds=1), ends_at=START + timedelta(days=1)),
            listing(),
            LotProblem.JUDICIAL_ANNOUNCEMENT_LEAD,
        ),
        (rules(), listing(category=Category.REAL_ESTATE), LotProblem.JUDICIAL_ANNOUNCEMENT_LEAD),
        (rules(), listing(court_name=" "), LotProblem.JUDICIAL_COURT_NAME_REQUIRED),
        (rules(), listing(case_number="浙0102执1234号"), LotProblem.JUDICIAL_CASE_NUMBER_INVALID),
        (rules(), listing(case_number="（2026）浙0102执"), LotProblem.JUDICIAL_CASE_NUMBER_INVALID),
        (rules(), listing(case_number=""), LotProblem.JUDICIAL_CASE_NUMBER_INVALID),
        (rules(), listing(announcement="\n"), LotProblem.JUDICIAL_ANNOUNCEMENT_REQUIRED),
        (rules(), listing(bidder_notice=""), LotProblem.JUDICIAL_BIDDER_NOTICE_REQUIRED),
        (rules(reserve_price=800_000), listing(), LotProblem.JUDICIAL_RESERVE),
        (rules(extension_seconds=60), listing(), LotProblem.JUDICIAL_EXTENSION_FIXED),
        (rules(ends_at=START + timedelta(hours=23)), listing(), LotProblem.JUDICIAL_TOO_SHORT),
    ],
    ids=[
        "no appraisal",
        "start under 70 %",
        "deposit under 5 %",
        "deposit over 20 %",
        "no deposit",
        "lead a second short",
        "real estate needs 30 days",
        "no court",
        "case number without year",
        "case number without number",
        "no case number",
        "no announcement",
        "no bidder's notice",
        "reserve not the start",
        "extension",
        "under 24 h",
    ],
)
def test_each_broken_rule_is_one_problem(
    lot_rules: LotRules, lot_listing: j.JudicialListing, problem: LotProblem
) -> None:
    assert problems(lot_rules, lot_listing) == [problem.value]


def test_the_problems_carry_what_a_court_needs_to_mend_them() -> None:
    with pytest.raises(DomainError) as info:
        j.validate_listing(rules(start_price=600_000, deposit=10_000), listing(category=Category.REAL_ESTATE), NOW)
    found = {p["code"]: p for p in info.value.details["problems"]}
    assert found["judicial_start_below_appraisal"] == {
        "code": "judicial_start_below_appraisal",
        "percent": 70,
        "minimum": 700_000,
    }
    assert found["judicial_deposit_out_of_range"]["minimum"] == 30_000
    assert found["judicial_deposit_out_of_range"]["maximum"] == 120_000
    assert found["judicial_announcement_lead"] == {
        "code": "judicial_announcement_lead",
        "days": 30,
        "earliest_start": (NOW + timedelta(days=31)).isoformat(),
    }


def test_a_commercial_lot_is_not_judged_by_the_judicial_rules() -> None:
    commercial = rules(kind=LotKind.COMMERCIAL, deposit=0, starts_at=NOW, ends_at=NOW + timedelta(hours=1))
    assert j.validate_listing(commercial, None, NOW).reserve_price is None


def test_the_lead_is_judged_again_at_approval_with_the_real_now() -> None:
    starts = NOW + timedelta(days=15)
    j.require_lead_at_approval(Category.OTHER, starts, NOW)  # exactly 15 days: approved
    with pytest.raises(DomainError) as info:
        j.require_lead_at_approval(Category.OTHER, starts, NOW + timedelta(seconds=1))
    assert info.value.code is ErrorCode.ANNOUNCEMENT_LEAD_TOO_SHORT
    assert info.value.details["days"] == 15
    with pytest.raises(DomainError):
        j.require_lead_at_approval(Category.REAL_ESTATE, NOW + timedelta(days=29), NOW)
    j.require_lead_at_approval(Category.REAL_ESTATE, NOW + timedelta(days=30), NOW)


def test_the_deposit_of_a_judicial_lot_waits_for_the_notice() -> None:
    ends = NOW + timedelta(days=1)
    args: dict[str, Any] = {"is_seller": False, "is_staff": False, "is_judicial": True, "real_name_verified": True}
    with pytest.raises(DomainError) as info:
        may_pay_deposit(LotStatus.LIVE, ends, NOW, **args)
    assert info.value.code is ErrorCode.NOTICE_NOT_ACCEPTED
    may_pay_deposit(LotStatus.LIVE, ends, NOW, **args, notice_accepted=True)
    with pytest.raises(DomainError) as first:  # real name is asked first
        may_pay_deposit(LotStatus.LIVE, ends, NOW, **{**args, "real_name_verified": False})
    assert first.value.code is ErrorCode.REAL_NAME_REQUIRED
    may_pay_deposit(LotStatus.LIVE, ends, NOW, is_seller=False, is_staff=False)  # commercial: no notice


def test_who_accepts_a_notice() -> None:
    j.require_notice_target(is_judicial=True, is_seller=False, is_staff=False)
    for kwargs, code in (
        ({"is_judicial": False, "is_seller": False, "is_staff": False}, ErrorCode.NOTICE_NOT_APPLICABLE),
        ({"is_judicial": True, "is_seller": True, "is_staff": False}, ErrorCode.BIDDER_NOT_ALLOWED),
        ({"is_judicial": True, "is_seller": False, "is_staff": True}, ErrorCode.STAFF_NOT_BIDDER),
    ):
        with pytest.raises(DomainError) as info:
            j.require_notice_target(**kwargs)
        assert info.value.code is code


def test_a_system_reserve_follows_the_start() -> None:
    assert rules().with_system_reserve().reserve_price == 700_000
    assert replace(rules(), kind=LotKind.COMMERCIAL).with_system_reserve().reserve_price is None
