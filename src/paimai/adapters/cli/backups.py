"""`paimai backup PATH` and `paimai restore PATH` (docs/operations.md, "Backups"), and the books' check report.

SQLite goes through its online backup API (persistence/backup.py), so a running server can be backed up;
PostgreSQL through pg_dump's custom format and pg_restore into an empty database. A restore is refused
unless the file is a paimai database at a migration revision this version knows, and unless its books and
records check out (services/audit.py) on a scratch copy first: a bad backup never replaces a database.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any, NoReturn

import typer

from ...bootstrap import Container
from ...config import Settings
from ...persistence import backup as files
from ...persistence.migrate import upgrade
from ...services import audit

# Each refusal's words: (English, Chinese), worded with the problem's details.
MESSAGES: dict[str, tuple[str, str]] = {
    "NO_DATABASE": ("no database at {url}", "找不到数据库 {url}"),
    "BACKUP_EXISTS": ("{path} exists; pass --force to overwrite it", "{path} 已存在；加 --force 覆盖"),
    "SAME_FILE": ("{path} is the database itself", "{path} 就是数据库本身"),
    "BACKUP_MISSING": ("no backup at {path}", "找不到备份文件 {path}"),
    "NOT_A_PAIMAI_DATABASE": ("{path} is not a paimai database", "{path} 不是 paimai 数据库"),
    "BACKUP_DAMAGED": ("{path} is damaged (SQLite's integrity check fails)", "{path} 已损坏（SQLite 完整性检查失败）"),
    "BACKUP_REVISION_UNKNOWN": (
        "{path} is at migration revision {revision}, which this version does not know (its newest is {head}); "
        "restore it with the paimai version that made it",
        "{path} 的迁移版本 {revision} 本版本不认识（最新为 {head}）；请用生成它的 paimai 版本恢复",
    ),
    "DATABASE_IN_USE": (
        "{path} is open in another process (a running server?); stop it first, or pass --force to restore "
        "under it (its connections then see the restored data)",
        "{path} 正被其他进程打开（服务器仍在运行？）；请先停止，或加 --force 在其运行时恢复",
    ),
    "DATABASE_NOT_EMPTY": (
        "{database} is not empty; restore into a new, empty database (createdb), then point PAIMAI_DATABASE_URL at it",
        "{database} 不是空库；请恢复到新建的空数据库（createdb），再把 PAIMAI_DATABASE_URL 指向它",
    ),
    "PG_DUMP_MISSING": (
        "pg_dump is not on PATH; run it where it is installed",
        "找不到 pg_dump；请在装有它的机器上运行",
    ),
    "PG_RESTORE_MISSING": (
        "pg_restore is not on PATH; run it where it is installed (into an empty database), then "
        "`paimai migrate` and `paimai ledger check`",
        "找不到 pg_restore；请在装有它的机器上运行（恢复到空库），再运行 `paimai migrate` 和 `paimai ledger check`",
    ),
    "PG_DUMP_FAILED": ("pg_dump failed: {output}", "pg_dump 失败：{output}"),
    "PG_RESTORE_FAILED": (
        "pg_restore failed, nothing was restored: {output}",
        "pg_restore 失败，未恢复任何数据：{output}",
    ),
    "BACKUP_CHECK_FAILED": (
        "the backup's books or records do not check out (above); nothing was restored",
        "备份的账目或记录校验不通过（见上）；未恢复任何数据",
    ),
}


def refuse(code: str, exit_code: int = 1, **details: Any) -> NoReturn:
    """Print the refusal in English and Chinese (then the command to run instead, if any) and exit."""
    english, chinese = MESSAGES[code]
    command = f":\n  {details['command']}" if "command" in details else ""
    words = f"{code}: {english.format(**details)} / {chinese.format(**details)}{command}"
    typer.secho(words, fg=typer.colors.RED, err=True)
    raise typer.Exit(exit_code)


def shown(url: str) -> str:
    """A database URL without its password, as it may be printed."""
    return files.libpq(url)[0] if not url.startswith("sqlite") else url


# The books -------------------------------------------------------------------------------------------------


def audit_database(settings: Settings, url: str) -> audit.AuditReport:
    container = Container(settings.model_copy(update={"database_url": url, "clock": "system", "redis_url": None}))
    try:
        with container.reading() as session:
            return audit.check(session)
    finally:
        container.dispose()


def report_audit(report: audit.AuditReport) -> bool:
    """Print what `paimai ledger check` prints: the problems (stderr), or that all is well. True when well."""
    books = f"{report.journal_entries} journal entries, {report.postings} postings, {report.accounts} accounts"
    records = f"{report.lots} lot records, {report.record_entries} record entries"
    for code, problems in (("LEDGER_UNBALANCED", report.ledger_problems), ("RECORD_BROKEN", report.record_problems)):
        if problems:
            typer.secho(f"{code}: {books}; {records}; {len(problems)} problem(s):", fg=typer.colors.RED, err=True)
            for problem in problems[:50]:
                typer.secho(f"  {problem.text}", fg=typer.colors.RED, err=True)
    if report.ok:
        typer.echo(
            f"ledger OK / 账目平衡: {books}; every entry sums to zero and every balance equals its postings; "
            f"records OK / 记录完整: {records}; every lot's hash chain verifies"
        )
    return report.ok


# backup ----------------------------------------------------------------------------------------------------


def backup_database(settings: Settings, path: Path, *, force: bool) -> None:
    url = settings.effective_database_url
    try:
        if settings.is_sqlite:
            _backup_sqlite(settings, url, path, force=force)
        else:
            _backup_postgres(url, path, force=force)
    except files.BackupProblem as problem:
        refuse(problem.code, **problem.details)


def _backup_sqlite(settings: Settings, url: str, path: Path, *, force: bool) -> None:
    source = files.sqlite_file(url)
    if source is None or not source.is_file():
        refuse("NO_DATABASE", 2, url=url)
    if path.exists() and path.resolve() == source.resolve():
        refuse("SAME_FILE", path=path)
    if path.exists() and not force:
        refuse("BACKUP_EXISTS", path=path)
    files.sqlite_revision(source)  # refuses anything but a paimai database
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    _remove_sqlite(partial)
    try:
        files.sqlite_copy(source, partial)
        revision = files.sqlite_revision(partial)
        report = audit_database(settings, f"sqlite:///{partial}")
        files.sqlite_standalone(partial)
        partial.replace(path)
    finally:
        _remove_sqlite(partial)
    typer.echo(
        f"backed up {url} to {path} / 已备份: one consistent moment (SQLite online backup), "
        f"migration revision {revision}"
    )
    if not report_audit(report):
        typer.secho("the backup was written, but its books do not check out (above)", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _backup_postgres(url: str, path: Path, *, force: bool) -> None:
    revision = files.postgres_revision(url)  # refuses anything but a paimai database
    if not files.have("pg_dump"):
        refuse("PG_DUMP_MISSING", command=shlex.join(files.pg_dump_command(url, path)))
    if path.exists() and not force:
        refuse("BACKUP_EXISTS", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    files.pg_dump(url, path)
    files.pg_dump_revision(path, url)
    typer.echo(
        f"backed up {shown(url)} to {path} / 已备份: pg_dump {files.PG_DUMP_FORMAT}, one snapshot, "
        f"migration revision {revision}; restore it with `paimai restore {path}` into an empty database"
    )


# restore ---------------------------------------------------------------------------------------------------


def restore_database(settings: Settings, path: Path, *, force: bool) -> None:
    url = settings.effective_database_url
    try:
        if settings.is_sqlite:
            _restore_sqlite(settings, url, path, force=force)
        else:
            _restore_postgres(settings, url, path)
    except files.BackupProblem as problem:
        refuse(problem.code, **problem.details)


def _restore_sqlite(settings: Settings, url: str, path: Path, *, force: bool) -> None:
    target = files.sqlite_file(url)
    if target is None:
        refuse("NO_DATABASE", 2, url=url)
    if not path.is_file():
        refuse("BACKUP_MISSING", path=path)
    if target.exists() and path.resolve() == target.resolve():
        refuse("SAME_FILE", path=path)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.restoring")
    _remove_sqlite(scratch)
    try:
        # Check a scratch copy first (and migrate it if the backup is older): the target is touched last.
        files.sqlite_copy(path, scratch)
        revision = files.sqlite_revision(scratch)
        if not files.is_head(revision):
            upgrade(f"sqlite:///{scratch}")
        checked = audit_database(settings, f"sqlite:///{scratch}")
        if not checked.ok:
            report_audit(checked)
            refuse("BACKUP_CHECK_FAILED")
        if not force and files.sqlite_in_use(target):
            refuse("DATABASE_IN_USE", path=target)
        files.sqlite_copy(scratch, target)
    finally:
        _remove_sqlite(scratch)
    _restored(settings, url, path, revision)


def _restore_postgres(settings: Settings, url: str, path: Path) -> None:
    if not files.have("pg_restore"):
        refuse("PG_RESTORE_MISSING", command=shlex.join(files.pg_restore_command(url, path)))
    revision = files.pg_dump_revision(path, url)
    files.pg_restore(url, path)
    if not files.is_head(revision):
        upgrade(url)
    _restored(settings, url, path, revision)


def _restored(settings: Settings, url: str, path: Path, revision: str) -> None:
    """After a restore: the schema is current and the books and records check out, as `ledger check` says."""
    target = files.sqlite_file(url) if settings.is_sqlite else None
    current = files.sqlite_revision(target) if target is not None else files.postgres_revision(url)
    migrated = "" if current == revision else f", migrated to {current}"
    typer.echo(f"restored {path} into {shown(url)} / 已恢复: migration revision {revision}{migrated}")
    if not report_audit(audit_database(settings, url)):
        raise typer.Exit(1)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
