"""Running a history of steps against the platform's services, each inside `Container.transaction()` as the
HTTP adapter runs them, with the faults injected, and the invariants checked after every step.

A step's outcome is one of: done, refused (a DomainError: expected, counted by code), skipped (a replayed
step whose handle names nothing in this history) or a violation (any other exception, a fault whose
promise failed, or an invariant broken after it), which stops the run.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from ....bootstrap import Container
from ....clock import SimulatedClock
from ....config import Settings
from ....domain import ledger
from ....domain.errors import DomainError, ErrorCode
from ....domain.orders import CloseReason, RefundReason
from ....domain.priority import PriorityBasis
from ....domain.rules import Category, LotKind, LotRules
from ....domain.withdrawal import WithdrawalScope
from ....services import (
    accounts,
    audit,
    bidding,
    deposits,
    idempotency,
    lifecycle,
    lots,
    notices_judicial,
    sim_facts,
    watchlist,
    withdrawal,
)
from ....services import ledger as ledger_service
from ....services import orders as order_service
from ....services import priority as priority_service
from ....services import second_chance as offer_service
from ....services.due import DueItem
from ....services.types import User
from ....services.uow import UnitOfWork, canonical_json
from ....services.visibility import readable_lot, reader_of
from ....simulation import invariants
from ....simulation.invariants import Violation
from ....simulation.steps import Step
from ...http.errors import domain_error_parts
from ...scheduler.runner import DueWork
from .world import IDEMPOTENT, LotView, Model, OfferView, OrderView, UserView

PASSWORD = "sim-Correct-Horse-7391"  # noqa: S105 (the simulated users never log in)
EPOCH = datetime(2031, 3, 3, 1, 2, 3, tzinfo=UTC)  # the simulated clock's zero: a run never reads real time


# Steps that change a lot without writing to its record or its orders' histories (which the checks follow):
# the lot is looked at again after them.
SILENT_ON_LOTS = frozenset({"create_lot", "review", "deposit", "offer", "accept_offer", "decline_offer"})
# Actions that only an open auction allows: refused once its effective end has passed.
ACT_BEFORE_END = frozenset({"bid", "withdraw", "deposit", "cancel", "suspend"})
# Refusals of a second-chance offer that no later step can change.
RETIRE_EVERY = 500  # steps between sweeps of finished lots out of the model
NO_OFFER_EVER = frozenset({ErrorCode.NO_RUNNER_UP, ErrorCode.JUDICIAL_SALE_BINDING})
# Steps that change what the simulation knows of a user.
ON_USERS = frozenset({"register", "verify", "apply", "decide"})


class InjectedAbort(Exception):
    """Raised inside a transaction by the abort fault; it must leave nothing behind."""


class Skip(Exception):
    """A replayed step names a user, lot, order or offer this history never made."""


class SimClock(SimulatedClock):
    """The simulated clock on a fixed epoch instead of real time: one seed, one history. The offset still
    lives in the database (so a restarted container agrees) and is cached between moves."""

    def __init__(self, container: Container) -> None:
        super().__init__(container.read_sessions)
        self._offset = super().offset()

    def offset(self) -> int:
        return self._offset

    def reload(self) -> None:
        self._offset = super().offset()

    def now(self) -> datetime:
        return EPOCH + timedelta(seconds=self._offset)


@dataclass
class Tally:
    steps: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    full_checks: int = 0
    idle: set[int] = field(default_factory=set)  # the steps refused or skipped: they changed nothing


@dataclass(frozen=True)
class Failure:
    step: Step
    violations: tuple[Violation, ...]

    def lines(self) -> list[str]:
        return [str(v) for v in self.violations]


def _fingerprint(step: Step) -> str:
    return hashlib.sha256(f"{step.kind} {canonical_json(step.args)}".encode()).hexdigest()


class Simulation:
    """One run on one fresh database: execute steps, inject their faults, check, keep the model."""

    def __init__(self, settings: Settings, *, full_every: int = 1000, engine: Engine | None = None) -> None:
        """`engine`: a shared one (replays on the same scratch database); a restart then disposes its
        connections and builds a new container on it, where without one it builds a new engine too."""
        self.settings = settings
        self.shared_engine = engine
        self.full_every = full_every
        self.postgres = not settings.is_sqlite
        self.tally = Tally()
        self.model = Model()
        self.users: dict[str, int] = {}
        self.usernames: dict[int, str] = {}
        self.lot_ids: dict[str, int] = {}
        self.lot_handles: dict[int, str] = {}
        self.money_in = 0
        self.marks = sim_facts.Marks()
        self.verified: dict[int, tuple[int, str]] = {}
        self.posted: dict[str, int] = {}
        self.account_balances: dict[str, tuple[str, int]] = {}  # per account: its owner and last balance seen
        self.owner_totals: dict[str, int] = {}  # per owner kind, the sum of its balances
        self.deposit_status: dict[int, str] = {}
        self.due_errors: list[str] = []
        self._abort_at = 0
        self._statements = 0
        self._abort_thread = 0
        self.container = self._build()

    # ---- the container ------------------------------------------------------------------------------

    def _build(self) -> Container:
        container = Container(self.settings, engine=self.shared_engine)
        container.clock = SimClock(container)
        if not event.contains(container.engine, "before_cursor_execute", self._count_statement):
            event.listen(container.engine, "before_cursor_execute", self._count_statement)
        self.due = DueWork(container.transaction, container.reading, on_error=self._due_failed)
        return container

    def _due_failed(self, item: DueItem, error: Exception) -> None:
        self.due_errors.append(f"due work on {item.feature.name.lower()} {item.id} raised {error!r}")

    def restart(self) -> None:
        """A worker restarted: the engine disposed, a new container on the same database."""
        self.container.dispose()
        self.container = self._build()

    def close(self) -> None:
        self.container.dispose()
        if self.shared_engine is not None:
            event.remove(self.shared_engine, "before_cursor_execute", self._count_statement)

    def now(self) -> datetime:
        return self.container.now()

    def _count_statement(self, *_args: Any, **_kwargs: Any) -> None:
        if self._abort_at and threading.get_ident() == self._abort_thread:
            self._statements += 1
            if self._statements >= self._abort_at:
                self._abort_at = 0
                raise InjectedAbort(f"aborted at statement {self._statements}")

    @contextmanager
    def _aborting_at(self, statement: int) -> Iterator[None]:
        self._statements, self._abort_at, self._abort_thread = 0, statement, threading.get_ident()
        try:
            yield
        finally:
            self._abort_at = 0

    # ---- one step -------------------------------------------------------------------------------------

    def run(self, step: Step) -> Failure | None:
        """Execute one step with its fault, then check every invariant; the failure if one broke."""
        self.tally.steps += 1
        touched: set[int] = set()
        users: set[int] = set()
        problems: list[Violation] = []
        try:
            problems += self._execute(step, touched, users)
        except Skip:
            self.tally.skipped += 1
            self.tally.idle.add(step.index)
            touched.clear()
        except DomainError as error:
            # Refused: the transaction rolled back, so only what the journal and events show is looked at.
            self.tally.refusals[error.code.name] += 1
            self.tally.idle.add(step.index)
            if step.kind == "offer" and error.code in NO_OFFER_EVER:
                self.model.closed_to_offers.add(str(step.args.get("lot")))
            touched.clear()
            users.clear()
        except Exception as error:
            problems.append(Violation("unexpected_exception", f"{type(error).__name__}: {error}"))
        if self.due_errors:
            problems += [Violation("due_work_failed", text) for text in self.due_errors]
            self.due_errors.clear()
        full = self.full_every > 0 and self.tally.steps % self.full_every == 0
        problems += self.check(touched, users, full=full)
        if full or self.tally.steps % RETIRE_EVERY == 0:
            # A full pass observes every lot, which brings the finished ones back: retire them at once, or
            # the choices of the next steps would scan every lot ever made.
            self.model.retire(self.now())
        return Failure(step, tuple(problems)) if problems else None

    def _execute(self, step: Step, touched: set[int], users: set[int]) -> list[Violation]:
        self.tally.actions[step.kind] += 1
        if step.fault:
            self.tally.faults[step.fault] += 1
        elif step.kind in ("restart", "due_twice"):  # faults that are steps of their own
            self.tally.faults[step.kind] += 1
        if step.kind == "restart":
            self.restart()
            return []
        if step.kind in ("advance", "due_twice"):
            self._advance(int(step.args["seconds"]), bool(step.args.get("due", True)), twice=step.kind == "due_twice")
            touched.update(self._lots_with_pending_offers())
            return []
        handler = HANDLERS[step.kind]
        lot_handle = step.args.get("lot")
        if step.kind in SILENT_ON_LOTS and isinstance(lot_handle, str) and lot_handle in self.lot_ids:
            touched.add(self.lot_ids[lot_handle])
        if step.kind in ON_USERS:
            for key in ("user", "applicant"):
                name = step.args.get(key)
                if isinstance(name, str) and name in self.users:
                    users.add(self.users[name])

        def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
            return 200, handler(self, uow, step.args)

        now = self.now()
        if step.fault == "abort":
            return self._abort(step, operation, now)
        problems: list[Violation] = []
        ended = self._ended(step, now)
        if step.fault == "duplicate" and step.kind in IDEMPOTENT:
            result, problems = self._duplicate(step, operation, now)
        else:
            with self.container.transaction(now) as uow:
                _, result = operation(uow)
        # It was done, so it was not refused (a deposit already paid answers again without a change: let be).
        if ended is not None and not (step.kind == "deposit" and not result.get("created")):
            problems.append(Violation("acted_after_end", f"{step.kind} on {ended}"))
        self._after_commit(step, result, touched, users)
        return problems

    def _ended(self, step: Step, now: datetime) -> str | None:
        """The lot this step acts on, if its auction had ended by now (its effective end passed) while the
        scheduler has not closed it yet: a bid, withdrawal, deposit or cancellation must then be refused,
        judged by server time, never by whether the close has run (issue 8, defect 1)."""
        if step.kind not in ACT_BEFORE_END:
            return None
        lot = self.model.lookup(str(step.args.get("lot")))
        if lot is None or lot.status not in ("scheduled", "live") or now < lot.ends_at:
            return None
        return f"{lot.handle}, {lot.status} but past its end {lot.ends_at.isoformat()} (now {now.isoformat()})"

    def _abort(self, step: Step, operation: Callable[[UnitOfWork], Any], now: datetime) -> list[Violation]:
        before = self._footprint(step)
        refused: DomainError | None = None
        try:
            with self._aborting_at(step.fault_at), self.container.transaction(now) as uow:
                operation(uow)
                raise InjectedAbort("aborted before commit")
        except InjectedAbort:
            pass
        except DomainError as error:
            refused = error
        except Exception as error:
            if not isinstance(error.__cause__, InjectedAbort) and not isinstance(error.__context__, InjectedAbort):
                raise
        after = self._footprint(step)
        problems = []
        if before != after:
            problems.append(
                Violation("abort_persisted", f"an aborted {step.kind} left a trace: {_diff(before, after)}")
            )
        if refused is not None:
            raise refused
        return problems

    def _duplicate(
        self, step: Step, operation: Callable[[UnitOfWork], tuple[int, dict[str, Any]]], now: datetime
    ) -> tuple[dict[str, Any], list[Violation]]:
        """The same request twice with one Idempotency-Key, as the HTTP adapter runs it (a refusal stored as
        the key's first answer too): one effect, and the first answer again, byte for byte."""
        user_id = self.users.get(str(step.args.get("user")))
        if user_id is None:
            raise Skip
        key, fingerprint = f"sim-{step.index}", _fingerprint(step)
        first, refusal = self._keyed(user_id, key, fingerprint, operation, now)
        before = self._footprint(step)
        second, again = self._keyed(user_id, key, fingerprint, operation, self.now())
        after = self._footprint(step)
        problems: list[Violation] = []
        if before != after:
            text = f"{step.kind} repeated with one key: {_diff(before, after)}"
            problems.append(Violation("duplicate_applied_twice", text))
        if again is not None or not second.replayed or (second.status, second.body) != (first.status, first.body):
            text = f"{step.kind}: first {first.status} {first.body!r}, then {second.status} {second.body!r}"
            problems.append(Violation("duplicate_answer_differs", text))
        if refusal is not None and not problems:
            raise refusal
        return dict(first.body), problems

    def _keyed(
        self,
        user_id: int,
        key: str,
        fingerprint: str,
        operation: Callable[[UnitOfWork], tuple[int, dict[str, Any]]],
        now: datetime,
    ) -> tuple[idempotency.Outcome, DomainError | None]:
        """One keyed request: the stored answer, or the operation and its answer stored (a refusal in a
        transaction of its own after the refused one rolled back, as adapters/http/deps.py does)."""
        try:
            with self.container.transaction(now) as uow:
                return idempotency.run_once(uow, user_id, key, fingerprint, operation, lambda body: body), None
        except DomainError as error:
            status, body = domain_error_parts(error)
            with self.container.transaction(now) as uow:
                return idempotency.store_answer(uow, user_id, key, fingerprint, status, body), error

    def _footprint(self, step: Step) -> tuple[object, ...]:
        lot_id = self.lot_ids.get(str(step.args.get("lot")))
        users = {
            self.users[str(name)]
            for name in (step.args.get("user"), step.args.get("applicant"))
            if str(name) in self.users
        }
        with self.container.reading() as session:
            return sim_facts.footprint(session, lot_id, users)

    def _after_commit(self, step: Step, result: dict[str, Any], touched: set[int], users: set[int]) -> None:
        """What a committed step taught the simulation: a new user's or lot's id, money that came in."""
        if step.kind == "register" and "user_id" in result:
            self.users[result["username"]] = result["user_id"]
            self.usernames[result["user_id"]] = result["username"]
            self.model.users[result["username"]] = UserView(result["username"], str(step.args["role"]))
            users.add(result["user_id"])
        elif step.kind == "create_lot" and "lot_id" in result:
            handle = f"L{step.index}"
            self.lot_ids[handle], self.lot_handles[result["lot_id"]] = result["lot_id"], handle
            touched.add(result["lot_id"])
        elif step.kind == "top_up" and "amount" in result:
            self.money_in += int(result["amount"])
        if "applicant_id" in result:
            users.add(result["applicant_id"])

    # ---- time and due work --------------------------------------------------------------------------------

    def _advance(self, seconds: int, run_due: bool, *, twice: bool) -> None:
        clock = self.container.clock
        if not isinstance(clock, SimClock):  # pragma: no cover - _build installs it
            raise TypeError("the simulation runs on its own clock")
        with self.container.transaction() as uow:
            clock.advance(uow.session, seconds)
        clock.reload()
        if not (run_due or twice):
            return
        now = clock.now()
        if not twice:
            self.due.run(now)
        elif self.postgres:  # two workers at once
            threads = [threading.Thread(target=self._run_due_guarded, args=(now,)) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        else:  # SQLite has one writer at a time: twice in a row
            self.due.run(now)
            self.due.run(now)

    def _run_due_guarded(self, now: datetime) -> None:
        try:
            self.due.run(now)
        except Exception as error:
            self.due_errors.append(f"a due-work worker raised {error!r}")

    def _lots_with_pending_offers(self) -> set[int]:
        return {
            self.lot_ids[lot.handle]
            for lot in self.model.lots.values()
            if any(offer.status == "pending" for offer in lot.offers)
            if lot.handle in self.lot_ids
        }

    # ---- the checks -------------------------------------------------------------------------------------

    def check(self, touched: set[int], users: set[int], *, full: bool = False) -> list[Violation]:
        with self.container.reading() as session:
            facts = sim_facts.step_facts(session, self.marks, self.verified, touched, all_lots=full)
            user_states = sim_facts.user_states(session, users)
            # A deposit whose status moved while its holder's frozen account did not (a release that posted
            # nothing): that holder's frozen balance is compared with their deposits now, not at the next pass.
            unmoved = self._deposits_moved(facts.lots) - set(facts.frozen_balances)
            if unmoved:
                balances, held = sim_facts.frozen_facts(session, unmoved)
                facts.frozen_balances.update(balances)
                facts.frozen_deposits.update(held)
            problems: list[Violation] = []
            if full:
                self.tally.full_checks += 1
                report = audit.check(session)
                problems += [Violation(p.kind.value, p.text) for p in report.problems]
        for key, amount in facts.posted.items():
            self.posted[key] = self.posted.get(key, 0) + amount
        problems += invariants.check_entries(facts.entries)
        problems += invariants.check_accounts(facts.balances, {k: self.posted.get(k, 0) for k in facts.balances})
        if facts.balances or facts.all_balances:  # the journal moved (a balance moved without it: the full audit)
            self._track_balances(facts)
            problems += invariants.check_money(self.money_in, 0, self.owner_totals)
        problems += invariants.check_frozen(facts.frozen_balances, facts.frozen_deposits)
        problems += invariants.check_lots([state.fact for state in facts.lots])
        self.verified.update(facts.heads)
        self._observe(facts.lots, user_states)
        return problems

    def _track_balances(self, facts: sim_facts.StepFacts) -> None:
        """Keep every owner's total balance from the accounts that moved (all of them on the full pass), so
        the money check costs the same whatever the number of accounts."""
        if facts.all_balances:
            self.account_balances = dict(facts.all_balances)
            self.owner_totals = {}
            for owner, balance in facts.all_balances.values():
                self.owner_totals[owner] = self.owner_totals.get(owner, 0) + balance
            return
        for key, balance in facts.balances.items():
            owner = facts.owners[key]
            _, before = self.account_balances.get(key, (owner, 0))
            self.account_balances[key] = (owner, balance)
            self.owner_totals[owner] = self.owner_totals.get(owner, 0) + balance - before

    def _deposits_moved(self, states: list[sim_facts.LotState]) -> set[int]:
        """The holders of the deposits on these lots that are new or changed status since last seen."""
        moved: set[int] = set()
        for state in states:
            for deposit in state.fact.deposits:
                if self.deposit_status.get(deposit.deposit_id) != deposit.status:
                    self.deposit_status[deposit.deposit_id] = deposit.status
                    moved.add(deposit.user_id)
        return moved

    def _observe(self, states: list[sim_facts.LotState], user_states: list[sim_facts.UserState]) -> None:
        """Refresh the model the next choices are made from."""
        name = self.usernames.get
        for user in user_states:
            view = self.model.users.get(user.username)
            if view is None:
                continue
            view.is_staff, view.seller_status, view.seller_kind = user.is_staff, user.seller_status, user.seller_kind
            view.verified, view.pending_application = user.verified, user.pending_application is not None
        for state in states:
            fact = state.fact
            handle = self.lot_handles.get(fact.lot_id)
            if handle is None:
                continue
            self.model.put(
                LotView(
                    handle=handle,
                    seller=name(state.seller_id, "?"),
                    kind=state.kind,
                    status=fact.status.value,
                    starts_at=state.starts_at,
                    ends_at=state.ends_at,
                    start_price=fact.rules.start_price,
                    increment=fact.rules.increment,
                    deposit=fact.rules.deposit,
                    price=fact.price,
                    leader=name(fact.leader_id) if fact.leader_id else None,
                    withdrawal_allowed=fact.rules.withdrawal_allowed,
                    depositors=frozenset(
                        name(d.user_id, "?")
                        for d in fact.deposits
                        if d.status == "frozen" and d.amount >= fact.rules.deposit
                    ),
                    bidders=frozenset(name(s.bidder_id, "?") for s in fact.submissions),
                    orders=[
                        OrderView(i, name(o.buyer_id, "?"), name(o.seller_id, "?"), o.status)
                        for i, o in enumerate(state.orders)
                    ],
                    offers=[OfferView(i, name(o.user_id, "?"), o.status) for i, o in enumerate(state.offers)],
                )
            )


def _diff(before: tuple[object, ...], after: tuple[object, ...]) -> str:
    changed = [f"{b!r} → {a!r}" for b, a in zip(before, after, strict=True) if a != b]
    text = "; ".join(changed)
    return text if len(text) < 300 else text[:300] + "…"


# ---- the actions ---------------------------------------------------------------------------------------------


def _user(sim: Simulation, session: Session, name: object) -> User:
    user_id = sim.users.get(str(name))
    if user_id is None:
        raise Skip
    user = session.get(User, user_id)
    if user is None:  # pragma: no cover - users are never deleted
        raise Skip
    return user


def _lot(sim: Simulation, name: object) -> int:
    lot_id = sim.lot_ids.get(str(name))
    if lot_id is None:
        raise Skip
    return lot_id


def _order(sim: Simulation, session: Session, args: dict[str, Any]) -> int:
    ids = sim_facts.order_ids(session, _lot(sim, args["lot"]))
    if int(args["order"]) >= len(ids):
        raise Skip
    return ids[int(args["order"])]


def _offer(sim: Simulation, session: Session, args: dict[str, Any]) -> int:
    ids = sim_facts.offer_ids(session, _lot(sim, args["lot"]))
    if int(args["offer"]) >= len(ids):
        raise Skip
    return ids[int(args["offer"])]


def do_register(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    role = a["role"]
    kind = {"seller": "individual", "court": "court"}.get(role)
    user = accounts.register(uow, a["username"], PASSWORD, is_staff=role == "staff", seller_kind=kind)
    return {"user_id": user.id, "username": user.username}


def do_verify(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    accounts.verify_real_name(uow, user.id, a["name"], a["id_number"])
    return {"user_id": user.id}


def do_apply(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    kind = a["seller_kind"]
    application = accounts.apply_to_sell(  # the details follow from the user, no draw: histories stay as they were
        uow,
        user,
        kind,
        f"{a['user']} 商行",
        "simulated",
        licence_number=f"91310000{user.id:010d}" if kind == "business" else "",
        court_name=f"{a['user']} 人民法院" if kind == "court" else "",
        contact_phone=f"138{user.id:08d}",
    )
    return {"application_id": application.id}


def do_decide(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    staff = _user(sim, uow.session, a["user"])
    applicant = _user(sim, uow.session, a["applicant"])
    application_id = sim_facts.latest_application(uow.session, applicant.id)
    if application_id is None:
        raise Skip
    accounts.decide_application(uow, staff, application_id, bool(a["approve"]), None if a["approve"] else "不符合")
    return {"applicant_id": applicant.id}


def do_top_up(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    ledger_service.post(uow, ledger.top_up(user.id, int(a["amount"])))
    return {"amount": int(a["amount"]), "wallet": ledger_service.wallet(uow.session, user.id)}


def do_create_lot(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    seller = _user(sim, uow.session, a["user"])
    kind = LotKind.JUDICIAL if a["judicial"] else LotKind.COMMERCIAL
    rules = LotRules(
        kind=kind,
        start_price=a["start_price"],
        increment=a["increment"],
        deposit=a["deposit"],
        starts_at=datetime.fromisoformat(a["starts_at"]),
        ends_at=datetime.fromisoformat(a["ends_at"]),
        reserve_price=a["reserve_price"],
        extension_seconds=a["extension_seconds"],
        withdrawal_allowed=a["withdrawal_allowed"],
        withdrawal_fee=a["withdrawal_fee"],
    )
    category = Category(a["category"]) if a["judicial"] else Category.ART
    court = {  # a judicial lot's court texts (domain.judicial): the simulator's court writes them all
        "court_name": "模拟法院 Simulated court",
        "case_number": "（2026）浙0102执1号",
        "announcement": "拍卖公告 announcement",
        "bidder_notice": "竞买须知 bidder's notice",
    }
    draft = lots.LotDraft(
        title="模拟拍品 simulated lot",
        category=category,
        kind=kind,
        rules=rules,
        appraisal=a["appraisal"],
        **(court if a["judicial"] else {}),
    )
    lot = lots.create_lot(uow, seller, draft)
    return {"lot_id": lot.id}


def do_review(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    staff = _user(sim, uow.session, a["user"])
    lot = lots.review_lot(uow, staff, _lot(sim, a["lot"]), bool(a["approve"]), None if a["approve"] else "图片不清")
    return {"status": lot.status}


def do_deposit(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    if a.get("accept_notice"):  # the bidder's notice of a judicial lot, accepted before its deposit
        notices_judicial.accept_notice(uow, user, _lot(sim, a["lot"]))
    deposit, created = deposits.pay_deposit(uow, user, _lot(sim, a["lot"]))
    return {"deposit_id": deposit.id, "amount": deposit.amount, "created": created}


def do_bid(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    placed = bidding.place_bid(uow, user, _lot(sim, a["lot"]), int(a["amount"]), a.get("max_amount"))
    return {"bid_id": placed.bid.id, "price": placed.lot.current_price, "leading": placed.lot.leader_id == user.id}


def do_withdraw(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    limit = sim.container.platform.withdrawal_quota_per_day
    done = withdrawal.withdraw(
        uow, user, _lot(sim, a["lot"]), WithdrawalScope(a["scope"]), None, confirm=True, limit=limit
    )
    return {"withdrawal_id": done.record.id, "fee": done.record.fee}


def do_cancel(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    actor = _user(sim, uow.session, a["user"])
    lot = lifecycle.cancel_lot(uow, actor, _lot(sim, a["lot"]), "模拟中止")
    return {"status": lot.status}


def do_suspend(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    actor = _user(sim, uow.session, a["user"])
    lot = lifecycle.suspend_lot(uow, actor, _lot(sim, a["lot"]), a.get("reason"))
    return {"status": lot.status}


def do_resume(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    actor = _user(sim, uow.session, a["user"])
    lot = lifecycle.resume_lot(uow, actor, _lot(sim, a["lot"]), a.get("reason"))
    return {"status": lot.status, "ends_at": lot.ends_at.isoformat()}


def do_priority(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    actor = _user(sim, uow.session, a["user"])
    basis = PriorityBasis(a["basis"])
    holder = priority_service.register_holder(
        uow, actor, _lot(sim, a["lot"]), rank=int(a["rank"]), basis=basis, username=str(a["holder"])
    )
    return {"holder_id": holder.user_id, "rank": holder.rank}


def do_watch(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    lot = readable_lot(uow.session, _lot(sim, a["lot"]), reader_of(user))
    return {"added": watchlist.watch(uow, user, lot)}


def do_unwatch(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    lot_id = _lot(sim, a["lot"])
    readable_lot(uow.session, lot_id, reader_of(user))
    return {"removed": watchlist.unwatch(uow, user, lot_id)}


def _order_action(run: Callable[[UnitOfWork, User, int, dict[str, Any]], Any]) -> Callable[..., dict[str, Any]]:
    def act(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
        user = _user(sim, uow.session, a["user"])
        order_id = _order(sim, uow.session, a)
        row = run(uow, user, order_id, a)
        return {"order_id": order_id, "status": row.status}

    return act


def do_offer(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    offer = offer_service.make_offer(uow, user, _order(sim, uow.session, a))
    return {"offer_id": offer.id, "amount": offer.amount}


def do_accept_offer(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    offer, order = offer_service.accept_offer(uow, user, _offer(sim, uow.session, a))
    return {"offer_id": offer.id, "order_id": order.id}


def do_decline_offer(sim: Simulation, uow: UnitOfWork, a: dict[str, Any]) -> dict[str, Any]:
    user = _user(sim, uow.session, a["user"])
    offer = offer_service.decline_offer(uow, user, _offer(sim, uow.session, a))
    return {"offer_id": offer.id}


HANDLERS: dict[str, Callable[[Simulation, UnitOfWork, dict[str, Any]], dict[str, Any]]] = {
    "register": do_register,
    "verify": do_verify,
    "apply": do_apply,
    "decide": do_decide,
    "top_up": do_top_up,
    "create_lot": do_create_lot,
    "review": do_review,
    "deposit": do_deposit,
    "bid": do_bid,
    "withdraw": do_withdraw,
    "cancel": do_cancel,
    "suspend": do_suspend,
    "resume": do_resume,
    "priority": do_priority,
    "watch": do_watch,
    "unwatch": do_unwatch,
    "pay": _order_action(lambda uow, u, o, a: order_service.pay(uow, u, o)),
    "ship": _order_action(lambda uow, u, o, a: order_service.ship(uow, u, o, "顺丰速运", a["tracking_no"])),
    "confirm": _order_action(lambda uow, u, o, a: order_service.confirm_receipt(uow, u, o)),
    "request_close": _order_action(
        lambda uow, u, o, a: order_service.request_close(uow, u, o, CloseReason(a["reason"]), "模拟")
    ),
    "accept_close": _order_action(lambda uow, u, o, a: order_service.accept_close(uow, u, o)),
    "decline_close": _order_action(lambda uow, u, o, a: order_service.decline_close(uow, u, o)),
    "request_refund": _order_action(
        lambda uow, u, o, a: order_service.request_refund(uow, u, o, RefundReason(a["reason"]), "模拟")
    ),
    "accept_refund": _order_action(lambda uow, u, o, a: order_service.accept_refund(uow, u, o)),
    "decline_refund": _order_action(lambda uow, u, o, a: order_service.decline_refund(uow, u, o, "货品无误")),
    "refuse_to_sell": _order_action(lambda uow, u, o, a: order_service.refuse_to_sell(uow, u, o, "不卖了")),
    "undeliverable": _order_action(lambda uow, u, o, a: order_service.report_undeliverable(uow, u, o, "地址无效")),
    "resolve": _order_action(lambda uow, u, o, a: order_service.staff_resolve(uow, u, o, a["decision"], "裁定")),
    "offer": do_offer,
    "accept_offer": do_accept_offer,
    "decline_offer": do_decline_offer,
}
