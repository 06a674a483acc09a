"""The demo's data (fixture.toml) as typed, checked values: a bad fixture fails at load with every problem named.

The file is TOML, read with the standard library; pydantic checks each field's type and range, and the
checks below tie the parts together (every scenario the plan names exists, every seller a category names
is an account, the first seven lots cover every promised status …), so a typo fails before any seeding.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from enum import Enum
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from ....domain.identity import check_digit
from ....domain.lots import LotStatus
from ....domain.orders import CloseReason, OrderStatus
from ....domain.rules import MAX_EXTENSION_SECONDS, Category

YUAN = 100  # fen per yuan

Positive = Annotated[int, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]


class FixtureError(ValueError):
    """The demo fixture is not what the seeder needs; the message names each problem and where it is."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _span(value: object) -> object:
    """[low, high]: two whole numbers, low first."""
    if not (isinstance(value, list | tuple) and len(value) == 2 and all(type(v) is int for v in value)):
        raise ValueError("expected [low, high], two whole numbers")
    if value[0] > value[1]:
        raise ValueError(f"low {value[0]} is above high {value[1]}")
    return tuple(value)


Range = Annotated[tuple[int, int], BeforeValidator(_span)]  # a [low, high] range the planner draws from


class Timeline(Enum):
    IN_REVIEW = "in_review"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    WITHDRAWN_BEFORE_START = "withdrawn_before_start"
    STOPPED_LIVE = "stopped_live"
    SUSPENDED_LIVE = "suspended_live"
    LIVE = "live"
    ENDED = "ended"


# The statuses each timeline can end in (the scenario names the one it promises).
TIMELINE_STATUSES = {
    Timeline.IN_REVIEW: {LotStatus.PENDING_REVIEW},
    Timeline.REJECTED: {LotStatus.REJECTED},
    Timeline.SCHEDULED: {LotStatus.SCHEDULED},
    Timeline.WITHDRAWN_BEFORE_START: {LotStatus.CANCELLED},
    Timeline.STOPPED_LIVE: {LotStatus.CANCELLED},
    Timeline.SUSPENDED_LIVE: {LotStatus.SUSPENDED},
    Timeline.LIVE: {LotStatus.LIVE},
    Timeline.ENDED: {LotStatus.SOLD, LotStatus.UNSOLD},
}
OrderStep = Literal["pay", "ship", "confirm", "request_close", "accept_close"]


class Scenario(Strict):
    about: str
    timeline: Timeline
    status: LotStatus
    ends: Literal["days", "closing", "extended", "ending"] | None = None
    ends_in_seconds: tuple[Positive, ...] = ()
    ends_in_minutes: Positive | None = None
    start_day: Range | None = None
    end_day: Range | None = None
    lasts_days: Range | None = None
    ended_days_ago: Range | None = None
    bidders: Range = (0, 0)
    bids: Range = (0, 0)
    snipes: Range = (0, 0)
    proxies: Share = 0.3
    raise_max: bool = False
    reserve: Literal["met", "unmet"] | None = None
    withdrawal: Literal["bid", "auction"] | None = None
    order_fates: tuple[OrderStatus, ...] = ()
    cancelled_by: Literal["seller", "staff"] | None = None
    cancel_reason: str | None = None
    suspended_by: Literal["seller", "staff"] | None = None
    suspend_reason: str | None = None
    min_extensions: Annotated[int, Field(ge=0)] = 0
    ends_within_minutes: Positive | None = None

    @model_validator(mode="after")
    def _fits_its_timeline(self) -> Self:
        problems: list[str] = []
        if self.status not in TIMELINE_STATUSES[self.timeline]:
            problems.append(f"a {self.timeline.value} lot cannot end {self.status.value}")
        cancelled = self.timeline in (Timeline.WITHDRAWN_BEFORE_START, Timeline.STOPPED_LIVE)
        suspended = self.timeline is Timeline.SUSPENDED_LIVE
        needs = {
            "start_day": self.timeline is not Timeline.ENDED,
            "lasts_days": self.timeline not in (Timeline.STOPPED_LIVE, Timeline.SUSPENDED_LIVE, Timeline.LIVE),
            "end_day": self.timeline in (Timeline.STOPPED_LIVE, Timeline.SUSPENDED_LIVE) or self.ends == "days",
            "ends": self.timeline is Timeline.LIVE,
            "ends_in_seconds": self.ends == "closing",
            "ends_in_minutes": self.ends == "ending",
            "cancelled_by": cancelled,
            "cancel_reason": cancelled,
            "suspended_by": suspended,
            "suspend_reason": suspended,
            "order_fates": self.status is LotStatus.SOLD,
            "ended_days_ago": self.timeline is Timeline.ENDED and self.status is not LotStatus.SOLD,
        }
        problems += [f"{name} is required for this scenario" for name, needed in needs.items()
                     if needed and not getattr(self, name)]  # fmt: skip
        if self.status is LotStatus.SOLD and self.bids[0] < 1:
            problems.append("a lot promised sold needs at least one bid")
        if self.reserve == "met" and self.bids[0] < 1:
            problems.append("a reserve can only be met with bids")
        if self.withdrawal is not None and self.bids[0] < 3:
            problems.append("a withdrawal is planned between bids: at least three are needed")
        if self.bids[1] > 0 and self.bidders[0] < 2:
            problems.append("bids need at least two registered bidders (they outbid each other)")
        if self.timeline in (Timeline.IN_REVIEW, Timeline.REJECTED) and (self.bidders[1] or self.bids[1]):
            problems.append("nobody can register for or bid on a lot that is not approved")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Fate(Strict):
    about: str
    ended_days_ago: Range
    steps: tuple[OrderStep, ...] = ()


