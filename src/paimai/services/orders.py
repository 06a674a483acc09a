"""Orders after the sale (RULES §6): load and lock the order row, let the domain decide, post the money,
write the notices and the history. Services never commit; the caller's transaction does.

Locks follow the one order of services/locks.py: the lot row (creating orders and offers), then the offer
row, then the order row, then the buyer's user row (a default counts on it), then every ledger account the
step's entries touch, declared at once before any money moves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..domain import orders as od
from ..domain import second_chance as sc
from ..domain.errors import DomainError, ErrorCode
from ..domain.notices import NoticeKind
from ..domain.orders import CloseReason, Fault, OrderDecision, OrderStatus, RefundReason, Role
from ..domain.rules import LotKind
from ..persistence.models import Bid, Lot, Notification, OrderEventRow, SecondChanceOffer, User
from ..persistence.models import Order as OrderRow
from . import locks
from .deposits import frozen_deposit
from .ledger import post
from .lots import get_lot
from .uow import UnitOfWork

UNPAID_VALUES = [s.value for s in od.UNPAID]
OPEN_VALUES = [s.value for s in OrderStatus if s not in od.TERMINAL]


# ---- rows ⇄ domain ------------------------------------------------------------------------------


def to_domain(row: OrderRow) -> od.Order:
    return od.Order(
        id=row.id,
        lot_id=row.lot_id,
        buyer_id=row.buyer_id,
        seller_id=row.seller_id,
        kind=LotKind(row.kind),
        price=row.price,
        deposit=row.deposit,
        status=OrderStatus(row.status),
        created_at=row.created_at,
        pay_deadline=row.pay_deadline,
        remind_at=row.remind_at,
        reminded_at=row.reminded_at,
        paid_at=row.paid_at,
        ship_deadline=row.ship_deadline,
        shipped_at=row.shipped_at,
        auto_confirm_at=row.auto_confirm_at,
        finished_at=row.finished_at,
        carrier=row.carrier,
        tracking_no=row.tracking_no,
        close_reason=CloseReason(row.close_reason) if row.close_reason else None,
        close_requests=row.close_requests,
        refund_reason=RefundReason(row.refund_reason) if row.refund_reason else None,
        penalty=row.penalty,
        commission=row.commission,
        compensation=row.compensation,
        buyer_defaulted=row.buyer_defaulted,
    )


def _store(row: OrderRow, order: od.Order, now: datetime) -> None:
    row.status = order.status.value
    row.paid_at, row.ship_deadline, row.shipped_at = order.paid_at, order.ship_deadline, order.shipped_at
    row.auto_confirm_at, row.finished_at = order.auto_confirm_at, order.finished_at
    row.carrier, row.tracking_no = order.carrier, order.tracking_no
    row.close_reason = order.close_reason.value if order.close_reason else None
    row.close_requests = order.close_requests
    row.refund_reason = order.refund_reason.value if order.refund_reason else None
    row.penalty, row.commission, row.compensation = order.penalty, order.commission, order.compensation
    row.buyer_defaulted = order.buyer_defaulted
    row.reminded_at = order.reminded_at
    row.due_at = od.next_system_step_at(order)  # what the scheduler queries: the domain's rule, kept by every save
    row.updated_at = now


def get_order(session: Session, order_id: int, *, lock: bool = False) -> OrderRow:
    row = locks.order(session, order_id) if lock else session.get(OrderRow, order_id)
    if row is None:
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, order_id=order_id)
    return row


def visible_order(session: Session, user: User, order_id: int, *, lock: bool = False) -> OrderRow:
    """The order if the user is its buyer, its seller or staff; to anyone else it does not exist."""
    row = get_order(session, order_id, lock=lock)
    if user.id not in (row.buyer_id, row.seller_id) and not user.is_staff:
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, order_id=order_id)
    return row


def role_of(row: OrderRow, user: User) -> Role:
    if user.id == row.buyer_id:
        return Role.BUYER
    if user.id == row.seller_id:
        return Role.SELLER
    return Role.STAFF


# ---- notifications ----------------------------------------------------------------------------------


def notify(
    uow: UnitOfWork,
    user_id: int,
    kind: NoticeKind,
    *,
    lot: Lot | None = None,
    order_id: int | None = None,
    offer_id: int | None = None,
    **params: Any,
) -> None:
    """An in-app notification, written in the same transaction as what it announces."""
    values = {"lot_title": lot.title if lot is not None else "", **params}
    uow.session.add(
        Notification(
            user_id=user_id,
            kind=kind.value,
            lot_id=lot.id if lot is not None else None,
            order_id=order_id,
            offer_id=offer_id,
            params=json.dumps(values, ensure_ascii=False),
            created_at=uow.now,
        )
    )


def notifications(session: Session, user_id: int, limit: int, before_id: int | None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    return list(session.scalars(query))


def unread_count(session: Session, user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(uow: UnitOfWork, user_id: int, ids: Sequence[int] | None) -> int:
    """Mark some (or, with None, all) of the user's notifications read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    result = uow.session.execute(query.values(read_at=uow.now))
    return int(getattr(result, "rowcount", 0) or 0)


