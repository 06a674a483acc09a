"""Due work: start lots at starts_at, close them at their effective end. Idempotent and lock-guarded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import bidding
from ..domain.cancellation import cancel_auction
from ..domain.errors import DomainError
from ..domain.lots import LotStatus
from ..persistence.models import Lot, User
from . import locks
from .deposits import settle_at_close
from .lots import get_lot, load_snapshot
from .orders import open_order
from .uow import UnitOfWork


def due_lot_ids(session: Session, now: datetime) -> list[int]:
    starting = select(Lot.id).where(Lot.status == LotStatus.SCHEDULED.value, Lot.starts_at <= now)
    closing = select(Lot.id).where(Lot.status == LotStatus.LIVE.value, Lot.ends_at <= now)
    ids = set(session.scalars(starting)) | set(session.scalars(closing))
    return sorted(ids)


@locks.step
def advance_lot(uow: UnitOfWork, lot_id: int) -> bool:
    """Start and/or close one lot if due. Re-checked under the lot's lock, so a second worker no-ops."""
    lot = get_lot(uow.session, lot_id, lock=True)
    changed = False
    if lot.status == LotStatus.SCHEDULED.value and lot.starts_at <= uow.now:
        decision = bidding.start_auction(load_snapshot(uow.session, lot), uow.now)
        lot.status, lot.seq = decision.status.value, decision.seq
        uow.record(lot, decision.events)
        changed = True
    if lot.status == LotStatus.LIVE.value and lot.ends_at <= uow.now:
        try:
            decision = bidding.close_auction(load_snapshot(uow.session, lot), uow.now)
        except DomainError:
            return changed
        lot.status, lot.seq = decision.status.value, decision.seq
        lot.winner_id, lot.final_price, lot.closed_at = decision.winner_id, decision.final_price, uow.now
        settle_at_close(uow, lot, decision.winner_id)
        if decision.winner_id is not None:
            open_order(uow, lot)  # the winner's order, with its payment deadline (RULES §6)
        uow.record(lot, decision.events)
        changed = True
    return changed


@locks.step
def cancel_lot(uow: UnitOfWork, actor: User, lot_id: int, reason: str) -> Lot:
    """The seller or staff stop a scheduled or live lot; every frozen deposit is released in full."""
    lot = get_lot(uow.session, lot_id, lock=True)
    decision = cancel_auction(
        load_snapshot(uow.session, lot), actor_id=actor.id, actor_is_staff=actor.is_staff, reason=reason, now=uow.now
    )
    lot.status, lot.seq, lot.closed_at, lot.review_note = decision.status.value, decision.seq, uow.now, reason
    settle_at_close(uow, lot, winner_id=None)
    uow.record(lot, decision.events)
    return lot
