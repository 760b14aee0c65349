"""Creating, upgrading and backing up a ledger."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect

from zsyz.errors import LedgerStateError
from zsyz.store import migrate
from zsyz.store.engine import Ledger, known_revision, newer_message, open_ledger, sqlite_path
from zsyz.store.schema import HEAD_REVISION


def create_ledger(db: str | None) -> Ledger:
    """A new ledger at the head schema. Refuses to touch one that exists."""
    ledger = open_ledger(db, must_exist=False, check_schema=False)
    path = sqlite_path(ledger.url)
    if path is not None:
        if path.exists():
            raise LedgerStateError(f"台账 {path} 已存在，不会覆盖；换一个 --db 位置或先移走旧文件")
        if not path.parent.exists():
            raise LedgerStateError(f"目录 {path.parent} 不存在；请先创建")
    else:
        with ledger.engine.connect() as conn:
            if inspect(conn).has_table("alembic_version") or inspect(conn).has_table("unit"):
                raise LedgerStateError(f"数据库 {ledger.where} 中已有台账，不会覆盖")
    try:
        migrate.upgrade(ledger)
    except BaseException:
        discard(ledger)
        raise
    return ledger


def discard(ledger: Ledger) -> None:
    """Undo `create_ledger` when init cannot finish: nothing half-made stays behind.

    SQLite: delete the new file. PostgreSQL: drop the tables init created (the database
    held no ledger before, or create_ledger would have refused it)."""
    path = sqlite_path(ledger.url)
    if path is None:
        from sqlalchemy import MetaData

        with ledger.engine.begin() as conn:
            present = MetaData()
            ours = ledger_table_names()
            present.reflect(conn, only=lambda name, _meta: name in ours)
            present.drop_all(conn)
    ledger.engine.dispose()
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def ledger_table_names() -> frozenset[str]:
    """Every table a ledger owns: the models' and Alembic's version table."""
    from sqlmodel import SQLModel

    import zsyz.store.tables  # noqa: F401  (registers the models)

    return frozenset({*SQLModel.metadata.tables, "alembic_version"})


def upgrade_ledger(db: str | None) -> tuple[str | None, str, Path | None]:
    """Bring a ledger to the head schema, backing a SQLite file up first when it moves.

    Returns (from revision, to revision, backup path or None).
    """
    ledger = open_ledger(db, check_schema=False)
    before = migrate.current(ledger)
    if before is not None and not known_revision(before):
        raise LedgerStateError(newer_message(before))
    backup_path = None
    if before != HEAD_REVISION:
        path = sqlite_path(ledger.url)
        if path is not None and before is not None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup_path = path.with_name(f"{path.name}.{before}.{stamp}.bak")
            backup(ledger, backup_path)
        migrate.upgrade(ledger)
    return before, HEAD_REVISION, backup_path


def backup(ledger: Ledger, dest: Path) -> None:
    """A consistent copy through SQLite's online backup API (safe while others write)."""
    path = sqlite_path(ledger.url)
    if path is None:
        raise LedgerStateError("db backup 只适用于 SQLite 台账；PostgreSQL 请用 pg_dump")
    if dest.exists():
        raise LedgerStateError(f"{dest} 已存在，不会覆盖")
    folder = dest.parent
    if not folder.is_dir():
        what = "不是文件夹" if folder.exists() else "不存在"
        raise LedgerStateError(f"备份目录 {folder} {what}；请先创建该文件夹，或换一个备份路径")
    tmp = dest.with_name(f".{dest.name}.tmp")
    src = sqlite3.connect(str(path))
    try:
        out = sqlite3.connect(str(tmp))
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    tmp.replace(dest)
