"""Selling: a seller's drafts, edits and submissions of their own lots, and the 我的拍品 read model.

What may change when is the domain's (domain.lots.EDITABLE, require_own, submitted); this module loads the
lot under its lock, asks the domain, and saves. A lot hidden from the actor answers LOT_NOT_FOUND, exactly
as services.visibility answers every read of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError, ErrorCode
from ..domain.judicial import validate_listing
from ..domain.lots import (
    ENDED,
    LotStatus,
    manage_actions,
    require_deletable,
    require_editable,
    require_own,
    submitted,
)
from ..domain.rounds import RoundKind
from ..domain.rules import Category, LotKind, LotRules
from ..persistence.models import Deposit, Lot, User, Watch
from . import locks
from .lots import JUDICIAL_TEXT_FIELDS, LotDraft, listing_of, lot_for, rules_of, save_due
from .uow import UnitOfWork

# the fields a seller may change on an editable lot (PATCH /lots/{id}); the rules among them are validated
RULE_FIELDS = (
    "start_price",
    "increment",
    "deposit",
    "reserve_price",
    "starts_at",
    "ends_at",
    "extension_seconds",
    "withdrawal_allowed",
    "withdrawal_fee",
)
TEXT_FIELDS = (
    "title",
    "description",
    "category",
    "location",
    "image_url",
    "appraisal",
    "return_policy",
    *JUDICIAL_TEXT_FIELDS,
)


def _own_lot(uow: UnitOfWork, seller: User, lot_id: int) -> Lot:
    lot = lot_for(uow.session, lot_id, seller, lock=True)  # hidden and not yours: LOT_NOT_FOUND
    require_own(lot.seller_id, seller.id)
    return lot


def _store_rules(lot: Lot, rules: LotRules) -> None:
    lot.kind = rules.kind.value
    lot.start_price = rules.start_price
    lot.increment = rules.increment
    lot.deposit = rules.deposit
    lot.reserve_price = rules.reserve_price
    lot.starts_at = rules.starts_at
    lot.scheduled_ends_at = rules.ends_at
    lot.ends_at = rules.ends_at
    lot.extension_seconds = rules.effective_extension_seconds()
    lot.withdrawal_allowed = rules.withdrawal_allowed and rules.kind is LotKind.COMMERCIAL
    lot.withdrawal_fee = rules.withdrawal_fee


@locks.step
def edit_lot(uow: UnitOfWork, seller: User, lot_id: int, changes: dict[str, Any]) -> Lot:
    """The seller changes their draft, lot in review or rejected lot; its status stays as it is. Nothing is
    written unless every change is accepted (the rules are validated as a whole, after the changes)."""
    lot = _own_lot(uow, seller, lot_id)
    require_editable(LotStatus(lot.status))
    rules = rules_of(lot)
    rule_changes = {name: changes[name] for name in RULE_FIELDS if name in changes}
    if "kind" in changes:
        rule_changes["kind"] = LotKind(changes["kind"])
    if "reserve_price" not in changes:  # a judicial reserve follows the start; none is left behind on a change
        kind_changes = rule_changes.get("kind", rules.kind) is not rules.kind
        rule_changes["reserve_price"] = None if rules.kind is LotKind.JUDICIAL or kind_changes else rules.reserve_price
    rules = replace(rules, **rule_changes)
    if rules.kind is LotKind.JUDICIAL and seller.seller_kind != "court":
        raise DomainError(ErrorCode.COURT_SELLER_REQUIRED)
    for name in TEXT_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(lot, name, Category(value).value if name == "category" else value)
    rules = validate_listing(
        rules, listing_of(lot), uow.now, RoundKind(lot.round_kind)
    )  # a refusal rolls the whole step back
    _store_rules(lot, rules)
    save_due(lot)
    uow.session.flush()
    return lot


@locks.step
def submit_lot(uow: UnitOfWork, seller: User, lot_id: int) -> Lot:
    """送审: a draft or rejected lot goes to staff review, its rules validated again as of now."""
    lot = _own_lot(uow, seller, lot_id)
    if seller.seller_status != "approved":
        raise DomainError(ErrorCode.SELLER_NOT_APPROVED)
    rules = validate_listing(rules_of(lot), listing_of(lot), uow.now, RoundKind(lot.round_kind))
    lot.status = submitted(LotStatus(lot.status), rules.ends_at, uow.now).value
    lot.review_note = None  # a rejection's reason is for the lot as it was; the audit log keeps it
    save_due(lot)
    uow.session.flush()
    return lot


@locks.step
def delete_draft(uow: UnitOfWork, seller: User, lot_id: int) -> None:
    """A draft nobody else has seen is deleted outright; anything later is not."""
    lot = _own_lot(uow, seller, lot_id)
    require_deletable(LotStatus(lot.status))
    uow.session.execute(delete(Watch).where(Watch.lot_id == lot.id))  # the seller may have watched their draft
    uow.session.delete(lot)
    uow.session.flush()


def new_draft(title: str, category: str, kind: str, rules: LotRules, **text: Any) -> LotDraft:
    return LotDraft(title=title, category=Category(category), kind=LotKind(kind), rules=rules, **text)


# ---- 我的拍品: the seller's lots grouped by state ------------------------------------------------------


class Shelf:
    """The groups of 我的拍品, in the order the page shows them."""

    DRAFT = "draft"
    IN_REVIEW = "pending_review"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    LIVE = "live"
    SUSPENDED = "suspended"
    ENDED = "ended"
    ORDER = (DRAFT, IN_REVIEW, REJECTED, SCHEDULED, LIVE, SUSPENDED, ENDED)


def shelf_of(status: LotStatus) -> str:
    return Shelf.ENDED if status in ENDED else status.value


@dataclass(frozen=True)
class MyLot:
    id: int
    title: str
    status: str
    shelf: str
    category: str
    kind: str
    start_price: int
    current_price: int | None
    starts_at: datetime
    ends_at: datetime
    review_note: str | None
    suspended_reason: str | None
    bid_count: int
    deposit_count: int
    watchers: int
    editable: bool
    deletable: bool
    actions: tuple[str, ...]  # suspend / resume / cancel (domain.lots.manage_actions), in that order


def my_lots(session: Session, seller: User, now: datetime) -> dict[str, list[MyLot]]:
    """Every lot of this seller, newest first, grouped by shelf (each group present, maybe empty), with what
    the seller may do to each now."""
    lots = list(session.scalars(select(Lot).where(Lot.seller_id == seller.id).order_by(Lot.id.desc())))
    ids = [lot.id for lot in lots]
    deposits: dict[int, int] = {}
    watchers: dict[int, int] = {}
    if ids:
        deposits = {
            lot_id: int(count)
            for lot_id, count in session.execute(
                select(Deposit.lot_id, func.count())
                .where(Deposit.lot_id.in_(ids))  # every deposit paid, frozen or since released
                .group_by(Deposit.lot_id)
            )
        }
        watchers = {
            lot_id: int(count)
            for lot_id, count in session.execute(
                select(Watch.lot_id, func.count()).where(Watch.lot_id.in_(ids)).group_by(Watch.lot_id)
            )
        }
    shelves: dict[str, list[MyLot]] = {shelf: [] for shelf in Shelf.ORDER}
    for lot in lots:
        status = LotStatus(lot.status)
        shelves[shelf_of(status)].append(
            MyLot(
                id=lot.id,
                title=lot.title,
                status=status.value,
                shelf=shelf_of(status),
                category=lot.category,
                kind=lot.kind,
                start_price=lot.start_price,
                current_price=lot.current_price,
                starts_at=lot.starts_at,
                ends_at=lot.ends_at,
                review_note=lot.review_note,
                suspended_reason=lot.suspended_reason,
                bid_count=lot.bid_count,
                deposit_count=deposits.get(lot.id, 0),
                watchers=watchers.get(lot.id, 0),
                editable=_passes(require_editable, status),
                deletable=_passes(require_deletable, status),
                actions=tuple(a.value for a in manage_actions(status, lot.starts_at, lot.ends_at, now)),
            )
        )
    return shelves


def _passes(check: Any, status: LotStatus) -> bool:
    try:
        check(status)
    except DomainError:
        return False
    return True


def editable_lot(session: Session, seller: User, lot_id: int) -> Lot:
    """The seller's own lot for the edit form: LOT_NOT_FOUND when hidden, LOT_NOT_YOURS / LOT_NOT_EDITABLE."""
    lot = lot_for(session, lot_id, seller, lock=False)
    require_own(lot.seller_id, seller.id)
    require_editable(LotStatus(lot.status))
    return lot
