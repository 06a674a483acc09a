"""One due-work function per feature. Each claims its row (SKIP LOCKED on PostgreSQL unless told to wait)
and runs the service step, which re-checks under the same lock: running one twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy.orm import Session

from ...services import due, lifecycle, locks
from ...services import orders as order_service
from ...services import second_chance as offer_service
from ...services.due import DueItem, Feature
from ...services.uow import UnitOfWork


class Outcome(Enum):
    DONE = "done"  # the step ran
    BUSY = "busy"  # another transaction holds the row, or it is no longer due at that moment: look again
    STUCK = "stuck"  # claimed and due, yet the step changed nothing: the row's due_at disagrees with the rule


@locks.step
def start_or_close_lot(uow: UnitOfWork, item: DueItem, *, wait: bool) -> Outcome:
    """A scheduled lot starts at starts_at; a live one closes at its effective end (releases, order)."""
    if not due.claim_lot(uow, item, wait=wait):
        return Outcome.BUSY
    return Outcome.DONE if lifecycle.advance_lot(uow, item.id) else Outcome.STUCK


@locks.step
def order_step(uow: UnitOfWork, item: DueItem, *, wait: bool) -> Outcome:
    """An order's system step: the payment reminder, the default at the deadline, the refund when the
    shipping period ends unshipped, or the automatic confirmation of receipt."""
    if not due.claim_order(uow, item, wait=wait):
        return Outcome.BUSY
    return Outcome.DONE if order_service.advance_order(uow, item.id) else Outcome.STUCK


@locks.step
def lapse_offer(uow: UnitOfWork, item: DueItem, *, wait: bool) -> Outcome:
    """A second-chance offer nobody answered lapses at expires_at."""
    if not due.claim_offer(uow, item, wait=wait):
        return Outcome.BUSY
    return Outcome.DONE if offer_service.expire_offer(uow, item.id) else Outcome.STUCK


@dataclass(frozen=True)
class DueKind:
    feature: Feature
    peek: Callable[[Session, datetime, int], list[DueItem]]
    run: Callable[..., Outcome]  # (uow, item, *, wait) -> Outcome


LOTS = DueKind(Feature.LOT, due.due_lots, start_or_close_lot)
ORDERS = DueKind(Feature.ORDER, due.due_orders, order_step)
OFFERS = DueKind(Feature.OFFER, due.due_offers, lapse_offer)
ALL = (LOTS, ORDERS, OFFERS)
