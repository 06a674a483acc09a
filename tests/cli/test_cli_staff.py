"""`paimai staff grant USER` and `paimai staff revoke USER`: audited as actor `cli`, an unknown user is a clear
error, and the last active staff account keeps its role."""

from __future__ import annotations

from pathlib import Path

from cli_support import EngineFor, engine_for_fixture, ok, paimai, sqlite_url  # noqa: F401 (a fixture)
from sqlalchemy import select
from sqlalchemy.orm import Session

from paimai.persistence.models import StaffActionRow, User


def _staff_and_log(engine_for: EngineFor, url: str) -> tuple[dict[str, bool], list[tuple[str, str, int, str | None]]]:
    with Session(engine_for(url)) as session:
        users = {user.username: user.is_staff for user in session.scalars(select(User))}
        log = [
            (row.actor_name, row.action, row.object_id, row.reason)
            for row in session.scalars(select(StaffActionRow).order_by(StaffActionRow.id))
        ]
        assert all(row.actor_id is None for row in session.scalars(select(StaffActionRow)))
    return users, log


def test_the_first_staff_account_of_a_fresh_database(tmp_path: Path, engine_for: EngineFor) -> None:
    url = sqlite_url(tmp_path / "fresh.db")
    ok(paimai("migrate", url=url))
    ok(paimai("user", "create", "--username", "Ops", "--password", "password-ops-1", url=url))
    granted = ok(paimai("staff", "grant", "ops", "--reason", "首个后台账户", url=url))  # any case
    assert "granted: user 1 Ops roles=staff" in granted
    assert "unchanged" in ok(paimai("staff", "grant", "Ops", url=url))  # again: nothing written
    users, log = _staff_and_log(engine_for, url)
    assert users == {"Ops": True}
    assert log == [("cli", "user.grant_staff", 1, "首个后台账户")]


def test_revoke_refuses_the_last_staff_account_and_unknown_users(tmp_path: Path, engine_for: EngineFor) -> None:
    url = sqlite_url(tmp_path / "staff.db")
    ok(paimai("user", "create", "--username", "ops", "--password", "password-ops-1", "--staff", url=url))
    ok(paimai("user", "create", "--username", "deputy", "--password", "password-ops-2", url=url))

    last = paimai("staff", "revoke", "ops", url=url)
    assert last.exit_code == 1
    assert "LAST_STAFF_ACCOUNT" in last.output and "最后一个" in last.output

    for command in ("grant", "revoke"):
        unknown = paimai("staff", command, "ghost", url=url)
        assert unknown.exit_code == 1
        assert "USER_NOT_FOUND" in unknown.output and "ghost" in unknown.output

    ok(paimai("staff", "grant", "deputy", url=url))
    revoked = ok(paimai("staff", "revoke", "ops", "--reason", "离职", url=url))
    assert "revoked: user 1 ops roles=bidder" in revoked
    assert "unchanged" in ok(paimai("staff", "revoke", "ops", url=url))
    again = paimai("staff", "revoke", "deputy", url=url)
    assert again.exit_code == 1 and "LAST_STAFF_ACCOUNT" in again.output
    users, log = _staff_and_log(engine_for, url)
    assert users == {"ops": False, "deputy": True}
    assert log == [("cli", "user.grant_staff", 2, None), ("cli", "user.revoke_staff", 1, "离职")]
