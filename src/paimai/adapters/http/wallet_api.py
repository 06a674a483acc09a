"""Cash-out (提现) endpoints: the sandbox bank account, the cash-out itself and its history."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from ...domain.errors import DomainError, ErrorCode
from ...services import ledger as ledger_service
from ...services import wallet as service
from ...services.uow import UnitOfWork
from .deps import IDEMPOTENT, ContainerDep, UserDep, run_idempotent
from .schemas import Cursor, Limit, Strict
from .views import page

router = APIRouter(prefix="/api/v1", tags=["me"])


class BankAccountIn(Strict):
    # loose limits only: domain.wallet.bank_account checks each field and answers BANK_ACCOUNT_INVALID
    bank_name: str = Field(max_length=256)
    holder: str = Field(max_length=256)
    account_number: str = Field(max_length=256)


class CashOutIn(Strict):
    amount: int = Field(strict=True, description="Fen; at most the available balance (frozen deposits never count)")


def _bank_json(read: service.BankAccountRead | None) -> dict[str, Any] | None:
    return None if read is None else asdict(read)


@router.get("/me/bank-account")
def my_bank_account(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """The sandbox bank account cash-outs are paid to (`bank_account: null` if none is kept yet)."""
    with container.reading() as session:
        return {"bank_account": _bank_json(service.bank_account(session, user.id))}


@router.put("/me/bank-account")
@router.post("/me/bank-account", include_in_schema=False)
def set_bank_account(body: BankAccountIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Keep the sandbox bank account: 12 to 19 digits (spaces and dashes ignored), kept masked but for the
    last four; it replaces the one kept before. Refused to staff (STAFF_NOT_BIDDER)."""
    with container.transaction() as uow:
        read = service.set_bank_account(uow, user, body.bank_name, body.holder, body.account_number)
        return {"bank_account": _bank_json(read)}


@router.post("/me/cash-outs", status_code=201, dependencies=[IDEMPOTENT])
def cash_out(body: CashOutIn, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """提现: move available money to the sandbox bank account. `Idempotency-Key` is required here."""
    key = request.headers.get("Idempotency-Key")
    if key is None or not key.strip():
        raise DomainError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED)

    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        done = service.cash_out(uow, user, body.amount)
        return 201, {"cash_out": asdict(done), "wallet": ledger_service.wallet(uow.session, user.id)}

    return run_idempotent(container, request, user, body.model_dump(), operation)


@router.get("/me/cash-outs")
def my_cash_outs(user: UserDep, container: ContainerDep, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Your cash-outs, newest first (status `paid`: the sandbox pays at once)."""
    with container.reading() as session:
        items = [asdict(item) for item in service.cash_outs(session, user.id, limit, cursor)]
    return page(items, limit, lambda item: item["id"])
