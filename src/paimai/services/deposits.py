"""Deposits: freeze to register for a lot; settle at close."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import deposits as rules
from ..domain import ledger
from ..domain.deposits import DepositStatus, HeldDeposit
from ..domain.lots import LotStatus
from ..domain.rules import LotKind
from ..persistence.models import Deposit, Lot, User
from . import locks
from .accounts import refuse_frozen
from .ledger import post
from .lots import ensure_alias, lot_for
from .notices_judicial import acceptance
from .uow import UnitOfWork


def frozen_deposit(session: Session, lot_id: int, user_id: int) -> Deposit | None:
    return session.scalar(
        select(Deposit).where(
            Deposit.lot_id == lot_id,
            Deposit.user_id == user_id,
            Deposit.status == DepositStatus.FROZEN.value,
        )
    )


@locks.step
def pay_deposit(uow: UnitOfWork, user: User, lot_id: int) -> tuple[Deposit, bool]:
    """Freeze the lot's deposit; paying again for the same lot is a no-op. Returns (deposit, created)."""
    refuse_frozen(uow.session, user.id)
    lot = lot_for(uow.session, lot_id, user)
    locks.accounts(uow.session, wallet_of(user.id))
    existing = frozen_deposit(uow.session, lot.id, user.id)
    if existing is not None and rules.paid_in_full(existing.amount, lot.deposit):
        return existing, False
    rules.may_pay_deposit(
        LotStatus(lot.status),
        lot.ends_at,
        uow.now,
        is_seller=lot.seller_id == user.id,
        is_staff=user.is_staff,
        is_judicial=lot.kind == LotKind.JUDICIAL.value,
        real_name_verified=user.real_name_verified_at is not None,
        notice_accepted=acceptance(uow.session, lot.id, user.id) is not None,
    )
    if existing is not None:  # a withdrawal fee was taken from it: freeze the shortfall
        post(uow, ledger.freeze_deposit(user.id, lot.id, lot.deposit - existing.amount))
        existing.amount = lot.deposit
        uow.session.flush()
        return existing, True
    if lot.deposit > 0:
        post(uow, ledger.freeze_deposit(user.id, lot.id, lot.deposit))
    deposit = Deposit(
        lot_id=lot.id, user_id=user.id, amount=lot.deposit, status=DepositStatus.FROZEN.value, created_at=uow.now
    )
    uow.session.add(deposit)
    ensure_alias(uow.session, lot.id, user.id)
    uow.session.flush()
    return deposit, True


def wallet_of(user_id: int) -> tuple[ledger.Account, ledger.Account]:
    return ledger.available(user_id), ledger.frozen(user_id)


def release(uow: UnitOfWork, deposit: Deposit) -> None:
    if deposit.amount > 0:
        post(uow, ledger.release_deposit(deposit.user_id, deposit.lot_id, deposit.amount))
    deposit.status = DepositStatus.RELEASED.value
    deposit.settled_at = uow.now


def settle_at_close(uow: UnitOfWork, lot: Lot, winner_id: int | None) -> None:
    """Release every non-winner's deposit at once; the winner's stays frozen for the order."""
    held = list(
        uow.session.scalars(
            select(Deposit)
            .where(Deposit.lot_id == lot.id, Deposit.status == DepositStatus.FROZEN.value)
            .order_by(Deposit.user_id)
        )
    )
    by_user = {d.user_id: d for d in held}
    # Every wallet the releases (and the winner's order, if the deposit pays it at once) touch, at once.
    locks.accounts(uow.session, [account for d in held for account in wallet_of(d.user_id)])
    released, _kept = rules.settle_at_close([HeldDeposit(d.user_id, d.amount) for d in held], winner_id)
    for item in released:
        release(uow, by_user[item.user_id])
