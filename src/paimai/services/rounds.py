"""Judicial next rounds (RULES §7, domain.rounds): the court lists the round after an unsold (or defaulted)
lot as a new lot in review, copying the property's texts; and a property's whole history of rounds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import rounds
from ..domain.errors import DomainError, ErrorCode
from ..domain.lots import LotStatus
from ..domain.rules import Category, LotKind, LotRules
from ..persistence.models import Lot, User
from . import locks
from .lots import JUDICIAL_TEXT_FIELDS, LotDraft, create_lot, get_lot
from .uow import UnitOfWork
from .visibility import readable_lot, readable_lots, reader_of

OUTCOMES = {
    LotStatus.SOLD.value: rounds.Outcome.SOLD,
    LotStatus.UNSOLD.value: rounds.Outcome.UNSOLD,
}


def next_lot_of(session: Session, lot_id: int) -> Lot | None:
    return session.scalars(select(Lot).where(Lot.previous_lot_id == lot_id).order_by(Lot.id).limit(1)).first()


def previous_round(session: Session, lot: Lot) -> rounds.PreviousRound:
    """A stored lot as domain.rounds judges the round after it (any status but sold/unsold: not finished)."""
    return rounds.PreviousRound(
        kind=rounds.RoundKind(lot.round_kind),
        round=lot.round,
        outcome=OUTCOMES.get(lot.status, rounds.Outcome.OPEN),
        ends_at=lot.ends_at,
        start_price=lot.start_price,
        has_next_round=next_lot_of(session, lot.id) is not None,
    )


@locks.step
def list_next_round(
    uow: UnitOfWork,
    court_user: User,
    lot_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime,
    start_price: int,
    deposit: int,
    now: datetime,
) -> Lot:
    """The court lists the next round of its finished judicial lot: a new lot, pending review like any new
    judicial lot (services.lots.create_lot), one per lot (the previous lot's row lock serialises the check)."""
    prev = get_lot(uow.session, lot_id, lock=True)
    if prev.seller_id != court_user.id:
        raise DomainError(ErrorCode.NOT_LOT_SELLER, lot_id=lot_id)
    if prev.kind != LotKind.JUDICIAL.value:
        raise DomainError(ErrorCode.NEXT_ROUND_NOT_JUDICIAL, lot_id=lot_id)
    try:
        nxt = rounds.validate_next_round(
            previous_round(uow.session, prev),
            now,
            start_price=start_price,
            starts_at=starts_at,
            real_estate=prev.category == Category.REAL_ESTATE.value,
        )
    except rounds.RoundRefused as refused:
        raise rounds.refusal_error(refused) from None
    rules = LotRules(
        kind=LotKind.JUDICIAL,
        start_price=start_price,
        increment=prev.increment,
        deposit=deposit,
        starts_at=starts_at,
        ends_at=ends_at,
        reserve_price=None,
        extension_seconds=prev.extension_seconds,
    )
    draft = LotDraft(
        title=prev.title,
        category=Category(prev.category),
        kind=LotKind.JUDICIAL,
        rules=rules,
        description=prev.description,
        location=prev.location,
        image_url=prev.image_url,
        appraisal=prev.appraisal,
        **{name: getattr(prev, name) for name in JUDICIAL_TEXT_FIELDS},
    )
    return create_lot(uow, court_user, draft, round_kind=nxt.kind, previous=prev)


def round_history(session: Session, lot_id: int, viewer: User | None) -> list[Lot]:
    """Every round of the property `lot_id` belongs to, first to last (walks previous_lot_id both ways), as far
    as the viewer may read them (LOT_NOT_FOUND when they may not read `lot_id` itself)."""
    lot = readable_lot(session, lot_id, reader_of(viewer))
    seen = {lot.id}
    first = lot
    while first.previous_lot_id is not None and first.previous_lot_id not in seen:
        before = session.get(Lot, first.previous_lot_id)
        if before is None:
            break
        seen.add(before.id)
        first = before
    history = [first]
    while (after := next_lot_of(session, history[-1].id)) is not None and after.id not in {x.id for x in history}:
        history.append(after)
    readable = set(
        session.scalars(
            readable_lots(reader_of(viewer)).where(Lot.id.in_([x.id for x in history])).with_only_columns(Lot.id)
        )
    )
    return [x for x in history if x.id in readable]