class Staff(Strict):
    username: str
    display_name: str


class Seller(Strict):
    username: str
    display_name: str
    kind: Literal["individual", "business", "court"]
    shop_name: str
    about: str
    contact_phone: str  # checked as every application's (domain.sellers)
    licence_number: str = ""  # a business's 统一社会信用代码
    court_name: str = ""  # a court's full name (it lists the judicial lots, demo/judicial.py)


class Bidder(Strict):
    username: str
    display_name: str
    resident_id: str | None = None  # 实名认证 with it

    @field_validator("resident_id")
    @classmethod
    def _check_character(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 18 or not value[:17].isdigit() or check_digit(value[:17]) != value[17]):
            raise ValueError(f"{value!r} is not an 18-character resident ID with the right check character")
        return value


class Accounts(Strict):
    opened_days_ago: Positive
    opened_hour: Annotated[int, Field(ge=0, le=23)]
    approval_note: str
    staff: Staff
    sellers: tuple[Seller, ...] = Field(min_length=1)
    bidders: tuple[Bidder, ...] = Field(min_length=2)

    @property
    def usernames(self) -> tuple[str, ...]:
        return (self.staff.username, *(s.username for s in self.sellers), *(b.username for b in self.bidders))

    def display_name(self, username: str) -> str:
        people: tuple[Staff | Seller | Bidder, ...] = (self.staff, *self.sellers, *self.bidders)
        return next(person.display_name for person in people if person.username == username)


class Delivery(Strict):
    name: str
    prefix: str


class CloseRequest(Strict):
    reason: CloseReason
    note: str


class Texts(Strict):
    reject_reasons: tuple[str, ...] = Field(min_length=1)
    close_request: CloseRequest
    carriers: tuple[Delivery, ...] = Field(min_length=1)
    handover: Delivery


class Template(Strict):
    """One kind of lot: text, place and a start price; the increment and deposit are shares of it."""

    title: str
    description: str
    location: str
    start_yuan: Positive
    increment_percent: Annotated[float, Field(gt=0, le=50)]
    deposit_percent: Annotated[float, Field(ge=0, le=100)]

    @property
    def start_price(self) -> int:
        return self.start_yuan * YUAN


class CategoryLots(Strict):
    seller: str
    withdrawal_allowed: bool = True
    delivery: Literal["carrier", "handover"] = "carrier"
    lots: tuple[Template, ...] = Field(min_length=1)


class Money(Strict):
    first_top_up: Positive
    top_up_step: Positive


class LotSettings(Strict):
    extension_seconds: Annotated[int, Field(ge=60, le=MAX_EXTENSION_SECONDS)]
    start_hour: Annotated[int, Field(ge=0, le=23)]
    end_hour: Annotated[int, Field(ge=0, le=23)]
    withdrawal_fee_percent: Annotated[int, Field(ge=1, le=100)]
    withdrawal_fee_every: Positive
    viewing: str


class Plan(Strict):
    lots: tuple[str, ...] = Field(min_length=len(Category))
    top_up: tuple[str, ...] = Field(min_length=1)
    min_live_lots: Positive


# ---- the sellers' and staff's workplace ------------------------------------------------------------------

Document = Literal["licence", "id_card", "id_card_blurred"]


