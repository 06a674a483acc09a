"""Reading lots' galleries: the photos of a page of lots in one query, cover first."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..persistence.models import LotImage


@dataclass(frozen=True)
class ImageRead:
    id: int
    key: str
    thumb_key: str
    width: int
    height: int


def galleries(session: Session, lot_ids: Collection[int]) -> dict[int, tuple[ImageRead, ...]]:
    if not lot_ids:
        return {}
    found: dict[int, list[ImageRead]] = {}
    rows = session.scalars(
        select(LotImage).where(LotImage.lot_id.in_(list(lot_ids))).order_by(LotImage.lot_id, LotImage.position)
    )
    for row in rows:
        found.setdefault(row.lot_id, []).append(ImageRead(row.id, row.key, row.thumb_key, row.width, row.height))
    return {lot_id: tuple(images) for lot_id, images in found.items()}
