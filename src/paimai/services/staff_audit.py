"""The staff audit log: every staff decision writes one entry in the decision's own transaction, so an
entry exists exactly when the decision was committed; and the log's search for the back office."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.staff import ObjectType, StaffAction
from ..persistence.models import StaffActionRow, User
from .uow import UnitOfWork

CLI_ACTOR = "cli"  # the operator's command line: no user signed in


def record_action(
    uow_or_session: UnitOfWork | Session,
    actor: User | str,
    action: StaffAction | str,
    object_type: ObjectType | str,
    object_id: int,
    reason: str | None,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> StaffActionRow:
    """Add one audit entry to the session (flushed, not committed: the caller's transaction decides)."""
    session = uow_or_session.session if isinstance(uow_or_session, UnitOfWork) else uow_or_session
    row = StaffActionRow(
        actor_id=None if isinstance(actor, str) else actor.id,
        actor_name=actor if isinstance(actor, str) else actor.username,
        action=action.value if isinstance(action, StaffAction) else action,
        object_type=object_type.value if isinstance(object_type, ObjectType) else object_type,
        object_id=object_id,
        reason=reason or None,
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        at=now,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class AuditQuery:
    """actor: a user id (digits) or an actor name (`cli`, a username, any case)."""

    actor: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(session: Session, query: AuditQuery, *, limit: int, cursor: int | None = None) -> list[dict[str, Any]]:
    """Entries matching every given filter, newest first; `cursor` is the last id of the previous page.
    since is inclusive, until exclusive."""
    statement = select(StaffActionRow).order_by(StaffActionRow.id.desc()).limit(limit)
    if query.actor:
        if query.actor.isdigit():
            statement = statement.where(StaffActionRow.actor_id == int(query.actor))
        else:
            statement = statement.where(func.lower(StaffActionRow.actor_name) == query.actor.lower())
    if query.object_type:
        statement = statement.where(StaffActionRow.object_type == query.object_type)
    if query.object_id is not None:
        statement = statement.where(StaffActionRow.object_id == query.object_id)
    if query.since is not None:
        statement = statement.where(StaffActionRow.at >= query.since)
    if query.until is not None:
        statement = statement.where(StaffActionRow.at < query.until)
    if cursor is not None:
        statement = statement.where(StaffActionRow.id < cursor)
    return [entry_json(row) for row in session.scalars(statement)]


def entry_json(row: StaffActionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "actor_id": row.actor_id,
        "actor": row.actor_name,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "reason": row.reason,
        "details": json.loads(row.details or "{}"),
        "at": row.at,
    }
