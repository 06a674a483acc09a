"""Who may read which lot: the one statement every read and every action on a lot goes through.

The public sees published lots; a seller also their own drafts, lots in review and rejections; staff see all.
To anyone else a hidden lot does not exist: LOT_NOT_FOUND (404), the very answer an unknown id gets.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError, ErrorCode
from ..domain.lot_views import PUBLIC_STATUSES, Reader
from ..persistence.models import Lot, User

PUBLIC_VALUES = sorted(status.value for status in PUBLIC_STATUSES)


def reader_of(user: User | None) -> Reader | None:
    return None if user is None else Reader(user.id, user.is_staff)


def readable_lots(reader: Reader | None) -> Select[Lot]:
    """Lots this reader may see: the public sees published ones; a seller also their own; staff all."""
    query = select(Lot)
    if reader is None:
        return query.where(Lot.status.in_(PUBLIC_VALUES))
    if reader.is_staff:
        return query
    return query.where(or_(Lot.status.in_(PUBLIC_VALUES), Lot.seller_id == reader.user_id))


def readable_lot(session: Session, lot_id: int, reader: Reader | None) -> Lot:
    """The lot, or LOT_NOT_FOUND — the same answer for an unknown id and for one this reader may not see."""
    lot = session.scalar(readable_lots(reader).where(Lot.id == lot_id))
    if lot is None:
        raise DomainError(ErrorCode.LOT_NOT_FOUND, lot_id=lot_id)
    return lot