# ---- applying a decision ------------------------------------------------------------------------------


def _apply(uow: UnitOfWork, row: OrderRow, decision: OrderDecision, actor_id: int | None, **detail: str) -> OrderRow:
    """Persist one decision: money first (a refusal there changes nothing), then state, notices, history."""
    buyers, _balances = locks.users_and_accounts(
        uow.session,
        [row.buyer_id] if decision.buyer_default else [],
        [posting.account for entry in decision.entries for posting in entry.postings],
    )
    for entry in decision.entries:
        post(uow, entry)
    if decision.deposit_status is not None:
        deposit = frozen_deposit(uow.session, row.lot_id, row.buyer_id)
        if deposit is not None:
            deposit.status = decision.deposit_status.value
            deposit.settled_at = uow.now
    if decision.buyer_default:
        buyers[row.buyer_id].default_count += 1  # the row locked above, before any money moved
    before = row.status
    _store(row, decision.order, uow.now)
    lot = uow.session.get(Lot, row.lot_id)
    for notice in decision.notices:
        notify(uow, notice.user_id, notice.kind, lot=lot, order_id=row.id)
    uow.session.add(
        OrderEventRow(
            order_id=row.id,
            action=decision.action.value,
            from_status=before,
            to_status=row.status,
            actor_id=actor_id,
            detail=json.dumps({**decision.detail, **detail}, ensure_ascii=False),
            created_at=uow.now,
        )
    )
    uow.session.flush()
    return row


def _create(
    uow: UnitOfWork, lot: Lot, buyer_id: int, price: int, deposit: int, offer_id: int | None = None
) -> OrderRow:
    """A new order awaiting payment; a zero balance due (the deposit covers the price) is paid at once."""
    kind = LotKind(lot.kind)
    draft = od.new_order(
        order_id=0,
        lot_id=lot.id,
        buyer_id=buyer_id,
        seller_id=lot.seller_id,
        kind=kind,
        price=price,
        deposit=deposit,
        now=uow.now,
        platform=uow.platform,
    )
    row = OrderRow(
        lot_id=lot.id,
        buyer_id=buyer_id,
        seller_id=lot.seller_id,
        kind=kind.value,
        status=draft.status.value,
        price=price,
        deposit=deposit,
        penalty=0,
        commission=0,
        compensation=0,
        buyer_defaulted=False,
        offer_id=offer_id,
        created_at=uow.now,
        pay_deadline=draft.pay_deadline,
        remind_at=draft.remind_at,
        close_requests=0,
        updated_at=uow.now,
        due_at=od.next_system_step_at(draft),
    )
    uow.session.add(row)
    uow.session.flush()
    order = to_domain(row)
    for notice in od.opening_notices(order):
        notify(uow, notice.user_id, notice.kind, lot=lot, order_id=row.id, amount_due=order.amount_due)
    uow.session.add(
        OrderEventRow(
            order_id=row.id,
            action="create",
            from_status="",
            to_status=row.status,
            actor_id=None,
            detail=json.dumps({"price": price, "deposit": deposit, "offer_id": offer_id}),
            created_at=uow.now,
        )
    )
    if order.amount_due == 0:
        _apply(uow, row, od.pay(order, None, uow.now, uow.platform, system=True), None, by="system")
    uow.session.flush()
    return row


@locks.step
def open_order(uow: UnitOfWork, lot: Lot) -> OrderRow | None:
    """At close (the lot row locked): the winner's order at the final price, the frozen deposit held for it."""
    if lot.winner_id is None or lot.final_price is None:
        return None
    existing = uow.session.scalar(select(OrderRow).where(OrderRow.lot_id == lot.id, OrderRow.buyer_id == lot.winner_id))
    if existing is not None:
        return existing
    deposit = frozen_deposit(uow.session, lot.id, lot.winner_id)
    return _create(uow, lot, lot.winner_id, lot.final_price, deposit.amount if deposit is not None else 0)


# ---- the steps people take ------------------------------------------------------------------------------


@locks.step
def _act(uow: UnitOfWork, user: User, order_id: int, step: Any, **detail: str) -> OrderRow:
    row = visible_order(uow.session, user, order_id, lock=True)
    decision: OrderDecision = step(to_domain(row))
    return _apply(uow, row, decision, user.id, **detail)


def pay(uow: UnitOfWork, user: User, order_id: int) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.pay(o, user.id, uow.now, uow.platform))


