"""One dialect-neutral "insert, or update on a key conflict" for SQLite and PostgreSQL.

Both speak `INSERT … ON CONFLICT (…) DO UPDATE`, each through its own SQLAlchemy
dialect construct; callers write one call and never see which database they are on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.orm import Session


def _insert_for(dialect: str) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    if dialect == "sqlite":
        return sqlite.insert
    if dialect == "postgresql":
        return postgresql.insert
    raise NotImplementedError(f"upsert on {dialect}")  # zsyz supports these two


def upsert(
    session: Session,
    table: Table,
    rows: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
    keep_when_null: Sequence[str] = (),
) -> None:
    """Insert `rows` into `table`; where a row collides on the unique `keys`, set the
    `update` columns from the new row instead. Columns in `keep_when_null` keep their
    stored value when the new one is NULL. Column defaults apply to inserts only."""
    batch = [rows] if isinstance(rows, Mapping) else list(rows)
    if not batch:
        return
    insert = _insert_for(session.get_bind().dialect.name)
    stmt = insert(table)
    excluded = stmt.excluded
    set_ = {
        name: (
            func.coalesce(excluded[name], table.c[name])
            if name in keep_when_null
            else excluded[name]
        )
        for name in update
    }
    # Column defaults (created_at, JSON {} …) are filled by SQLAlchemy per row, inserts only.
    session.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=set_), batch)
