"""JSON shapes of the API's resources (field names are the contract in API.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ...persistence.models import Lot, User
from ...services import accounts, lots
from .. import i18n


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": accounts.roles(user),
        "seller_status": user.seller_status,
        "seller_kind": user.seller_kind,
        "real_name_verified": user.real_name_verified_at is not None,
        "real_name": user.real_name,
        "id_number_masked": user.id_number_masked,
        "default_count": user.default_count,
    }


def lot_json(session: Session, lot: Lot, now: datetime, viewer: User | None = None) -> dict[str, Any]:
    aliases = lots.aliases_of(session, lot.id)
    body: dict[str, Any] = {
        "id": lot.id,
        "title": lot.title,
        "description": lot.description,
        "category": lot.category,
        "category_name": i18n.category_name(lot.category, "en"),
        "category_name_zh": i18n.category_name(lot.category, "zh"),
        "kind": lot.kind,
        "status": lot.status,
        "location": lot.location,
        "image_url": lot.image_url,
        "seller_id": lot.seller_id,
        "start_price": lot.start_price,
        "increment": lot.increment,
        "deposit": lot.deposit,
        "has_reserve": lot.reserve_price is not None,
        "reserve_met": None
        if lot.reserve_price is None
        else (lot.current_price is not None and lot.current_price >= lot.reserve_price),
        "appraisal": lot.appraisal,
        "current_price": lot.current_price,
        "next_valid_amount": lot.start_price if lot.current_price is None else lot.current_price + lot.increment,
        "leader_alias": aliases.get(lot.leader_id) if lot.leader_id else None,
        "bid_count": lot.bid_count,
        "bidder_count": len(aliases),
        "starts_at": lot.starts_at,
        "ends_at": lot.ends_at,
        "scheduled_ends_at": lot.scheduled_ends_at,
        "extension_seconds": lot.extension_seconds,
        "extensions": lot.extensions,
        "seq": lot.seq,
        "withdrawal_allowed": lot.withdrawal_allowed,
        "withdrawal_fee": lot.withdrawal_fee,
        "final_price": lot.final_price,
        "winner_alias": aliases.get(lot.winner_id) if lot.winner_id else None,
        "server_time": now,
    }
    if viewer is not None:
        body["my_alias"] = aliases.get(viewer.id)
        body["i_am_leader"] = lot.leader_id == viewer.id
        body["i_am_seller"] = lot.seller_id == viewer.id
    if viewer is not None and (viewer.is_staff or viewer.id == lot.seller_id):
        body["reserve_price"] = lot.reserve_price
        body["review_note"] = lot.review_note
    return body


def page(items: list[Any], limit: int, cursor_of: Any) -> dict[str, Any]:
    next_cursor = cursor_of(items[-1]) if len(items) == limit and items else None
    return {"items": items, "next_cursor": next_cursor}
