"""A bidder's acceptance of a judicial lot's 竞买须知 and as-is notice (RULES §7), recorded with its time."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.judicial import require_notice_target
from ..domain.rules import LotKind
from ..persistence.models import NoticeAcceptance, User
from . import locks
from .accounts import refuse_frozen
from .lots import lot_for
from .uow import UnitOfWork


def acceptance(session: Session, lot_id: int, user_id: int) -> NoticeAcceptance | None:
    return session.scalar(
        select(NoticeAcceptance).where(NoticeAcceptance.lot_id == lot_id, NoticeAcceptance.user_id == user_id)
    )


def acceptance_count(session: Session, lot_id: int) -> int:
    return int(session.scalar(select(func.count()).where(NoticeAcceptance.lot_id == lot_id)) or 0)


@locks.step
def accept_notice(uow: UnitOfWork, user: User, lot_id: int) -> tuple[NoticeAcceptance, bool]:
    """Record that the bidder accepts the lot's notices; accepting again keeps the first time.
    Returns (acceptance, created). Under the lot's lock, so two at once record one row."""
    refuse_frozen(uow.session, user.id)
    lot = lot_for(uow.session, lot_id, user)  # hidden: LOT_NOT_FOUND
    require_notice_target(
        is_judicial=lot.kind == LotKind.JUDICIAL.value, is_seller=lot.seller_id == user.id, is_staff=user.is_staff
    )
    existing = acceptance(uow.session, lot.id, user.id)
    if existing is not None:
        return existing, False
    row = NoticeAcceptance(lot_id=lot.id, user_id=user.id, accepted_at=uow.now)
    uow.session.add(row)
    uow.session.flush()
    return row, True
