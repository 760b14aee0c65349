"""Aggregation in the database: figures per unit counted by one GROUP BY instead of
loading every row and counting in Python. The pure domain functions stay the reference
(tests/test_aggregate.py proves these equal them on generated ledgers, on SQLite and on
PostgreSQL); plain SQL text with `:name` parameters (`store/sqltext.rows`).

`report_statuses` is `domain.reporting.statuses(units, report_facts(…), …)`: the reports
(live import batches dated on or before the day, a county summary standing for the county
office and, with `summaries`, for the units it touched) are mapped to the period they
cover through a small table the domain's calendar fills (one row per distinct report day
and named period), grouped to each unit's earliest report per period, and counted
against the owed periods' due days: one row per unit back (10,000 at province scale)
instead of every batch (514,800).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from zsyz.domain.periods import Period, parse_period
from zsyz.domain.policy import Reporting
from zsyz.domain.reporting import (
    ReportFact,
    ReportStatus,
    covered_period,
    status_from,
    status_plan,
)
from zsyz.store.sqltext import as_date, dialect_name, rows

LIVE = "b.status IN ('imported', 'superseded') AND b.kind = 'import' AND b.report_date <= :d"

# (batch, its report day, its named period or '', the unit code it counts for)
_REPORTERS = f"""
SELECT b.id AS batch, b.report_date AS day, b.period_named AS named, b.period AS period,
       u.code AS unit
  FROM import_batch b JOIN unit u ON u.id = b.unit_id
  WHERE {LIVE} AND NOT b.all_units
UNION ALL
SELECT b.id, b.report_date, b.period_named, b.period, u.code
  FROM import_batch b JOIN unit u ON u.unit_class = 'county'
  WHERE {LIVE} AND (b.all_units OR b.unit_id IS NULL)"""

_TOUCHED = f"""
UNION
SELECT b.id, b.report_date, b.period_named, b.period, u.code
  FROM import_batch b
  JOIN project_update pu ON pu.batch_id = b.id
  JOIN project_role r ON r.project_id = pu.project_id
  JOIN unit u ON u.id = r.unit_id
  WHERE {LIVE} AND (b.all_units OR b.unit_id IS NULL) AND u.unit_class <> 'county'"""

_DAYS = f"""
SELECT DISTINCT b.report_date, b.period_named, b.period FROM import_batch b WHERE {LIVE}"""


def _on_postgres(conn: Any) -> bool:
    """A reader, a SQLAlchemy connection or a session on PostgreSQL."""
    return dialect_name(conn) == "postgresql"


def _values(
    name: str,
    columns: str,
    types: str,
    rows_: list[tuple[Any, ...]],
    params: dict[str, Any],
    pg: bool,
) -> str:
    """A `name(columns) AS (VALUES …)` CTE whose cells are bound parameters. Dates go as
    ISO text, typed DATE on PostgreSQL (SQLite stores dates as that text). No rows: an
    empty select of `types` (so PostgreSQL still knows a date column is one)."""
    if not rows_:
        nulls = ", ".join(f"CAST(NULL AS {t.strip()})" for t in types.split(","))
        return f"{name}({columns}) AS (SELECT {nulls} WHERE 1 = 0)"
    cells = []
    for i, row in enumerate(rows_):
        keys = []
        for j, value in enumerate(row):
            key = f"{name}_{i}_{j}"
            if isinstance(value, date):
                params[key] = value.isoformat()
                keys.append(f"CAST(:{key} AS DATE)" if pg else f":{key}")
            else:
                params[key] = value
                keys.append(f":{key}")
        cells.append(f"({', '.join(keys)})")
    return f"{name}({columns}) AS (VALUES {', '.join(cells)})"


def _named(period: str, is_named: Any) -> Period | None:
    if not is_named:
        return None
    try:
        return parse_period(period)
    except ValueError:
        return None


def _firsts(
    conn: Any, reporting: Reporting, as_of: date, params: dict[str, Any]
) -> tuple[str, dict[str, Period]]:
    """The CTEs ending in `firsts(unit, covered, first)`: each unit's earliest report
    (dated on or before `as_of`) per covered period label; and label → period."""
    pg = _on_postgres(conn)
    params["d"] = as_of
    cover = []
    periods: dict[str, Period] = {}
    for day, is_named, period in rows(conn, _DAYS, {"d": as_of}):
        on = as_date(day)
        assert on is not None
        got = covered_period(ReportFact("", on, _named(period, is_named)), reporting)
        periods[got.label] = got
        cover.append((on, period if is_named else "", got.label))
    reporters = _REPORTERS + (_TOUCHED if reporting.summaries else "")
    sql = f"""{_values("cov", "day, named, covered", "DATE, TEXT, TEXT", cover, params, pg)},
     reporter AS ({reporters}),
     firsts AS (
       SELECT r.unit AS unit, c.covered AS covered, MIN(r.day) AS first
         FROM reporter r JOIN cov c ON c.day = r.day
          AND c.named = CASE WHEN r.named THEN r.period ELSE '' END
         GROUP BY r.unit, c.covered)"""
    return sql, periods


def earliest_reports(conn: Any, reporting: Reporting, as_of: date) -> dict[str, dict[Period, date]]:
    """`earliest(report_facts(session, as_of, reporting), reporting)` grouped in SQL: one
    row per unit and period reported instead of one per report."""
    params: dict[str, Any] = {}
    firsts, periods = _firsts(conn, reporting, as_of, params)
    out: dict[str, dict[Period, date]] = {}
    days: dict[Any, date] = {}  # 500,000 rows, a few dozen distinct days
    sql = f"WITH {firsts} SELECT unit, covered, first FROM firsts"
    for unit, covered, first in rows(conn, sql, params):
        day = days.get(first)
        if day is None:
            day = as_date(first)
            assert day is not None  # the MIN of report dates, never NULL
            days[first] = day
        mine = out.get(unit)
        if mine is None:
            mine = out[unit] = {}
        mine[periods[covered]] = day
    return out


def report_statuses(
    conn: Any, units: Iterable[str], reporting: Reporting, as_of: date, since: date
) -> dict[str, ReportStatus]:
    """`statuses(units, report_facts(session, as_of, reporting), reporting, as_of, since)`
    counted in SQL."""
    plan = status_plan(reporting, as_of, since)
    params: dict[str, Any] = {}
    firsts, _ = _firsts(conn, reporting, as_of, params)
    owed = [(p.label, due) for p, due in plan.owed]
    sql = f"""
WITH {firsts},
     {_values("owed", "label, due", "TEXT, DATE", owed, params, _on_postgres(conn))}
SELECT f.unit,
       SUM(CASE WHEN o.due IS NOT NULL AND f.first <= o.due THEN 1 ELSE 0 END),
       MIN(CASE WHEN f.covered = :current THEN f.first END),
       MIN(CASE WHEN f.covered = :previous THEN f.first END)
  FROM firsts f LEFT JOIN owed o ON o.label = f.covered
  GROUP BY f.unit"""
    params |= {"current": plan.current.label, "previous": plan.previous.label}
    counted = {
        unit: (int(on_time), as_date(current), as_date(previous))
        for unit, on_time, current, previous in rows(conn, sql, params)
    }
    out = {}
    for unit in units:
        on_time, current, previous = counted.get(unit, (0, None, None))
        out[unit] = status_from(plan, on_time, current, previous, reporting, as_of, since)
    return out
