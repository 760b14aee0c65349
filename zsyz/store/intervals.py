"""History intervals: the `valid_to` of every `project_update` row.

A row's value holds from its `effective_on` (valid from) until `valid_to`: the
`effective_on` of the next row of the same (project, field) in (effective_on, id) order,
NULL while it is that field's latest row. Two rows of one field on the same day: the first
gets `valid_to` = that day, an empty interval, so the later one (higher id) is the day's
value, as the replay (`domain.history.reduce_history`) has it. The `*created*` snapshot
row is its own field (`valid_to` NULL unless the project had a second snapshot); what
each field inside the snapshot means per day is settled by the reader
(`store/asof_history.py`, see `store/history.py`).

So "the row of (project, field) in force on day D" is the range query
`effective_on <= :d AND (valid_to IS NULL OR valid_to > :d)` — no grouping, no replay.
Every writer of `project_update` calls `relink` for the projects it touched (import
write, undo/supersede in `store.history.revert_batch`, manual corrections in
`store.manual.finish`); `db check` verifies the intervals (`stale_intervals`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_CHUNK = 500  # ids per IN list: far below every driver's parameter limit

# The effective day of the next row of the same (project, field), by (effective_on, id).
NEXT_ON = """(SELECT MIN(n.effective_on) FROM project_update n
    WHERE n.project_id = project_update.project_id AND n.field = project_update.field
      AND (n.effective_on > project_update.effective_on
           OR (n.effective_on = project_update.effective_on AND n.id > project_update.id)))"""

# One window over the whole log (the migration fills existing ledgers with it too).
WINDOW = """SELECT id, LEAD(effective_on) OVER (
    PARTITION BY project_id, field ORDER BY effective_on, id) AS next_on
  FROM project_update"""

RELINK_ALL = f"""UPDATE project_update SET valid_to = w.next_on
  FROM ({WINDOW}) AS w WHERE w.id = project_update.id"""


def relink(conn: Any, project_ids: Iterable[int | None]) -> None:
    """Recompute `valid_to` of every history row of these projects (a SQLAlchemy
    Connection, or a Session: pending ORM rows are flushed first)."""
    from sqlalchemy import bindparam, text

    wanted = sorted({p for p in project_ids if p is not None})
    if not wanted:
        return
    if hasattr(conn, "flush"):
        conn.flush()
        conn = conn.connection()
    statement = text(
        f"UPDATE project_update SET valid_to = {NEXT_ON} WHERE project_id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(wanted), _CHUNK):
        conn.execute(statement, {"ids": wanted[start : start + _CHUNK]})


def relink_all(conn: Any) -> None:
    """Recompute `valid_to` of the whole log with one window query."""
    from sqlalchemy import text

    if hasattr(conn, "flush"):
        conn.flush()
        conn = conn.connection()
    conn.execute(text(RELINK_ALL))


def stale_intervals(conn: Any) -> list[tuple[Any, ...]]:
    """Rows whose stored `valid_to` is not the next row's day: (id, stored, expected)."""
    from zsyz.store.sqltext import rows

    return rows(
        conn,
        f"""SELECT u.id, u.valid_to, w.next_on FROM project_update u
            JOIN ({WINDOW}) w ON w.id = u.id
            WHERE (u.valid_to IS NULL AND w.next_on IS NOT NULL)
               OR (u.valid_to IS NOT NULL AND w.next_on IS NULL)
               OR u.valid_to <> w.next_on
            ORDER BY u.id""",
    )