class Application(Strict):
    """One application to sell, with the document drawn for it; decided by staff, or waiting."""

    hours_ago: Positive
    kind: Literal["individual", "business"]
    shop_name: str
    about: str
    contact_phone: str  # checked as every application's (domain.sellers)
    licence_number: str = ""
    document: Document
    decision: Literal["approve", "reject"] | None = None
    decided_hours_ago: Positive | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _decided_after_applying(self) -> Self:
        problems: list[str] = []
        if (self.decision is None) != (self.decided_hours_ago is None):
            problems.append("decision and decided_hours_ago go together")
        if self.decided_hours_ago is not None and self.decided_hours_ago >= self.hours_ago:
            problems.append("decided_hours_ago must be after the application (fewer hours ago)")
        if self.decision == "reject" and not self.reason:
            problems.append("a rejection needs a reason")
        if self.decision is None and self.reason:
            problems.append("a reason without a decision")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Applicant(Strict):
    username: str
    display_name: str
    opened_hours_ago: Positive
    applications: tuple[Application, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_at_a_time(self) -> Self:
        problems: list[str] = []
        first = self.applications[0]
        if first.hours_ago >= self.opened_hours_ago:
            problems.append("the first application is made before the account is opened")
        for earlier, later in zip(self.applications, self.applications[1:], strict=False):
            if later.hours_ago >= earlier.hours_ago:
                problems.append("applications must be listed oldest first")
            elif earlier.decided_hours_ago is None or earlier.decided_hours_ago <= later.hours_ago:
                problems.append("each application but the last is decided before the next is made (one at a time)")
            if earlier.decision == "approve":
                problems.append("an approved applicant does not apply again")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Frozen(Strict):
    """A customer account frozen by staff (not one the README offers to sign in with)."""

    username: str
    display_name: str
    opened_hours_ago: Positive
    top_up_yuan: Annotated[int, Field(ge=0)] = 0
    frozen_hours_ago: Positive
    reason: str = Field(min_length=1)

    @model_validator(mode="after")
    def _frozen_after_opening(self) -> Self:
        if self.frozen_hours_ago >= self.opened_hours_ago:
            raise ValueError("frozen_hours_ago must be after the account is opened")
        return self


class WorkplaceLot(Template):
    """A lot in its seller's workplace: drafted with photos, then maybe submitted, then maybe rejected."""

    state: Literal["draft", "pending_review", "rejected"]
    seller: str
    category: Category
    created_hours_ago: Positive
    submitted_hours_ago: Positive | None = None
    reviewed_hours_ago: Positive | None = None
    reason: str | None = None
    start_day: Positive
    lasts_days: Positive

    @property
    def status(self) -> LotStatus:
        return LotStatus(self.state)

    @model_validator(mode="after")
    def _fits_its_state(self) -> Self:
        submitted = self.status is not LotStatus.DRAFT
        rejected = self.status is LotStatus.REJECTED
        problems = [
            f"{name} is {'required' if needed else 'not allowed'} for a {self.state} lot"
            for name, needed in (
                ("submitted_hours_ago", submitted), ("reviewed_hours_ago", rejected), ("reason", rejected)
            )
            if needed != (getattr(self, name) is not None)
        ]  # fmt: skip
        moments = [m for m in (self.created_hours_ago, self.submitted_hours_ago, self.reviewed_hours_ago) if m]
        if moments != sorted(moments, reverse=True) or len(set(moments)) != len(moments):
            problems.append("created, submitted and reviewed must follow one another (ever fewer hours ago)")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class CashOut(Strict):
    seller: str
    hours_ago: Positive
    share_percent: Annotated[int, Field(ge=1, le=100)]
    bank_name: str
    holder: str
    account_number: str


class Workplace(Strict):
    applicants: tuple[Applicant, ...] = Field(min_length=1)
    frozen: tuple[Frozen, ...] = Field(min_length=1)
    lots: tuple[WorkplaceLot, ...] = Field(min_length=1)
    cash_out: CashOut

    @property
    def usernames(self) -> tuple[str, ...]:
        return (*(a.username for a in self.applicants), *(f.username for f in self.frozen))


class Fixture(Strict):
    seed: int
    plan: Plan
    money: Money
    lot_settings: LotSettings
    accounts: Accounts
    texts: Texts
    scenarios: dict[str, Scenario]
    fates: dict[OrderStatus, Fate]
    order_steps: dict[OrderStep, Range]
    categories: dict[Category, CategoryLots]
    workplace: Workplace

    @model_validator(mode="after")
    def _parts_fit_together(self) -> Self:
        problems: list[str] = self._workplace_problems()
        missing = [c.value for c in Category if c not in self.categories]
        if missing:
            problems.append(f"categories: no lots for {', '.join(missing)}")
        sellers = {s.username for s in self.accounts.sellers}
        problems += [
            f"categories.{c.value}.seller: {lots.seller!r} is not one of the sellers"
            for c, lots in self.categories.items()
            if lots.seller not in sellers
        ]
        names = self.accounts.usernames
        if len(set(names)) != len(names):
            problems.append("accounts: a username is used twice")
        for where, plan in (("plan.lots", self.plan.lots), ("plan.top_up", self.plan.top_up)):
            problems += [f"{where}: no scenario {name!r}" for name in dict.fromkeys(plan) if name not in self.scenarios]
        problems += [
            f"plan.top_up: {name!r} does not promise a live lot"
            for name in self.plan.top_up
            if name in self.scenarios and self.scenarios[name].status is not LotStatus.LIVE
        ]
        for name, scenario in self.scenarios.items():
            problems += [f"scenarios.{name}: no fate {f.value!r}" for f in scenario.order_fates if f not in self.fates]
            if scenario.bidders[1] > len(self.accounts.bidders):
                problems.append(f"scenarios.{name}.bidders: only {len(self.accounts.bidders)} bidders exist")
        for status, fate in self.fates.items():
            problems += [f"fates.{status.value}: no order_steps entry for {s!r}" for s in fate.steps
                         if s not in self.order_steps]  # fmt: skip
        if not problems:
            # the workplace's lots (a draft, in review, rejected) are seeded whatever --lots says
            first = {self.scenarios[name].status for name in self.plan.lots[: len(Category)]}
            first |= {lot.status for lot in self.workplace.lots}
            promised = {self.scenarios[name].status for name in self.plan.lots}
            if promised - first:
                lacking = ", ".join(sorted(s.value for s in promised - first))
                problems.append(f"plan.lots: the first {len(Category)} lots do not cover {lacking}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _workplace_problems(self) -> list[str]:
        """The workplace's accounts are its own, its sellers the fixture's; its lots' titles are unique; the
        cash-out's seller has earned something by then (a completed sale among the first seven lots)."""
        place = self.workplace
        problems = [
            f"workplace: {name!r} is already a demo account" for name in place.usernames
            if name in self.accounts.usernames
        ]  # fmt: skip
        if len(set(place.usernames)) != len(place.usernames):
            problems.append("workplace: a username is used twice")
        sellers = set(self.sellers)
        problems += [f"workplace.lots.{n}.seller: {lot.seller!r} is not one of the sellers"
                     for n, lot in enumerate(place.lots) if lot.seller not in sellers]  # fmt: skip
        titles = [t.title for lots in self.categories.values() for t in lots.lots] + [lot.title for lot in place.lots]
        if len(set(titles)) != len(titles):
            problems.append("a lot title is used twice (categories and workplace.lots)")
        if place.cash_out.seller not in sellers:
            problems.append(f"workplace.cash_out.seller: {place.cash_out.seller!r} is not one of the sellers")
        elif place.cash_out.seller not in self._completed_sellers():
            problems.append(f"workplace.cash_out.seller: {place.cash_out.seller!r} completes no sale in the first "
                            f"{len(Category)} lots, so has nothing to cash out")  # fmt: skip
        return problems

    def _completed_sellers(self) -> set[str]:
        """The sellers paid for a completed order among the first seven lots (lot i is in category i mod 7)."""
        seen: dict[str, int] = {}
        paid: set[str] = set()
        for index, name in enumerate(self.plan.lots[: len(Category)]):
            scenario = self.scenarios.get(name)
            category = self.categories.get(list(Category)[index])
            if scenario is None or category is None:
                continue  # reported by the checks above
            occurrence = seen[name] = seen.get(name, -1) + 1
            fates = scenario.order_fates
            if fates and fates[occurrence % len(fates)] is OrderStatus.COMPLETED:
                paid.add(category.seller)
        return paid

    @property
    def bidders(self) -> tuple[str, ...]:
        return tuple(b.username for b in self.accounts.bidders)

    @property
    def sellers(self) -> tuple[str, ...]:
        return tuple(s.username for s in self.accounts.sellers)


def validate_fixture(data: Mapping[str, Any], source: str = "fixture.toml") -> Fixture:
    """The fixture in `data` (as read from TOML), or FixtureError naming every problem and where it is."""
    try:
        return Fixture.model_validate(data)
    except ValidationError as error:
        lines = [
            f"  {'.'.join(str(part) for part in e['loc']) or '(top)'}: {problem}"
            for e in error.errors()
            for problem in e["msg"].removeprefix("Value error, ").split("\n")
        ]
        raise FixtureError(f"{source} has {len(lines)} problem(s):\n" + "\n".join(lines)) from None


def parse_fixture(text: str, source: str = "fixture.toml") -> Fixture:
    """The fixture in the TOML `text`, or FixtureError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FixtureError(f"{source} is not valid TOML: {error}") from None
    return validate_fixture(data, source)


@cache
def load_fixture() -> Fixture:
    """The fixture shipped with the package (read once per process)."""
    text = resources.files(__package__).joinpath("fixture.toml").read_text(encoding="utf-8")
    return parse_fixture(text, "paimai/adapters/cli/demo/fixture.toml")
