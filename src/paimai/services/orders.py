"""Orders after the sale (RULES §6): load and lock the order row, let the domain decide, post the money,
write the notices and the history. Services never commit; the caller's transaction does.

Locks follow the one order of services/locks.py: the lot row (creating orders and offers), then the offer
row, then the order row, then the buyer's user row (a default counts on it), then every ledger account the
step's entries touch, declared at once before any money moves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import orders as od
from ..domain.deposits import DepositStatus
from ..domain.errors import DomainError, ErrorCode
from ..domain.notices import NoticeKind
from ..domain.orders import CloseReason, Fault, OrderDecision, OrderStatus, RefundReason, Role
from ..domain.rules import LotKind
from ..domain.staff import ObjectType, StaffAction
from ..persistence.models import Lot, OrderEventRow, User
from ..persistence.models import Order as OrderRow
from . import locks
from .accounts import refuse_frozen
from .deposits import frozen_deposit
from .ledger import post
from .notifications import notify
from .staff_audit import record_action
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


def create_order(
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
    if deposit is not None and deposit.amount == 0:
        # Withdrawal fees used the whole deposit up: nothing is left to hold for the order, and a row left
        # "frozen" would never be settled by it (an order of deposit 0 holds none). Found by the simulator.
        deposit.status = DepositStatus.APPLIED.value
        deposit.settled_at = uow.now
    return create_order(uow, lot, lot.winner_id, lot.final_price, deposit.amount if deposit is not None else 0)


# ---- the steps people take ------------------------------------------------------------------------------


@locks.step
def _act(
    uow: UnitOfWork, user: User, order_id: int, step: Callable[[od.Order], OrderDecision], **detail: str
) -> OrderRow:
    row = visible_order(uow.session, user, order_id, lock=True)
    decision: OrderDecision = step(to_domain(row))
    return _apply(uow, row, decision, user.id, **detail)


def pay(uow: UnitOfWork, user: User, order_id: int) -> OrderRow:
    refuse_frozen(uow.session, user.id)
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
        row = _act(
            uow, user, order_id, lambda o: od.staff_release(o, user.id, user.is_staff, uow.now, uow.platform), note=note
        )
    else:
        fault = Fault.SELLER if decision == "refund_seller_fault" else Fault.BUYER
        row = _act(uow, user, order_id, lambda o: od.staff_refund(o, user.id, user.is_staff, fault, uow.now), note=note)
    details = {"decision": decision, "to_status": row.status, "lot_id": row.lot_id}
    record_action(uow, user, StaffAction.ORDER_RESOLVE, ObjectType.ORDER, row.id, note or None, uow.now, details)
    return row


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
