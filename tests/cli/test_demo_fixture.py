"""The demo's fixture and planner, without a database: the shipped data loads, a bad fixture fails at load
with the problem and its place named, and the planner plans only the past, the same way for the same seed."""

from __future__ import annotations

import copy
import random
import tomllib
from collections import Counter
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from paimai.adapters.cli.demo import FixtureError, load_fixture
from paimai.adapters.cli.demo.fixture import parse_fixture, validate_fixture
from paimai.adapters.cli.demo.planner import Planner
from paimai.domain.lots import LotStatus
from paimai.domain.rules import Category

NOW = datetime(2026, 11, 29, 6, 30, tzinfo=UTC)


def shipped() -> dict[str, Any]:
    text = resources.files("paimai.adapters.cli.demo").joinpath("fixture.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def problems_of(data: dict[str, Any]) -> str:
    with pytest.raises(FixtureError) as caught:
        validate_fixture(data)
    return str(caught.value)


def test_the_shipped_fixture_loads_and_covers_every_category_and_status() -> None:
    fixture = load_fixture()
    assert set(fixture.categories) == set(Category)
    first = [fixture.scenarios[name].status for name in fixture.plan.lots[: len(Category)]]
    workplace = {lot.status for lot in fixture.workplace.lots}
    assert set(first) | workplace == set(LotStatus), "paimai demo --lots 7 shows every status"
    assert all(fixture.scenarios[name].status is LotStatus.LIVE for name in fixture.plan.top_up)
    assert len(fixture.plan.top_up) >= fixture.plan.min_live_lots
    assert len(fixture.bidders) == 5 and fixture.sellers == ("seller1", "seller2", "court1")
    assert {lot.status for lot in fixture.workplace.lots} == {
        LotStatus.DRAFT,
        LotStatus.PENDING_REVIEW,
        LotStatus.REJECTED,
    }, "the workplace shows a draft (the one status the first seven lots do not), one in review, one rejected"


def test_the_workplace_shows_a_queue_a_history_and_a_frozen_stranger() -> None:
    """Applications waiting, one applicant's rejection and second try; the frozen account is not one the
    README offers to sign in with (nor any demo account)."""
    place = load_fixture().workplace
    waiting = [a for applicant in place.applicants if (a := applicant.applications[-1]).decision is None]
    assert len(waiting) >= 2
    assert any(
        [a.decision for a in applicant.applications][:2] == ["reject", None] for applicant in place.applicants
    ), "an applicant turned down once applies again"
    assert {a.document for applicant in place.applicants for a in applicant.applications} >= {"licence", "id_card"}
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    accounts_line = next(line for line in readme.splitlines() if line.startswith("Demo accounts"))
    for frozen in place.frozen:
        assert frozen.username not in accounts_line and frozen.username not in load_fixture().accounts.usernames


def test_the_default_plan_promises_an_order_in_each_state() -> None:
    fixture = load_fixture()
    seen: Counter[str] = Counter()
    fates: Counter[str] = Counter()
    for name in fixture.plan.lots:
        scenario = fixture.scenarios[name]
        if scenario.order_fates:
            fates[scenario.order_fates[seen[name] % len(scenario.order_fates)].value] += 1
        seen[name] += 1
    assert set(fates) == {f.value for f in fixture.fates}, "every fate the fixture describes is used"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["plan"]["lots"].__setitem__(3, "no_such"), "plan.lots: no scenario 'no_such'"),
        (lambda d: d["scenarios"]["sold"].__setitem__("bids", [9, 3]), "scenarios.sold.bids"),
        (lambda d: d["scenarios"]["sold"].__setitem__("bids", [9, 3]), "low 9 is above high 3"),
        (lambda d: d["scenarios"]["live"].__setitem__("bidds", [1, 2]), "scenarios.live.bidds: Extra inputs"),
        (lambda d: d["scenarios"]["live"].__setitem__("status", "sold"), "a live lot cannot end sold"),
        (lambda d: d["scenarios"]["live_ending"].pop("ends_in_minutes"), "ends_in_minutes is required"),
        (
            lambda d: d["scenarios"]["sold"].__setitem__("order_fates", ["shipped", "lost"]),
            "scenarios.sold.order_fates.1",
        ),
        (lambda d: d["accounts"]["bidders"][0].__setitem__("resident_id", "110101198503121230"), "check character"),
        (lambda d: d["categories"].pop("vehicles"), "no lots for vehicles"),
        (lambda d: d["categories"]["art"].__setitem__("seller", "bidder1"), "'bidder1' is not one of the sellers"),
        (lambda d: d["plan"]["top_up"].append("sold"), "plan.top_up: 'sold' does not promise a live lot"),
        (lambda d: d["scenarios"]["live"].__setitem__("bidders", [2, 9]), "only 5 bidders exist"),
        (lambda d: d["lot_settings"].__setitem__("extension_seconds", 7200), "lot_settings.extension_seconds"),
        (
            lambda d: d["plan"].__setitem__("lots", ["sold"] * 7 + ["suspended_live"]),
            "the first 7 lots do not cover suspended",
        ),
        (lambda d: d["workplace"]["frozen"][0].__setitem__("username", "bidder1"), "'bidder1' is already a demo"),
        (lambda d: d["workplace"]["frozen"][0].__setitem__("frozen_hours_ago", 999), "frozen_hours_ago must be after"),
        (lambda d: d["workplace"]["frozen"][0].pop("reason"), "workplace.frozen.0.reason: Field required"),
        (
            lambda d: d["workplace"]["applicants"][1]["applications"][0].pop("reason"),
            "workplace.applicants.1.applications.0: a rejection needs a reason",
        ),
        (
            lambda d: d["workplace"]["applicants"][1]["applications"][0].__setitem__("decided_hours_ago", 4),
            "each application but the last is decided before the next is made",
        ),
        (
            lambda d: d["workplace"]["applicants"][1]["applications"].reverse(),
            "applications must be listed oldest first",
        ),
        (
            lambda d: d["workplace"]["applicants"][0]["applications"][0].__setitem__("document", "passport"),
            "workplace.applicants.0.applications.0.document",
        ),
        (lambda d: d["workplace"]["lots"][2].pop("reason"), "reason is required for a rejected lot"),
        (
            lambda d: d["workplace"]["lots"][0].__setitem__("submitted_hours_ago", 3),
            "submitted_hours_ago is not allowed for a draft lot",
        ),
        (
            lambda d: d["workplace"]["lots"][1].__setitem__("submitted_hours_ago", 99),
            "created, submitted and reviewed must follow one another",
        ),
        (lambda d: d["workplace"]["lots"][1].__setitem__("seller", "applicant1"), "'applicant1' is not one of the"),
        (
            lambda d: d["workplace"]["lots"][0].__setitem__("title", d["categories"]["art"]["lots"][0]["title"]),
            "a lot title is used twice",
        ),
        (
            lambda d: d["workplace"]["cash_out"].__setitem__("seller", "seller2"),
            "'seller2' completes no sale in the first 7 lots",
        ),
    ],
)
def test_a_bad_fixture_fails_at_load_naming_the_problem(change: Any, expected: str) -> None:
    data = copy.deepcopy(shipped())
    change(data)
    message = problems_of(data)
    assert expected in message, message
    assert message.startswith("fixture.toml has ")


def test_a_fixture_that_is_not_toml_fails_at_load() -> None:
    with pytest.raises(FixtureError, match="is not valid TOML"):
        parse_fixture("seed = [unclosed")


def test_the_planner_plans_the_past_and_the_same_seed_plans_the_same() -> None:
    fixture = load_fixture()
    first = Planner(fixture, NOW, random.Random(fixture.seed)).lots(0, fixture.plan.lots)
    again = Planner(fixture, NOW, random.Random(fixture.seed)).lots(0, fixture.plan.lots)
    assert first == again
    for plan in first:
        moments = [plan.created_at, *(at for at, _ in plan.deposits), *(b.at for b in plan.bids)]
        moments += [at for at, _ in plan.order_steps] + [m for m in (plan.reviewed_at, plan.cancel_at) if m]
        assert all(moment <= NOW for moment in moments), plan.name
        assert [b.at for b in plan.bids] == sorted(b.at for b in plan.bids), plan.name
        assert plan.starts_at < plan.ends_at
        assert plan.withdrawal_fee <= plan.deposit
        if plan.reserve_price is not None:
            assert plan.reserve_price > plan.start_price
