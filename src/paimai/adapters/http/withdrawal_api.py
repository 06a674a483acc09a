"""Bid withdrawal endpoints (撤回出价 / 撤回竞拍, RULES §5): a preview, then an explicit confirmation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from ...domain.errors import DomainError
from ...domain.withdrawal import BidRow, Quota, WithdrawalScope, withdrawal_offered
from ...services import ledger as ledger_service
from ...services import lot_reads, lots
from ...services import withdrawal as service
from ...services.uow import UnitOfWork
from .. import i18n
from .deps import IDEMPOTENT, ContainerDep, UserDep, run_idempotent
from .schemas import Id, WithdrawIn

router = APIRouter(prefix="/api/v1", tags=["withdrawal"])


def _quota_json(quota: Quota) -> dict[str, Any]:
    return {"limit": quota.limit, "used": quota.used, "left": quota.left, "resets_at": quota.resets_at}


def _refusal_json(error: DomainError) -> dict[str, Any]:
    message, message_zh = i18n.error_messages(error)
    return {"code": error.code.name, "message": message, "message_zh": message_zh, **jsonable_encoder(error.details)}


def _rows_json(rows: tuple[BidRow, ...], aliases: dict[int, str], status: str) -> list[dict[str, Any]]:
    return [
        {
            "id": row.bid_id,
            "seq": row.seq,
            "alias": aliases.get(row.bidder_id, "????"),
            "amount": row.amount,
            "is_proxy": row.kind.value == "proxy",
            "status": status,
        }
        for row in rows
        if row.seq is not None
    ]


@router.get("/lots/{lot_id}/withdrawal-preview")
def withdrawal_preview(lot_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """What 撤回出价 and 撤回竞拍 would do now — the bids, the fee, the quota — or why each is refused."""
    now = container.now()
    limit = container.platform.withdrawal_quota_per_day
    with container.reading() as session:
        lot_reads.readable_lot(session, lot_id, lot_reads.reader_of(user))  # in review: not found, as elsewhere
        lot, previews = service.preview(session, user, lot_id, now, limit)
        aliases = lots.aliases_of(session, lot.id)
        quota = service.quota(session, user.id, now, limit)
    options: dict[str, Any] = {}
    for item in previews:
        plan = item.plan
        after = plan.standing_after if plan is not None else None
        options[item.scope.value] = {
            "allowed": plan is not None,
            "reason": None if item.refusal is None else _refusal_json(item.refusal),
            "bids": [] if plan is None else _rows_json(plan.public_rows, aliases, "active"),
            "fee": lot.withdrawal_fee if plan is None else plan.fee,
            "deposit_release": 0 if plan is None else plan.deposit_release,
            "price_after": None if after is None else after.price,
            "leader_after": None if after is None or after.leader_id is None else aliases.get(after.leader_id),
            "you_lead_after": after is not None and after.leader_id == user.id,
        }
    bid_option = options[WithdrawalScope.BID.value]
    first_refusal = next((o["reason"] for o in options.values() if o["reason"] is not None), None)
    return {
        "lot_id": lot.id,
        "allowed": bid_option["allowed"] or options[WithdrawalScope.AUCTION.value]["allowed"],
        "reason": None if bid_option["allowed"] else (bid_option["reason"] or first_refusal),
        "bids": bid_option["bids"],
        "fee": bid_option["fee"],
        "quota_left": quota.left,
        "quota": _quota_json(quota),
        "withdrawal_allowed": withdrawal_offered(lots.rules_of(lot)),
        "withdrawal_fee": lot.withdrawal_fee,
        "options": options,
    }


def _withdraw(
    container: ContainerDep,
    request: Request,
    user: UserDep,
    lot_id: int,
    scope: WithdrawalScope,
    bid_id: int | None,
    body: WithdrawIn,
) -> JSONResponse:
    limit = container.platform.withdrawal_quota_per_day

    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        done = service.withdraw(uow, user, lot_id, scope, bid_id, confirm=body.confirm, limit=limit)
        decision, lot = done.decision, done.lot
        aliases = lots.aliases_of(uow.session, lot.id)
        quota = service.quota(uow.session, user.id, uow.now, limit)
        return 200, {
            "withdrawal": {
                "id": done.record.id,
                "lot_id": lot.id,
                "scope": scope.value,
                "fee": done.record.fee,
                "deposit_released": decision.plan.deposit_release,
                "seq": done.record.seq,
                "created_at": done.record.created_at,
            },
            "withdrawn": _rows_json(decision.withdrawn, aliases, "withdrawn"),
            "voided": _rows_json(decision.voided, aliases, "void"),
            "current_price": lot.current_price,
            "leader": aliases.get(lot.leader_id) if lot.leader_id is not None else None,
            "leading": lot.leader_id == user.id,
            "bid_count": lot.bid_count,
            "seq": lot.seq,
            "quota": _quota_json(quota),
            "wallet": ledger_service.wallet(uow.session, user.id),
        }

    fingerprint = {"lot_id": lot_id, "scope": scope.value, "bid_id": bid_id, **body.model_dump()}
    return run_idempotent(container, request, user, fingerprint, operation)


@router.post("/lots/{lot_id}/bids/{bid_id}/withdraw", dependencies=[IDEMPOTENT])
def withdraw_bid(
    lot_id: Id, bid_id: Id, body: WithdrawIn, request: Request, user: UserDep, container: ContainerDep
) -> JSONResponse:
    """撤回出价: withdraw your latest active bid (with the proxy rows placed for it)."""
    return _withdraw(container, request, user, lot_id, WithdrawalScope.BID, bid_id, body)


@router.post("/lots/{lot_id}/withdraw", dependencies=[IDEMPOTENT])
def withdraw_from_auction(
    lot_id: Id, body: WithdrawIn, request: Request, user: UserDep, container: ContainerDep
) -> JSONResponse:
    """撤回竞拍: withdraw every active bid of yours on the lot; the deposit is released less the fee."""
    return _withdraw(container, request, user, lot_id, WithdrawalScope.AUCTION, None, body)


@router.get("/me/withdrawals", tags=["me"])
def my_withdrawals(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Today's quota and every withdrawal of yours (shown in the personal centre and in my bids)."""
    now = container.now()
    with container.reading() as session:
        quota = service.quota(session, user.id, now, container.platform.withdrawal_quota_per_day)
        items = [
            {
                "id": w.id,
                "lot_id": lot.id,
                "lot_title": lot.title,
                "scope": w.kind,
                "fee": w.fee,
                "bid_seqs": [int(s) for s in w.bid_seqs.split(",") if s],
                "created_at": w.created_at,
            }
            for w, lot in service.my_withdrawals(session, user.id)
        ]
    return {"quota": _quota_json(quota), "items": items}
