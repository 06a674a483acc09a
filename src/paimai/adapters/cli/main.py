"""The `paimai` command: serve, migrate, demo, user administration, the simulated clock, the books' check,
backups and the simulator."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ...config import Settings
from .. import i18n

if TYPE_CHECKING:
    from ...domain.errors import DomainError

app = typer.Typer(help="paimai 拍卖 — online auction platform", no_args_is_help=True)
user_app = typer.Typer(help="User administration")
clock_app = typer.Typer(help="The simulated clock (PAIMAI_CLOCK=simulated)")
ledger_app = typer.Typer(help="The double-entry ledger")
app.add_typer(user_app, name="user")
app.add_typer(clock_app, name="clock")
app.add_typer(ledger_app, name="ledger")
staff_app = typer.Typer(help="The staff role (audited as actor cli)")
app.add_typer(staff_app, name="staff")


def _sqlite_file_exists(url: str) -> bool:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    database = make_url(url).database
    return not database or database == ":memory:" or Path(database).exists()


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as error:
        typer.secho(f"configuration error: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


def _refuse_weak_password(password: str) -> None:
    """The password rule of registration (PASSWORD_TOO_SHORT, PASSWORD_TOO_COMMON), before anything is done."""
    from ...domain.errors import DomainError
    from ...services.passwords import check_new_password

    try:
        check_new_password(password)
    except DomainError as error:
        typer.secho(f"{error.code.name}: {' / '.join(i18n.error_messages(error))}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic)."""
    from ...persistence.migrate import upgrade

    settings = _settings()
    upgrade(settings.effective_database_url)
    typer.echo(f"migrated {settings.effective_database_url.split('@')[-1]}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate", help="migrate before serving")] = True,
) -> None:
    """Run the platform (API, pages, live events and the scheduler in every worker)."""
    import uvicorn

    from ...persistence.migrate import upgrade

    settings = _settings()
    if migrate_first or settings.is_sqlite:
        upgrade(settings.effective_database_url)
    typer.echo(f"paimai serving on http://{host}:{port} ({workers} worker(s), {settings.clock} clock)")
    uvicorn.run(
        "paimai.adapters.http.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        timeout_graceful_shutdown=3,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default; the app applies
        # PAIMAI_TRUSTED_PROXIES itself (adapters/http/app.py), so the server trusts no one.
        proxy_headers=False,
    )


@app.command()
def demo(
    lots: Annotated[int, typer.Option(min=7, max=200, help="how many lots")] = 30,
    password: Annotated[str, typer.Option(help="every demo account's password (10+, not common)")] = "paimai-demo",  # noqa: S107
) -> None:
    """Seed demo data: staff, two sellers and a court, bidders with wallets, lots in every category and state
    (judicial ones and a suspended one too), and the sellers' and staff's workplace: applications waiting and
    rejected, a draft, a lot in review, a rejected lot, a frozen account, a cash-out, the audit log. Safe to
    run again: it adds nothing, or only fresh live lots once the earlier ones have ended."""
    from ...bootstrap import Container
    from ...persistence.migrate import upgrade
    from .demo import DemoConflict, FixtureError, seed

    _refuse_weak_password(password)
    settings = _settings()
    upgrade(settings.effective_database_url)
    container = Container(settings)
    try:
        summary = seed(container, lot_count=lots, password=password)
    except DemoConflict as error:
        typer.secho(f"DEMO_CONFLICT: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    except FixtureError as error:
        typer.secho(f"DEMO_FIXTURE_INVALID: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    finally:
        container.dispose()
    typer.echo(summary)


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option(help="login name")],
    password: Annotated[str, typer.Option(help="password (10+ characters, not a common one)")],
    staff: Annotated[bool, typer.Option(help="back-office account")] = False,
    seller: Annotated[bool, typer.Option(help="approved seller")] = False,
    court: Annotated[bool, typer.Option(help="approved court seller (judicial lots)")] = False,
    display_name: Annotated[str | None, typer.Option(help="shown name")] = None,
) -> None:
    """Create an account (staff and sellers are approved at once)."""
    from ...bootstrap import Container
    from ...domain.errors import DomainError
    from ...persistence.migrate import upgrade
    from ...services import accounts

    _refuse_weak_password(password)
    settings = _settings()
    upgrade(settings.effective_database_url)
    container = Container(settings)
    try:
        with container.transaction() as uow:
            kind = "court" if court else ("individual" if seller else None)
            user = accounts.register(uow, username, password, display_name, is_staff=staff, seller_kind=kind)
            typer.echo(f"created user {user.id} {user.username} roles={','.join(accounts.roles(user))}")
    except DomainError as error:
        _refused(error, username)
    finally:
        container.dispose()


def _refused(error: DomainError, username: str) -> NoReturn:
    """A refusal of an account command: its stable code and both languages' words, exit 1."""
    typer.secho(
        f"{error.code.name}: {' / '.join(i18n.error_messages(error))} (username {username!r})",
        fg=typer.colors.RED,
        err=True,
    )
    raise typer.Exit(1) from None


def _change_staff(username: str, grant: bool, reason: str | None) -> None:
    from ...bootstrap import Container
    from ...domain.errors import DomainError
    from ...persistence.migrate import upgrade
    from ...services import accounts, staff

    settings = _settings()
    upgrade(settings.effective_database_url)
    container = Container(settings)
    try:
        with container.transaction() as uow:
            change = (staff.grant_staff if grant else staff.revoke_staff)(uow, username, reason)
            user = change.user
            verb = ("granted" if grant else "revoked") if change.changed else "unchanged"
            typer.echo(f"{verb}: user {user.id} {user.username} roles={','.join(accounts.roles(user))}")
    except DomainError as error:
        _refused(error, username)
    finally:
        container.dispose()


