"""The planner: the fixture's scenarios as a dated history, lot by lot, as of the moment of seeding.

It decides only what people do and when — list, review, register, bid, withdraw, cancel, pay, ship — from
the scenario's numbers and a seeded random generator, with bids placed relative to the lot's scheduled end
(last-minute bids inside the lot's own extension window). What the platform decides (the extensions, the
close, the next valid amount, deadlines and defaults) is left to the services when the seeder replays the
plan; the seeder then checks that each lot became what its scenario promised.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ....domain.calendar import beijing_hour
from ....domain.orders import OrderStatus
from ....domain.rules import Category
from ....domain.withdrawal import WithdrawalScope
from .fixture import YUAN, Fixture, OrderStep, Scenario, Template, Timeline


class DemoPlanError(RuntimeError):
    """The plan cannot be made or did not come true: a bug in the fixture or the planner, never bad luck."""


def nice_amount(fen: float) -> int:
    """The closest of 1, 2, 5 × 10^k fen on a log scale, at least ¥1 (increments and fees look like these)."""
    candidates = [int(step * 10**power) for power in range(2, 13) for step in (1, 2, 5)]
    return min(candidates, key=lambda candidate: abs(math.log(candidate / max(fen, 1))))


def two_figures(fen: float) -> int:
    """Rounded to two significant figures of yuan (e.g. ¥27,000, ¥1,200); nothing below ¥1."""
    if fen < YUAN:
        return 0
    yuan = round(fen / YUAN)
    scale = int(10 ** max(0, len(str(yuan)) - 2))
    return round(yuan / scale) * scale * YUAN


@dataclass(frozen=True)
class BidStep:
    at: datetime
    jump: int = 1  # the bid is the next valid amount + (jump − 1) increments
    proxy: int = 0  # a proxy maximum this many increments above the bid (0: none)
    raise_max: bool = False  # the leader raises their proxy maximum by `proxy` increments instead
    withdraw: WithdrawalScope | None = None  # 撤回出价 by the leader, or 撤回竞拍 by an outbid bidder


@dataclass
class LotPlan:
    """One lot's history as planned: the lot's settings, and who does what when."""

    index: int
    name: str  # the scenario's
    scenario: Scenario
    category: Category
    template: Template
    title: str
    seller: str
    delivery: str  # "carrier" or "handover"
    start_price: int
    increment: int
    deposit: int
    withdrawal_allowed: bool
    created_at: datetime
    starts_at: datetime
    ends_at: datetime  # as scheduled: the bids decide the effective end
    withdrawal_fee: int = 0
    reviewed_at: datetime | None = None
    reject_reason: str | None = None
    reserve_price: int | None = None
    bidders: list[str] = field(default_factory=list)
    deposits: list[tuple[datetime, str]] = field(default_factory=list)
    bids: list[BidStep] = field(default_factory=list)
    cancel_at: datetime | None = None
    cancel_by: str | None = None
    suspend_at: datetime | None = None
    suspend_by: str | None = None
    order_fate: OrderStatus | None = None
    order_steps: list[tuple[datetime, OrderStep]] = field(default_factory=list)

    @property
    def approved(self) -> bool:
        return self.reviewed_at is not None and self.reject_reason is None


def _second(rng: random.Random, low: datetime, high: datetime) -> datetime:
    """A random whole second in [low, high]."""
    span = int((high - low).total_seconds())
    if span < 0:
        raise DemoPlanError(f"empty time range {low.isoformat()} … {high.isoformat()}")
    return (low + timedelta(seconds=rng.randint(0, span))).replace(microsecond=0)


class Planner:
    """Plans lots as of `now`, drawing from one seeded generator (so a seed gives the same history)."""

    def __init__(self, fixture: Fixture, now: datetime, rng: random.Random) -> None:
        self.fixture = fixture
        self.now = now
        self.rng = rng
        self.settings = fixture.lot_settings
        self.window = fixture.lot_settings.extension_seconds

    def lots(self, first_index: int, names: Sequence[str]) -> list[LotPlan]:
        seen: Counter[str] = Counter()
        plans = []
        for offset, name in enumerate(names):
            plans.append(self.lot(first_index + offset, name, seen[name]))
            seen[name] += 1
        return plans

    def lot(self, index: int, name: str, occurrence: int) -> LotPlan:
        """Lot number `index` (its category and text follow from the index), the `occurrence`-th of its scenario."""
        scenario = self.fixture.scenarios[name]
        category = list(Category)[index % len(Category)]
        lots = self.fixture.categories[category]
        template = lots.lots[(index // len(Category)) % len(lots.lots)]
        round_no = index // (len(Category) * len(lots.lots))
        start = template.start_price
        plan = LotPlan(
            index=index,
            name=name,
            scenario=scenario,
            category=category,
            template=template,
            title=template.title if round_no == 0 else f"{template.title}（第 {round_no + 1} 件）",
            seller=lots.seller,
            delivery=lots.delivery,
            start_price=start,
            increment=nice_amount(start * template.increment_percent / 100),
            deposit=two_figures(start * template.deposit_percent / 100),
            withdrawal_allowed=lots.withdrawal_allowed,
            created_at=self.now,
            starts_at=self.now,
            ends_at=self.now,
        )
        if plan.withdrawal_allowed and index % self.settings.withdrawal_fee_every == 0:
            plan.withdrawal_fee = self._fee(plan.deposit)
        TIMELINES[scenario.timeline](self, plan, occurrence)
        self._register(plan)
        if scenario.withdrawal is not None and occurrence == 0:
            self._withdrawal(plan, WithdrawalScope(scenario.withdrawal))
        if scenario.order_fates:
            self._order(plan, scenario.order_fates[occurrence % len(scenario.order_fates)])
        return plan

    # ---- small helpers ---------------------------------------------------------------------------------

    def _draw(self, span: tuple[int, int] | None) -> int:
        if span is None:
            raise DemoPlanError("a range the fixture's checks require is missing")
        return self.rng.randint(*span)

    def _day(self, day: int, hour: int) -> datetime:
        return beijing_hour(self.now, day, hour)

    def _fee(self, deposit: int) -> int:
        return nice_amount(deposit * self.settings.withdrawal_fee_percent / 100) if deposit else 0

    def _window(self, low: float, high: float) -> int:
        """Seconds, a random share between `low` and `high` of the lot's extension window."""
        return self.rng.randint(round(low * self.window), round(high * self.window))

    def _schedule(self, plan: LotPlan, starts_at: datetime, lasts_days: int | None = None) -> None:
        plan.starts_at = starts_at
        if lasts_days is not None:
            plan.ends_at = beijing_hour(starts_at, lasts_days, self.settings.end_hour)

    def _listed(self, plan: LotPlan, lead: timedelta) -> None:
        """Listed `lead` (and up to six hours more) before the start, reviewed a few hours later."""
        plan.created_at = _second(self.rng, plan.starts_at - lead - timedelta(hours=6), plan.starts_at - lead)
        self._reviewed(plan, timedelta(hours=1), timedelta(hours=5))

    def _reviewed(self, plan: LotPlan, low: timedelta, high: timedelta) -> None:
        plan.reviewed_at = _second(self.rng, plan.created_at + low, plan.created_at + high)

    def _bid_steps(
        self, count: int, low: datetime, high: datetime, *, proxies: float, raise_max: bool = False
    ) -> list[BidStep]:
        if count == 0:
            return []
        rng = self.rng
        steps = []
        for at in sorted(_second(rng, low, high) for _ in range(count)):
            jump = rng.choices((1, 2, 3), weights=(7, 2, 1))[0]
            steps.append(BidStep(at, jump, rng.randint(2, 6) if rng.random() < proxies else 0))
        if raise_max and count >= 3:
            at = (steps[-2].at + (steps[-1].at - steps[-2].at) / 2).replace(microsecond=0)
            steps.insert(len(steps) - 1, BidStep(at, proxy=rng.randint(3, 8), raise_max=True))
        return steps

    def _snipes(self, scheduled_end: datetime, count: int) -> list[BidStep]:
        """Last-minute bids: the first inside the window before the scheduled end, each later one inside
        the window the one before it opened."""
        steps: list[BidStep] = []
        at = scheduled_end - timedelta(seconds=self._window(0.07, 0.67))
        for _ in range(count):
            steps.append(BidStep(at, self.rng.choices((1, 2), weights=(4, 1))[0]))
            at += timedelta(seconds=self._window(0.2, 0.9))
        return steps

    def _register(self, plan: LotPlan) -> None:
        """The scenario's bidders pay the deposit after the review, before the first bid (or the cancel)."""
        count = self.rng.randint(*plan.scenario.bidders)
        if count == 0 or plan.reviewed_at is None:
            return
        first_bid = plan.bids[0].at if plan.bids else None
        moments = [moment for moment in (first_bid, plan.cancel_at, plan.ends_at, self.now) if moment is not None]
        before = min(moments) - timedelta(minutes=1)
        plan.bidders = self.rng.sample(self.fixture.bidders, count)
        for username in plan.bidders:
            plan.deposits.append((_second(self.rng, plan.reviewed_at + timedelta(minutes=30), before), username))

    def _withdrawal(self, plan: LotPlan, scope: WithdrawalScope) -> None:
        """撤回出价 halfway before the last bid, or 撤回竞拍 halfway before the third; the lot allows it."""
        before = len(plan.bids) - 1 if scope is WithdrawalScope.BID else 2
        earlier, later = plan.bids[before - 1].at, plan.bids[before].at
        plan.bids.insert(before, BidStep((earlier + (later - earlier) / 2).replace(microsecond=0), withdraw=scope))
        plan.withdrawal_allowed = True
        plan.withdrawal_fee = self._fee(plan.deposit)

    def _order(self, plan: LotPlan, fate: OrderStatus) -> None:
        """The buyer's and seller's steps, each some hours after the one before (the first after the
        scheduled end; the extensions of a few last-minute bids take minutes, the first step hours)."""
        plan.order_fate = fate
        at = plan.ends_at
        for step in self.fixture.fates[fate].steps:
            low, high = self.fixture.order_steps[step]
            at = _second(self.rng, at + timedelta(hours=low), at + timedelta(hours=high))
            plan.order_steps.append((at, step))

    # ---- one function per timeline ---------------------------------------------------------------------

    def _in_review(self, plan: LotPlan, _occurrence: int) -> None:
        s = plan.scenario
        self._schedule(plan, self._day(self._draw(s.start_day), self.settings.start_hour), self._draw(s.lasts_days))
        plan.created_at = _second(self.rng, self.now - timedelta(hours=20), self.now - timedelta(minutes=10))

    def _rejected(self, plan: LotPlan, _occurrence: int) -> None:
        s = plan.scenario
        self._schedule(plan, self._day(self._draw(s.start_day), self.settings.start_hour), self._draw(s.lasts_days))
        plan.created_at = _second(self.rng, self.now - timedelta(days=4), self.now - timedelta(days=2))
        self._reviewed(plan, timedelta(hours=2), timedelta(hours=20))
        reasons = self.fixture.texts.reject_reasons
        plan.reject_reason = reasons[plan.index % len(reasons)]

    def _scheduled(self, plan: LotPlan, _occurrence: int) -> None:
        s = plan.scenario
        self._schedule(plan, self._day(self._draw(s.start_day), self.settings.start_hour), self._draw(s.lasts_days))
        plan.created_at = _second(self.rng, self.now - timedelta(days=3), self.now - timedelta(days=1, hours=6))
        self._reviewed(plan, timedelta(hours=1), timedelta(hours=5))

    def _withdrawn_before_start(self, plan: LotPlan, _occurrence: int) -> None:
        s = plan.scenario
        self._schedule(plan, self._day(self._draw(s.start_day), self.settings.start_hour), self._draw(s.lasts_days))
        plan.created_at = _second(self.rng, self.now - timedelta(days=5), self.now - timedelta(days=4))
        self._reviewed(plan, timedelta(hours=1), timedelta(hours=5))
        self._cancelled(plan, timedelta(hours=20), timedelta(hours=2))

    def _cancelled(self, plan: LotPlan, low: timedelta, high: timedelta) -> datetime:
        """Cancelled between `low` and `high` ago, by the seller or by staff as the scenario says."""
        plan.cancel_at = _second(self.rng, self.now - low, self.now - high)
        staff = self.fixture.accounts.staff.username
        plan.cancel_by = plan.seller if plan.scenario.cancelled_by == "seller" else staff
        return plan.cancel_at

    def _stopped_live(self, plan: LotPlan, _occurrence: int) -> None:
        s = plan.scenario
        plan.starts_at = self._day(self._draw(s.start_day), self.settings.start_hour)
        plan.ends_at = self._day(self._draw(s.end_day), self.settings.end_hour)
        self._listed(plan, timedelta(days=2))
        cancel_at = self._cancelled(plan, timedelta(hours=6), timedelta(hours=1))
        early, late = plan.starts_at + timedelta(hours=1), cancel_at - timedelta(hours=1)
        plan.bids = self._bid_steps(self._draw(s.bids), early, late, proxies=s.proxies)

    def _suspended_live(self, plan: LotPlan, _occurrence: int) -> None:
        """Live with bids, then suspended (暂缓) a few hours ago with its reason: still suspended now."""
        s = plan.scenario
        plan.starts_at = self._day(self._draw(s.start_day), self.settings.start_hour)
        plan.ends_at = self._day(self._draw(s.end_day), self.settings.end_hour)
        self._listed(plan, timedelta(days=2))
        plan.suspend_at = _second(self.rng, self.now - timedelta(hours=6), self.now - timedelta(hours=1))
        plan.suspend_by = plan.seller if s.suspended_by == "seller" else self.fixture.accounts.staff.username
        early, late = plan.starts_at + timedelta(hours=1), plan.suspend_at - timedelta(hours=1)
        plan.bids = self._bid_steps(self._draw(s.bids), early, late, proxies=s.proxies)

    def _live(self, plan: LotPlan, occurrence: int) -> None:
        s, now = plan.scenario, self.now
        plan.starts_at = self._day(self._draw(s.start_day), self.settings.start_hour)
        count = self._draw(s.bids)
        early = plan.starts_at + timedelta(hours=1)
        if s.ends == "closing":
            # Two last-minute bids: the second lands one window before the target end, so the lot's own
            # extension carries the end there; the first, inside the window before the scheduled end.
            target = s.ends_in_seconds[occurrence % len(s.ends_in_seconds)]
            second = (now + timedelta(seconds=target - self.window)).replace(microsecond=0)
            first = second - timedelta(seconds=self._window(0.2, 0.67))
            plan.ends_at = first + timedelta(seconds=self._window(0.1, 0.4))
            plan.bids = self._bid_steps(count, early, first - timedelta(minutes=30), proxies=s.proxies)
            plan.bids += [BidStep(first), BidStep(second, 2)]
        elif s.ends == "extended":
            snipe = (now - timedelta(seconds=self._window(0.13, 0.3))).replace(microsecond=0)
            plan.ends_at = snipe + timedelta(seconds=self._window(0.2, 0.5))
            plan.bids = self._bid_steps(count, early, now - timedelta(minutes=20), proxies=s.proxies)
            plan.bids.append(BidStep(snipe))
        elif s.ends == "ending":
            minutes = s.ends_in_minutes or 0
            plan.ends_at = (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
            plan.bids = self._bid_steps(count, early, now - timedelta(minutes=15), proxies=s.proxies)
        else:
            plan.ends_at = self._day(self._draw(s.end_day), self.settings.end_hour)
            plan.bids = self._bid_steps(
                count, plan.starts_at + timedelta(minutes=30), now - timedelta(minutes=5),
                proxies=s.proxies, raise_max=s.raise_max,
            )  # fmt: skip
        self._listed(plan, timedelta(days=2))

    def _ended(self, plan: LotPlan, occurrence: int) -> None:
        """Listed, reviewed, started, bid on and ended in the past: long enough ago for its order's story."""
        s = plan.scenario
        fate = s.order_fates[occurrence % len(s.order_fates)] if s.order_fates else None
        end_day = -self._draw(self.fixture.fates[fate].ended_days_ago if fate else s.ended_days_ago)
        plan.starts_at = self._day(end_day - self._draw(s.lasts_days), self.settings.start_hour)
        plan.ends_at = self._day(end_day, self.settings.end_hour)
        self._listed(plan, timedelta(days=self.rng.randint(2, 4)))
        plan.bids = self._bid_steps(
            self._draw(s.bids), plan.starts_at + timedelta(minutes=30), plan.ends_at - timedelta(minutes=30),
            proxies=s.proxies,
        ) + self._snipes(plan.ends_at, self._draw(s.snipes))  # fmt: skip
        if s.reserve == "met":
            # every accepted bid lifts the price by at least one increment, so this reserve is met
            explicit = sum(1 for step in plan.bids if not step.raise_max)
            plan.reserve_price = plan.start_price + max(1, explicit - 2) * plan.increment
        elif s.reserve == "unmet":
            # above any price the planned bids can reach (each lifts it by at most jump + proxy increments)
            steps = sum(step.proxy if step.raise_max else step.jump + step.proxy for step in plan.bids)
            plan.reserve_price = two_figures((plan.start_price + steps * plan.increment) * 1.25)


TIMELINES: dict[Timeline, Callable[[Planner, LotPlan, int], None]] = {
    Timeline.IN_REVIEW: Planner._in_review,
    Timeline.REJECTED: Planner._rejected,
    Timeline.SCHEDULED: Planner._scheduled,
    Timeline.WITHDRAWN_BEFORE_START: Planner._withdrawn_before_start,
    Timeline.STOPPED_LIVE: Planner._stopped_live,
    Timeline.SUSPENDED_LIVE: Planner._suspended_live,
    Timeline.LIVE: Planner._live,
    Timeline.ENDED: Planner._ended,
}
