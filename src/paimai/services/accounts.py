"""Accounts: registration, login tokens, roles and the seller application."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..domain import ledger, login_throttle
from ..domain import wallet as wallet_rules
from ..domain.calendar import beijing_date
from ..domain.errors import DomainError, ErrorCode
from ..domain.identity import verify_identity
from ..domain.login_throttle import FailureStreak
from ..domain.sellers import seller_details
from ..domain.staff import ObjectType, StaffAction, refuse_if_frozen, required_reason
from ..persistence.models import AuthToken, LoginFailure, SellerApplication, User
from . import locks
from .locks import ensure_accounts
from .passwords import check_new_password
from .staff_audit import record_action
from .uow import UnitOfWork

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown user like that of a known one.
_DUMMY_HASH = _hasher.hash("paimai-no-such-user")

SELLER_KINDS = ("individual", "business", "court")


def _same_username(username: str) -> ColumnElement[bool]:
    """Usernames compare case-insensitively (what the index uq_users_lower_username keeps unique)."""
    return func.lower(User.username) == username.lower()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register(
    uow: UnitOfWork,
    username: str,
    password: str,
    display_name: str | None = None,
    *,
    is_staff: bool = False,
    seller_kind: str | None = None,
) -> User:
    """A new account. The password must pass the password rule; a username is taken whatever its case
    (`Bob` once `bob` exists: the unique index on lower(username) holds it under a race too)."""
    check_new_password(password)
    session = uow.session
    if session.scalar(select(User.id).where(_same_username(username))) is not None:
        raise DomainError(ErrorCode.USERNAME_TAKEN, username=username)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        is_staff=is_staff,
        seller_status="approved" if seller_kind else "none",
        seller_kind=seller_kind,
        default_count=0,
        created_at=uow.now,
    )
    session.add(user)
    session.flush()
    ensure_accounts(session, [ledger.available(user.id), ledger.frozen(user.id)])
    return user


@dataclass(frozen=True)
class LoggedIn:
    user: User
    token: str


MAX_ADDRESS_LENGTH = 128  # the column's width: a longer "address" (a proxy's garbage) is cut, not refused


@locks.step
def login(uow: UnitOfWork, username: str, password: str, ttl_hours: int, *, address: str) -> LoggedIn | DomainError:
    """Check the password and issue a fresh token (the bearer token and the page cookie are one).

    A refusal is returned, not raised: a wrong password's failure is recorded in this transaction and must
    be committed; the caller raises the refusal after the commit. The (user name, address) pair's back-off
    (domain.login_throttle) is judged first, before the password is looked at; failures from other
    addresses never hold this one back.
    """
    name, address = username.lower(), address[:MAX_ADDRESS_LENGTH]
    row = locks.login_failure(uow.session, name, address)
    streak = FailureStreak(row.failures, row.last_failure_at) if row else None
    wait = login_throttle.retry_after(streak, uow.now)
    if wait is not None:
        return DomainError(ErrorCode.RATE_LIMITED, scope="login", retry_after=wait)
    user = uow.session.scalar(select(User).where(_same_username(username)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        _record_failure(uow, row, login_throttle.after_failure(streak, uow.now), name, address)
        return DomainError(ErrorCode.INVALID_CREDENTIALS)
    if row is not None:
        uow.session.delete(row)
    if user.frozen_at is not None:  # the right password of a frozen account: say so, issue nothing
        return DomainError(ErrorCode.ACCOUNT_FROZEN)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    token = secrets.token_urlsafe(32)
    uow.session.add(
        AuthToken(
            token_hash=hash_token(token),
            user_id=user.id,
            created_at=uow.now,
            expires_at=uow.now + timedelta(hours=ttl_hours),
        )
    )
    return LoggedIn(user, token)


def _record_failure(
    uow: UnitOfWork, row: LoginFailure | None, streak: FailureStreak, username: str, address: str
) -> None:
    if row is not None:  # locked above: nobody else counts this pair meanwhile
        row.failures, row.last_failure_at = streak.failures, streak.last_failure_at
        return
    # The pair's first failure: another attempt may be inserting the same row now; then count on top of it.
    insert = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LoginFailure).values(
        username=username, address=address, failures=streak.failures, last_failure_at=streak.last_failure_at
    )
    uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[LoginFailure.username, LoginFailure.address],
            set_={"failures": LoginFailure.failures + 1, "last_failure_at": statement.excluded.last_failure_at},
        )
    )


def logout(uow: UnitOfWork, token: str) -> None:
    uow.session.execute(delete(AuthToken).where(AuthToken.token_hash == hash_token(token)))


def user_for_token(session: Session, token: str, now: object) -> User | None:
    row = session.execute(
        select(User, AuthToken.expires_at)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == hash_token(token))
    ).first()
    if row is None or row[1] <= now:  # type: ignore[operator]
        return None
    user: User = row[0]
    if user.frozen_at is not None:  # freezing deletes the tokens; a token is worthless while frozen anyway
        return None
    return user


def refuse_frozen(session: Session, user_id: int) -> None:
    """ACCOUNT_FROZEN if the account is frozen now (read afresh: the caller's user may be from an earlier read)."""
    refuse_if_frozen(session.scalar(select(User.frozen_at).where(User.id == user_id)))


def roles(user: User) -> list[str]:
    return wallet_rules.roles(is_staff=user.is_staff, seller_approved=user.seller_status == "approved")


def home_path(user: User) -> str:
    """Where an account lands after signing in with nowhere else to go: staff are not bidders, their home is
    the back office (issue 14); everyone else's is the lot list."""
    return "/staff" if user.is_staff else "/"


def require_staff(user: User) -> None:
    if not user.is_staff:
        raise DomainError(ErrorCode.STAFF_ONLY)


def may_apply_to_sell(user: User) -> bool:
    """One application at a time: a user applies when they have none pending and are not a seller yet
    (after a rejection they apply again)."""
    return user.seller_status not in ("pending", "approved")


@locks.step
def apply_to_sell(
    uow: UnitOfWork,
    user: User,
    kind: str,
    name: str,
    description: str,
    *,
    licence_number: str = "",
    court_name: str = "",
    contact_phone: str = "",
) -> SellerApplication:
    details = seller_details(kind, licence_number=licence_number, court_name=court_name, contact_phone=contact_phone)
    user = locks.users(uow.session, [user.id])[user.id]  # one application at a time per user
    if not may_apply_to_sell(user):
        raise DomainError(ErrorCode.SELLER_APPLICATION_EXISTS, seller_status=user.seller_status)
    application = SellerApplication(
        user_id=user.id,
        kind=kind,
        name=name,
        description=description,
        licence_number=details.licence_number,
        court_name=details.court_name,
        contact_phone=details.contact_phone,
        status="pending",
        created_at=uow.now,
    )
    uow.session.add(application)
    user.seller_status = "pending"
    user.seller_kind = kind
    uow.session.flush()
    return application


@locks.step
def decide_application(
    uow: UnitOfWork, staff: User, application_id: int, approve: bool, reason: str | None
) -> SellerApplication:
    require_staff(staff)
    if not approve:
        reason = required_reason(reason)
    application = uow.session.get(SellerApplication, application_id, with_for_update=True)
    if application is None:
        raise DomainError(ErrorCode.NOT_FOUND, application_id=application_id)
    if application.status != "pending":
        raise DomainError(ErrorCode.SELLER_APPLICATION_NOT_PENDING, status=application.status)
    applicant = locks.users(uow.session, [application.user_id])[application.user_id]
    application.status = "approved" if approve else "rejected"
    application.reason = reason
    application.decided_at = uow.now
    application.decided_by = staff.id
    applicant.seller_status = application.status
    record_action(
        uow,
        staff,
        StaffAction.SELLER_APPROVE if approve else StaffAction.SELLER_REJECT,
        ObjectType.SELLER_APPLICATION,
        application.id,
        reason,
        uow.now,
        {"user_id": applicant.id, "kind": application.kind},
    )
    return application


def latest_application(session: Session, user_id: int) -> SellerApplication | None:
    """The user's newest application to sell (its state and staff's reason show on /sell)."""
    return session.scalar(
        select(SellerApplication).where(SellerApplication.user_id == user_id).order_by(SellerApplication.id.desc())
    )


def list_applications(session: Session, status: str | None) -> list[SellerApplication]:
    query = select(SellerApplication).order_by(SellerApplication.id)
    if status:
        query = query.where(SellerApplication.status == status)
    return list(session.scalars(query))


@locks.step
def verify_real_name(uow: UnitOfWork, user_id: int, name: str, id_number: str) -> User:
    """实名认证: keep the name and a masked ID number, never the full number."""
    user = locks.users(uow.session, [user_id])[user_id]
    if user.real_name_verified_at is not None:
        raise DomainError(ErrorCode.REAL_NAME_ALREADY_VERIFIED)
    identity = verify_identity(name, id_number, beijing_date(uow.now))
    user.real_name = identity.name
    user.id_number_masked = identity.masked_id
    user.real_name_verified_at = uow.now
    return user
