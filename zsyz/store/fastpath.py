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

from zsyz.store.schema import HEAD_REVISION


def sqlite_file(db: str | None) -> Path | None:
    raw = db or os.environ.get("ZSYZ_DB") or "zsyz.db"
    if "://" in raw:
        return None
    path = Path(raw).expanduser()
    return path if path.is_file() else None


def unchanged_batch(db: str | None, digest: str) -> tuple[int, str | None, str, int] | None:
    """(batch id, unit name, period, rows) of the live batch with this sha256, if any."""
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
        row = con.execute(
            "SELECT b.id, u.name, b.period, b.rows FROM import_batch b "
            "LEFT JOIN unit u ON u.id = b.unit_id "
            "WHERE b.sha256 = ? AND b.status = 'imported' ORDER BY b.id DESC LIMIT 1",
            (digest,),
        ).fetchone()
        return (int(row[0]), row[1], str(row[2]), int(row[3])) if row else None
    except sqlite3.Error:
        return None
    finally:
        con.close()