@staff_app.command("grant")
def staff_grant(
    username: Annotated[str, typer.Argument(help="the account's login name")],
    reason: Annotated[str | None, typer.Option(help="why, for the audit log")] = None,
) -> None:
    """Make an existing account staff (the first staff account of a fresh database, say)."""
    _change_staff(username, True, reason)


@staff_app.command("revoke")
def staff_revoke(
    username: Annotated[str, typer.Argument(help="the account's login name")],
    reason: Annotated[str | None, typer.Option(help="why, for the audit log")] = None,
) -> None:
    """Take the staff role away (refused for the last active staff account: LAST_STAFF_ACCOUNT)."""
    _change_staff(username, False, reason)


@clock_app.command("advance")
def clock_advance(seconds: Annotated[int, typer.Argument(min=1, help="seconds to move forward")]) -> None:
    """Move the simulated clock forward and run all work that became due (start and close lots)."""
    from ...bootstrap import Container
    from ...domain.errors import DomainError
    from ...persistence.migrate import upgrade

    settings = _settings()
    if settings.clock != "simulated":
        typer.secho(
            "CLOCK_NOT_SIMULATED: the platform runs on the system clock; set PAIMAI_CLOCK=simulated "
            "(refused when PAIMAI_ENV=production) / 当前为系统时钟，只有模拟时钟（PAIMAI_CLOCK=simulated）可以拨快",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)
    upgrade(settings.effective_database_url)
    container = Container(settings)
    try:
        changed, orders_changed = container.advance_clock(seconds)
        typer.echo(
            f"now {container.now().isoformat()}; {changed} lot(s) started or closed; "
            f"{orders_changed} order step(s) taken"
        )
    except DomainError as error:  # CLOCK_OUT_OF_RANGE: the clock stays where it was
        typer.secho(f"{error.code.name}: {' / '.join(i18n.error_messages(error))}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    finally:
        container.dispose()


@clock_app.command("show")
def clock_show() -> None:
    """Print the platform time (and the simulated clock's offset)."""
    from ...bootstrap import Container
    from ...clock import SimulatedClock
    from ...persistence.migrate import upgrade

    settings = _settings()
    if settings.clock == "simulated":
        upgrade(settings.effective_database_url)
    container = Container(settings)
    try:
        clock = container.clock
        offset = f" (simulated, +{clock.offset()} s)" if isinstance(clock, SimulatedClock) else " (system)"
        typer.echo(container.now().isoformat() + offset)
    finally:
        container.dispose()


@ledger_app.command("check")
def ledger_check() -> None:
    """Check the books and the public records (e.g. after restoring a backup): every journal entry sums to
    zero, every account's balance equals the sum of its postings, no user account is negative, and every
    lot's hash-chained record verifies. Reads only; exit 1 on a problem, naming each account or lot."""
    from .backups import audit_database, report_audit

    settings = _settings()
    if settings.is_sqlite and not _sqlite_file_exists(settings.effective_database_url):
        typer.secho(f"no database at {settings.effective_database_url}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if not report_audit(audit_database(settings, settings.effective_database_url)):
        raise typer.Exit(1)


@app.command()
def backup(
    path: Annotated[Path, typer.Argument(help="the backup file to write")],
    force: Annotated[bool, typer.Option("--force", help="overwrite PATH if it exists")] = False,
) -> None:
    """Back up the whole database at one moment, while the platform runs. SQLite: SQLite's online backup
    into one self-contained file, whose books and records are then checked. PostgreSQL: pg_dump
    --format=custom (printed instead, exit 1, when pg_dump is not on PATH)."""
    from .backups import backup_database

    backup_database(_settings(), path, force=force)


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="a file written by `paimai backup` (or pg_dump --format=custom)")],
    force: Annotated[
        bool, typer.Option("--force", help="SQLite: restore even though another process has the database open")
    ] = False,
) -> None:
    """Restore a backup over the configured database. Refused unless it is a paimai database at a migration
    revision this version knows and its books and records check out; an older one is migrated. SQLite: refused
    while a server has the database open, unless --force. PostgreSQL: pg_restore into an empty database only.
    Ends with the check `paimai ledger check` makes (exit 1 on a problem)."""
    from .backups import restore_database

    restore_database(_settings(), path, force=force)


@app.command()
def simulate(
    seed: Annotated[int, typer.Option(help="the random seed: one seed, one history")] = 1,
    ops: Annotated[int, typer.Option(min=1, help="how many steps")] = 1000,
    faults: Annotated[
        bool, typer.Option(help="inject faults: aborts, restarts, double due work, repeated keys")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="PostgreSQL: a server to make a scratch database on (dropped after); SQLite: a new file to "
            "leave the run in. Default: a temporary SQLite file"
        ),
    ] = None,
    full_check_every: Annotated[
        int, typer.Option(min=0, help="the full audit every so many steps (0: at the end)")
    ] = 1000,
    shrink_seconds: Annotated[float, typer.Option(min=0, help="time allowed for shrinking a failing history")] = 300,
) -> None:
    """Run the platform through its services with many users, sellers, courts and staff, deterministically
    (seeded, on the simulated clock), checking every invariant after every step; on a violation, print
    the seed and the step, shrink the history to the shortest that still fails, print it, exit 1."""
    from .simulate_command import run_simulate

    raise typer.Exit(run_simulate(seed, ops, faults, database_url, full_check_every, shrink_seconds))


if __name__ == "__main__":
    app()
