"""The seeder: the planned history replayed through the services, in time order, in one transaction.

Each planned action is a unit of work at its own (past) moment, calling the service the API calls for it.
Before each one the scheduler's due work runs up to that moment (`DueWork.run`): lots start and close, and
orders remind, default and auto-confirm, exactly when the platform would have done it — so the extensions
the bids caused, the deadlines and the defaults are the services' own. Amounts come from the read models
(the next valid amount, the deposit still due, the order's amount due). At the end every lot is read back
and checked against its scenario's promise (and any other check planned, as the workplace's in workplace.py);
a broken promise or a refusal is a bug and raises DemoPlanError.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session

from ....domain import ledger
from ....domain.calendar import beijing_hour
from ....domain.errors import DomainError
from ....domain.lot_views import RecordStatus
from ....domain.rules import Category, LotKind, LotRules, PlatformRules
from ....domain.withdrawal import WithdrawalScope
from ....services import accounts, bidding, deposits, lifecycle, lot_reads, lots, order_reads, withdrawal
from ....services import ledger as ledger_service
from ....services import media as media_service
from ....services import orders as order_service
from ....services.lot_reads import LotRead
from ....services.storage import MediaStorage
from ....services.types import User
from ....services.uow import UnitOfWork
from ...scheduler import DueWork
from .fixture import YUAN, Fixture, OrderStep
from .photos import lot_photos
from .planner import BidStep, DemoPlanError, LotPlan, Planner
from .promises import broken_promises

Step = Callable[[UnitOfWork], None]
Check = Callable[[Session], list[str]]  # each way the seeded data breaks a promise (none: kept)


@dataclass(order=True)
class Action:
    at: datetime
    order: int
    label: str = field(compare=False)
    run: Step = field(compare=False)


class Seeder:
    """Turns the plan into actions and replays them; `users` are the demo accounts that already exist."""

    def __init__(
        self,
        fixture: Fixture,
        platform: PlatformRules,
        password: str,
        now: datetime,
        seed: int,
        users: dict[str, User] | None = None,
        media: MediaStorage | None = None,
        stored: list[str] | None = None,
    ) -> None:
        """`media`: where the lots' drawn photos go (None: no photos); each key stored is appended to
        `stored`, so a caller whose seed fails can delete them again."""
        self.fixture = fixture
        self.platform = platform
        self.password = password
        self.now = now
        self.rng = random.Random(seed)
        self.planner = Planner(fixture, now, self.rng)
        self.users: dict[str, User] = dict(users or {})
        self.actions: list[Action] = []
        self.plans: list[LotPlan] = []
        self.lot_ids: dict[int, int] = {}  # plan index → lot id
        self.maxima: dict[tuple[int, str], int] = {}  # (plan index, bidder) → the highest maximum they sent
        self.media = media
        self.stored = stored if stored is not None else []
        self.checks: list[Check] = []  # more promises, checked after the replay (the workplace's, say)

    # ---- planning -------------------------------------------------------------------------------------

    def add(self, at: datetime, label: str, run: Step) -> None:
        if at > self.now:
            raise DemoPlanError(f"{label} is planned at {at.isoformat()}, after the moment of seeding")
        self.actions.append(Action(at, len(self.actions), label, run))

    def plan_accounts(self) -> None:
        fx = self.fixture.accounts
        opened = beijing_hour(self.now, -fx.opened_days_ago, fx.opened_hour)
        self.add(opened, f"账号 {fx.staff.username}", self._register(fx.staff.username, is_staff=True))
        for n, username in enumerate((*self.fixture.sellers, *self.fixture.bidders), start=1):
            self.add(opened + timedelta(minutes=7 * n), f"账号 {username}", self._register(username))
        for n, seller in enumerate(fx.sellers, start=1):
            self.add(opened + timedelta(days=1, hours=n), f"卖家审核 {seller.username}", self._approve(seller.username))
        first = self.fixture.money.first_top_up * YUAN
        for n, username in enumerate(self.fixture.bidders, start=1):
            self.add(opened + timedelta(days=2, minutes=13 * n), f"充值 {username}", self._top_up(username, first))
        verified = [bidder for bidder in fx.bidders if bidder.resident_id]
        for n, bidder in enumerate(verified, start=1):
            self.add(opened + timedelta(days=3, hours=n), f"实名认证 {bidder.username}", self._verify(bidder.username))

    def plan_lots(self, first_index: int, names: Sequence[str]) -> None:
        for plan in self.planner.lots(first_index, names):
            self.plans.append(plan)
            self._plan_lot(plan)

    def _plan_lot(self, plan: LotPlan) -> None:
        name = f"拍品 {plan.index + 1}"
        self.add(plan.created_at, f"{name} 发布", partial(self._create, plan=plan))
        if plan.reviewed_at is not None:
            self.add(plan.reviewed_at, f"{name} 审核", partial(self._review, plan=plan))
        for at, username in plan.deposits:
            self.add(at, f"{name} 保证金", partial(self._pay_deposit, plan=plan, username=username))
        for bid in plan.bids:
            self.add(bid.at, f"{name} 出价", partial(self._bid, plan=plan, step=bid))
        if plan.cancel_at is not None:
            self.add(plan.cancel_at, f"{name} 撤回", partial(self._cancel, plan=plan))
        if plan.suspend_at is not None:
            self.add(plan.suspend_at, f"{name} 暂缓", partial(self._suspend, plan=plan))
        for at, step in plan.order_steps:
            self.add(at, f"{name} 订单 {step}", partial(self._order_step, plan=plan, step=step))

    # ---- the accounts -----------------------------------------------------------------------------------

    def _register(self, username: str, *, is_staff: bool = False) -> Step:
        def run(uow: UnitOfWork) -> None:
            display_name = self.fixture.accounts.display_name(username)
            self.users[username] = accounts.register(uow, username, self.password, display_name, is_staff=is_staff)

        return run

    def _approve(self, username: str) -> Step:
        def run(uow: UnitOfWork) -> None:
            seller = next(s for s in self.fixture.accounts.sellers if s.username == username)
            application = accounts.apply_to_sell(
                uow,
                self.users[username],
                seller.kind,
                seller.shop_name,
                seller.about,
                licence_number=seller.licence_number,
                court_name=seller.court_name,
                contact_phone=seller.contact_phone,
            )
            note = self.fixture.accounts.approval_note
            accounts.decide_application(uow, self.staff, application.id, True, note)

        return run

    def _top_up(self, username: str, amount: int) -> Step:
        def run(uow: UnitOfWork) -> None:
            ledger_service.post(uow, ledger.top_up(self.users[username].id, amount))

        return run

    def _verify(self, username: str) -> Step:
        def run(uow: UnitOfWork) -> None:
            bidder = next(b for b in self.fixture.accounts.bidders if b.username == username)
            accounts.verify_real_name(uow, self.users[username].id, bidder.display_name, bidder.resident_id or "")

        return run

    @property
    def staff(self) -> User:
        return self.users[self.fixture.accounts.staff.username]

    def _user_by_id(self, user_id: int | None) -> User:
        found = next((user for user in self.users.values() if user.id == user_id), None)
        if found is None:
            raise DemoPlanError(f"user {user_id} is not a demo account")
        return found

    def _afford(self, uow: UnitOfWork, user: User, amount: int) -> None:
        """Top the wallet up (in whole steps) when it cannot pay `amount`, as a real bidder would."""
        available = ledger_service.wallet(uow.session, user.id)["available"]
        if available < amount:
            step = self.fixture.money.top_up_step * YUAN
            ledger_service.post(uow, ledger.top_up(user.id, -(-(amount - available) // step) * step))

    # ---- the lots ---------------------------------------------------------------------------------------

    def _lot_id(self, plan: LotPlan) -> int:
        if plan.index not in self.lot_ids:
            raise DemoPlanError(f"lot {plan.index + 1} used before it was listed")
        return self.lot_ids[plan.index]

    def _read(self, uow: UnitOfWork, plan: LotPlan, user: User | None = None) -> LotRead:
        """The lot as `user` (or a guest) sees it now, through the read model the lot page renders (without
        the page's watcher counts, which the seeder does not need)."""
        return lot_reads.read_lots(uow.session, [lots.get_lot(uow.session, self._lot_id(plan))], user, uow.now)[0]

    def _create(self, uow: UnitOfWork, plan: LotPlan) -> None:
        rules = LotRules(
            kind=LotKind.COMMERCIAL,
            start_price=plan.start_price,
            increment=plan.increment,
            deposit=plan.deposit,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            reserve_price=plan.reserve_price,
            extension_seconds=self.fixture.lot_settings.extension_seconds,
            withdrawal_allowed=plan.withdrawal_allowed,
            withdrawal_fee=plan.withdrawal_fee,
        )
        draft = lots.LotDraft(
            title=plan.title,
            category=plan.category,
            kind=LotKind.COMMERCIAL,
            rules=rules,
            description=f"{plan.template.description}\n\n{self.fixture.lot_settings.viewing}",
            location=plan.template.location,
        )
        seller = self.users[plan.seller]
        lot_id = self.lot_ids[plan.index] = lots.create_lot(uow, seller, draft).id
        self.add_photos(uow, seller, lot_id, plan.category, plan.title, plan.index)  # while the lot is in review

    def add_photos(self, uow: UnitOfWork, seller: User, lot_id: int, category: Category, title: str, seed: int) -> None:
        """The lot's drawn photos, stored and added to its gallery as a seller uploads them (none without media)."""
        if self.media is None:
            return
        for photo in lot_photos(category, title, seed):
            stored = media_service.store_picture(self.media, media_service.picture(photo))
            self.stored += [stored.key, stored.thumb_key]
            media_service.add_lot_image(uow, seller, lot_id, stored)

    def _review(self, uow: UnitOfWork, plan: LotPlan) -> None:
        approve = plan.reject_reason is None
        lots.review_lot(uow, self.staff, self._lot_id(plan), approve, plan.reject_reason)

    def _pay_deposit(self, uow: UnitOfWork, plan: LotPlan, username: str, read: LotRead | None = None) -> None:
        """Freeze the deposit (or what a withdrawal fee took of it); nothing when it is held in full.
        `read` is the lot as this bidder sees it now, if the caller has it."""
        user = self.users[username]
        viewer = (read or self._read(uow, plan, user)).viewer
        if viewer.deposit_paid:
            return
        self._afford(uow, user, viewer.deposit_due)
        deposits.pay_deposit(uow, user, self._lot_id(plan))

    def _bid(self, uow: UnitOfWork, plan: LotPlan, step: BidStep) -> None:
        if step.withdraw is not None:
            self._withdraw(uow, plan, step.withdraw)
            return
        lot = lots.get_lot(uow.session, self._lot_id(plan))
        if step.raise_max:
            leader = self._user_by_id(lot.leader_id)
            key = (plan.index, leader.username)
            if key not in self.maxima or lot.current_price is None:
                raise DemoPlanError(f"lot {lot.id}: a maximum raise with no leader")
            self.maxima[key] += step.proxy * lot.increment  # above what the leader sent, so above their maximum
            bidding.place_bid(uow, leader, lot.id, lot.current_price, self.maxima[key])
            return
        username = self.rng.choice([name for name in plan.bidders if self.users[name].id != lot.leader_id])
        read = self._read(uow, plan, self.users[username])
        self._pay_deposit(uow, plan, username, read)  # again: a withdrawal may have taken a fee or released it
        amount = read.view.next_valid_amount + (step.jump - 1) * lot.increment
        maximum = amount + step.proxy * lot.increment if step.proxy else None
        bidding.place_bid(uow, self.users[username], lot.id, amount, maximum)
        key = (plan.index, username)
        self.maxima[key] = max(self.maxima.get(key, 0), maximum or amount)

    def _withdraw(self, uow: UnitOfWork, plan: LotPlan, scope: WithdrawalScope) -> None:
        """撤回出价 by the leader, or 撤回竞拍 by an outbid bidder who still has bids in the record."""
        lot = self._read(uow, plan).lot
        if scope is WithdrawalScope.BID:
            user = self._user_by_id(lot.leader_id)
        else:
            outbid = [
                self.users[name]
                for name in sorted(plan.bidders, key=lambda name: self.users[name].id)
                if any(
                    bid.lot_id == lot.id and bid.status is RecordStatus.OUTBID
                    for bid in lot_reads.my_bids(uow.session, self.users[name])
                )
            ]
            if not outbid:
                raise DemoPlanError(f"lot {lot.id}: nobody outbid to withdraw from the auction")
            user = outbid[0]
        limit = self.platform.withdrawal_quota_per_day
        withdrawal.withdraw(uow, user, lot.id, scope, None, confirm=True, limit=limit)

    def _cancel(self, uow: UnitOfWork, plan: LotPlan) -> None:
        actor = self.users[plan.cancel_by or self.fixture.accounts.staff.username]
        lifecycle.cancel_lot(uow, actor, self._lot_id(plan), plan.scenario.cancel_reason or "")

    def _suspend(self, uow: UnitOfWork, plan: LotPlan) -> None:
        actor = self.users[plan.suspend_by or self.fixture.accounts.staff.username]
        lifecycle.suspend_lot(uow, actor, self._lot_id(plan), plan.scenario.suspend_reason)

    def _order_step(self, uow: UnitOfWork, plan: LotPlan, step: OrderStep) -> None:
        seller = self.users[plan.seller]
        read = self._read(uow, plan, seller)
        if read.my_order_id is None:
            raise DemoPlanError(
                f"lot {read.lot.id} ({plan.name}) has no order to {step} at {uow.now.isoformat()}: "
                f"it is {read.lot.status}, ending {read.lot.ends_at.isoformat()}"
            )
        buyer = self._user_by_id(read.lot.winner_id)
        order = order_reads.order_detail(uow.session, read.my_order_id, buyer, uow.now)
        order_id = order.row.id
        if step == "pay":
            self._afford(uow, buyer, order.amount_due)
            order_service.pay(uow, buyer, order_id)
        elif step == "ship":
            texts = self.fixture.texts
            delivery = texts.handover if plan.delivery == "handover" else self.rng.choice(texts.carriers)
            tracking = f"{delivery.prefix}{self.rng.randint(10**11, 10**12 - 1)}"
            order_service.ship(uow, seller, order_id, delivery.name, tracking)
        elif step == "confirm":
            order_service.confirm_receipt(uow, buyer, order_id)
        elif step == "request_close":
            close = self.fixture.texts.close_request
            order_service.request_close(uow, buyer, order_id, close.reason, close.note)
        else:
            order_service.accept_close(uow, seller, order_id)

    # ---- running ----------------------------------------------------------------------------------------

    def run(self, session: Session, *, progress: bool = True) -> None:
        """Replay every action at its moment in `session`'s transaction (the caller commits once, so an
        interrupted seed leaves nothing), with the scheduler's due work before each, then check the result."""
        due = DueWork.in_session(session, self.platform)
        self.actions.sort()
        columns = (
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True), disable=not progress) as bar:
            task = bar.add_task("演示数据 demo data", total=len(self.actions))
            for action in self.actions:
                bar.update(task, description=f"演示数据 demo data · {action.label}")
                due.run(action.at)
                try:
                    action.run(UnitOfWork(session, action.at, platform=self.platform))
                except DomainError as error:
                    raise DemoPlanError(f"{action.label} at {action.at.isoformat()} was refused: {error}") from error
                bar.advance(task)
            due.run(self.now)
            bar.update(task, description="演示数据 demo data · 完成 done")
        lot_ids = [self.lot_ids[plan.index] for plan in self.plans]
        people = {user.id: user for user in self.users.values()}
        problems = broken_promises(session, self.plans, lot_ids, people, self.now)
        problems += [problem for check in self.checks for problem in check(session)]
        if problems:
            raise DemoPlanError("the seeded data is not what fixture.toml promises:\n  " + "\n  ".join(problems))
