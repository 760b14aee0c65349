"""Plain SQL for read queries, run the same way on a SQLAlchemy connection or on the bare
driver: text with `:name` parameters, rows back as tuples of the driver's own values (on
SQLite a date is its ISO text, an amount its scaled integer), converted by the helpers
below. Read commands need no ORM to answer, so they need not import one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def rows(conn: Any, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """The rows of `sql` on `conn`: anything with `.rows(sql, params)` (a bare-driver reader)
    or a SQLAlchemy Connection."""
    run = getattr(conn, "rows", None)
    if run is not None:
        return list(run(sql, dict(params or {})))
    from sqlalchemy import text

    values = dict(params or {})
    if dialect_name(conn) == "sqlite":  # a date as SQLite stores it (no deprecated adapter)
        values = sqlite_params(values)
    return [tuple(r) for r in conn.execute(text(sql), values)]


def dialect_name(conn: Any) -> str:
    """ "sqlite" or "postgresql" for a bare-driver reader, a SQLAlchemy Connection or a
    Session alike (SQL that differs by database asks this, never `conn.dialect` itself)."""
    dialect = getattr(conn, "dialect", None)
    if dialect is None:
        dialect = conn.get_bind().dialect
    return str(getattr(dialect, "name", dialect))


def sqlite_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as SQLite compares them: a date (or datetime) as its ISO text."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}


def as_date(value: Any) -> date | None:
    """A DATE column's value: ISO text on SQLite, a date on PostgreSQL."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def as_fixed(value: Any, scale: int = 4) -> Decimal | None:
    """A FixedDecimal column's stored integer as its exact Decimal (万元 at scale 4)."""
    if value is None:
        return None
    return Decimal(int(value)).scaleb(-scale)
