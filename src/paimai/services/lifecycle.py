"""A lot's life after review: started at starts_at and closed at its effective end (by the scheduler, as of
those moments), or cancelled. Idempotent and lock-guarded."""

from __future__ import annotations

from ..domain import bidding
from ..domain.cancellation import cancel_auction
from ..domain.errors import DomainError
from ..domain.lots import LotStatus, next_step_at
from ..persistence.models import Lot, User
from . import locks
from .deposits import settle_at_close
from .lots import get_lot, load_snapshot, lot_for, save_due, start_if_open
from .orders import open_order
from .uow import UnitOfWork


@locks.step
def advance_lot(uow: UnitOfWork, lot_id: int) -> bool:
    """Start and/or close one lot if due at uow.now (domain.lots.next_step_at), under the lot's lock, so
    a second worker or a repeat finds nothing due. The scheduler calls it as of the moment it fell due."""
    lot = get_lot(uow.session, lot_id, lock=True)
    changed = False
    while (due := next_step_at(LotStatus(lot.status), lot.starts_at, lot.ends_at)) is not None and due <= uow.now:
        if lot.status == LotStatus.SCHEDULED.value:
            start_if_open(uow, lot)  # as of its start, as a bid arriving first would have done it
            changed = True
            continue
        try:
            decision = bidding.close_auction(load_snapshot(uow.session, lot), uow.now)
        except DomainError:
            break
        lot.status, lot.seq = decision.status.value, decision.seq
        lot.winner_id, lot.final_price, lot.closed_at = decision.winner_id, decision.final_price, uow.now
        settle_at_close(uow, lot, decision.winner_id)
        if decision.winner_id is not None:
            open_order(uow, lot)  # the winner's order, with its payment deadline (RULES §6)
        uow.record(lot, decision.events)
        changed = True
        save_due(lot)
    return changed


@locks.step
def cancel_lot(uow: UnitOfWork, actor: User, lot_id: int, reason: str) -> Lot:
    """The seller or staff stop a scheduled or live lot; every frozen deposit is released in full. Judged by
    server time: a lot past its effective end is refused (AUCTION_ENDED) even before the scheduler closes it."""
    lot = lot_for(uow.session, lot_id, actor)
    decision = cancel_auction(
        load_snapshot(uow.session, lot), actor_id=actor.id, actor_is_staff=actor.is_staff, reason=reason, now=uow.now
    )
    lot.status, lot.seq, lot.closed_at, lot.review_note = decision.status.value, decision.seq, uow.now, reason
    settle_at_close(uow, lot, winner_id=None)
    uow.record(lot, decision.events)
    save_due(lot)
    return lot
