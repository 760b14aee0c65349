"""Alembic, driven from code: the scripts ship inside the package (zsyz.migrations)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from zsyz.store.engine import Ledger


def alembic_config(ledger: Ledger | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("zsyz.migrations")))
    if ledger is not None:
        cfg.set_main_option("sqlalchemy.url", ledger.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def upgrade(ledger: Ledger, revision: str = "head") -> None:
    cfg = alembic_config(ledger)
    with ledger.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; enforcing foreign keys
            # would refuse dropping a table that other rows reference (import_batch), so
            # enforcement is off for the upgrade (set outside any transaction: SQLite ignores
            # it inside one) and the whole ledger is checked before the commit instead.
            _raw(conn, "PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"foreign keys broken by the upgrade: {broken[:5]}")
        finally:
            if sqlite:
                _raw(conn, "PRAGMA foreign_keys = ON")


def _raw(conn: Any, sql: str) -> None:
    """Run `sql` on the driver connection, outside SQLAlchemy's transaction handling."""
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql)
    finally:
        cur.close()


def current(ledger: Ledger) -> str | None:
    with ledger.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def pending_differences(ledger: Ledger) -> list[Any]:
    """What autogenerate would change to reach the models (empty when in step)."""
    from alembic.autogenerate import compare_metadata
    from sqlmodel import SQLModel

    import zsyz.store.tables  # noqa: F401

    with ledger.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, SQLModel.metadata))
