"""What a court's desk reads about one of its judicial lots (issue 9, item 10): who registered (报名) — by
alias only —, who accepted the notice, and its priority buyers.

The court sees aliases, never who the bidders are: the law keeps a judicial lot's bidders secret from
everyone, the court included, until the sale ends (the buyer is then named on the confirmation of sale).
Only the lot's court (its seller) or staff read this (domain.priority.refuse_unless_court).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.deposits import DepositStatus
from ..domain.errors import DomainError, ErrorCode
from ..domain.priority import refuse_unless_court
from ..domain.rules import LotKind
from ..persistence.models import BidderAlias, Deposit, NoticeAcceptance, User
from .visibility import readable_lot, reader_of


@dataclass(frozen=True)
class Registration:
    """One bidder's registration on the lot: the deposit (if paid) and when they accepted the notice."""

    alias: str | None
    deposit_amount: int | None
    deposit_status: str | None  # domain.deposits.DepositStatus; None: accepted the notice, paid nothing yet
    paid_at: datetime | None
    settled_at: datetime | None
    notice_accepted_at: datetime | None


@dataclass(frozen=True)
class Registrations:
    lot_id: int
    registered: int  # 报名人数: bidders who paid the deposit (frozen now or since released / forfeited)
    frozen: int  # of them, still frozen
    notice_only: int  # accepted the notice but paid no deposit (yet)
    items: list[Registration]


def registrations(session: Session, actor: User, lot_id: int) -> Registrations:
    """The lot's registrations, oldest first (a bidder who paid twice — released, then paid again — once
    per deposit); then those who only accepted the notice."""
    lot = readable_lot(session, lot_id, reader_of(actor))
    refuse_unless_court(actor.id, actor.is_staff, lot.seller_id)
    if lot.kind != LotKind.JUDICIAL.value:
        raise DomainError(ErrorCode.NOTICE_NOT_APPLICABLE)
    accepted = dict(
        session.execute(
            select(NoticeAcceptance.user_id, NoticeAcceptance.accepted_at).where(NoticeAcceptance.lot_id == lot.id)
        ).all()
    )
    aliases = dict(
        session.execute(select(BidderAlias.user_id, BidderAlias.alias).where(BidderAlias.lot_id == lot.id)).all()
    )
    rows = session.scalars(select(Deposit).where(Deposit.lot_id == lot.id).order_by(Deposit.id))
    items: list[Registration] = []
    paid_by: set[int] = set()
    for deposit in rows:
        paid_by.add(deposit.user_id)
        items.append(
            Registration(
                alias=aliases.get(deposit.user_id),
                deposit_amount=deposit.amount,
                deposit_status=deposit.status,
                paid_at=deposit.created_at,
                settled_at=deposit.settled_at,
                notice_accepted_at=accepted.get(deposit.user_id),
            )
        )
    waiting = sorted((at, user_id) for user_id, at in accepted.items() if user_id not in paid_by)
    for at, user_id in waiting:
        items.append(Registration(aliases.get(user_id), None, None, None, None, at))
    return Registrations(
        lot_id=lot.id,
        registered=len(paid_by),
        frozen=sum(1 for item in items if item.deposit_status == DepositStatus.FROZEN.value),
        notice_only=len(waiting),
        items=items,
    )
