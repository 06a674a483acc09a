"""The `paimai` commands other than the demo: migrate, user create, the clock, through Typer's CliRunner.

Each test runs on a database of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cli_support import ENV_KEYS, EngineFor, engine_for_fixture, ok, paimai, sqlite_url  # noqa: F401 (a fixture)
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from paimai.adapters.cli.main import app
from paimai.persistence.migrate import upgrade
from paimai.persistence.models import User
from paimai.services import accounts
from paimai.services import ledger as ledger_service
from paimai.services.uow import UnitOfWork

# ---- migrate ------------------------------------------------------------------------------------------


def test_migrate_creates_the_schema_and_is_repeatable(tmp_path: Path, engine_for: EngineFor) -> None:
    url = sqlite_url(tmp_path / "sub" / "fresh.db")
    output = ok(paimai("migrate", url=url))
    assert "migrated" in output and "fresh.db" in output
    ok(paimai("migrate", url=url))
    tables = set(inspect(engine_for(url)).get_table_names())
    assert {"users", "lots", "bids", "deposits", "journal_entries", "postings", "alembic_version"} <= tables


def test_a_bad_configuration_is_reported_not_raised(tmp_path: Path) -> None:
    env: dict[str, str | None] = dict.fromkeys(ENV_KEYS)
    env.update({"PAIMAI_DATABASE_URL": sqlite_url(tmp_path / "x.db"), "PAIMAI_ENV": "production"})
    result = CliRunner().invoke(app, ["migrate"], env=env)
    assert result.exit_code == 2
    assert "PAIMAI_SECRET_KEY" in result.output


# ---- user create ----------------------------------------------------------------------------------------


def test_user_create_with_roles(tmp_path: Path, engine_for: EngineFor) -> None:
    url = sqlite_url(tmp_path / "users.db")
    assert "roles=bidder\n" in ok(paimai("user", "create", "--username", "ann", "--password", "password-1", url=url))
    staff = ok(paimai("user", "create", "--username", "ops", "--password", "password-2", "--staff", url=url))
    assert "roles=staff\n" in staff  # staff are not bidders
    seller = ok(paimai("user", "create", "--username", "shop", "--password", "password-3", "--seller", url=url))
    assert "roles=bidder,seller" in seller
    court = ok(paimai("user", "create", "--username", "court", "--password", "password-4", "--court", url=url))
    assert "roles=bidder,seller" in court
    with Session(engine_for(url)) as session:
        users = {user.username: user for user in session.scalars(select(User))}
        assert users["ops"].is_staff and users["ops"].seller_status == "none"
        assert (users["shop"].seller_status, users["shop"].seller_kind) == ("approved", "individual")
        assert (users["court"].seller_status, users["court"].seller_kind) == ("approved", "court")
        assert ledger_service.wallet(session, users["ann"].id) == {"available": 0, "frozen": 0}
        uow = UnitOfWork(session, datetime.now(UTC))
        logged_in = accounts.login(uow, "ann", "password-1", ttl_hours=1, address="127.0.0.1")
        assert isinstance(logged_in, accounts.LoggedIn) and logged_in.user.username == "ann"


def test_user_create_refuses_a_duplicate_username(tmp_path: Path, engine_for: EngineFor) -> None:
    url = sqlite_url(tmp_path / "dup.db")
    ok(paimai("user", "create", "--username", "ann", "--password", "password-1", url=url))
    result = paimai("user", "create", "--username", "ann", "--password", "password-2", "--staff", url=url)
    assert result.exit_code == 1
    assert "USERNAME_TAKEN" in result.output and "'ann'" in result.output and "已被占用" in result.output
    assert "Traceback" not in result.output
    with engine_for(url).connect() as conn:
        assert conn.scalar(select(func.count()).select_from(User)) == 1
        assert conn.scalar(select(User.is_staff)) is False


def test_user_create_refuses_a_weak_password(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "s.db")
    short = paimai("user", "create", "--username", "ann", "--password", "short-pw1", url=url)  # 9 characters
    assert short.exit_code == 2
    assert "PASSWORD_TOO_SHORT" in short.output and "10 characters" in short.output and "至少 10 位" in short.output
    common = paimai("user", "create", "--username", "ann", "--password", "Password12", url=url)
    assert common.exit_code == 2
    assert "PASSWORD_TOO_COMMON" in common.output and "常见" in common.output
    assert not (tmp_path / "s.db").exists()  # refused before anything is done


def test_demo_refuses_a_weak_password(tmp_path: Path) -> None:
    result = paimai("demo", "--password", "1234567890", url=sqlite_url(tmp_path / "d.db"))
    assert result.exit_code == 2
    assert "PASSWORD_TOO_COMMON" in result.output
    assert not (tmp_path / "d.db").exists()


# ---- clock ------------------------------------------------------------------------------------------------


def test_clock_advance_moves_the_simulated_clock(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "clock.db")
    first = ok(paimai("clock", "advance", "3600", url=url, clock="simulated"))
    assert "0 lot(s) started or closed" in first
    shown = ok(paimai("clock", "show", url=url, clock="simulated"))
    assert "(simulated, +3600 s)" in shown
    moved = datetime.fromisoformat(shown.split()[0])
    assert moved - datetime.now().astimezone() > timedelta(minutes=59)
    ok(paimai("clock", "advance", "60", url=url, clock="simulated"))
    assert "+3660 s" in ok(paimai("clock", "show", url=url, clock="simulated"))


def test_clock_advance_is_refused_on_the_system_clock(tmp_path: Path) -> None:
    path = tmp_path / "system.db"
    result = paimai("clock", "advance", "60", url=sqlite_url(path))
    assert result.exit_code == 1
    assert "CLOCK_NOT_SIMULATED" in result.output and "PAIMAI_CLOCK=simulated" in result.output
    assert not path.exists(), "the refusal touched the database"
    assert "(system)" in ok(paimai("clock", "show", url=sqlite_url(path)))


def test_clock_advance_refuses_zero_or_negative_seconds(tmp_path: Path) -> None:
    result = paimai("clock", "advance", "0", url=sqlite_url(tmp_path / "z.db"), clock="simulated")
    assert result.exit_code == 2


def test_the_simulated_clock_is_refused_in_production(tmp_path: Path) -> None:
    env: dict[str, str | None] = dict.fromkeys(ENV_KEYS)
    env.update(
        {
            "PAIMAI_DATABASE_URL": sqlite_url(tmp_path / "p.db"),
            "PAIMAI_CLOCK": "simulated",
            "PAIMAI_ENV": "production",
            "PAIMAI_SECRET_KEY": "s" * 40,
        }
    )
    result = CliRunner().invoke(app, ["clock", "advance", "60"], env=env)
    assert result.exit_code == 2
    assert "refused when PAIMAI_ENV=production" in result.output


def test_upgrade_is_what_migrate_runs(tmp_path: Path, engine_for: EngineFor) -> None:
    """`paimai migrate` and the library's upgrade() leave the same schema head."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    ok(paimai("migrate", url=sqlite_url(a)))
    upgrade(sqlite_url(b))
    heads = []
    for path in (a, b):
        with engine_for(sqlite_url(path)).connect() as conn:
            heads.append(conn.scalar(text("SELECT version_num FROM alembic_version")))
    assert heads[0] == heads[1] and heads[0]


def test_clock_advance_past_the_limit_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    """Issue 8, defect 7: a huge advance used to overflow the date and break the platform for good."""
    url = sqlite_url(tmp_path / "limit.db")
    ok(paimai("clock", "advance", "60", url=url, clock="simulated"))
    for huge in (str(10**30), str(2**63), str(8000 * 365 * 24 * 3600)):
        result = paimai("clock", "advance", huge, url=url, clock="simulated")
        assert result.exit_code == 1, result.output
        assert "CLOCK_OUT_OF_RANGE" in result.output and "模拟时钟" in result.output
    assert "+60 s" in ok(paimai("clock", "show", url=url, clock="simulated"))
