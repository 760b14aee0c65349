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


def test_upgrade_of_a_ledger_holding_imports_keeps_every_row(db):
    """Batch mode rebuilds tables that other rows reference (import_batch): the upgrade of
    a ledger from the previous release, with an import in it, must go through and keep
    every row and reference (it once ended in `FOREIGN KEY constraint failed`)."""
    from sqlalchemy import text

    ledger = open_ledger(db, must_exist=False, check_schema=False)
    migrate.upgrade(ledger, "0002")
    rows = {
        "unit": "INSERT INTO unit (id, code, name, unit_class, active, created_at)"
        " VALUES (1, 'u1', '石佛寺镇', 'township', true, '2022-01-01 00:00:00')",
        "import_batch": "INSERT INTO import_batch (id, file_name, sha256, unit_id, all_units,"
        " period, report_date, imported_at, status, rows, created, updated, warnings)"
        " VALUES (1, 'a.xlsx', 'x', 1, false, '2022-W10', '2022-03-11',"
        " '2022-03-11 00:00:00', 'imported', 1, 1, 0, '[]')",
        "project": "INSERT INTO project (id, code, name, norm_name, stage, created_at,"
        " updated_at, created_batch_id) VALUES (1, 'P1', '项目', '项目', 'signed',"
        " '2022-03-11 00:00:00', '2022-03-11 00:00:00', 1)",
        "project_role": "INSERT INTO project_role (id, project_id, unit_id, role)"
        " VALUES (1, 1, 1, 'sourcing')",
        "project_update": "INSERT INTO project_update (id, project_id, batch_id, field,"
        " new_value, effective_on, created_at) VALUES (1, 1, 1, 'fai', '100',"
        " '2022-03-11', '2022-03-11 00:00:00')",
    }
    with ledger.engine.begin() as conn:
        for sql in rows.values():
            conn.execute(text(sql))
    migrate.upgrade(ledger)
    assert migrate.current(ledger) == HEAD_REVISION
    with ledger.engine.connect() as conn:
        for table in rows:
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 1
        batch = conn.execute(text("SELECT batch_id FROM project_update")).scalar()
        assert batch == 1
        if ledger.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    ledger.engine.dispose()
