"""The sellers' and staff's workplace in the demo (fixture.toml [workplace]), planned onto the seeder.

Applications to sell with their uploaded documents and staff's decisions, a seller's draft, submitted and
rejected lots, a cash-out and a customer frozen by staff: each at its hour before the moment of seeding,
replayed by the seeder among the lots' actions through the services the API calls (upload, apply, decide,
create a draft, add photos, submit, review, keep a bank account, cash out, top up, freeze). What was made is
recorded as it is made, and checked after the replay (promises.broken_workplace_promises).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from ....domain.calendar import beijing_hour
from ....domain.rules import LotKind, LotRules
from ....domain.staff import ObjectType, StaffAction
from ....services import accounts, lots, selling
from ....services import ledger as ledger_service
from ....services import media as media_service
from ....services import staff as staff_service
from ....services import wallet as wallet_service
from ....services.types import User
from ....services.uow import UnitOfWork
from .fixture import YUAN, Applicant, Application, Fixture, Frozen, Workplace, WorkplaceLot
from .photos import document_png
from .planner import DemoPlanError, nice_amount, two_figures
from .promises import Decision, WorkplaceMade, broken_workplace_promises
from .seeder import Seeder

PHOTO_SEED = 10_000  # the workplace lots' photos are drawn from seeds of their own, apart from the plan's
CASH_OUT_UNIT = 100 * YUAN  # a cash-out is whole hundreds of yuan


def plan_workplace(seeder: Seeder, fixture: Fixture, *, upload_max_bytes: int) -> WorkplaceMade:
    """Add the workplace's actions to `seeder`, and its promises to the seeder's checks; return the record
    they fill in as they run."""
    planner = _Planner(seeder, fixture, upload_max_bytes)
    planner.plan()
    seeder.checks.append(
        lambda session: broken_workplace_promises(
            session, fixture.workplace, planner.made, seeder.staff, documents=seeder.media is not None, now=seeder.now
        )
    )
    return planner.made


class _Planner:
    def __init__(self, seeder: Seeder, fixture: Fixture, upload_max_bytes: int) -> None:
        self.seeder = seeder
        self.fixture = fixture
        self.place: Workplace = fixture.workplace
        self.upload_max_bytes = upload_max_bytes
        self.made = WorkplaceMade()
        self.lot_ids: dict[int, int] = {}  # the fixture's lot number → lot id

    def _ago(self, hours: int) -> datetime:
        return (self.seeder.now - timedelta(hours=hours)).replace(microsecond=0)

    def _add(self, at: datetime, label: str, step: Callable[..., None], **arguments: Any) -> None:
        self.seeder.add(at, label, partial(step, **arguments))

    def plan(self) -> None:
        add, ago = self._add, self._ago
        for applicant in self.place.applicants:
            who = applicant.username
            add(ago(applicant.opened_hours_ago), f"账号 {who}", self._register, username=who,
                display_name=applicant.display_name)  # fmt: skip
            for n, application in enumerate(applicant.applications):
                at, label = ago(application.hours_ago), f"卖家申请 {who} #{n + 1}"
                add(at - timedelta(minutes=8), f"{label} 证件", self._upload, applicant=applicant,
                    application=application, n=n)  # fmt: skip
                add(at, label, self._apply, applicant=applicant, application=application)
                if application.decided_hours_ago is not None:
                    add(ago(application.decided_hours_ago), f"{label} 审核", self._decide, applicant=applicant, n=n,
                        application=application)  # fmt: skip
        for frozen in self.place.frozen:
            opened = ago(frozen.opened_hours_ago)
            add(opened, f"账号 {frozen.username}", self._register, username=frozen.username,
                display_name=frozen.display_name)  # fmt: skip
            if frozen.top_up_yuan:
                add(opened + timedelta(hours=1), f"充值 {frozen.username}", self._top_up, frozen=frozen)
            add(ago(frozen.frozen_hours_ago), f"冻结 {frozen.username}", self._freeze, frozen=frozen)
        for n, lot in enumerate(self.place.lots):
            label = f"工作台拍品 {n + 1}"
            add(ago(lot.created_hours_ago), f"{label} 草稿", self._draft, lot=lot, n=n)
            if lot.submitted_hours_ago is not None:
                add(ago(lot.submitted_hours_ago), f"{label} 送审", self._submit, n=n)
            if lot.reviewed_hours_ago is not None:
                add(ago(lot.reviewed_hours_ago), f"{label} 驳回", self._reject, lot=lot, n=n)
        cash_out = self.place.cash_out
        at = ago(cash_out.hours_ago)
        add(at - timedelta(hours=1), f"银行账户 {cash_out.seller}", self._bank_account)
        add(at, f"提现 {cash_out.seller}", self._cash_out)

    # ---- accounts and applications --------------------------------------------------------------------

    def _register(self, uow: UnitOfWork, username: str, display_name: str) -> None:
        self.seeder.users[username] = accounts.register(uow, username, self.seeder.password, display_name)

    def _upload(self, uow: UnitOfWork, applicant: Applicant, application: Application, n: int) -> None:
        """The document drawn for this application, uploaded as the applicant's page does (checked by its
        bytes, re-encoded, stored, then recorded)."""
        media = self.seeder.media
        if media is None:
            return
        if application.document == "licence":
            holder = application.shop_name
            lines = [("统一社会信用代码", application.licence_number), ("类型", "有限责任公司")]
        else:
            holder = applicant.display_name
            lines = [("证件号码", "330106**********27")]
        lines.append(("联系电话", application.contact_phone))
        png = document_png(application.document, holder, lines, seed=PHOTO_SEED + n)
        data, content_type = media_service.prepare_document(png, self.upload_max_bytes)
        key = media.put(data, content_type)
        self.seeder.stored.append(key)
        media_service.add_document(uow, self.seeder.users[applicant.username], key, content_type, len(data))

    def _apply(self, uow: UnitOfWork, applicant: Applicant, application: Application) -> None:
        made = accounts.apply_to_sell(
            uow,
            self.seeder.users[applicant.username],
            application.kind,
            application.shop_name,
            application.about,
            licence_number=application.licence_number,
            contact_phone=application.contact_phone,
        )
        self.made.applications.setdefault(applicant.username, []).append(made.id)

    def _decide(self, uow: UnitOfWork, applicant: Applicant, n: int, application: Application) -> None:
        approve = application.decision == "approve"
        reason = self.fixture.accounts.approval_note if approve else application.reason
        application_id = self.made.applications[applicant.username][n]
        accounts.decide_application(uow, self.seeder.staff, application_id, approve, reason)
        action = StaffAction.SELLER_APPROVE if approve else StaffAction.SELLER_REJECT
        self.made.decisions.append(Decision(action, ObjectType.SELLER_APPLICATION, application_id, reason))

    def _top_up(self, uow: UnitOfWork, frozen: Frozen) -> None:
        wallet_service.top_up(uow, self.seeder.users[frozen.username], frozen.top_up_yuan * YUAN)

    def _freeze(self, uow: UnitOfWork, frozen: Frozen) -> None:
        user = self.seeder.users[frozen.username]
        staff_service.freeze(uow, self.seeder.staff, user.id, frozen.reason)
        self.made.frozen[frozen.username] = user.id
        self.made.decisions.append(Decision(StaffAction.USER_FREEZE, ObjectType.USER, user.id, frozen.reason))

    # ---- the seller's lots ----------------------------------------------------------------------------

    def _draft(self, uow: UnitOfWork, lot: WorkplaceLot, n: int) -> None:
        """A new lot kept as the seller's draft (the form's 保存草稿), then its photos."""
        settings = self.fixture.lot_settings
        starts_at = beijing_hour(self.seeder.now, lot.start_day, settings.start_hour)
        rules = LotRules(
            kind=LotKind.COMMERCIAL,
            start_price=lot.start_price,
            increment=nice_amount(lot.start_price * lot.increment_percent / 100),
            deposit=two_figures(lot.start_price * lot.deposit_percent / 100),
            starts_at=starts_at,
            ends_at=beijing_hour(starts_at, lot.lasts_days, settings.end_hour),
            extension_seconds=settings.extension_seconds,
        )
        draft = selling.new_draft(
            lot.title, lot.category.value, LotKind.COMMERCIAL.value, rules,
            description=f"{lot.description}\n\n{settings.viewing}", location=lot.location,
        )  # fmt: skip
        seller = self.seeder.users[lot.seller]
        lot_id = lots.create_lot(uow, seller, draft, submit=False).id
        self.lot_ids[n] = lot_id
        self.made.lots.append((seller.id, lot.status, lot_id))
        self.seeder.add_photos(uow, seller, lot_id, lot.category, lot.title, PHOTO_SEED + n)

    def _lot(self, n: int) -> tuple[User, int]:
        return self.seeder.users[self.place.lots[n].seller], self.lot_ids[n]

    def _submit(self, uow: UnitOfWork, n: int) -> None:
        seller, lot_id = self._lot(n)
        selling.submit_lot(uow, seller, lot_id)

    def _reject(self, uow: UnitOfWork, lot: WorkplaceLot, n: int) -> None:
        _, lot_id = self._lot(n)
        lots.review_lot(uow, self.seeder.staff, lot_id, False, lot.reason)
        self.made.decisions.append(Decision(StaffAction.LOT_REJECT, ObjectType.LOT, lot_id, lot.reason))

    # ---- the cash-out -----------------------------------------------------------------------------------

    def _bank_account(self, uow: UnitOfWork) -> None:
        plan = self.place.cash_out
        wallet_service.set_bank_account(
            uow, self.seeder.users[plan.seller], plan.bank_name, plan.holder, plan.account_number
        )

    def _cash_out(self, uow: UnitOfWork) -> None:
        """A share of what the seller has available now (their sales' proceeds), in whole hundreds of yuan."""
        plan = self.place.cash_out
        seller = self.seeder.users[plan.seller]
        available = ledger_service.wallet(uow.session, seller.id)["available"]
        amount = min(available * plan.share_percent // 100 // CASH_OUT_UNIT * CASH_OUT_UNIT, uow.platform.cash_out_max)
        if amount <= 0:
            raise DemoPlanError(
                f"{plan.seller} has ¥{available / YUAN:,.2f} available at {uow.now.isoformat()}: nothing to cash out"
            )
        done = wallet_service.cash_out(uow, seller, amount)
        self.made.cash_out = (seller.id, done.id, amount)
