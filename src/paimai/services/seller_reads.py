"""A seller's public page (issue 14): who they are, since when, their published lots and their deals.

Only an approved seller has a page: an unknown id, or an account that is not (or no longer) an approved
seller, answers SELLER_NOT_FOUND alike. Their lots are read as the public reads them
(services.visibility.readable_lots with no reader): drafts, lots in review and rejections never show, not
even to the seller looking at their own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError, ErrorCode
from ..domain.lots import LotStatus
from ..persistence.models import Lot, SellerApplication, User
from .lot_reads import LotRead, read_lots
from .selling import shelf_of
from .visibility import readable_lots

PUBLIC_SHELVES = ("live", "scheduled", "ended")  # the order the page shows them in


@dataclass(frozen=True)
class SellerProfile:
    id: int
    display_name: str
    kind: str
    approved_since: datetime
    deals_count: int  # lots sold
    shelves: dict[str, list[LotRead]]  # live, scheduled, ended; each present, maybe empty


def public_seller(session: Session, seller_id: int, now: datetime, *, limit: int = 200) -> SellerProfile:
    seller = session.get(User, seller_id)
    if seller is None or seller.seller_status != "approved" or seller.seller_kind is None:
        raise DomainError(ErrorCode.SELLER_NOT_FOUND, seller_id=seller_id)
    approved_at = session.scalar(
        select(func.max(SellerApplication.decided_at)).where(
            SellerApplication.user_id == seller.id, SellerApplication.status == "approved"
        )
    )
    lots = list(
        session.scalars(readable_lots(None).where(Lot.seller_id == seller.id).order_by(Lot.id.desc()).limit(limit))
    )
    deals = session.scalar(
        select(func.count()).select_from(Lot).where(Lot.seller_id == seller.id, Lot.status == LotStatus.SOLD.value)
    )
    shelves: dict[str, list[LotRead]] = {shelf: [] for shelf in PUBLIC_SHELVES}
    for read in read_lots(session, lots, None, now):
        shelves[shelf_of(LotStatus(read.lot.status))].append(read)
    return SellerProfile(
        id=seller.id,
        display_name=seller.display_name,
        kind=seller.seller_kind,
        approved_since=approved_at or seller.created_at,  # a seller made at registration (demo, tests)
        deals_count=int(deals or 0),
        shelves=shelves,
    )
