"""What the back office's home counts: the work waiting in each staff queue (issue 14).

A read model: counts only, no decision. Which statuses make up a queue is said here once, so the home
page's numbers and the queue pages' filters cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.lots import LotStatus
from ..domain.orders.model import OrderStatus
from ..domain.staff import ObjectType
from ..persistence.models import Lot, Order, SellerApplication, User

PENDING_APPLICATION = "pending"
# The statuses each queue page offers as its tabs, first tab first.
APPLICATION_TABS = ("pending", "approved", "rejected")
LOT_TABS = tuple(
    s.value
    for s in (LotStatus.PENDING_REVIEW, LotStatus.LIVE, LotStatus.SUSPENDED, LotStatus.SCHEDULED, LotStatus.REJECTED)
)
ORDER_TABS = tuple(
    s.value
    for s in (OrderStatus.DISPUTED, OrderStatus.REFUND_REQUESTED, OrderStatus.DEFAULTED, OrderStatus.SELLER_REFUSED)
)

# The kinds of object the audit log's filter offers.
AUDIT_OBJECT_TYPES = tuple(t.value for t in ObjectType)


@dataclass(frozen=True)
class QueueCounts:
    applications_pending: int
    lots_pending_review: int
    lots_live: int
    lots_suspended: int
    lots_scheduled: int
    orders_disputed: int
    orders_refund_requested: int
    orders_defaulted: int


def queue_counts(session: Session) -> QueueCounts:
    lots = {status: n for status, n in session.execute(select(Lot.status, func.count()).group_by(Lot.status))}
    orders = {status: n for status, n in session.execute(select(Order.status, func.count()).group_by(Order.status))}
    applications = session.scalar(
        select(func.count()).select_from(SellerApplication).where(SellerApplication.status == PENDING_APPLICATION)
    )
    return QueueCounts(
        applications_pending=applications or 0,
        lots_pending_review=lots.get(LotStatus.PENDING_REVIEW.value, 0),
        lots_live=lots.get(LotStatus.LIVE.value, 0),
        lots_suspended=lots.get(LotStatus.SUSPENDED.value, 0),
        lots_scheduled=lots.get(LotStatus.SCHEDULED.value, 0),
        orders_disputed=orders.get(OrderStatus.DISPUTED.value, 0),
        orders_refund_requested=orders.get(OrderStatus.REFUND_REQUESTED.value, 0),
        orders_defaulted=orders.get(OrderStatus.DEFAULTED.value, 0),
    )


def display_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """user id → "display name (username)", for the queues that show who applied or who sells."""
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.display_name, User.username).where(User.id.in_(user_ids))).all()
    return {row.id: f"{row.display_name} ({row.username})" for row in rows}
