"""JSON shapes of the API's resources (field names are the contract in API.md)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ...domain.lot_views import ViewerRole
from ...domain.lots import EDITABLE, LotStatus
from ...services import accounts
from ...services.gallery_reads import ImageRead
from ...services.lot_reads import LotRead, RecordRead, read_lots
from ...services.types import Lot, User
from .. import i18n


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": accounts.roles(user),
        "home": accounts.home_path(user),
        "seller_status": user.seller_status,
        "seller_kind": user.seller_kind,
        "real_name_verified": user.real_name_verified_at is not None,
        "real_name": user.real_name,
        "id_number_masked": user.id_number_masked,
        "default_count": user.default_count,
    }


def media_url(key: str) -> str:
    return f"/media/{key}"


def image_json(image: ImageRead) -> dict[str, Any]:
    return {
        "id": image.id,
        "url": media_url(image.key),
        "thumb_url": media_url(image.thumb_key),
        "width": image.width,
        "height": image.height,
    }


def lot_json(read: LotRead, now: datetime) -> dict[str, Any]:
    """A lot in the API's field names (API.md): the stored facts, the domain's view and the viewer's."""
    lot, view, viewer = read.lot, read.view, read.viewer
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
        "images": [image_json(image) for image in read.images],
        # the gallery's first photo (its thumbnail: lists show covers small), else the seller's image address
        "cover_url": media_url(read.images[0].key) if read.images else lot.image_url,
        "cover_thumb_url": media_url(read.images[0].thumb_key) if read.images else lot.image_url,
        "seller_id": lot.seller_id,
        "seller_name": read.seller_name,
        "start_price": lot.start_price,
        "increment": lot.increment,
        "deposit": lot.deposit,
        "has_reserve": view.has_reserve,
        "reserve_met": view.reserve_met,
        "appraisal": lot.appraisal,
        "public_reserve": view.public_reserve,  # 保留价 of a judicial lot (= its start), shown to everyone
        "current_price": lot.current_price,
        "next_valid_amount": viewer.next_valid_amount,  # this viewer's: a priority buyer may match the price
        "suggested_max_amount": view.suggested_max_amount,
        "price_kind": view.price_kind.value,
        "display_price": view.display_price,
        "deposits_open": view.deposits_open,
        "bidding_open": view.bidding_open,
        "ended": view.ended,
        "leader_alias": read.leader_alias,
        "bid_count": lot.bid_count,
        "bidder_count": read.bidder_count,
        "starts_at": lot.starts_at,
        "ends_at": lot.ends_at,
        "scheduled_ends_at": lot.scheduled_ends_at,
        "extension_seconds": lot.extension_seconds,
        "extensions": lot.extensions,
        "seq": lot.seq,
        "withdrawal_allowed": view.withdrawal_offered,
        "withdrawal_fee": lot.withdrawal_fee,
        "final_price": lot.final_price,
        "winner_alias": read.winner_alias,
        "suspended_at": lot.suspended_at,
        "suspended_reason": lot.suspended_reason,
        "server_time": now,
        "viewer": {
            "role": viewer.role.value,
            "leading": viewer.leading,
            "deposit_held": viewer.deposit_held,
            "deposit_paid": viewer.deposit_paid,
            "deposit_due": viewer.deposit_due,
            "panels": sorted(panel.value for panel in viewer.panels),
            "may_bid": viewer.may_bid,
            "next_valid_amount": viewer.next_valid_amount,
            "priority_rank": viewer.priority_rank,
            "notice_accepted": viewer.notice_accepted,
        },
    }
    if lot.kind == "judicial":
        body["judicial"] = {
            "court_name": lot.court_name,
            "case_number": lot.case_number,
            "announced_at": lot.announced_at,
            "announcement": lot.announcement,
            "bidder_notice": lot.bidder_notice,
            "as_is_notice": lot.as_is_notice,
            "contact": lot.contact,
            "viewing": lot.viewing,
        }
    if viewer.role is not ViewerRole.GUEST:
        body["my_alias"] = read.my_alias
        body["i_am_leader"] = viewer.leading
        body["i_am_seller"] = viewer.role is ViewerRole.SELLER
        body["my_deposit"] = None if read.my_deposit is None else asdict(read.my_deposit)
        body["my_order_id"] = read.my_order_id
    if read.watching is not None:
        body["watching"] = read.watching
    if read.watchers is not None:
        body["watchers"] = read.watchers
    if viewer.sees_private:
        body["reserve_price"] = lot.reserve_price
        body["review_note"] = lot.review_note
        body["return_policy"] = lot.return_policy
        body["editable"] = LotStatus(lot.status) in EDITABLE  # the seller may still change it (PATCH)
    return body


def lot_out(session: Session, lot: Lot, user: User | None, now: datetime) -> dict[str, Any]:
    """The JSON of one lot a service just returned (after creating, reviewing or cancelling it)."""
    return lot_json(read_lots(session, [lot], user, now)[0], now)


def record_json(row: RecordRead) -> dict[str, Any]:
    return {
        "id": row.id,
        "lot_id": row.lot_id,
        "seq": row.seq,
        "alias": row.alias,
        "amount": row.amount,
        "is_proxy": row.is_proxy,
        "status": row.status.value,
        "created_at": row.created_at,
        "priority": row.priority,
    }


def page(items: list[Any], limit: int, cursor_of: Any) -> dict[str, Any]:
    next_cursor = cursor_of(items[-1]) if len(items) == limit and items else None
    return {"items": items, "next_cursor": next_cursor}
