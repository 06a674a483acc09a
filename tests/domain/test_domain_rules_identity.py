"""A lot's rules at each limit (LotRules.validate) and real-name verification (GB 11643-1999 resident IDs).

Refusals are checked by code and details: which field, how many problems. The resident ID numbers below
carry check characters computed once by hand from the standard's weights, not by the code under test
(11010519491231002X is the standard's own example).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.identity import check_digit, verify_identity
from paimai.domain.rules import LotKind, LotProblem, LotRules, on_price_grid

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc)  # noqa: UP017 (a zone object, as a client would send)


def rules(**overrides: Any) -> LotRules:
    values: dict[str, Any] = {
        "kind": LotKind.COMMERCIAL,
        "start_price": 100_000,
        "increment": 10_000,
        "deposit": 20_000,
        "starts_at": T0,
        "ends_at": T0 + timedelta(hours=1),
    }
    values.update(overrides)
    return LotRules(**values)


def judicial(**overrides: Any) -> LotRules:
    return rules(**{"kind": LotKind.JUDICIAL, "ends_at": T0 + timedelta(hours=24), **overrides})


def problems_of(lot_rules: LotRules) -> list[str]:
    """The problem codes of a refused lot (their words belong to the catalogue)."""
    with pytest.raises(DomainError) as info:
        lot_rules.validate()
    assert info.value.code is ErrorCode.LOT_INVALID
    found = info.value.details["problems"]
    assert isinstance(found, list) and all(isinstance(p, dict) and p.get("code") for p in found)
    return sorted(str(p["code"]) for p in found)


# ---- lot rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lot_rules",
    [
        rules(),
        rules(extension_seconds=0),
        rules(extension_seconds=3600),
        rules(withdrawal_fee=20_000),  # the fee may equal the deposit
        rules(deposit=0),
        rules(reserve_price=150_000),
        rules(ends_at=T0 + timedelta(seconds=1)),
        judicial(),  # exactly 24 hours, extension 300 s
    ],
    ids=["plain", "no extension", "longest extension", "fee = deposit", "no deposit", "reserve", "1 s", "judicial"],
)
def test_rules_at_their_limits_are_accepted(lot_rules: LotRules) -> None:
    assert lot_rules.validate() is lot_rules


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_price", 0), ("increment", 0), ("deposit", -1), ("withdrawal_fee", -1), ("reserve_price", 0)],
)
def test_a_bad_amount_is_refused_by_the_money_rule(field: str, value: int) -> None:
    with pytest.raises(DomainError) as info:
        rules(**{field: value}).validate()
    assert (info.value.code, info.value.details) == (ErrorCode.AMOUNT_NOT_POSITIVE, {"amount": value})


PROBLEM_OF_FIELD = {
    "zone": LotProblem.TIMES_WITHOUT_ZONE,
    "starts_at": LotProblem.STARTS_NOT_BEFORE_ENDS,
    "extension_seconds": LotProblem.EXTENSION_OUT_OF_RANGE,
    "withdrawal_fee": LotProblem.FEE_ABOVE_DEPOSIT,
    "reserve": LotProblem.JUDICIAL_RESERVE,
    "24 hours": LotProblem.JUDICIAL_TOO_SHORT,
    "300": LotProblem.JUDICIAL_EXTENSION_FIXED,
}


@pytest.mark.parametrize(
    ("lot_rules", "count", "field"),
    [
        (rules(starts_at=T0.replace(tzinfo=None)), 1, "zone"),
        (rules(ends_at=(T0 + timedelta(hours=1)).replace(tzinfo=None)), 1, "zone"),
        (rules(starts_at=T0.replace(tzinfo=None), ends_at=T0.replace(tzinfo=None)), 1, "zone"),
        (rules(ends_at=T0), 1, "starts_at"),
        (rules(ends_at=T0 - timedelta(seconds=1)), 1, "starts_at"),
        (rules(extension_seconds=3601), 1, "extension_seconds"),
        (rules(extension_seconds=-1), 1, "extension_seconds"),
        (rules(withdrawal_fee=20_001), 1, "withdrawal_fee"),
        (judicial(reserve_price=150_000), 1, "reserve"),
        (judicial(ends_at=T0 + timedelta(hours=24) - timedelta(seconds=1)), 1, "24 hours"),
        (judicial(extension_seconds=120), 1, "300"),
        (judicial(extension_seconds=3601, reserve_price=1, ends_at=T0 + timedelta(hours=1)), 4, "judicial"),
        (rules(ends_at=T0, extension_seconds=-5, withdrawal_fee=30_000), 3, "withdrawal_fee"),
    ],
    ids=[
        "naive start",
        "naive end",
        "both naive",
        "ends at its start",
        "ends before its start",
        "extension too long",
        "negative extension",
        "fee above the deposit",
        "judicial reserve",
        "judicial under 24 h",
        "judicial extension",
        "four problems",
        "three problems",
    ],
)
def test_each_broken_rule_is_one_problem(lot_rules: LotRules, count: int, field: str) -> None:
    """Each broken rule is its own problem code, never two for one rule (`field` names the rule for people)."""
    found = problems_of(lot_rules)
    assert len(found) == count, (field, found)
    assert len(set(found)) == count, (field, found)
    assert set(found) <= {problem.value for problem in LotProblem}
    if count == 1:
        assert found == [PROBLEM_OF_FIELD[field].value], (field, found)


def test_the_extension_of_a_judicial_lot_is_always_300_seconds() -> None:
    assert judicial().effective_extension_seconds() == 300
    assert replace(judicial(), extension_seconds=60).effective_extension_seconds() == 300
    assert rules(extension_seconds=60).effective_extension_seconds() == 60
    assert rules(extension_seconds=0).effective_extension_seconds() == 0


@pytest.mark.parametrize(
    ("amount", "on_grid"),
    [(100_000, True), (110_000, True), (99_999, False), (90_000, False), (105_000, False), (100_001, False)],
)
def test_the_price_grid(amount: int, on_grid: bool) -> None:
    assert on_price_grid(amount, 100_000, 10_000) is on_grid
    assert rules().on_grid(amount) is on_grid


@pytest.mark.parametrize(("amount", "on_grid"), [(100_100, True), (107_400, True), (114_700, True), (107_300, False)])
def test_the_price_grid_counts_from_a_start_that_is_not_a_multiple_of_the_increment(amount: int, on_grid: bool) -> None:
    assert on_price_grid(amount, 100_100, 7_300) is on_grid


# ---- real-name verification -----------------------------------------------------------------------

TODAY = date(2025, 3, 1)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),
        ("44030419900307001", "8"),
        ("11010120000229001", "8"),
        ("31010419850101000", "5"),
        ("11010519000101001", "X"),
        ("11010520250301001", "5"),
    ],
)
def test_the_check_character(first17: str, check: str) -> None:
    assert check_digit(first17) == check


@pytest.mark.parametrize("prefix", ["1101051949123100", "110105194912310021", ""])
def test_the_check_character_is_only_defined_for_17_digits(prefix: str) -> None:
    with pytest.raises(ValueError):
        check_digit(prefix)


@pytest.mark.parametrize(
    ("typed", "birth"),
    [
        ("11010519491231002X", date(1949, 12, 31)),
        ("11010519491231002x", date(1949, 12, 31)),  # a lower-case x is the same character
        (" 11010519491231002X ", date(1949, 12, 31)),
        ("１１０１０５１９４９１２３１００２Ｘ", date(1949, 12, 31)),  # full-width, as an IME types it
        ("440304199003070018", date(1990, 3, 7)),
        ("110101200002290018", date(2000, 2, 29)),
        ("11010519000101001X", date(1900, 1, 1)),  # the earliest birth year accepted
        ("110105202503010015", TODAY),  # born today
    ],
)
def test_a_valid_id_verifies_with_its_birth_date_and_a_masked_number(typed: str, birth: date) -> None:
    verified = verify_identity(" 张三 ", typed, TODAY)
    normal = typed.strip().replace("x", "X")
    if not normal.isascii():
        normal = "11010519491231002X"
    assert verified.name == "张三"
    assert verified.birth_date == birth
    assert verified.masked_id == normal[:3] + "*" * 13 + normal[-2:]
    assert len(verified.masked_id) == 18


@pytest.mark.parametrize(
    "name", ["张", "", "  ", "张3", "张三" * 21, "<script>", "王\x00五"], ids=lambda n: repr(n)[:12]
)
def test_a_bad_name_is_refused_naming_the_field(name: str) -> None:
    with pytest.raises(DomainError) as info:
        verify_identity(name, "11010519491231002X", TODAY)
    assert (info.value.code, info.value.details) == (ErrorCode.REAL_NAME_INVALID, {"field": "name"})


def test_names_in_latin_letters_and_with_a_middle_dot_are_accepted() -> None:
    assert verify_identity("阿依古丽·买买提", "11010519491231002X", TODAY).name == "阿依古丽·买买提"
    assert verify_identity("Mary O'Neil-Smith", "11010519491231002X", TODAY).name == "Mary O'Neil-Smith"


@pytest.mark.parametrize(
    "id_number",
    [
        "110105194912310021",  # wrong check character
        "11010519491231002",  # 17 characters
        "11010519491231002X1",
        "1101051949123100X2",  # X not last
        "11010519900230001X",  # 30 February, check character right
        "110105199013010018",  # month 13, check character right
        "110105189912310015",  # born 1899, check character right
        "110105202503020010",  # born tomorrow, check character right
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits
        "",
    ],
)
def test_a_bad_id_number_is_refused_naming_the_field(id_number: str) -> None:
    with pytest.raises(DomainError) as info:
        verify_identity("张三", id_number, TODAY)
    assert (info.value.code, info.value.details) == (ErrorCode.REAL_NAME_INVALID, {"field": "id_number"})


def test_problems_carry_the_limits_their_words_name() -> None:
    """The refusal says which limit was broken (the catalogue words it: "at most {max_seconds} s", …)."""
    with pytest.raises(DomainError) as info:
        judicial(extension_seconds=3601, ends_at=T0 + timedelta(hours=1)).validate()
    problems = {p["code"]: {k: v for k, v in p.items() if k != "code"} for p in info.value.details["problems"]}
    assert problems == {
        LotProblem.EXTENSION_OUT_OF_RANGE.value: {"max_seconds": 3600},
        LotProblem.JUDICIAL_TOO_SHORT.value: {"hours": 24},
        LotProblem.JUDICIAL_EXTENSION_FIXED.value: {"seconds": 300},
    }
