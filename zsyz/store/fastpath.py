"""The unchanged re-import, answered without loading SQLAlchemy.

cron re-runs `zsyz import` over a drop folder; a file already imported (same sha256 as
a live batch) must be answered in well under a second. For a SQLite ledger this reads
import_batch with the standard library only; any doubt (PostgreSQL, schema not current,
file busy) returns None and the normal path decides.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from zsyz.store.schema import HEAD_REVISION


def sqlite_file(db: str | None) -> Path | None:
    raw = db or os.environ.get("ZSYZ_DB") or "zsyz.db"
    if "://" in raw:
        return None
    path = Path(raw).expanduser()
    return path if path.is_file() else None


# The one question "is this file already in the ledger?": the live batch with its sha256.
# Plain SQL both sqlite3 and SQLAlchemy run (named parameter), so both paths agree.
UNCHANGED_SQL = (
    "SELECT b.id, u.name, b.period, b.rows FROM import_batch b "
    "LEFT JOIN unit u ON u.id = b.unit_id "
    "WHERE b.sha256 = :digest AND b.status = 'imported' ORDER BY b.id DESC LIMIT 1"
)
Batch = tuple[int, str | None, str, int]  # (batch id, unit name, period, rows)


def unchanged_in(session: Any, digest: str) -> Batch | None:
    """The live batch with this sha256, read in the caller's SQLAlchemy session."""
    from sqlalchemy import text

    row = session.connection().execute(text(UNCHANGED_SQL), {"digest": digest}).first()
    return _batch(row)


def _batch(row: Any) -> Batch | None:
    return (int(row[0]), row[1], str(row[2]), int(row[3])) if row else None


def unchanged_batch(db: str | None, digest: str) -> Batch | None:
    """The live batch with this sha256, if any, from a SQLite ledger with sqlite3 alone."""
    path = sqlite_file(db)
    if path is None:
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if not version or version[0] != HEAD_REVISION:
            return None
        return _batch(con.execute(UNCHANGED_SQL, {"digest": digest}).fetchone())
    except sqlite3.Error:
        return None
    finally:
        con.close()
