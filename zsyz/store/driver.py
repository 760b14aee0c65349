"""Rows in bulk straight on the database driver, bypassing SQLAlchemy's per-row work: at
50,000 rows × 20 fields its parameter handling costs more than SQLite's insert. Values are
converted by the columns' own types, so what is stored is what the ORM would store, on
SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date
from sqlmodel import Session

from zsyz.memo import remembered
from zsyz.store.types import FixedDecimal


def fetch(session: Session, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Rows of a plain query on the driver (`{}` marks a parameter), without SQLAlchemy's
    per-row result processing: only for columns stored as the driver returns them."""
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql.format(*[mark] * len(params)), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _processor(table: Any, column: str, dialect: Any) -> Any:
    """The column's bind processor; SQLite timestamps as SQLAlchemy itself stores them."""
    if dialect.name == "sqlite" and column in ("created_at", "updated_at", "imported_at"):
        return lambda v: v.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    kind = table.c[column].type
    if dialect.name == "sqlite" and type(kind) is Date:
        # What sqlite3's own date adapter would store, converted here where it can be
        # remembered: the adapter would run once per history row for the same report date.
        return date.isoformat
    proc = kind.bind_processor(dialect)
    if proc is None and isinstance(kind, JSON):
        # psycopg adapts a dict only through SQLAlchemy's wrapper; on the bare driver the
        # JSON text is sent (an untyped string PostgreSQL casts to json).
        return lambda v: json.dumps(v, ensure_ascii=False)
    return proc


def converters(session: Session, table: Any, columns: Sequence[str]) -> list[Any]:
    """Per column, a function from a (non-null) value to what the driver is given, or
    None where the value goes as it is; the stored form is the columns' own types'."""
    dialect = session.connection().dialect
    out: list[Any] = []
    for c in columns:
        kind = table.c[c].type
        proc = _processor(table, c, dialect)
        out.append(_fixed(kind.scale, proc) if isinstance(kind, FixedDecimal) else remembered(proc))
    return out


def _fixed(scale: int, proc: Any) -> Any:
    """FixedDecimal's conversion, shortened for a Decimal of at most `scale` places (every
    amount a report gives): the scaled integer itself, no quantize or multiply."""

    def convert(value: Any) -> Any:
        if type(value) is Decimal and value.is_finite():
            scaled = value.scaleb(scale)
            whole = int(scaled)
            if whole == scaled:
                return whole
        return proc(value)

    return convert


def db_value(session: Session, table: Any, column: str, value: Any) -> Any:
    proc = _processor(table, column, session.connection().dialect)
    return value if proc is None or value is None else proc(value)


def bulk_insert(
    session: Session,
    table: Any,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ready: bool = False,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """executemany straight on the driver, values converted by the columns' own types.

    SQLAlchemy's per-row parameter handling costs more than SQLite's insert itself at
    50,000 rows × 20 fields; the columns' bind processors keep the stored form identical
    (FixedDecimal integers, dates) on SQLite and PostgreSQL alike. `rows` may be a
    generator: nothing is materialised. `constants`: column → the value every row has,
    ready for the driver (not in `rows`); plain integers and ASCII text are written into
    the statement itself (one literal, not one bound parameter per row), other values
    are bound with each row.
    """
    conn = session.connection()
    dialect = conn.dialect
    procs = [None] * len(columns) if ready else converters(session, table, columns)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    names, marks = list(columns), [mark] * len(columns)
    bound: list[Any] = []
    for name, value in (constants or {}).items():
        names.append(name)
        if (literal := _literal(value)) is not None:
            marks.append(literal)
        else:
            marks.append(mark)
            bound.append(value)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(marks)})"

    active = [(i, p) for i, p in enumerate(procs) if p is not None]

    def converted() -> Iterator[Sequence[Any]]:
        for row in rows:  # only the columns whose type converts (most are text)
            out = list(row)
            for i, p in active:
                v = out[i]
                if v is not None:
                    out[i] = p(v)
            yield (*out, *bound)

    def appended() -> Iterator[Sequence[Any]]:
        for row in rows:
            yield (*row, *bound)

    cursor = conn.connection.cursor()
    try:
        given = (appended() if bound else rows) if ready else converted()
        cursor.executemany(sql, given)  # type: ignore[arg-type]
    finally:
        cursor.close()


def _literal(value: Any) -> str | None:
    """`value` as an SQL literal when that is unambiguous on every dialect: an integer
    (not a bool) or printable ASCII text without quotes or `%` (psycopg's marker)."""
    if type(value) is int:
        return str(value)
    plain = type(value) is str and value.isascii() and value.isprintable()
    if plain and not any(c in value for c in "'%\\"):
        return f"'{value}'"
    return None
