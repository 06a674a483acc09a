"""成交确认书 reads (RULES §7): load a lot, its live order and the buyer's verified identity, and let
domain.confirmation say whether the lot has a confirmation and what it says.

Public by design: the buyer's real name and masked ID number are published with a sold judicial lot (as on
Alibaba's judicial auctions); the ID number is only ever the masked one real-name verification stored.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.confirmation import SaleConfirmation, build_confirmation, has_confirmation
from ..domain.errors import DomainError, ErrorCode
from ..domain.rules import LotKind
from ..persistence.models import Order, User
from .visibility import readable_lot, reader_of


def lot_confirmation(session: Session, lot_id: int, viewer: User | None) -> SaleConfirmation | None:
    """The lot's confirmation, or None when it has none (commercial, unsold, not ended, order ended)."""
    lot = readable_lot(session, lot_id, reader_of(viewer))  # LOT_NOT_FOUND for a lot this viewer may not see
    # The live order is the lot's latest one (a second-chance order follows a defaulted first one).
    order = session.scalar(select(Order).where(Order.lot_id == lot.id).order_by(Order.id.desc()).limit(1))
    if order is None or not has_confirmation(
        judicial=lot.kind == LotKind.JUDICIAL.value,
        lot_status=lot.status,
        order_status=order.status,
    ):
        return None
    buyer = session.get(User, order.buyer_id)
    if buyer is None or not buyer.real_name or not buyer.id_number_masked:
        return None  # a judicial buyer is always verified; without an identity there is nothing to confirm
    return build_confirmation(
        lot_id=lot.id,
        lot_title=lot.title,
        court_name=lot.court_name,
        case_number=lot.case_number,
        buyer_name=buyer.real_name,
        buyer_id=buyer.id_number_masked,
        price_fen=order.price,
        sold_at=lot.closed_at or lot.ends_at,
        pay_by=order.pay_deadline,
    )


def require_confirmation(session: Session, lot_id: int, viewer: User | None) -> SaleConfirmation:
    confirmation = lot_confirmation(session, lot_id, viewer)
    if confirmation is None:
        raise DomainError(ErrorCode.CONFIRMATION_NOT_AVAILABLE, lot_id=lot_id)
    return confirmation
