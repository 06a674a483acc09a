"""Orders after the sale (RULES §6), second-chance offers and notifications: the JSON API.

Every money-moving step accepts Idempotency-Key (a repeat returns the first response). Handlers parse,
call one service inside one transaction, and shape the output; the rules live in domain/orders.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from ...domain.errors import DomainError, ErrorCode
from ...domain.orders import CloseReason, RefundReason
from ...services import accounts, order_reads
from ...services import notifications as notification_service
from ...services import orders as service
from ...services import second_chance as offer_service
from ...services.order_reads import OfferRead, OrderRead, Party
from ...services.types import OrderRow, User
from ...services.uow import UnitOfWork
from .. import i18n
from .deps import IDEMPOTENT, ContainerDep, UserDep, run_idempotent
from .schemas import MAX_ID, Cursor, Filter, Id, Limit, Strict

router = APIRouter(prefix="/api/v1", tags=["orders"])
Note = Field(default="", max_length=500)


class CloseRequestIn(Strict):
    reason: Literal["mistaken_bid", "changed_mind", "funds", "other"]
    note: str = Note


class RefundRequestIn(Strict):
    reason: Literal["changed_mind", "mistaken_bid", "other", "not_as_described"]
    note: str = Note


class ShipIn(Strict):
    carrier: str = Field(min_length=1, max_length=64)
    tracking_no: str = Field(min_length=1, max_length=40)


class NoteIn(Strict):
    note: str = Note


class ResolveIn(Strict):
    decision: Literal["refund_seller_fault", "refund_buyer_fault", "release"]
    note: str = Note


class ReadIn(Strict):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(default=None, max_length=500)


# ---- shapes --------------------------------------------------------------------------------------------


def offer_json(read: OfferRead) -> dict[str, Any]:
    offer = read.offer
    return {
        "id": offer.id,
        "lot_id": offer.lot_id,
        "lot_title": read.lot_title,
        "order_id": offer.order_id,
        "user_id": offer.user_id,
        "amount": offer.amount,
        "status": offer.status,
        "created_at": offer.created_at,
        "expires_at": offer.expires_at,
        "decided_at": offer.decided_at,
        "new_order_id": offer.new_order_id,
        "mine": read.mine,
    }


def order_json(read: OrderRead, now: datetime) -> dict[str, Any]:
    """An order in the API's field names, with the domain's view of what the viewer may do and see."""
    row, view = read.row, read.view
    body: dict[str, Any] = {
        "id": row.id,
        "lot_id": row.lot_id,
        "lot_title": read.lot_title,
        "lot_image_url": read.lot_image_url,
        "kind": row.kind,
        "buyer_id": row.buyer_id,
        "seller_id": row.seller_id,
        "price": row.price,
        "deposit": row.deposit,
        "status": row.status,
        "pay_deadline": row.pay_deadline,
        "amount_due": read.amount_due,
        "applied_deposit": read.applied_deposit,
        "penalty": row.penalty,
        "penalty_if_default": read.penalty_if_default,
        "commission": row.commission,
        "compensation": row.compensation,
        "buyer_defaulted": row.buyer_defaulted,
        "offer_id": row.offer_id,
        "created_at": row.created_at,
        "paid_at": row.paid_at,
        "ship_deadline": row.ship_deadline,
        "shipped_at": row.shipped_at,
        "carrier": row.carrier,
        "tracking_no": row.tracking_no,
        "auto_confirm_at": row.auto_confirm_at,
        "finished_at": row.finished_at,
        "close_reason": row.close_reason,
        "close_note": row.close_note,
        "close_requests": row.close_requests,
        "refund_reason": row.refund_reason,
        "refund_note": row.refund_note,
        "my_role": view.role.value,
        "allowed_actions": [a.value for a in view.allowed_actions],
        "awaiting_payment": view.awaiting_payment,
        "in_escrow": view.in_escrow,
        "deadline": None if view.deadline_kind is None else {"kind": view.deadline_kind.value, "at": view.deadline_at},
        "close_reasons": [r.value for r in view.close_reasons],
        "refund_reasons": [r.value for r in view.refund_reasons],
        "shows_buyer_record": view.shows_buyer_record,
        "buyer": None if read.buyer is None else _party(read.buyer),
        "seller": None if read.seller is None else _party(read.seller),
        "server_time": now,
    }
    if read.history is not None:
        body["history"] = [asdict(item) for item in read.history]
    if read.offers is not None:
        body["offers"] = [offer_json(o) for o in read.offers]
    if read.second_chance_available is not None:
        body["second_chance_available"] = read.second_chance_available
    return body


def _party(party: Party) -> dict[str, Any]:
    body: dict[str, Any] = {"id": party.id, "display_name": party.display_name}
    if party.default_count is not None:
        body["default_count"] = party.default_count  # a buyer's defaults are shown to sellers (RULES §6)
    return body


def _page(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    return {"items": items, "next_cursor": items[-1]["id"] if len(items) == limit and items else None}


# ---- personal centre -------------------------------------------------------------------------------------


@router.get("/me/orders")
def my_orders(
    user: UserDep,
    container: ContainerDep,
    role: Literal["buyer", "seller"] | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The user's orders as buyer and/or seller, newest first."""
    now = container.now()
    with container.reading() as session:
        reads = order_reads.my_orders(session, user, role, now, limit, cursor)
    return _page([order_json(read, now) for read in reads], limit)


