"""A lot's life after review: started at starts_at and closed at its effective end (by the scheduler, as of
those moments), or cancelled. Idempotent and lock-guarded."""

from __future__ import annotations

from ..domain import bidding
from ..domain.cancellation import cancel_auction
from ..domain.errors import DomainError
from ..domain.lots import LotStatus, next_step_at
from ..domain.staff import ObjectType, StaffAction, required_reason
from ..domain.suspension import Suspension, resume_auction, suspend_auction
from ..persistence.models import Lot, User
from . import locks
from .deposits import settle_at_close
from .lots import get_lot, load_snapshot, lot_for, save_due, start_if_open
from .orders import open_order
from .staff_audit import record_action
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
    if actor.is_staff:  # a staff decision says why (audited); a seller may give a reason or not
        reason = required_reason(reason)
    before = lot.status
    decision = cancel_auction(
        load_snapshot(uow.session, lot), actor_id=actor.id, actor_is_staff=actor.is_staff, reason=reason, now=uow.now
    )
    lot.status, lot.seq, lot.closed_at, lot.review_note = decision.status.value, decision.seq, uow.now, reason
    lot.suspended_at = lot.suspended_from = lot.suspended_reason = None
    settle_at_close(uow, lot, winner_id=None)
    uow.record(lot, decision.events)
    save_due(lot)
    _audit(uow, actor, StaffAction.LOT_CANCEL, lot, reason, before)
    return lot


def _audit(uow: UnitOfWork, actor: User, action: StaffAction, lot: Lot, reason: str, before: str) -> None:
    """A staff member's action on a lot goes to the audit log (the seller's own are in the lot's record)."""
    if actor.is_staff:
        details = {"from_status": before, "to_status": lot.status}
        record_action(uow, actor, action, ObjectType.LOT, lot.id, reason, uow.now, details)


def suspension_of(lot: Lot) -> Suspension | None:
    """The stored suspension of a lot, None unless it is suspended."""
    if lot.suspended_at is None or lot.suspended_from is None:
        return None
    return Suspension(lot.suspended_at, LotStatus(lot.suspended_from), lot.suspended_reason or "")


@locks.step
def suspend_lot(uow: UnitOfWork, actor: User, lot_id: int, reason: str | None) -> Lot:
    """暂缓/中止: the seller or staff stop a scheduled or live lot's clock, with a reason; deposits stay frozen.
    A lot whose start has passed is started first (as of its start), so it is suspended from live."""
    lot = lot_for(uow.session, lot_id, actor)
    start_if_open(uow, lot)
    before = lot.status
    decision = suspend_auction(
        load_snapshot(uow.session, lot), actor_id=actor.id, actor_is_staff=actor.is_staff, reason=reason, now=uow.now
    )
    held = decision.suspension
    lot.status, lot.seq = decision.status.value, decision.seq
    lot.suspended_at, lot.suspended_from, lot.suspended_reason = held.since, held.resume_to.value, held.reason
    uow.record(lot, decision.events)
    save_due(lot)
    _audit(uow, actor, StaffAction.LOT_SUSPEND, lot, held.reason, before)
    return lot


@locks.step
def resume_lot(uow: UnitOfWork, actor: User, lot_id: int, reason: str | None) -> Lot:
    """Resume a suspended lot where it was, its start (if still ahead) and end moved by the pause."""
    lot = lot_for(uow.session, lot_id, actor)
    decision = resume_auction(
        load_snapshot(uow.session, lot),
        suspension_of(lot),
        scheduled_ends_at=lot.scheduled_ends_at,
        actor_id=actor.id,
        actor_is_staff=actor.is_staff,
        reason=reason,
        now=uow.now,
    )
    lot.status, lot.seq = decision.status.value, decision.seq
    lot.starts_at, lot.scheduled_ends_at, lot.ends_at = decision.starts_at, decision.scheduled_ends_at, decision.ends_at
    lot.suspended_at = lot.suspended_from = lot.suspended_reason = None
    uow.record(lot, decision.events)
    save_due(lot)
    _audit(uow, actor, StaffAction.LOT_RESUME, lot, decision.events[0].reason, LotStatus.SUSPENDED.value)
    return lot