def request_close(uow: UnitOfWork, user: User, order_id: int, reason: CloseReason, note: str) -> OrderRow:
    row = _act(uow, user, order_id, lambda o: od.request_close(o, user.id, reason, uow.now), note=note)
    row.close_note = note or None
    return row


def accept_close(uow: UnitOfWork, user: User, order_id: int) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.accept_close(o, user.id, uow.now))


def decline_close(uow: UnitOfWork, user: User, order_id: int) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.decline_close(o, user.id, uow.now))


def ship(uow: UnitOfWork, user: User, order_id: int, carrier: str, tracking_no: str) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.ship(o, user.id, carrier, tracking_no, uow.now, uow.platform))


def confirm_receipt(uow: UnitOfWork, user: User, order_id: int) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.confirm_receipt(o, user.id, uow.now, uow.platform))


def request_refund(uow: UnitOfWork, user: User, order_id: int, reason: RefundReason, note: str) -> OrderRow:
    row = _act(uow, user, order_id, lambda o: od.request_refund(o, user.id, reason, uow.now), note=note)
    row.refund_note = note or None
    return row


def accept_refund(uow: UnitOfWork, user: User, order_id: int) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.accept_refund(o, user.id, uow.now))


def decline_refund(uow: UnitOfWork, user: User, order_id: int, note: str) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.decline_refund(o, user.id, uow.now), note=note)


def report_undeliverable(uow: UnitOfWork, user: User, order_id: int, note: str) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.report_undeliverable(o, user.id, uow.now), note=note)


def refuse_to_sell(uow: UnitOfWork, user: User, order_id: int, note: str) -> OrderRow:
    return _act(uow, user, order_id, lambda o: od.refuse_to_sell(o, user.id, uow.now), note=note)


def staff_resolve(uow: UnitOfWork, user: User, order_id: int, decision: str, note: str) -> OrderRow:
    """Staff arbitrate a disputed refund: refund for the seller's fault or the buyer's, or release to the seller."""
    if decision == "release":
        return _act(
            uow, user, order_id, lambda o: od.staff_release(o, user.id, user.is_staff, uow.now, uow.platform), note=note
        )
    fault = Fault.SELLER if decision == "refund_seller_fault" else Fault.BUYER
    return _act(uow, user, order_id, lambda o: od.staff_refund(o, user.id, user.is_staff, fault, uow.now), note=note)


# ---- the system's steps ------------------------------------------------------------------------------------


@locks.step
def advance_order(uow: UnitOfWork, order_id: int) -> bool:
    """Run whatever is due on one order, re-checked under its row lock (a second worker finds nothing due)."""
    row = get_order(uow.session, order_id, lock=True)
    order = to_domain(row)
    step = od.due_step(order, uow.now)
    if step is None:
        return False
    if step is od.SystemStep.REMIND:
        _store(row, od.remind(order, uow.now), uow.now)
        lot = uow.session.get(Lot, row.lot_id)
        notify(
            uow,
            row.buyer_id,
            NoticeKind.PAYMENT_DUE_SOON,
            lot=lot,
            order_id=row.id,
            pay_deadline=row.pay_deadline.isoformat(),
            hours=uow.platform.payment_reminder_hours,
        )
    else:
        decision = od.run_due(order, uow.now, uow.platform)
        if decision is None:  # pragma: no cover - due_step and run_due share one rule
            return False
        _apply(uow, row, decision, None, by="system")
    uow.session.flush()
    return True


# ---- second-chance offers ---------------------------------------------------------------------------------------


def offer_to_domain(row: SecondChanceOffer) -> sc.Offer:
    return sc.Offer(
        id=row.id,
        lot_id=row.lot_id,
        order_id=row.order_id,
        user_id=row.user_id,
        amount=row.amount,
        status=sc.OfferStatus(row.status),
        created_at=row.created_at,
        expires_at=row.expires_at,
        decided_at=row.decided_at,
    )


def bidder_highs(session: Session, lot_id: int) -> list[sc.BidderHigh]:
    """Each bidder's highest active bid in the public record (withdrawn bids do not count)."""
    rows = session.execute(
        select(Bid.bidder_id, Bid.amount, Bid.seq)
        .where(Bid.lot_id == lot_id, Bid.status == "active", Bid.seq.is_not(None), Bid.amount.is_not(None))
        .order_by(Bid.seq)
    )
    best: dict[int, sc.BidderHigh] = {}
    for bidder_id, amount, seq in rows:
        current = best.get(bidder_id)
        if amount is None or seq is None:
            continue
        if current is None or amount > current.amount:
            best[bidder_id] = sc.BidderHigh(bidder_id, int(amount), int(seq))
    return list(best.values())