@router.get("/me/notifications", tags=["me"])
def my_notifications(
    user: UserDep, container: ContainerDep, limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    with container.reading() as session:
        rows = notification_service.notifications(session, user.id, limit, cursor)
        unread = notification_service.unread_count(session, user.id)
    items = []
    for row in rows:
        message, message_zh = i18n.notice_messages(row.kind, row.params)
        items.append(
            {
                "id": row.id,
                "kind": row.kind,
                "message": message,
                "message_zh": message_zh,
                "lot_id": row.lot_id,
                "order_id": row.order_id,
                "offer_id": row.offer_id,
                "created_at": row.created_at,
                "read": row.read_at is not None,
            }
        )
    return {**_page(items, limit), "unread": unread}


@router.post("/me/notifications/read", tags=["me"])
def read_notifications(user: UserDep, container: ContainerDep, body: ReadIn | None = None) -> dict[str, Any]:
    with container.transaction() as uow:
        changed = notification_service.mark_read(uow, user.id, body.ids if body else None)
        return {"marked": changed, "unread": notification_service.unread_count(uow.session, user.id)}


@router.get("/me/offers")
def my_offers(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Second-chance offers made to the user."""
    with container.reading() as session:
        offers = order_reads.my_offers(session, user)
    return {"items": [offer_json(o) for o in offers], "next_cursor": None}


# ---- one order -----------------------------------------------------------------------------------------------


@router.get("/orders/{order_id}")
def get_order(order_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    now = container.now()
    with container.reading() as session:
        return order_json(order_reads.order_detail(session, order_id, user, now), now)


def _step(
    container: ContainerDep,
    request: Request,
    user: User,
    order_id: int,
    body: dict[str, Any],
    action: Callable[[UnitOfWork], OrderRow],
    status: int = 200,
) -> JSONResponse:
    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        row = action(uow)
        return status, order_json(order_reads.read_orders(uow.session, [row], user, uow.now, detail=True)[0], uow.now)

    return run_idempotent(container, request, user, {"order_id": order_id, **body}, operation)


@router.post("/orders/{order_id}/pay", dependencies=[IDEMPOTENT])
def pay(order_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """Pay the price less the frozen deposit from the wallet; the whole price goes into escrow."""
    return _step(container, request, user, order_id, {}, lambda uow: service.pay(uow, user, order_id))


@router.post("/orders/{order_id}/ship", dependencies=[IDEMPOTENT])
def ship(order_id: Id, body: ShipIn, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    return _step(
        container,
        request,
        user,
        order_id,
        body.model_dump(),
        lambda uow: service.ship(uow, user, order_id, body.carrier, body.tracking_no),
    )


@router.post("/orders/{order_id}/confirm-receipt", dependencies=[IDEMPOTENT])
def confirm_receipt(order_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """Receipt confirmed: escrow pays the seller, less the commission."""
    return _step(container, request, user, order_id, {}, lambda uow: service.confirm_receipt(uow, user, order_id))


@router.post("/orders/{order_id}/refund-request", dependencies=[IDEMPOTENT])
def refund_request(
    order_id: Id, body: RefundRequestIn, request: Request, user: UserDep, container: ContainerDep
) -> JSONResponse:
    reason = RefundReason(body.reason)
    return _step(
        container,
        request,
        user,
        order_id,
        body.model_dump(),
        lambda uow: service.request_refund(uow, user, order_id, reason, body.note),
    )


@router.post("/orders/{order_id}/refund-request/accept", dependencies=[IDEMPOTENT])
def accept_refund(order_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    return _step(container, request, user, order_id, {}, lambda uow: service.accept_refund(uow, user, order_id))


@router.post("/orders/{order_id}/refund-request/decline", dependencies=[IDEMPOTENT])
def decline_refund(
    order_id: Id, request: Request, user: UserDep, container: ContainerDep, body: NoteIn | None = None
) -> JSONResponse:
    note = body.note if body else ""
    return _step(
        container,
        request,
        user,
        order_id,
        {"note": note},
        lambda uow: service.decline_refund(uow, user, order_id, note),
    )


@router.post("/orders/{order_id}/close-request", dependencies=[IDEMPOTENT])
def close_request(
    order_id: Id, body: CloseRequestIn, request: Request, user: UserDep, container: ContainerDep
) -> JSONResponse:
    """协商关闭交易: before paying, the buyer asks the seller to close the deal (误拍, 改变主意 …)."""
    reason = CloseReason(body.reason)
    return _step(
        container,
        request,
        user,
        order_id,
        body.model_dump(),
        lambda uow: service.request_close(uow, user, order_id, reason, body.note),
    )


@router.post("/orders/{order_id}/close-request/accept", dependencies=[IDEMPOTENT])
def accept_close(order_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """The seller agrees: the order closes with no penalty and the buyer's deposit is released."""
    return _step(container, request, user, order_id, {}, lambda uow: service.accept_close(uow, user, order_id))


@router.post("/orders/{order_id}/close-request/decline", dependencies=[IDEMPOTENT])
def decline_close(order_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    return _step(container, request, user, order_id, {}, lambda uow: service.decline_close(uow, user, order_id))


@router.post("/orders/{order_id}/refuse", dependencies=[IDEMPOTENT])
def refuse_to_sell(
    order_id: Id, request: Request, user: UserDep, container: ContainerDep, body: NoteIn | None = None
) -> JSONResponse:
    """The seller refuses to sell: the buyer is made whole and paid a sum equal to the deposit."""
    note = body.note if body else ""
    return _step(
        container,
        request,
        user,
        order_id,
        {"note": note},
        lambda uow: service.refuse_to_sell(uow, user, order_id, note),
    )


@router.post("/orders/{order_id}/undeliverable", dependencies=[IDEMPOTENT])
def undeliverable(
    order_id: Id, request: Request, user: UserDep, container: ContainerDep, body: NoteIn | None = None
) -> JSONResponse:
    """The seller reports shipping information that makes delivery impossible: the buyer's default."""
    note = body.note if body else ""
    return _step(
        container,
        request,
        user,
        order_id,
        {"note": note},
        lambda uow: service.report_undeliverable(uow, user, order_id, note),
    )


# ---- second-chance offers -------------------------------------------------------------------------------------


@router.post("/orders/{order_id}/second-chance", status_code=201, dependencies=[IDEMPOTENT])
def second_chance(order_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """After the buyer's default: offer the lot to the runner-up at that bidder's highest bid, for 48 h."""

    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        offer = offer_service.make_offer(uow, user, order_id)
        return 201, offer_json(order_reads.offer_read(uow.session, offer, user))

    return run_idempotent(container, request, user, {"order_id": order_id}, operation)


@router.get("/offers/{offer_id}")
def get_offer(offer_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    with container.reading() as session:
        return offer_json(order_reads.offer_detail(session, offer_id, user))


@router.post("/offers/{offer_id}/accept", status_code=201, dependencies=[IDEMPOTENT])
def accept_offer(offer_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """Accepting makes a new order at the offered price with its own deadline; no deposit is needed."""

    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        offer, order = offer_service.accept_offer(uow, user, offer_id)
        return 201, {
            "offer": offer_json(order_reads.offer_read(uow.session, offer, user)),
            "order": order_json(order_reads.read_orders(uow.session, [order], user, uow.now, detail=True)[0], uow.now),
        }

    return run_idempotent(container, request, user, {"offer_id": offer_id}, operation)


@router.post("/offers/{offer_id}/decline")
def decline_offer(offer_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    with container.transaction() as uow:
        return offer_json(order_reads.offer_read(uow.session, offer_service.decline_offer(uow, user, offer_id), user))


# ---- staff ---------------------------------------------------------------------------------------------------------


@router.get("/staff/orders", tags=["staff"])
def staff_orders(
    user: UserDep, container: ContainerDep, status: Filter = "disputed", limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    accounts.require_staff(user)
    now = container.now()
    with container.reading() as session:
        reads = order_reads.staff_orders(session, user, status, now, limit, cursor)
    return _page([order_json(read, now) for read in reads], limit)


@router.post("/staff/orders/{order_id}/resolve", tags=["staff"], dependencies=[IDEMPOTENT])
def resolve(order_id: Id, body: ResolveIn, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """Arbitrate a disputed refund: refund (seller's fault: in full; buyer's: less the penalty) or release."""
    if not user.is_staff:
        raise DomainError(ErrorCode.STAFF_ONLY)
    return _step(
        container,
        request,
        user,
        order_id,
        body.model_dump(),
        lambda uow: service.staff_resolve(uow, user, order_id, body.decision, body.note),
    )
