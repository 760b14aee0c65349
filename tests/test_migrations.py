"""Alembic owns the schema: an empty database upgraded to head equals the models."""

from __future__ import annotations

from zsyz.store import migrate
from zsyz.store.engine import open_ledger
from zsyz.store.schema import HEAD_REVISION


def test_head_constant_matches_alembic_head():
    assert migrate.head_revision() == HEAD_REVISION


def test_upgrade_empty_database_yields_models_schema(db):
    """On SQLite and, in the PostgreSQL run, on PostgreSQL (`db` is then a PG URL)."""
    ledger = open_ledger(db, must_exist=False, check_schema=False)
    migrate.upgrade(ledger)
    assert migrate.current(ledger) == HEAD_REVISION
    assert migrate.pending_differences(ledger) == []
    ledger.engine.dispose()


def test_pending_differences_detects_drift(db):
    """The comparison itself can fail: a dropped index shows up as a difference."""
    from sqlalchemy import text

    ledger = open_ledger(db, must_exist=False, check_schema=False)
    migrate.upgrade(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_unit_code"))
    assert migrate.pending_differences(ledger) != []
    ledger.engine.dispose()


def test_upgrade_from_nothing_through_db_upgrade(db, cli):
    if "://" not in db:
        import sqlite3

        sqlite3.connect(db).close()  # an empty file: no schema at all
    result = cli("db", "upgrade", "--db", db)
    assert result.code == 0, result.err
    assert cli("units", "list", "--db", db).code == 0
