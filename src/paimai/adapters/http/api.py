"""The JSON API (/api/v1). Handlers parse, call one service inside one transaction, and shape output."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from ...bootstrap import Container
from ...domain.errors import DomainError, ErrorCode
from ...domain.rules import Category, LotKind, LotRules
from ...services import accounts, bidding, deposits, lifecycle, lot_reads, lots, record, wallet
from ...services import ledger as ledger_service
from ...services.types import User
from ...services.uow import UnitOfWork
from .. import i18n
from .deps import (
    CSRF_COOKIE,
    IDEMPOTENT,
    SESSION_COOKIE,
    ContainerDep,
    OptionalUserDep,
    UserDep,
    client_address,
    csrf_token,
    run_idempotent,
)
from .schemas import (
    NO_NUL,
    BidIn,
    ClockAdvanceIn,
    Cursor,
    DecisionIn,
    Filter,
    Id,
    Limit,
    LoginIn,
    LotIn,
    RealNameIn,
    RegisterIn,
    SellerApplicationIn,
    TopUpIn,
)
from .views import lot_json, lot_out, page, record_json, user_json

router = APIRouter(prefix="/api/v1")


# ---- accounts -------------------------------------------------------------------------------


@router.post("/auth/register", status_code=201, tags=["accounts"])
def register(body: RegisterIn, request: Request, container: ContainerDep) -> dict[str, Any]:
    container.rate_limit("register-address", client_address(request), container.settings.register_limit_per_address)
    with container.transaction() as uow:
        user = accounts.register(uow, body.username, body.password, body.display_name)
        return user_json(user)


def set_session_cookies(response: Response, token: str, secret_key: str, secure: bool, max_age: int) -> None:
    """The session cookie (script cannot read it) and its CSRF token (page scripts echo it in a header)."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure, max_age=max_age)
    response.set_cookie(
        CSRF_COOKIE, csrf_token(secret_key, token), httponly=False, samesite="strict", secure=secure, max_age=max_age
    )


@router.post("/auth/login", tags=["accounts"])
def login(body: LoginIn, request: Request, container: ContainerDep) -> JSONResponse:
    """Refused with 429 while this (user name, address) pair backs off, before the password is checked; a
    wrong password is recorded (committed) and then refused with 401."""
    address = client_address(request)
    container.rate_limit("login-address", address, container.settings.login_limit_per_address)
    with container.transaction() as uow:
        outcome = accounts.login(uow, body.username, body.password, container.settings.token_ttl_hours, address=address)
        if isinstance(outcome, DomainError):
            refusal = outcome
        else:
            refusal, token, result = None, outcome.token, {"token": outcome.token, "user": user_json(outcome.user)}
    if refusal is not None:
        raise refusal  # after the commit: the failure stays counted
    response = JSONResponse(result)
    settings = container.settings
    set_session_cookies(
        response, token, settings.effective_secret_key, settings.env == "production", settings.token_ttl_hours * 3600
    )
    return response


@router.post("/auth/logout", tags=["accounts"])
def logout(request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE)
    if token:
        with container.transaction() as uow:
            accounts.logout(uow, token)
    response = JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/me", tags=["me"])
def me(user: UserDep) -> dict[str, Any]:
    return user_json(user)


