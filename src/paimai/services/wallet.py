"""The wallet's use cases: the sandbox top-up, the sandbox bank account and cash-out (提现)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import ledger
from ..domain import wallet as rules
from ..domain.errors import InvariantError
from ..persistence.models import BankAccountRow, CashOut, User
from . import locks
from .accounts import refuse_frozen
from .ledger import post
from .uow import UnitOfWork

PAID = rules.CashOutStatus.PAID.value  # the sandbox pays a cash-out at once


@dataclass(frozen=True)
class BankAccountRead:
    bank_name: str
    holder: str
    number_masked: str
    last4: str
    updated_at: datetime


@dataclass(frozen=True)
class CashOutRead:
    id: int
    amount: int
    bank_name: str
    number_masked: str
    status: str
    entry_id: int
    created_at: datetime


def _bank_read(row: BankAccountRow) -> BankAccountRead:
    return BankAccountRead(row.bank_name, row.holder, row.number_masked, row.last4, row.updated_at)


def _cash_out_read(row: CashOut) -> CashOutRead:
    return CashOutRead(row.id, row.amount, row.bank_name, row.number_masked, row.status, row.entry_id, row.created_at)


@locks.step
def top_up(uow: UnitOfWork, user: User, amount: int) -> None:
    """The sandbox top-up: money from outside into the available balance; refused to staff and to a frozen
    account."""
    refuse_frozen(uow.session, user.id)
    post(uow, rules.top_up(user.id, amount, is_staff=user.is_staff))


@locks.step
def set_bank_account(uow: UnitOfWork, user: User, bank_name: object, holder: object, number: object) -> BankAccountRead:
    """Keep the user's sandbox bank account (replacing the one kept before), masked but for its last four."""
    rules.require_bidder(is_staff=user.is_staff)
    account = rules.bank_account(bank_name, holder, number)
    locks.users(uow.session, [user.id])  # one change of the account at a time, and none during a cash-out
    row = uow.session.get(BankAccountRow, user.id)
    if row is None:
        row = BankAccountRow(user_id=user.id)
        uow.session.add(row)
    row.bank_name, row.holder = account.bank_name, account.holder
    row.number_masked, row.last4 = account.number_masked, account.last4
    row.updated_at = uow.now
    uow.session.flush()
    return _bank_read(row)


def bank_account(session: Session, user_id: int) -> BankAccountRead | None:
    row = session.get(BankAccountRow, user_id)
    return None if row is None else _bank_read(row)


@locks.step
def cash_out(uow: UnitOfWork, user: User, amount: int) -> CashOutRead:
    """提现: available money out to the user's sandbox bank account, as one balanced journal entry.

    The user row, then the available account, are locked before the domain decides, so two cash-outs at
    once cannot both spend the same balance (and the ledger refuses a negative one anyway)."""
    session = uow.session
    locks.users(session, [user.id])
    refuse_frozen(session, user.id)  # read under the user's lock: a freeze that committed first wins
    bank = session.get(BankAccountRow, user.id)
    balances = locks.accounts(session, [ledger.available(user.id)])
    entry = rules.cash_out(
        user.id,
        amount,
        available=balances.get(ledger.available(user.id), 0),
        has_bank_account=bank is not None,
        is_staff=user.is_staff,
        maximum=uow.platform.cash_out_max,
    )
    entry_row = post(uow, entry)
    if bank is None:
        raise InvariantError("the domain let a cash-out without a bank account through")
    row = CashOut(
        user_id=user.id,
        amount=amount,
        bank_name=bank.bank_name,
        number_masked=bank.number_masked,
        status=PAID,
        entry_id=entry_row.id,
        created_at=uow.now,
    )
    session.add(row)
    session.flush()
    return _cash_out_read(row)


def cash_outs(session: Session, user_id: int, limit: int, before_id: int | None) -> list[CashOutRead]:
    """The user's cash-outs, newest first."""
    query = select(CashOut).where(CashOut.user_id == user_id).order_by(CashOut.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(CashOut.id < before_id)
    return [_cash_out_read(row) for row in session.scalars(query)]
