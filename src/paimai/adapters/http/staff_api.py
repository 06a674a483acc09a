"""The staff back office's API: find users, freeze and unfreeze them, read the staff audit log.

Staff only: a signed-in user who is not staff is refused (403 STAFF_ONLY), anyone else 401.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field

from ...domain.staff import MAX_REASON_LENGTH
from ...services import accounts, staff_audit
from ...services import staff as service
from ...services.types import User
from .deps import ContainerDep, UserDep
from .schemas import MAX_ID, Cursor, Filter, Id, Limit, Strict
from .views import page, user_json

router = APIRouter(prefix="/api/v1", tags=["staff"])


class ReasonIn(Strict):
    reason: str = Field(max_length=MAX_REASON_LENGTH)  # empty or blank: 422 REASON_REQUIRED (domain.staff)


def staff_user_json(user: User) -> dict[str, Any]:
    """What the back office sees of an account: the public fields and its standing."""
    return {
        **user_json(user),
        "is_staff": user.is_staff,
        "frozen": user.frozen_at is not None,
        "frozen_at": user.frozen_at,
        "frozen_reason": user.frozen_reason,
        "created_at": user.created_at,
    }


@router.get("/staff/users")
def users(
    user: UserDep, container: ContainerDep, q: Filter = None, limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    """Accounts whose username or display name contains `q` (any case), by id."""
    accounts.require_staff(user)
    with container.reading() as session:
        items = [staff_user_json(found) for found in service.search_users(session, q, limit=limit, cursor=cursor)]
    return page(items, limit, lambda item: item["id"])


@router.get("/staff/users/{user_id}")
def get_user(user_id: Id, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    accounts.require_staff(user)
    with container.reading() as session:
        return staff_user_json(service.get_user(session, user_id))


@router.post("/staff/users/{user_id}/freeze")
def freeze(user_id: Id, body: ReasonIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    """Freeze an account (not one's own, not a staff account): it cannot sign in, its sessions end, and it
    cannot bid, pay a deposit, pay an order or top up until unfrozen."""
    with container.transaction() as uow:
        return staff_user_json(service.freeze(uow, user, user_id, body.reason))


@router.post("/staff/users/{user_id}/unfreeze")
def unfreeze(user_id: Id, body: ReasonIn, user: UserDep, container: ContainerDep) -> dict[str, Any]:
    with container.transaction() as uow:
        return staff_user_json(service.unfreeze(uow, user, user_id, body.reason))


@router.get("/staff/audit")
def audit(
    user: UserDep,
    container: ContainerDep,
    actor: Filter = None,
    object_type: Filter = None,
    object_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    since: Annotated[AwareDatetime | None, Query()] = None,
    until: Annotated[AwareDatetime | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The staff audit log, newest first: `actor` is a user id or an actor name (`cli`); `since` inclusive,
    `until` exclusive (ISO 8601 with a zone)."""
    accounts.require_staff(user)
    query = staff_audit.AuditQuery(actor, object_type, object_id, since, until)
    with container.reading() as session:
        items = staff_audit.search(session, query, limit=limit, cursor=cursor)
    return page(items, limit, lambda item: item["id"])
