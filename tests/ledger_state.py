"""Reading a ledger behind zsyz's back, the same way on SQLite and PostgreSQL.

Tests compare whole ledgers ("nothing changed", "state before or after a file") and
look at single columns. Values come back as SQLite stores them whatever the database:
dates as ISO text, timestamps as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC), amounts as scaled
integers, booleans as 0/1, JSON as sorted text, so one assertion holds on both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from zsyz.store.engine import resolve_url

LEDGER_TABLES = ("project", "project_role", "project_update", "import_batch", "unit", "unit_alias")


@contextmanager
def connect(db: str) -> Iterator[Connection]:
    """A short-lived read connection to the ledger at `db` (a path or a URL)."""
    engine = create_engine(resolve_url(db), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def plain(value: Any) -> Any:
    """A raw database value in SQLite's stored form."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _row(values: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(plain(v) for v in values)


def query(db: str, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of a raw SQL statement (`:name` parameters), values as SQLite stores them."""
    with connect(db) as conn:
        return [_row(r) for r in conn.execute(text(sql), dict(params or {}))]


def records(db: str, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Like `query`, each row a dict by column name."""
    with connect(db) as conn:
        result = conn.execute(text(sql), dict(params or {}))
        keys = list(result.keys())
        return [dict(zip(keys, _row(r), strict=True)) for r in result]


def scalar(db: str, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    rows = query(db, sql, params)
    return rows[0][0] if rows else None


def columns(table: str) -> list[str]:
    """The column names of a ledger table, in the models' order (= SELECT * order)."""
    from zsyz.store.tables import table_of

    return [c.name for c in table_of(table).columns]


def _raw(conn: Connection, table: str) -> list[tuple[Any, ...]]:
    from zsyz.store.tables import table_of

    t = table_of(table)
    # Columns named explicitly: the models' order, whatever order migrations left.
    cols = ", ".join(f'"{c.name}"' for c in t.columns)
    is_json = [isinstance(c.type, JSON) for c in t.columns]
    return [
        _row(
            [
                json.loads(v) if j and isinstance(v, str) else v
                for v, j in zip(r, is_json, strict=True)
            ]
        )
        for r in conn.execute(text(f"SELECT {cols} FROM {t.name}"))
    ]


def dump(db: str, tables: Sequence[str] = LEDGER_TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of `tables`, ids included, sorted: equal dumps mean equal ledgers."""
    with connect(db) as conn:
        return {t: sorted(_raw(conn, t), key=repr) for t in tables}


def projects(db: str) -> dict[str, dict[str, Any]]:
    """Projects by name, every column as SQLite stores it."""
    return {
        r["name"]: r for r in records(db, f"SELECT {', '.join(columns('project'))} FROM project")
    }


# Natural keys for the id-free dump: a row that others point at is named by these columns.
NATURAL_KEYS = {
    "unit": ("code",),
    "project": ("code",),
    "import_batch": ("sha256", "period", "status"),
    "policy": ("name",),
}


def logical_dump(
    db: str, tables: Sequence[str] = LEDGER_TABLES
) -> dict[str, list[tuple[Any, ...]]]:
    """Like `dump`, without surrogate ids and clock times: each foreign key is replaced by
    the natural key of the row it points at. Two ledgers that received the same imports
    compare equal even when PostgreSQL burnt sequence values in aborted transactions."""
    from sqlmodel import SQLModel

    from zsyz.store.tables import table_of

    with connect(db) as conn:
        names: dict[str, dict[Any, tuple[Any, ...]]] = {}
        for table, keys in NATURAL_KEYS.items():
            if table in SQLModel.metadata.tables:
                cols = ", ".join(["id", *keys])
                names[table] = {
                    r[0]: _row(r[1:]) for r in conn.execute(text(f"SELECT {cols} FROM {table}"))
                }
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            t = table_of(table)
            keep = []
            for i, c in enumerate(t.columns):
                if c.name == "id" or _is_timestamp(c.type):
                    continue
                target = next(iter(c.foreign_keys)).column.table.name if c.foreign_keys else None
                keep.append((i, target))
            rows = []
            for r in _raw(conn, table):
                rows.append(
                    tuple(
                        names[target].get(r[i], ("?", r[i]))
                        if target and r[i] is not None
                        else r[i]
                        for i, target in keep
                    )
                )
            out[table] = sorted(rows, key=repr)
        return out


def _is_timestamp(sql_type: Any) -> bool:
    impl = getattr(sql_type, "impl", sql_type)
    return isinstance(sql_type, DateTime) or isinstance(impl, DateTime)


def batch_statuses(db: str) -> list[tuple[Any, ...]]:
    return query(db, "SELECT id, status, superseded_by_id FROM import_batch ORDER BY id")
