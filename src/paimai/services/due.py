"""What is due, and claiming it: the only SQL the scheduler needs is `due_at <= :until`.

Each row's due_at is kept by the services from the domain's one rule per feature
(domain.lots.next_step_at, domain.orders.next_system_step, domain.second_chance.next_step_at).
A worker peeks at the earliest due rows without locking, then claims one in its own transaction:
on PostgreSQL with SKIP LOCKED, so N workers share the work and none waits on another's row; the
claim holds only if the row is still due at the moment peeked (else it moved on: look again).
The step itself re-checks under the same lock, so a repeat or a second worker changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..persistence.models import Lot, SecondChanceOffer
from ..persistence.models import Order as OrderRow
from . import locks
from .uow import UnitOfWork


class Feature(IntEnum):
    """The kinds of due work, in the order ties at one moment are taken."""

    LOT = 0
    ORDER = 1
    OFFER = 2


@dataclass(frozen=True, order=True)
class DueItem:
    at: datetime
    feature: Feature
    id: int
    lot_id: int


def due_lots(session: Session, until: datetime, limit: int) -> list[DueItem]:
    rows = session.execute(
        select(Lot.due_at, Lot.id).where(Lot.due_at <= until).order_by(Lot.due_at, Lot.id).limit(limit)
    )
    return [DueItem(at, Feature.LOT, lot_id, lot_id) for at, lot_id in rows if at is not None]


def due_orders(session: Session, until: datetime, limit: int) -> list[DueItem]:
    rows = session.execute(
        select(OrderRow.due_at, OrderRow.id, OrderRow.lot_id)
        .where(OrderRow.due_at <= until)
        .order_by(OrderRow.due_at, OrderRow.id)
        .limit(limit)
    )
    return [DueItem(at, Feature.ORDER, order_id, lot_id) for at, order_id, lot_id in rows if at is not None]


def due_offers(session: Session, until: datetime, limit: int) -> list[DueItem]:
    rows = session.execute(
        select(SecondChanceOffer.due_at, SecondChanceOffer.id, SecondChanceOffer.lot_id)
        .where(SecondChanceOffer.due_at <= until)
        .order_by(SecondChanceOffer.due_at, SecondChanceOffer.id)
        .limit(limit)
    )
    return [DueItem(at, Feature.OFFER, offer_id, lot_id) for at, offer_id, lot_id in rows if at is not None]


def claim_lot(uow: UnitOfWork, item: DueItem, *, wait: bool) -> bool:
    lot = locks.lot(uow.session, item.id, skip_locked=not wait)
    return lot is not None and lot.due_at == item.at


def claim_order(uow: UnitOfWork, item: DueItem, *, wait: bool) -> bool:
    row = locks.order(uow.session, item.id, skip_locked=not wait)
    return row is not None and row.due_at == item.at


def claim_offer(uow: UnitOfWork, item: DueItem, *, wait: bool) -> bool:
    """An offer is claimed by its lot's row, which comes first in the lock order (services/locks.py)."""
    if locks.lot(uow.session, item.lot_id, skip_locked=not wait) is None:
        return False
    row = locks.offer(uow.session, item.id)
    return row is not None and row.due_at == item.at
