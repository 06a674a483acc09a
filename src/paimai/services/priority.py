"""Priority buyers (优先购买权人, RULES §7): the court (or staff) registers and removes them on a judicial lot
before bidding starts; the bidding rules read their ranks through `holder_ranks` (services.lots.load_snapshot).

Who may and when is domain.priority's decision; this module loads the facts, saves, and audits staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError, ErrorCode
from ..domain.lots import LotStatus
from ..domain.priority import PriorityBasis, refuse_holder, refuse_registration_change, refuse_unless_court
from ..domain.rules import LotKind
from ..domain.staff import ObjectType, StaffAction
from ..persistence.models import BidderAlias, Lot, PriorityHolder, User
from . import locks
from .staff_audit import record_action
from .uow import UnitOfWork
from .visibility import readable_lot, reader_of


def holder_ranks(session: Session, lot_id: int) -> dict[int, int]:
    """user_id → rank of a lot's priority buyers (empty for almost every lot)."""
    rows = session.execute(select(PriorityHolder.user_id, PriorityHolder.rank).where(PriorityHolder.lot_id == lot_id))
    return {user_id: rank for user_id, rank in rows}


def ranks_of_lots(session: Session, lots: Iterable[Lot]) -> dict[int, dict[int, int]]:
    """Per judicial lot of a page, its holders' ranks (one query; commercial lots have none)."""
    ids = sorted({lot.id for lot in lots if lot.kind == LotKind.JUDICIAL.value})
    out: dict[int, dict[int, int]] = {}
    if not ids:
        return out
    rows = session.execute(
        select(PriorityHolder.lot_id, PriorityHolder.user_id, PriorityHolder.rank).where(PriorityHolder.lot_id.in_(ids))
    )
    for lot_id, user_id, rank in rows:
        out.setdefault(lot_id, {})[user_id] = rank
    return out


def _find_user(session: Session, user_id: int | None, username: str | None) -> User:
    user: User | None = None
    if user_id is not None:
        user = session.get(User, user_id)
    elif username:
        user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise DomainError(ErrorCode.USER_NOT_FOUND)
    return user


def _locked_lot(session: Session, actor: User, lot_id: int) -> Lot:
    readable_lot(session, lot_id, reader_of(actor))  # a lot this actor may not see is not found
    lot = locks.lot(session, lot_id)
    if lot is None:
        raise DomainError(ErrorCode.LOT_NOT_FOUND, lot_id=lot_id)
    refuse_unless_court(actor.id, actor.is_staff, lot.seller_id)
    return lot


def _refuse_change(lot: Lot, now: datetime) -> None:
    refuse_registration_change(LotKind(lot.kind), LotStatus(lot.status), lot.starts_at, now)


@locks.step
def register_holder(
    uow: UnitOfWork,
    actor: User,
    lot_id: int,
    *,
    rank: int,
    basis: PriorityBasis,
    user_id: int | None = None,
    username: str | None = None,
) -> PriorityHolder:
    """The court (or staff) registers a priority buyer on its judicial lot before bidding starts."""
    session = uow.session
    lot = _locked_lot(session, actor, lot_id)
    _refuse_change(lot, uow.now)
    holder = _find_user(session, user_id, username)
    existing = session.scalar(
        select(PriorityHolder.id).where(PriorityHolder.lot_id == lot.id, PriorityHolder.user_id == holder.id)
    )
    refuse_holder(
        holder_id=holder.id,
        seller_id=lot.seller_id,
        holder_is_staff=holder.is_staff,
        rank=rank,
        already_registered=existing is not None,
    )
    row = PriorityHolder(lot_id=lot.id, user_id=holder.id, rank=rank, basis=basis.value, registered_at=uow.now)
    session.add(row)
    session.flush()
    if actor.is_staff:
        details = {"user_id": holder.id, "rank": rank, "basis": basis.value}
        record_action(uow, actor, StaffAction.PRIORITY_ADD, ObjectType.LOT, lot.id, None, uow.now, details)
    return row


@locks.step
def remove_holder(uow: UnitOfWork, actor: User, lot_id: int, user_id: int) -> None:
    """The court (or staff) removes a registration, under the same rules as registering one."""
    session = uow.session
    lot = _locked_lot(session, actor, lot_id)
    _refuse_change(lot, uow.now)
    row = session.scalar(
        select(PriorityHolder).where(PriorityHolder.lot_id == lot.id, PriorityHolder.user_id == user_id)
    )
    if row is None:
        raise DomainError(ErrorCode.PRIORITY_HOLDER_NOT_FOUND, user_id=user_id)
    details = {"user_id": row.user_id, "rank": row.rank, "basis": row.basis}
    session.delete(row)
    session.flush()
    if actor.is_staff:
        record_action(uow, actor, StaffAction.PRIORITY_REMOVE, ObjectType.LOT, lot.id, None, uow.now, details)


@dataclass(frozen=True)
class HolderRead:
    """One registration as a reader may see it: the public gets the alias (竞买号, once the holder has paid
    the deposit) and the rank only; the court and staff also who it is, the basis and when."""

    rank: int
    alias: str | None
    user_id: int | None = None
    username: str | None = None
    display_name: str | None = None
    basis: str | None = None
    registered_at: datetime | None = None


def list_holders(session: Session, lot_id: int, viewer: User | None) -> list[HolderRead]:
    """A lot's priority buyers by rank (then registration), for anyone who may read the lot."""
    lot = readable_lot(session, lot_id, reader_of(viewer))
    full = viewer is not None and (viewer.is_staff or viewer.id == lot.seller_id)
    rows = session.execute(
        select(PriorityHolder, User, BidderAlias.alias)
        .join(User, User.id == PriorityHolder.user_id)
        .outerjoin(BidderAlias, (BidderAlias.lot_id == PriorityHolder.lot_id) & (BidderAlias.user_id == User.id))
        .where(PriorityHolder.lot_id == lot.id)
        .order_by(PriorityHolder.rank, PriorityHolder.registered_at, PriorityHolder.id)
    ).all()
    out: list[HolderRead] = []
    for holder, user, alias in rows:
        if full:
            out.append(
                HolderRead(holder.rank, alias, user.id, user.username, user.display_name, holder.basis,
                           holder.registered_at)
            )  # fmt: skip
        else:
            out.append(HolderRead(holder.rank, alias))
    return out
