"""What the simulator knows of the platform (refreshed from the facts read after each step) and how it picks
the next step: mostly what is possible now, some attempts that must be refused, and with faults on, faults.

Everything random comes from the one seeded `random.Random`, and everything observed from the database is
deterministic under the simulated clock, so one seed gives one history.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ....domain import judicial as judicial_rules
from ....domain.identity import check_digit
from ....domain.rules import JUDICIAL_EXTENSION_SECONDS, JUDICIAL_MIN_HOURS, Category
from ....simulation.steps import Step

# Kinds that move money or make a record and go through an Idempotency-Key over HTTP: a duplicate request
# with the same key is one of the faults.
IDEMPOTENT = frozenset(
    {
        "top_up", "deposit", "bid", "withdraw", "pay", "ship", "confirm", "request_refund", "accept_refund",
        "decline_refund", "request_close", "accept_close", "decline_close", "refuse_to_sell", "undeliverable",
        "resolve", "offer", "accept_offer",
    }
)  # fmt: skip
SYSTEM = frozenset({"advance", "due_twice", "restart"})
CAST = (
    ("staff1", "staff"), ("staff2", "staff"), ("seller1", "seller"), ("seller2", "seller"), ("seller3", "seller"),
    ("court1", "court"), ("bidder1", "bidder"), ("bidder2", "bidder"), ("bidder3", "bidder"), ("bidder4", "bidder"),
    ("bidder5", "bidder"), ("bidder6", "bidder"), ("bidder7", "bidder"), ("bidder8", "bidder"), ("plain1", "plain"),
)  # fmt: skip
MAX_USERS = 28  # registering hashes a password (argon2, ~50 ms): the cast stays small
CLOSE_REASONS = ("mistaken_bid", "changed_mind", "funds", "other")
REFUND_REASONS = ("changed_mind", "mistaken_bid", "other", "not_as_described")
SETTLED_ORDERS = frozenset({"completed", "closed", "refunded", "seller_refused", "defaulted"})
FINISHED_LOTS = frozenset({"rejected", "sold", "unsold", "cancelled"})
RECENT_RETIRED = 200  # finished lots kept for attempts the platform must refuse
OFFER_PATIENCE = timedelta(days=30)  # a seller who has not offered a defaulted lot by then never will


@dataclass
class UserView:
    username: str
    role: str  # as registered: staff, seller, court, bidder, plain
    is_staff: bool = False
    seller_status: str = "none"
    seller_kind: str | None = None
    verified: bool = False
    pending_application: bool = False

    @property
    def seller(self) -> bool:
        return self.seller_status == "approved"


@dataclass
class OrderView:
    ordinal: int
    buyer: str
    seller: str
    status: str


@dataclass
class OfferView:
    ordinal: int
    user: str
    status: str


@dataclass
class LotView:
    handle: str
    seller: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    start_price: int
    increment: int
    deposit: int
    price: int | None
    leader: str | None
    withdrawal_allowed: bool
    depositors: frozenset[str] = frozenset()
    bidders: frozenset[str] = frozenset()
    orders: list[OrderView] = field(default_factory=list)
    offers: list[OfferView] = field(default_factory=list)

    def open_at(self, now: datetime) -> bool:
        return self.status in ("scheduled", "live") and self.starts_at <= now < self.ends_at

    def takes_deposits(self, now: datetime) -> bool:
        return self.status in ("scheduled", "live") and now < self.ends_at


@dataclass
class Model:
    users: dict[str, UserView] = field(default_factory=dict)
    # The lots that can still change; a finished one moves to `retired` (the most recent only), so a step's
    # choice costs the same at step 1,000,000 as at step 1,000.
    lots: dict[str, LotView] = field(default_factory=dict)
    retired: dict[str, LotView] = field(default_factory=dict)
    # Lots whose seller was told no second-chance offer can be made (no runner-up, a judicial sale): asking
    # again is a refusal already seen, so it is asked only now and then.
    closed_to_offers: set[str] = field(default_factory=set)

    def put(self, lot: LotView) -> None:
        """The lot as just observed: among the live ones again, even if it had retired."""
        self.retired.pop(lot.handle, None)
        self.lots[lot.handle] = lot

    def lookup(self, handle: str) -> LotView | None:
        return self.lots.get(handle) or self.retired.get(handle)

    def every_lot(self) -> list[LotView]:
        """The lots that can change, then the recently finished ones."""
        return [*self.lots.values(), *self.retired.values()]

    def retire(self, now: datetime) -> None:
        """Move the finished lots out of the ones choices are made from; keep only the recent finished."""
        for handle in [h for h, lot in self.lots.items() if self._finished(lot, now)]:
            self.retired[handle] = self.lots.pop(handle)
        for handle in list(self.retired)[: max(0, len(self.retired) - RECENT_RETIRED)]:
            del self.retired[handle]

    def _finished(self, lot: LotView, now: datetime) -> bool:
        if lot.status not in FINISHED_LOTS or any(order.status not in SETTLED_ORDERS for order in lot.orders):
            return False
        if any(offer.status == "pending" for offer in lot.offers):
            return False
        awaiting_offer = any(order.status == "defaulted" for order in lot.orders) and not lot.offers
        return not awaiting_offer or lot.handle in self.closed_to_offers or now - lot.ends_at > OFFER_PATIENCE

    def by_role(self, *roles: str) -> list[UserView]:
        return [u for u in self.users.values() if u.role in roles]

    def sellers(self) -> list[UserView]:
        return [u for u in self.users.values() if u.seller]

    def staff(self) -> list[UserView]:
        return [u for u in self.users.values() if u.is_staff]

    def bidders(self) -> list[UserView]:
        return [u for u in self.users.values() if not u.is_staff]

    def next_end(self, now: datetime) -> datetime | None:
        ends = [lot.ends_at for lot in self.lots.values() if lot.status in ("scheduled", "live") and lot.ends_at > now]
        return min(ends, default=None)


def id_number(n: int, *, valid: bool = True) -> str:
    """A resident ID number with a real birth date and the right check character (or a wrong one)."""
    first17 = f"110101{1970 + n % 30:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    check = check_digit(first17)
    if not valid:
        check = "0" if check != "0" else "1"
    return first17 + check


class Chooser:
    """Picks the next step from the model; one instance per run, holding the run's random source."""

    def __init__(self, rng: random.Random, faults: bool) -> None:
        self.rng = rng
        self.faults = faults

    # ---- the step ------------------------------------------------------------------------------------

    def next(self, index: int, model: Model, now: datetime) -> Step:
        if index < len(CAST):
            name, role = CAST[index]
            return Step(index, "register", {"username": name, "role": role})
        rng = self.rng
        if self.faults and rng.random() < 0.004:
            return Step(index, "restart")
        table: list[tuple[float, Callable[[int, Model, datetime], dict[str, Any] | None], str]] = [
            (2, self._register, "register"),
            (2, self._verify, "verify"),
            (1, self._apply, "apply"),
            (1.5, self._decide, "decide"),
            (6, self._top_up, "top_up"),
            (3, self._create_lot, "create_lot"),
            (5, self._review, "review"),
            (10, self._deposit, "deposit"),
            (24, self._bid, "bid"),
            (4, self._withdraw, "withdraw"),
            (1, self._cancel, "cancel"),
            (1, self._pause, "suspend"),
            (1, self._priority, "priority"),
            (3, self._watch, "watch"),
            (9, self._advance, "advance"),
            (16, self._order_step, "order"),
            (3, self._offer_step, "offer"),
        ]
        weights = [w for w, _, _ in table]
        for _ in range(20):
            _, make, kind = rng.choices(table, weights)[0]
            args = make(index, model, now)
            if args is not None:
                kind = args.pop("kind", kind)
                return self._with_fault(Step(index, kind, args))
        return Step(index, "advance", {"seconds": rng.randint(30, 900), "due": True})

    def _with_fault(self, step: Step) -> Step:
        if not self.faults or step.kind in SYSTEM:
            if step.kind == "advance" and self.faults and self.rng.random() < 0.15:
                return Step(step.index, "due_twice", step.args)
            return step
        roll = self.rng.random()
        if roll < 0.03:
            return Step(step.index, step.kind, step.args, "abort", self.rng.randint(1, 14))
        if roll < 0.08 and step.kind in IDEMPOTENT:
            return Step(step.index, step.kind, step.args, "duplicate")
        return step

    # ---- helpers --------------------------------------------------------------------------------------

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items) if items else None

    def anyone(self, model: Model) -> str | None:
        user: UserView | None = self.pick(list(model.users.values()))
        return None if user is None else user.username

    def amount(self, low: int, high: int) -> int:
        """Not round: 1,999.37 rather than 2,000.00, so a rounding slip shows."""
        return self.rng.randint(low, high) * 7 + self.rng.randint(0, 6)

    # ---- accounts -------------------------------------------------------------------------------------

    def _register(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        full = len(model.users) >= MAX_USERS
        if full and self.rng.random() < 0.9:  # the cast is complete: a taken name only now and then
            return None
        if full or self.rng.random() < 0.2:
            name = self.anyone(model)
            return None if name is None else {"username": name, "role": "bidder"}  # USERNAME_TAKEN
        role = self.rng.choices(["bidder", "seller", "court", "plain", "staff"], [6, 1.5, 0.6, 1.5, 0.4])[0]
        return {"username": f"{role}-{index}", "role": role}

    def _verify(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        unverified = [u for u in model.bidders() if not u.verified]
        if not unverified and self.rng.random() < 0.9:  # everyone is verified: a second try now and then
            return None
        user: UserView | None = self.pick(unverified) if unverified and self.rng.random() < 0.9 else None
        name = user.username if user else self.anyone(model)
        if name is None:
            return None
        valid = self.rng.random() < 0.9
        return {"user": name, "name": "张三", "id_number": id_number(index, valid=valid)}

    def _apply(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        plain = [
            u
            for u in model.users.values()
            if u.seller_status in ("none", "rejected") and not u.is_staff and not u.pending_application
        ]
        if not plain and self.rng.random() < 0.9:
            return None
        user: UserView | None = self.pick(plain) if plain and self.rng.random() < 0.85 else None
        name = user.username if user else self.anyone(model)
        if name is None:
            return None
        kind = self.rng.choice(["individual", "business", "court"])
        return {"user": name, "seller_kind": kind}

    def _decide(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        pending = [u for u in model.users.values() if u.pending_application]
        if not pending:
            return None
        applicant: UserView = self.pick(pending)
        staff = self.pick(model.staff()) if self.rng.random() < 0.9 else None
        actor = staff.username if staff else self.anyone(model)
        return {"user": actor, "applicant": applicant.username, "approve": self.rng.random() < 0.75}

    def _top_up(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        name = self.anyone(model)
        if name is None:
            return None
        amount = self.amount(5_000, 400_000) if self.rng.random() < 0.95 else self.rng.choice([0, -100])
        return {"user": name, "amount": amount}

    # ---- lots -----------------------------------------------------------------------------------------

    def _create_lot(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        rng = self.rng
        sellers = model.sellers()
        seller: UserView | None = self.pick(sellers) if sellers and rng.random() < 0.92 else None
        name = seller.username if seller else self.anyone(model)
        if name is None:
            return None
        court = seller is not None and seller.seller_kind == "court"
        judicial = (court and rng.random() < 0.7) or rng.random() < 0.03
        start = now + timedelta(seconds=rng.choice([-30, 0, 0, 60, 120, 300, 600, 1800, 3600]))
        category = Category.REAL_ESTATE if judicial and rng.random() < 0.3 else Category.OTHER
        if judicial:  # the announcement's lead (domain.judicial, the clock is the simulator's), now and then short
            lead = judicial_rules.announcement_lead(category) + judicial_rules.REVIEW_ALLOWANCE
            start = now + lead + timedelta(seconds=rng.choice([60, 600, 3600, 7200]))
            if rng.random() < 0.05:
                start = now + lead - timedelta(hours=1)  # LOT_INVALID (judicial_announcement_lead)
        hours = rng.uniform(JUDICIAL_MIN_HOURS, JUDICIAL_MIN_HOURS * 2) if judicial else rng.uniform(0.3, 8)
        end = start + timedelta(seconds=int(hours * 3600))
        if rng.random() < 0.03:
            end = start  # LOT_INVALID
        start_price = self.amount(100, 30_000)
        increment = rng.choice([100, 500, 1_000, 2_500, 5_000, 9_900])
        deposit = rng.choice([0, self.amount(100, 3_000), self.amount(1_000, 10_000)])
        fee = rng.choice([0, 0, deposit // 3, deposit]) if deposit else 0
        if rng.random() < 0.02:
            fee = deposit + 100  # LOT_INVALID
        reserve = None if judicial or rng.random() < 0.7 else start_price + increment * rng.randint(1, 8)
        appraisal = None
        if judicial:  # 一拍: start ≥ 70 % of the appraisal, deposit 5 %–20 % of the start, now and then not
            appraisal = start_price * 100 // rng.choice([70, 75, 80, 90, 100])
            low, high = judicial_rules.deposit_range(start_price)
            deposit = rng.randint(low, high)
            fee = 0
            if rng.random() < 0.03:
                appraisal = start_price * 2  # LOT_INVALID (judicial_start_below_appraisal)
            if rng.random() < 0.03:
                deposit = max(0, low - 1)  # LOT_INVALID (judicial_deposit_out_of_range)
        return {
            "user": name,
            "judicial": judicial,
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "start_price": start_price,
            "increment": increment,
            "deposit": deposit,
            "reserve_price": reserve,
            "extension_seconds": JUDICIAL_EXTENSION_SECONDS if judicial else rng.choice([0, 60, 300, 600]),
            "withdrawal_allowed": rng.random() < 0.7,
            "withdrawal_fee": fee,
            "category": category.value,
            "appraisal": appraisal,
        }

    def _lot(self, model: Model, want: Callable[[LotView], bool], *, stray: float = 0.05) -> LotView | None:
        """A lot that fits, or now and then any lot at all (an attempt the platform should refuse)."""
        if not model.lots and not model.retired:
            return None
        if self.rng.random() < stray:
            return self.rng.choice(model.every_lot())
        found: LotView | None = self.pick([lot for lot in model.lots.values() if want(lot)])
        return found

    def _review(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        lot = self._lot(model, lambda lot: lot.status == "pending_review")
        if lot is None:
            return None
        staff = self.pick(model.staff()) if self.rng.random() < 0.93 else None
        actor = staff.username if staff else lot.seller
        # Staff reject a lot whose end has passed in review; approving it is tried now and then (LOT_END_PASSED).
        approve = self.rng.random() < (0.88 if now < lot.ends_at else 0.08)
        return {"user": actor, "lot": lot.handle, "approve": approve}

    def _deposit(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        lot = self._lot(model, lambda lot: lot.takes_deposits(now))
        if lot is None:
            return None
        rng = self.rng
        candidates = [u for u in model.bidders() if u.username != lot.seller and u.username not in lot.depositors]
        if lot.kind == "judicial" and rng.random() < 0.9:
            candidates = [u for u in candidates if u.verified]
        user: UserView | None = self.pick(candidates) if candidates and rng.random() < 0.93 else None
        name = user.username if user else (lot.seller if rng.random() < 0.5 else self.anyone(model))
        if name is None:
            return None
        # a judicial deposit waits for the bidder's notice: accepted first most of the time (NOTICE_NOT_ACCEPTED)
        accept = lot.kind == "judicial" and rng.random() < 0.9
        return {"user": name, "lot": lot.handle, "accept_notice": accept}

    def _bid(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        rng = self.rng
        lot = self._lot(model, lambda lot: lot.open_at(now) and bool(lot.depositors))
        if lot is None:
            return None
        pool = sorted(lot.depositors)
        name = (
            self.pick(pool)
            if pool and rng.random() < 0.93
            else (lot.seller if rng.random() < 0.4 else self.anyone(model))
        )
        if name is None:
            return None
        nxt = lot.start_price if lot.price is None else lot.price + lot.increment
        if name == lot.leader:  # the leader raises their maximum
            base = (lot.price or lot.start_price) + lot.increment
            return {
                "user": name,
                "lot": lot.handle,
                "amount": base,
                "max_amount": base + lot.increment * rng.randint(1, 6),
            }
        amount = nxt + lot.increment * rng.choice([0, 0, 0, 1, 2])
        roll = rng.random()
        if roll < 0.04:
            amount += 1  # off the price grid
        elif roll < 0.08:
            amount = nxt - lot.increment  # too low
        max_amount = amount + lot.increment * rng.randint(1, 10) if rng.random() < 0.35 else None
        return {"user": name, "lot": lot.handle, "amount": amount, "max_amount": max_amount}

    def _withdraw(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        lot = self._lot(model, lambda lot: lot.open_at(now) and bool(lot.bidders))
        if lot is None:
            return None
        pool = sorted(lot.bidders) or sorted(lot.depositors)
        name = self.pick(pool) if pool else self.anyone(model)
        if name is None:
            return None
        return {"user": name, "lot": lot.handle, "scope": self.rng.choice(["bid", "bid", "auction"])}

    def _cancel(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        lot = self._lot(model, lambda lot: lot.status in ("scheduled", "live", "suspended"), stray=0.1)
        return self._lot_manager(model, lot)

    def _pause(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        """暂缓 a scheduled or live lot, or resume a suspended one (now and then with no reason: refused)."""
        lot = self._lot(model, lambda lot: lot.status in ("scheduled", "live", "suspended"), stray=0.1)
        args = self._lot_manager(model, lot)
        if args is None or lot is None:
            return None
        args["kind"] = "resume" if lot.status == "suspended" else "suspend"
        args["reason"] = "" if self.rng.random() < 0.05 else "模拟暂缓"
        return args

    def _priority(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        """The court registers a priority buyer (优先购买权人) on its judicial lot before the start; now and then
        staff do, a stranger tries, or it comes too late (refused)."""
        lot = self._lot(model, lambda lot: lot.kind == "judicial" and lot.status == "scheduled" and now < lot.starts_at)
        args = self._lot_manager(model, lot)
        holders = [u.username for u in model.bidders() if lot is not None and u.username != lot.seller]
        if args is None or not holders:
            return None
        rng = self.rng
        basis = rng.choice(["co_owner", "tenant", "other"])
        return {**args, "holder": self.pick(holders), "rank": rng.choice([1, 1, 2, 3]), "basis": basis}

    def _lot_manager(self, model: Model, lot: LotView | None) -> dict[str, Any] | None:
        """Who acts on a published lot: mostly its seller, else staff, now and then anyone (refused)."""
        if lot is None:
            return None
        roll = self.rng.random()
        staff = self.pick(model.staff())
        actor = lot.seller if roll < 0.6 else (staff.username if staff and roll < 0.9 else self.anyone(model))
        return None if actor is None else {"user": actor, "lot": lot.handle}

    def _watch(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        lot = self.pick(model.every_lot())
        name = self.anyone(model)
        if lot is None or name is None:
            return None
        kind = "watch" if self.rng.random() < 0.7 else "unwatch"
        return {"kind": kind, "user": name, "lot": lot.handle}

    # ---- time -----------------------------------------------------------------------------------------

    def _advance(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        rng = self.rng
        roll = rng.random()
        end = model.next_end(now)
        if roll < 0.7:
            seconds = rng.randint(5, 300)
        elif roll < 0.84:
            seconds = rng.randint(300, 3600)
        elif roll < 0.93 and end is not None:  # to the second around the next close
            seconds = max(1, int((end - now).total_seconds()) + rng.choice([-2, 0, 1, 3]))
        elif roll < 0.97:
            seconds = rng.randint(3600, 86_400)
        else:  # past payment, shipping and confirmation deadlines
            seconds = rng.randint(86_400, 5 * 86_400)
        # The scheduler ticks every few seconds: now and then the clock moves before it has run.
        return {"seconds": seconds, "due": rng.random() < 0.8}

    # ---- orders and offers ----------------------------------------------------------------------------

    def _order_step(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        rng = self.rng
        found = [(lot, order) for lot in model.every_lot() for order in lot.orders]
        if not found:
            return None
        live = [(lot, order) for lot, order in found if order.status not in SETTLED_ORDERS]
        # After a default the seller may offer the lot to the runner-up, once.
        live += [
            (lot, order)
            for lot, order in found
            if order.status == "defaulted" and not lot.offers and lot.handle not in model.closed_to_offers
        ]
        if not live and rng.random() < 0.85:
            return None
        lot, order = rng.choice(live if live and rng.random() < 0.95 else found)
        staff = self.pick(model.staff())
        buyer, seller = order.buyer, order.seller
        moves: dict[str, list[tuple[float, str, str]]] = {
            "awaiting_payment": [
                (70, "pay", buyer), (12, "request_close", buyer), (4, "refuse_to_sell", seller), (3, "pay", seller)
            ],
            "close_requested": [(50, "accept_close", seller), (35, "decline_close", seller), (10, "pay", buyer)],
            "paid": [
                (70, "ship", seller), (5, "refuse_to_sell", seller), (5, "confirm", buyer), (5, "request_refund", buyer)
            ],
            "shipped": [
                (50, "confirm", buyer), (25, "request_refund", buyer), (6, "undeliverable", seller), (4, "ship", seller)
            ],
            "refund_requested": [(50, "accept_refund", seller), (40, "decline_refund", seller), (5, "confirm", buyer)],
            "disputed": [(80, "resolve", staff.username if staff else buyer), (10, "resolve", seller)],
            "defaulted": [(60, "offer", seller), (10, "offer", buyer)],
        }  # fmt: skip
        choices = moves.get(order.status, [(1, "pay", order.buyer), (1, "offer", order.seller)])
        _, kind, actor = rng.choices(choices, [w for w, _, _ in choices])[0]
        args: dict[str, Any] = {"kind": kind, "user": actor, "lot": lot.handle, "order": order.ordinal}
        if kind == "request_close":
            args["reason"] = rng.choice(CLOSE_REASONS)
        elif kind == "request_refund":
            args["reason"] = rng.choice(REFUND_REASONS)
        elif kind == "ship":
            args["tracking_no"] = f"SF{rng.randint(10**9, 10**10 - 1)}" if rng.random() < 0.95 else "x"
        elif kind == "resolve":
            args["decision"] = rng.choice(["refund_seller_fault", "refund_buyer_fault", "release"])
        return args

    def _offer_step(self, index: int, model: Model, now: datetime) -> dict[str, Any] | None:
        found = [(lot, offer) for lot in model.every_lot() for offer in lot.offers]
        if not found:
            return None
        pending = [(lot, offer) for lot, offer in found if offer.status == "pending"]
        if not pending and self.rng.random() < 0.85:
            return None
        lot, offer = self.rng.choice(pending if pending and self.rng.random() < 0.9 else found)
        actor = offer.user if self.rng.random() < 0.9 else lot.seller
        kind = "accept_offer" if self.rng.random() < 0.6 else "decline_offer"
        return {"kind": kind, "user": actor, "lot": lot.handle, "offer": offer.ordinal}
