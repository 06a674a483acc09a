"""What the back office's detail pages read (issue 14): a lot's deposits, orders and whole history, a seller
application with its applicant's others, and which staff actions each offers now.

Read models only: no decision is made here, the rules they report come from the domain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from ..domain.errors import DomainError, ErrorCode
from ..domain.lots import LotStatus, StaffLotActions, staff_actions
from ..domain.staff import ObjectType
from ..persistence.models import BidderAlias, Deposit, Order, SellerApplication, User
from . import record, staff_audit
from .staff_reads import PENDING_APPLICATION

HISTORY_LIMIT = 1000  # staff entries about one object; a lot's record is read whole


def lot_actions(status: str, starts_at: datetime, ends_at: datetime, now: datetime) -> StaffLotActions:
    """The forms a lot's queue row and detail page offer (domain.lots.staff_actions)."""
    return staff_actions(LotStatus(status), starts_at, ends_at, now)


@dataclass(frozen=True)
class LotDepositRead:
    user_id: int
    name: str  # "display name (username)"
    alias: str | None
    amount: int
    status: str  # domain.deposits.DepositStatus
    created_at: datetime
    settled_at: datetime | None


def lot_deposits(session: Session, lot_id: int) -> list[LotDepositRead]:
    """Every deposit paid on the lot, oldest first, with its payer's alias on the lot."""
    rows = session.execute(
        select(Deposit, BidderAlias.alias, User.display_name, User.username)
        .join(User, User.id == Deposit.user_id)
        .outerjoin(BidderAlias, and_(BidderAlias.lot_id == Deposit.lot_id, BidderAlias.user_id == Deposit.user_id))
        .where(Deposit.lot_id == lot_id)
        .order_by(Deposit.id)
    ).all()
    return [
        LotDepositRead(
            user_id=deposit.user_id,
            name=f"{display} ({username})",
            alias=alias,
            amount=deposit.amount,
            status=deposit.status,
            created_at=deposit.created_at,
            settled_at=deposit.settled_at,
        )
        for deposit, alias, display, username in rows
    ]


@dataclass(frozen=True)
class LotOrderRead:
    id: int
    status: str  # domain.orders.OrderStatus
    price: int
    buyer_id: int
    buyer_name: str
    created_at: datetime


def lot_orders(session: Session, lot_id: int) -> list[LotOrderRead]:
    """The lot's orders, oldest first (a second-chance offer can make a second one after a default)."""
    rows = session.execute(
        select(Order, User.display_name, User.username)
        .join(User, User.id == Order.buyer_id)
        .where(Order.lot_id == lot_id)
        .order_by(Order.id)
    ).all()
    return [
        LotOrderRead(order.id, order.status, order.price, order.buyer_id, f"{display} ({username})", order.created_at)
        for order, display, username in rows
    ]


@dataclass(frozen=True)
class HistoryEntry:
    """One moment of an object's history: an event of the lot's public record or a staff audit entry."""

    at: datetime
    source: str  # "record" or "audit"
    type: str  # the record event's type (LotStarted, BidPlaced, …) or the audit entry's action (lot.approve, …)
    data: dict[str, Any]  # the event's payload, or the audit entry (services.staff_audit.entry_json)


def _audit(session: Session, object_type: ObjectType, object_id: int) -> list[HistoryEntry]:
    query = staff_audit.AuditQuery(object_type=object_type.value, object_id=object_id)
    found = staff_audit.search(session, query, limit=HISTORY_LIMIT)
    return [HistoryEntry(entry["at"], "audit", entry["action"], entry) for entry in reversed(found)]


def lot_history(session: Session, lot_id: int) -> list[HistoryEntry]:
    """The lot's whole story, oldest first: its record events merged by time with the staff decisions about it.
    At the same moment a staff decision comes first (an approval and the start it causes share a tick)."""
    events = []
    for entry in record.entries(session, lot_id):
        payload = json.loads(entry["payload"])
        events.append(HistoryEntry(datetime.fromisoformat(payload["at"]), "record", entry["type"], payload))
    merged = [(item.at, 0, n, item) for n, item in enumerate(_audit(session, ObjectType.LOT, lot_id))]
    merged += [(item.at, 1, n, item) for n, item in enumerate(events)]
    return [item for *_, item in sorted(merged, key=lambda row: row[:3])]


@dataclass(frozen=True)
class ApplicationRead:
    id: int
    user_id: int
    applicant: str  # "display name (username)"
    kind: str  # individual, business or court
    name: str
    description: str
    licence_number: str
    court_name: str
    contact_phone: str
    status: str  # pending, approved or rejected
    reason: str | None
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None  # the deciding staff member's username
    decidable: bool  # still pending: the approve and reject forms apply


def application_decidable(status: str) -> bool:
    """Only a pending application is decided (services.accounts.decide_application refuses any other)."""
    return status == PENDING_APPLICATION


def _applications(session: Session, *where: Any) -> list[ApplicationRead]:
    applicant, decider = aliased(User), aliased(User)
    rows = session.execute(
        select(SellerApplication, applicant.display_name, applicant.username, decider.username)
        .join(applicant, applicant.id == SellerApplication.user_id)
        .outerjoin(decider, decider.id == SellerApplication.decided_by)
        .where(*where)
        .order_by(SellerApplication.id.desc())
    ).all()
    return [
        ApplicationRead(
            id=a.id,
            user_id=a.user_id,
            applicant=f"{display} ({username})",
            kind=a.kind,
            name=a.name,
            description=a.description,
            licence_number=a.licence_number,
            court_name=a.court_name,
            contact_phone=a.contact_phone,
            status=a.status,
            reason=a.reason,
            created_at=a.created_at,
            decided_at=a.decided_at,
            decided_by=decided_by,
            decidable=application_decidable(a.status),
        )
        for a, display, username, decided_by in rows
    ]


def application(session: Session, application_id: int) -> ApplicationRead:
    """One seller application, or NOT_FOUND (the same answer the decision gives for an unknown id)."""
    found = _applications(session, SellerApplication.id == application_id)
    if not found:
        raise DomainError(ErrorCode.NOT_FOUND, application_id=application_id)
    return found[0]


def applications_of(session: Session, user_id: int) -> list[ApplicationRead]:
    """Every application of one applicant, newest first: the history a reviewer weighs."""
    return _applications(session, SellerApplication.user_id == user_id)
