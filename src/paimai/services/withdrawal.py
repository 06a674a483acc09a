"""Bid withdrawal (撤回出价 / 撤回竞拍): load the facts under locks, let the domain decide, write it all.

Locks (in the one order of services/locks.py): the lot row (so a withdrawal and bids on the same lot are
serialised), then the bidder's user row (so two withdrawals by one person, on any lots, run one after the
other and cannot both pass the daily quota or charge the fee twice), then every ledger account the fee
and the release may touch, all declared at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import ledger
from ..domain import withdrawal as rules
from ..domain.bidding import BidKind
from ..domain.deposits import DepositStatus
from ..domain.errors import DomainError, ErrorCode, InvariantError
from ..domain.lots import LotStatus, Phase, phase
from ..domain.withdrawal import (
    BidRow,
    RowStatus,
    WithdrawalDecision,
    WithdrawalFacts,
    WithdrawalPlan,
    WithdrawalRequest,
    WithdrawalScope,
)
from ..persistence.models import Bid, Deposit, Lot, User, Withdrawal
from . import locks
from .bidding import bid_row
from .deposits import frozen_deposit, release
from .ledger import post
from .lots import load_snapshot, lot_for, start_if_open
from .uow import UnitOfWork


def bid_rows(session: Session, lot_id: int) -> list[BidRow]:
    return [
        BidRow(
            bid_id=row.id,
            order_no=row.order_no,
            seq=row.seq,
            bidder_id=row.bidder_id,
            kind=BidKind(row.kind),
            amount=row.amount,
            max_amount=row.max_amount,
            status=RowStatus(row.status),
        )
        for row in session.scalars(select(Bid).where(Bid.lot_id == lot_id).order_by(Bid.order_no))
    ]


def used_today(session: Session, user_id: int, now: datetime) -> int:
    start, end = rules.quota_day(now)
    count = session.scalar(
        select(func.count(Withdrawal.id)).where(
            Withdrawal.user_id == user_id, Withdrawal.created_at >= start, Withdrawal.created_at < end
        )
    )
    return int(count or 0)


def quota(session: Session, user_id: int, now: datetime, limit: int) -> rules.Quota:
    return rules.quota_for(limit, used_today(session, user_id, now), now)


def _facts(session: Session, lot: Lot, user_id: int, now: datetime, limit: int) -> WithdrawalFacts:
    deposit = frozen_deposit(session, lot.id, user_id)
    return WithdrawalFacts(
        deposit_frozen=None if deposit is None else deposit.amount,
        quota=quota(session, user_id, now, limit),
    )


@dataclass(frozen=True)
class Preview:
    scope: WithdrawalScope
    plan: WithdrawalPlan | None
    refusal: DomainError | None


def preview(session: Session, user: User, lot_id: int, now: datetime, limit: int) -> tuple[Lot, list[Preview]]:
    """Both withdrawals as they would happen now, each with the plan or the reason it is refused."""
    lot = lot_for(session, lot_id, user, lock=False)
    snapshot = load_snapshot(session, lot)
    if phase(snapshot.status, snapshot.rules.starts_at, snapshot.ends_at, now) is Phase.OPEN:
        snapshot = replace(snapshot, status=LotStatus.LIVE)  # as the withdrawal itself will find it, started
    rows = bid_rows(session, lot.id)
    facts = _facts(session, lot, user.id, now, limit)
    previews: list[Preview] = []
    for scope in WithdrawalScope:
        try:
            plan = rules.plan_withdrawal(snapshot, rows, WithdrawalRequest(user.id, scope), facts, now)
        except DomainError as error:
            previews.append(Preview(scope, None, error))
        else:
            previews.append(Preview(scope, plan, None))
    return lot, previews


@dataclass(frozen=True)
class Withdrawn:
    lot: Lot
    decision: WithdrawalDecision
    record: Withdrawal


@locks.step
def withdraw(
    uow: UnitOfWork, user: User, lot_id: int, scope: WithdrawalScope, bid_id: int | None, *, confirm: bool, limit: int
) -> Withdrawn:
    """Apply a confirmed 撤回出价 (scope bid) or 撤回竞拍 (scope auction); refuse without changing anything."""
    if not confirm:
        raise DomainError(ErrorCode.WITHDRAWAL_CONFIRMATION_REQUIRED)
    session = uow.session
    lot = lot_for(session, lot_id, user)
    start_if_open(uow, lot)  # open by server time though the scheduler has not started it yet
    wallets = [ledger.frozen(user.id), ledger.available(user.id), ledger.available(lot.seller_id)]
    locks.users_and_accounts(session, [user.id], wallets)  # one withdrawal of this bidder at a time
    snapshot = load_snapshot(session, lot)
    rows = bid_rows(session, lot.id)
    facts = _facts(session, lot, user.id, uow.now, limit)
    decision = rules.withdraw(snapshot, rows, WithdrawalRequest(user.id, scope, bid_id), facts, uow.now)

    changed = {row.bid_id: row.status.value for row in (*decision.withdrawn, *decision.voided)}
    if changed:
        for stored in session.scalars(select(Bid).where(Bid.id.in_(list(changed)))):
            stored.status = changed[stored.id]
    for new in decision.new_bids:
        session.add(bid_row(lot.id, new))
    snap = decision.snapshot
    lot.seq, lot.order_no, lot.bid_count = snap.seq, snap.order_no, snap.bid_count
    lot.current_price, lot.leader_id = decision.standing.price, decision.standing.leader_id
    uow.record(lot, decision.events)

    plan = decision.plan
    deposit: Deposit | None = frozen_deposit(session, lot.id, user.id)
    if plan.fee > 0:
        if deposit is None:
            raise InvariantError("the domain refuses a fee without a deposit to take it from")
        post(uow, ledger.withdrawal_fee(user.id, lot.seller_id, lot.id, plan.fee))
        deposit.amount -= plan.fee
    if scope is WithdrawalScope.AUCTION and deposit is not None:
        release(uow, deposit)  # releases what is left after the fee, and marks it released
        if deposit.status != DepositStatus.RELEASED.value:
            raise InvariantError("撤回竞拍 releases the deposit")
    record = Withdrawal(
        lot_id=lot.id,
        user_id=user.id,
        kind=scope.value,
        fee=plan.fee,
        bid_seqs=",".join(str(row.seq) for row in decision.withdrawn if row.seq is not None),
        seq=decision.events[0].seq,
        created_at=uow.now,
    )
    session.add(record)
    session.flush()
    return Withdrawn(lot, decision, record)


def my_withdrawals(session: Session, user_id: int, limit: int = 100) -> list[tuple[Withdrawal, Lot]]:
    return [
        (w, lot)
        for w, lot in session.execute(
            select(Withdrawal, Lot)
            .join(Lot, Lot.id == Withdrawal.lot_id)
            .where(Withdrawal.user_id == user_id)
            .order_by(Withdrawal.id.desc())
            .limit(limit)
        )
    ]
