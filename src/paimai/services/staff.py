"""The staff back office's use cases on accounts: find a user, freeze and unfreeze, grant and revoke the
staff role. Each decision is audited (services/staff_audit.py) in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ..domain import staff as rules
from ..domain.errors import DomainError, ErrorCode
from ..domain.staff import ObjectType, StaffAction
from ..persistence.models import AuthToken, User
from . import locks
from .accounts import require_staff
from .staff_audit import CLI_ACTOR, record_action
from .uow import UnitOfWork


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_users(session: Session, q: str | None, *, limit: int, cursor: int | None = None) -> list[User]:
    """Users whose username or display name contains q (any case), by id; cursor = the previous page's last id."""
    statement = select(User).order_by(User.id).limit(limit)
    if q:
        pattern = f"%{_escape_like(q.lower())}%"
        statement = statement.where(
            or_(
                func.lower(User.username).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    if cursor is not None:
        statement = statement.where(User.id > cursor)
    return list(session.scalars(statement))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise DomainError(ErrorCode.USER_NOT_FOUND, user_id=user_id)
    return user


def _locked(uow: UnitOfWork, user_id: int) -> User:
    if uow.session.get(User, user_id) is None:
        raise DomainError(ErrorCode.USER_NOT_FOUND, user_id=user_id)
    return locks.users(uow.session, [user_id])[user_id]


@locks.step
def freeze(uow: UnitOfWork, actor: User, user_id: int, reason: str | None) -> User:
    """Freeze a customer's account: it cannot sign in, and every session it has ends now."""
    require_staff(actor)
    why = rules.required_reason(reason)
    target = _locked(uow, user_id)
    rules.may_freeze(actor.id, target.id, target.is_staff, target.frozen_at is not None)
    target.frozen_at, target.frozen_reason = uow.now, why
    uow.session.execute(delete(AuthToken).where(AuthToken.user_id == target.id))
    record_action(uow, actor, StaffAction.USER_FREEZE, ObjectType.USER, target.id, why, uow.now)
    return target


@locks.step
def unfreeze(uow: UnitOfWork, actor: User, user_id: int, reason: str | None) -> User:
    require_staff(actor)
    why = rules.required_reason(reason)
    target = _locked(uow, user_id)
    rules.may_unfreeze(target.frozen_at is not None)
    frozen_at = target.frozen_at.isoformat() if target.frozen_at else None
    details = {"frozen_at": frozen_at, "frozen_reason": target.frozen_reason}
    target.frozen_at, target.frozen_reason = None, None
    record_action(uow, actor, StaffAction.USER_UNFREEZE, ObjectType.USER, target.id, why, uow.now, details)
    return target


@dataclass(frozen=True)
class RoleChange:
    user: User
    changed: bool  # False: the user already had (or lacked) the role; nothing was written


def _by_username(session: Session, username: str) -> User:
    user_id = session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if user_id is None:
        raise DomainError(ErrorCode.USER_NOT_FOUND, username=username)
    return locks.users(session, [user_id])[user_id]


@locks.step
def grant_staff(uow: UnitOfWork, username: str, reason: str | None = None) -> RoleChange:
    """The operator (the command line, actor `cli`) makes an account staff."""
    user = _by_username(uow.session, username)
    if user.is_staff:
        return RoleChange(user, False)
    user.is_staff = True
    record_action(uow, CLI_ACTOR, StaffAction.STAFF_GRANT, ObjectType.USER, user.id, reason, uow.now)
    return RoleChange(user, True)


@locks.step
def revoke_staff(uow: UnitOfWork, username: str, reason: str | None = None) -> RoleChange:
    """The operator takes the staff role away; never from the last active staff account. Every staff row is
    locked at once (ascending), so two revocations at the same time cannot both leave the other one last."""
    session = uow.session
    user_id = session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if user_id is None:
        raise DomainError(ErrorCode.USER_NOT_FOUND, username=username)
    staff_ids = set(session.scalars(select(User.id).where(User.is_staff.is_(True))))
    rows = locks.users(session, staff_ids | {user_id})
    user = rows[user_id]
    if not user.is_staff:
        return RoleChange(user, False)
    others = sum(1 for row in rows.values() if row.id != user.id and row.is_staff and row.frozen_at is None)
    rules.may_revoke_staff(user.is_staff, others)
    user.is_staff = False
    record_action(uow, CLI_ACTOR, StaffAction.STAFF_REVOKE, ObjectType.USER, user.id, reason, uow.now)
    return RoleChange(user, True)
