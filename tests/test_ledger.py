"""init, the ledger's location, refusing to overwrite, missing and behind ledgers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.pg import on_postgres
from zsyz.store.engine import resolve_url


def _sql(url: str, statement: str) -> None:
    """Run one statement on a ledger behind zsyz's back (SQLite file or PostgreSQL URL)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def test_init_refuses_to_overwrite_any_ledger(db, cli):
    assert cli("init").code == 0
    assert cli("units", "add", "商务局", "--class", "dept_a").code == 0
    again = cli("init")
    assert again.code == 1
    assert "不会覆盖" in again.err
    assert [u["name"] for u in cli("units", "list", "--format", "json").json()] == ["商务局"]


def _file_content(path: Path) -> tuple[int, list[str]]:
    """The file's identity (inode) and everything in it: schema and rows as SQL text.
    Unlike the byte size, this stays put when SQLite checkpoints its WAL meanwhile."""
    con = sqlite3.connect(path)
    try:
        return path.stat().st_ino, list(con.iterdump())
    finally:
        con.close()


@pytest.mark.sqlite_only(reason="the ledger is a file")
def test_init_creates_ledger_and_refuses_to_overwrite(db, cli):
    first = cli("init")
    assert first.code == 0, first.err
    assert Path(db).exists()
    with sqlite3.connect(db) as con:  # a mark that any re-creation would lose
        con.execute("CREATE TABLE keep_me(x)")
        con.execute("INSERT INTO keep_me VALUES (42)")
    con.close()
    before = _file_content(Path(db))
    assert any("alembic_version" in line for line in before[1])
    assert 'INSERT INTO "keep_me" VALUES(42);' in before[1]
    again = cli("init")
    assert again.code == 1
    assert "已存在" in again.err and "不会覆盖" in again.err
    assert _file_content(Path(db)) == before


def test_command_on_missing_ledger_is_one_line(tmp_path, cli):
    result = cli("units", "list", "--db", str(tmp_path / "none.db"))
    assert result.code == 1
    assert "zsyz init" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "none.db").exists()  # never created as a side effect


def test_db_option_wins_over_env(tmp_path, db, cli, monkeypatch):
    other = tmp_path / "other.db"
    assert cli("init", "--db", str(other)).code == 0
    assert other.exists() and not Path(db).exists()
    assert cli("--db", str(other), "units", "list").code == 0


def test_resolve_url_forms(monkeypatch, tmp_path):
    monkeypatch.delenv("ZSYZ_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'zsyz.db'}"
    assert resolve_url("x/y.db") == f"sqlite:///{tmp_path / 'x/y.db'}"
    assert resolve_url("sqlite:///abs.db") == "sqlite:///abs.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("ZSYZ_DB", "env.db")
    assert resolve_url(None).endswith("/env.db")


@pytest.mark.sqlite_only(reason="PRAGMAs")
def test_sqlite_connection_settings(ledger_db):
    from sqlalchemy import text

    from zsyz.store.engine import open_ledger

    ledger = open_ledger(ledger_db)
    with ledger.read() as session:
        assert session.exec(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.exec(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.exec(text("PRAGMA busy_timeout")).scalar() > 0


def test_postgresql_connection_settings(pg_url):
    """Writers SERIALIZABLE, readers a read-only snapshot, lock_timeout = the busy timeout."""
    from sqlalchemy import text

    from zsyz.store.engine import BUSY_TIMEOUT_MS
    from zsyz.store.lifecycle import create_ledger

    ledger = create_ledger(pg_url)
    with ledger.write() as session:
        assert session.exec(text("SHOW transaction_isolation")).scalar() == "serializable"
        assert session.exec(text("SHOW lock_timeout")).scalar() in (
            f"{BUSY_TIMEOUT_MS}ms",
            f"{BUSY_TIMEOUT_MS // 1000}s",
        )
    with ledger.read() as session:
        assert session.exec(text("SHOW transaction_isolation")).scalar() == "repeatable read"
        assert session.exec(text("SHOW transaction_read_only")).scalar() == "on"
    ledger.engine.dispose()


def test_ledger_behind_says_run_upgrade(ledger_db, cli):
    _sql(ledger_db, "UPDATE alembic_version SET version_num = '0000'")
    result = cli("units", "list")
    assert result.code == 1
    assert "zsyz db upgrade" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_not_a_ledger(tmp_path, cli):
    path = tmp_path / "plain.db"
    sqlite3.connect(path).execute("CREATE TABLE t(x)").connection.close()
    result = cli("units", "list", "--db", str(path))
    assert result.code == 1 and "不是 zsyz 台账" in result.err


def test_db_current_and_upgrade(ledger_db, cli):
    from zsyz.store.schema import HEAD_REVISION

    current = cli("db", "current")
    assert current.code == 0 and HEAD_REVISION in current.out
    up = cli("db", "upgrade")
    assert up.code == 0 and "已是最新" in up.err


@pytest.mark.sqlite_only(reason="db backup copies a SQLite file")
def test_db_backup_is_a_working_ledger(ledger_db, cli, tmp_path):
    assert cli("units", "add", "商务局", "--class", "dept_a").code == 0
    dest = tmp_path / "copy.db"
    assert cli("db", "backup", str(dest)).code == 0
    listed = cli("units", "list", "--db", str(dest), "--format", "json")
    assert [u["name"] for u in listed.json()] == ["商务局"]
    assert cli("db", "backup", str(dest)).code == 1  # never overwrites


@pytest.mark.sqlite_only(reason="db backup copies a SQLite file")
def test_db_backup_into_a_missing_folder_says_so(ledger_db, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("db", "backup", "nodir/x.db")
    assert result.code == 1 and "Error" not in result.err
    assert result.err.count("\n") == 1 and "备份目录 nodir 不存在" in result.err
    assert not (tmp_path / "nodir").exists()


@pytest.mark.skipif(not on_postgres(), reason="needs a PostgreSQL ledger (ZSYZ_TEST_PG)")
def test_db_backup_on_postgresql_points_at_pg_dump(ledger_db, cli, tmp_path):
    result = cli("db", "backup", str(tmp_path / "x.db"))
    assert result.code == 1 and "pg_dump" in result.err
    assert not (tmp_path / "x.db").exists()