@router.post("/me/real-name", tags=["me"])
def verify_real_name(body: RealNameIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """实名认证: required before bidding on judicial lots."""
    with container.transaction() as uow:
        return user_json(accounts.verify_real_name(uow, user.id, body.name, body.id_number))


@router.get("/me/wallet", tags=["me"])
def my_wallet(user: UserDep, container: ContainerDep) -> dict[str, int]:
    with container.reading() as session:
        return ledger_service.wallet(session, user.id)


@router.post("/me/wallet/top-up", tags=["me"], dependencies=[IDEMPOTENT])
def top_up(body: TopUpIn, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    if not container.settings.sandbox_top_up_enabled:  # production: off unless PAIMAI_SANDBOX_TOP_UP=true
        raise DomainError(ErrorCode.TOP_UP_DISABLED)

    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        wallet.top_up(uow, user, body.amount)  # refused to staff (STAFF_NOT_BIDDER) and frozen accounts
        return 200, ledger_service.wallet(uow.session, user.id)

    return run_idempotent(container, request, user, body.model_dump(), operation)


@router.get("/me/ledger", tags=["me"])
def my_ledger(user: UserDep, container: ContainerDep, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    with container.reading() as session:
        items = ledger_service.ledger_lines(session, user.id, limit, cursor)
    return page(items, limit, lambda item: item["id"])


@router.get("/me/deposits", tags=["me"])
def my_deposits(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    with container.reading() as session:
        items = [asdict(item) for item in lot_reads.my_deposits(session, user)]
    return {"items": items, "next_cursor": None}


@router.get("/me/bids", tags=["me"])
def my_bids(user: UserDep, container: ContainerDep) -> dict[str, Any]:
    with container.reading() as session:
        items = [{**asdict(bid), "status": bid.status.value} for bid in lot_reads.my_bids(session, user)]
    return {"items": items, "next_cursor": None}


@router.post("/me/seller-application", status_code=201, tags=["me"])
def apply_to_sell(body: SellerApplicationIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    with container.transaction() as uow:
        application = accounts.apply_to_sell(
            uow,
            user,
            body.kind,
            body.name,
            body.description,
            licence_number=body.licence_number,
            court_name=body.court_name,
            contact_phone=body.contact_phone,
        )
        return {"id": application.id, "kind": application.kind, "name": application.name, "status": application.status}


@router.get("/staff/seller-applications", tags=["staff"])
def seller_applications(user: UserDep, container: ContainerDep, status: Filter = "pending") -> dict[str, Any]:
    accounts.require_staff(user)
    with container.reading() as session:
        items = [
            {
                "id": a.id,
                "user_id": a.user_id,
                "kind": a.kind,
                "name": a.name,
                "description": a.description,
                "licence_number": a.licence_number,
                "court_name": a.court_name,
                "contact_phone": a.contact_phone,
                "status": a.status,
                "reason": a.reason,
                "created_at": a.created_at,
            }
            for a in accounts.list_applications(session, status)
        ]
    return {"items": items, "next_cursor": None}


def _decide(container: Container, user: User, application_id: int, approve: bool, reason: str | None) -> dict[str, Any]:
    with container.transaction() as uow:
        application = accounts.decide_application(uow, user, application_id, approve, reason)
        return {"id": application.id, "status": application.status, "reason": application.reason}


@router.post("/staff/seller-applications/{application_id}/approve", tags=["staff"])
def approve_seller(
    application_id: Id, user: UserDep, container: ContainerDep, body: DecisionIn | None = None
) -> dict[str, Any]:
    return _decide(container, user, application_id, True, body.reason if body else None)


@router.post("/staff/seller-applications/{application_id}/reject", tags=["staff"])
def reject_seller(application_id: Id, body: DecisionIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    return _decide(container, user, application_id, False, body.reason)


# ---- lots -----------------------------------------------------------------------------------


@router.get("/categories", tags=["lots"])
def categories() -> list[dict[str, str]]:
    return [
        {"id": c.value, "name": i18n.category_name(c.value, "en"), "name_zh": i18n.category_name(c.value, "zh")}
        for c in Category
    ]


@router.post("/lots", status_code=201, tags=["lots"])
def create_lot(body: LotIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    rules = LotRules(
        kind=LotKind(body.kind),
        start_price=body.start_price,
        increment=body.increment,
        deposit=body.deposit,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        reserve_price=body.reserve_price,
        extension_seconds=body.extension_seconds,
        withdrawal_allowed=body.withdrawal_allowed,
        withdrawal_fee=body.withdrawal_fee,
    )
    draft = lots.LotDraft(
        title=body.title,
        category=Category(body.category),
        kind=LotKind(body.kind),
        rules=rules,
        description=body.description,
        location=body.location,
        image_url=body.image_url,
        appraisal=body.appraisal,
        return_policy=body.return_policy,
        court_name=body.court_name,
        case_number=body.case_number,
        announcement=body.announcement,
        bidder_notice=body.bidder_notice,
        as_is_notice=body.as_is_notice,
        contact=body.contact,
        viewing=body.viewing,
    )
    with container.transaction() as uow:
        lot = lots.create_lot(uow, user, draft, submit=body.submit)
        return lot_out(uow.session, lot, user, uow.now)


@router.get("/lots", tags=["lots"])
def list_lots(
    container: ContainerDep,
    viewer: OptionalUserDep,
    status: Filter = None,
    category: Filter = None,
    kind: Filter = None,
    q: Filter = None,
    mine: bool = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Browse and search: the public sees published lots; `mine=true` lists the seller's own, any status."""
    filters = lot_reads.LotFilter(status, category, kind, q, viewer.id if mine and viewer else None)
    now = container.now()
    with container.reading() as session:
        found = lot_reads.browse(session, viewer, filters, limit=limit, cursor=cursor)
        items = [lot_json(read, now) for read in lot_reads.read_lots(session, found, viewer, now)]
    return page(items, limit, lambda item: item["id"])


@router.get("/staff/lots", tags=["staff"])
def staff_lots(
    user: UserDep,
    container: ContainerDep,
    status: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = "pending_review",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    accounts.require_staff(user)
    now = container.now()
    with container.reading() as session:
        found = lot_reads.browse(session, user, lot_reads.LotFilter(status=status), limit=limit, cursor=cursor)
        items = [lot_json(read, now) for read in lot_reads.read_lots(session, found, user, now)]
    return page(items, limit, lambda item: item["id"])


def _review(container: Container, user: User, lot_id: int, approve: bool, reason: str | None) -> dict[str, Any]:
    with container.transaction() as uow:
        lot = lots.review_lot(uow, user, lot_id, approve, reason)
        return lot_out(uow.session, lot, user, uow.now)


@router.post("/staff/lots/{lot_id}/approve", tags=["staff"])
def approve_lot(lot_id: Id, user: UserDep, container: ContainerDep, body: DecisionIn | None = None) -> dict[str, Any]:
    result = _review(container, user, lot_id, True, body.reason if body else None)
    container.run_due_work()  # a lot whose start has passed goes live at once
    return result


@router.post("/staff/lots/{lot_id}/reject", tags=["staff"])
def reject_lot(lot_id: Id, body: DecisionIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    return _review(container, user, lot_id, False, body.reason)


@router.get("/lots/{lot_id}", tags=["lots"])
def get_lot(lot_id: Id, container: ContainerDep, viewer: OptionalUserDep) -> dict[str, Any]:
    """The lot with its rules, standing and what this viewer is offered (`viewer.panels`)."""
    now = container.now()
    with container.reading() as session:
        return lot_json(lot_reads.lot_detail(session, lot_id, viewer, now), now)


@router.get("/lots/{lot_id}/bids", tags=["lots"])
def lot_bids(lot_id: Id, container: ContainerDep, viewer: OptionalUserDep) -> dict[str, Any]:
    with container.reading() as session:
        return {
            "items": [record_json(row) for row in lot_reads.bid_record(session, lot_id, viewer)],
            "next_cursor": None,
        }


@router.post(
    "/lots/{lot_id}/deposit",
    tags=["bidding"],
    dependencies=[IDEMPOTENT],
    responses={201: {"description": "The deposit is paid (frozen) now; 200: it was already paid"}},
)
def pay_deposit(lot_id: Id, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        deposit, created = deposits.pay_deposit(uow, user, lot_id)
        alias = lots.aliases_of(uow.session, lot_id).get(user.id)
        body = {
            "id": deposit.id,
            "lot_id": lot_id,
            "amount": deposit.amount,
            "status": deposit.status,
            "alias": alias,
            "wallet": ledger_service.wallet(uow.session, user.id),
        }
        return (201 if created else 200), body

    return run_idempotent(container, request, user, {"lot_id": lot_id}, operation)


@router.post("/lots/{lot_id}/bids", status_code=201, tags=["bidding"], dependencies=[IDEMPOTENT])
def place_bid(lot_id: Id, body: BidIn, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        placed = bidding.place_bid(uow, user, lot_id, body.amount, body.max_amount)
        lot, bid = placed.lot, placed.bid
        return 201, {
            "bid": {
                "id": bid.id,
                "lot_id": lot.id,
                "seq": bid.seq,
                "amount": bid.amount,
                "max_amount": bid.max_amount,
                "is_proxy": False,
                "kind": bid.kind,
                "status": "leading" if lot.leader_id == user.id else "outbid",
                "created_at": bid.created_at,
            },
            "current_price": lot.current_price,
            "leader": placed.leader_alias,
            "leading": lot.leader_id == user.id,
            "ends_at": lot.ends_at,
            "extensions": lot.extensions,
            "seq": lot.seq,
        }

    return run_idempotent(container, request, user, {"lot_id": lot_id, **body.model_dump()}, operation)


@router.post("/lots/{lot_id}/cancel", tags=["lots"], dependencies=[IDEMPOTENT])
def cancel_lot(lot_id: Id, body: DecisionIn, request: Request, user: UserDep, container: ContainerDep) -> JSONResponse:
    """中止拍卖: the seller or staff stop a scheduled, live or suspended lot; every deposit is refunded. It
    moves money, so a repeat with the same Idempotency-Key answers as the first did."""

    def operation(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        lot = lifecycle.cancel_lot(uow, user, lot_id, body.reason or "")
        return 200, lot_out(uow.session, lot, user, uow.now)

    return run_idempotent(container, request, user, {"lot_id": lot_id, **body.model_dump()}, operation)


@router.post("/lots/{lot_id}/suspend", tags=["lots"])
def suspend_lot(lot_id: Id, body: DecisionIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """暂缓/中止: the seller or staff stop a scheduled or live lot's clock, with a reason (422
    REASON_REQUIRED without). No deposit or bid is taken while it lasts; deposits stay frozen."""
    with container.transaction() as uow:
        lot = lifecycle.suspend_lot(uow, user, lot_id, body.reason)
        return lot_out(uow.session, lot, user, uow.now)


@router.post("/lots/{lot_id}/resume", tags=["lots"])
def resume_lot(lot_id: Id, body: DecisionIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """恢复拍卖: a suspended lot returns to scheduled or live, its start (if still ahead) and end moved later
    by the time it was suspended."""
    with container.transaction() as uow:
        lot = lifecycle.resume_lot(uow, user, lot_id, body.reason)
        return lot_out(uow.session, lot, user, uow.now)


@router.get("/lots/{lot_id}/record", tags=["lots"])
def lot_record(lot_id: Id, container: ContainerDep, viewer: OptionalUserDep) -> dict[str, Any]:
    with container.reading() as session:
        lot = lot_reads.readable_lot(session, lot_id, lot_reads.reader_of(viewer))
        entries = record.entries(session, lot_id)
        head = lot.last_hash
    return {"lot_id": lot_id, "entries": entries, "verified": record.verify(entries, head)}


# ---- the simulated clock ----------------------------------------------------------------------


@router.get("/_clock", tags=["clock"])
def get_clock(container: ContainerDep) -> dict[str, Any]:
    return {"now": container.now(), "simulated": container.clock.simulated}


@router.post("/_clock/advance", tags=["clock"])
def advance_clock(body: ClockAdvanceIn, container: ContainerDep) -> dict[str, Any]:
    changed, orders_changed = container.advance_clock(body.seconds)
    return {"now": container.now(), "simulated": True, "lots_changed": changed, "orders_changed": orders_changed}