@locks.step
def make_offer(uow: UnitOfWork, user: User, order_id: int) -> SecondChanceOffer:
    """The seller offers the lot to the best bidder who has not had an order or offer on it yet."""
    session = uow.session
    head = visible_order(session, user, order_id)
    lot = get_lot(session, head.lot_id, lock=True)
    row = get_order(session, order_id, lock=True)
    open_orders = session.scalar(
        select(func.count()).select_from(OrderRow).where(OrderRow.lot_id == lot.id, OrderRow.status.in_(OPEN_VALUES))
    )
    pending = session.scalar(
        select(func.count())
        .select_from(SecondChanceOffer)
        .where(SecondChanceOffer.lot_id == lot.id, SecondChanceOffer.status == sc.OfferStatus.PENDING.value)
    )
    sc.check_may_offer(
        to_domain(row), user.id, lot_has_open_order=bool(open_orders), lot_has_pending_offer=bool(pending)
    )
    had_orders = set(session.scalars(select(OrderRow.buyer_id).where(OrderRow.lot_id == lot.id)))
    had_offers = set(session.scalars(select(SecondChanceOffer.user_id).where(SecondChanceOffer.lot_id == lot.id)))
    candidate = sc.runner_up(bidder_highs(session, lot.id), had_orders | had_offers | {lot.seller_id})
    offer = sc.make_offer(offer_id=0, order=to_domain(row), candidate=candidate, now=uow.now, platform=uow.platform)
    offer_row = SecondChanceOffer(
        lot_id=lot.id,
        order_id=row.id,
        user_id=offer.user_id,
        amount=offer.amount,
        status=offer.status.value,
        created_at=offer.created_at,
        expires_at=offer.expires_at,
        due_at=sc.next_step_at(offer),
    )
    session.add(offer_row)
    session.flush()
    notify(
        uow,
        offer.user_id,
        NoticeKind.SECOND_CHANCE_OFFER,
        lot=lot,
        offer_id=offer_row.id,
        amount=offer.amount,
        expires_at=offer.expires_at.isoformat(),
        hours=uow.platform.second_chance_hours,
    )
    return offer_row


def _store_offer(row: SecondChanceOffer, offer: sc.Offer) -> None:
    row.status, row.decided_at = offer.status.value, offer.decided_at
    row.due_at = sc.next_step_at(offer)  # what the scheduler queries: the domain's rule, kept by every save


def get_offer(session: Session, offer_id: int, *, lock: bool = False) -> SecondChanceOffer:
    row = locks.offer(session, offer_id) if lock else session.get(SecondChanceOffer, offer_id)
    if row is None:
        raise DomainError(ErrorCode.OFFER_NOT_FOUND, offer_id=offer_id)
    return row


def visible_offer(session: Session, user: User, offer_id: int) -> SecondChanceOffer:
    row = get_offer(session, offer_id)
    lot = get_lot(session, row.lot_id)
    if user.id not in (row.user_id, lot.seller_id) and not user.is_staff:
        raise DomainError(ErrorCode.OFFER_NOT_FOUND, offer_id=offer_id)
    return row


@locks.step
def accept_offer(uow: UnitOfWork, user: User, offer_id: int) -> tuple[SecondChanceOffer, OrderRow]:
    """The runner-up accepts: a new order at the offered price with its own deadline and no deposit."""
    session = uow.session
    head = visible_offer(session, user, offer_id)
    lot = get_lot(session, head.lot_id, lock=True)
    row = get_offer(session, offer_id, lock=True)
    _store_offer(row, sc.accept(offer_to_domain(row), user.id, uow.now))
    order = _create(uow, lot, row.user_id, row.amount, 0, offer_id=row.id)
    row.new_order_id = order.id
    notify(uow, lot.seller_id, NoticeKind.SECOND_CHANCE_ACCEPTED, lot=lot, order_id=order.id, offer_id=row.id)
    session.flush()
    return row, order


@locks.step
def decline_offer(uow: UnitOfWork, user: User, offer_id: int) -> SecondChanceOffer:
    session = uow.session
    head = visible_offer(session, user, offer_id)
    lot = get_lot(session, head.lot_id, lock=True)
    row = get_offer(session, offer_id, lock=True)
    _store_offer(row, sc.decline(offer_to_domain(row), user.id, uow.now))
    notify(uow, lot.seller_id, NoticeKind.SECOND_CHANCE_DECLINED, lot=lot, offer_id=row.id)
    return row


@locks.step
def expire_offer(uow: UnitOfWork, offer_id: int) -> bool:
    head = get_offer(uow.session, offer_id)
    lot = get_lot(uow.session, head.lot_id, lock=True)
    row = get_offer(uow.session, offer_id, lock=True)
    expired = sc.expire(offer_to_domain(row), uow.now)
    if expired is None:
        return False
    _store_offer(row, expired)
    notify(uow, lot.seller_id, NoticeKind.SECOND_CHANCE_DECLINED, lot=lot, offer_id=row.id)
    return True
