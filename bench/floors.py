"""Floors for bench/run.py: what each zsyz figure would cost written by hand (not a test).

    python bench/floors.py progress|rank|rewards|alerts LEDGER.db|POSTGRES_URL YEAR AS_OF
    python bench/floors.py import BOOK.xlsx LEDGER.db

Each floor is a fresh process with the standard library's sqlite3 (and python-calamine for
the import) — or psycopg alone when the ledger is a PostgreSQL URL, running the very same
SQL text (named `:param`s become psycopg's `%(param)s`) — answering the command's core question with one SQL query per measure over the
ledger as of the day: stage counts per unit and fixed-asset threshold through the roles,
funds in place as the latest observation on or before the day, report weeks per unit,
stale and signed-not-started projects. The ratio zsyz / floor says how much the tool adds
on top of what the data itself costs to read; the floor prints its rows as JSON so it does
the same output work as `--format json`.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from datetime import date, timedelta
from typing import Any

SCALE = 10_000  # stored integers are 元 (0.0001 万元)
THRESHOLDS = (3000, 5000, 10000)  # 万元: the zhenping-2020 targets' fixed-asset bands

STAGE_COUNTS = """
SELECT r.unit_id,
       COUNT(DISTINCT CASE WHEN p.fai >= :t1 THEN p.id END),
       COUNT(DISTINCT CASE WHEN p.fai >= :t2 THEN p.id END),
       COUNT(DISTINCT CASE WHEN p.fai >= :t3 THEN p.id END)
FROM project_role r JOIN project p ON p.id = r.project_id
WHERE r.role IN ('sourcing', 'landing') AND p.{stage}_on BETWEEN :start AND :day
GROUP BY r.unit_id
"""

FUNDS_AS_OF = """
SELECT r.unit_id, SUM(CAST(u.new_value AS DOUBLE PRECISION))
FROM project_update u
JOIN (SELECT project_id, MAX(effective_on) AS day FROM project_update
      WHERE field = 'funds_in_place' AND effective_on <= :day GROUP BY project_id) last
  ON last.project_id = u.project_id AND last.day = u.effective_on
JOIN project_role r ON r.project_id = u.project_id AND r.role = 'sourcing'
WHERE u.field = 'funds_in_place'
GROUP BY r.unit_id
"""

REPORT_WEEKS = """
SELECT unit_id, COUNT(DISTINCT period), SUM(CASE WHEN report_date > :due THEN 1 ELSE 0 END)
FROM import_batch
WHERE unit_id IS NOT NULL AND status != 'undone' AND report_date BETWEEN :start AND :day
GROUP BY unit_id
"""

STALE = """
SELECT r.unit_id, COUNT(*)
FROM project p JOIN project_role r ON r.project_id = p.id AND r.role = 'sourcing'
WHERE p.last_reported_on < :stale_before AND p.stage NOT IN ('producing', 'dropped')
GROUP BY r.unit_id
"""

SIGNED_NOT_STARTED = """
SELECT r.unit_id, COUNT(*)
FROM project p JOIN project_role r ON r.project_id = p.id AND r.role = 'sourcing'
WHERE p.signed_on <= :limit AND (p.started_on IS NULL OR p.started_on > :day)
GROUP BY r.unit_id
"""


class Ledger:
    """One read connection, SQLite (stdlib sqlite3) or PostgreSQL (psycopg), same SQL."""

    def __init__(self, where: str) -> None:
        self.pg = "://" in where
        if self.pg:
            import psycopg

            rest = where.split("://", 1)[1]
            self.conn: Any = psycopg.connect(f"postgresql://{rest}")
            self.conn.read_only = True
        else:
            self.conn = sqlite3.connect(f"file:{where}?mode=ro", uri=True)

    def execute(self, sql: str, params: dict[str, object]) -> Any:
        if self.pg:
            return self.conn.execute(re.sub(r":(\w+)", r"%(\1)s", sql), params)
        plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
        return self.conn.execute(sql, plain)


def _params(year: int, day: date, start: date | None = None) -> dict[str, object]:
    return {
        "start": start or date(year, 1, 1),
        "day": day,
        "t1": THRESHOLDS[0] * SCALE,
        "t2": THRESHOLDS[1] * SCALE,
        "t3": THRESHOLDS[2] * SCALE,
    }


def _per_unit(conn: Ledger, sql: str, params: dict[str, object]) -> dict:
    return {row[0]: list(row[1:]) for row in conn.execute(sql, params)}


def progress(conn: Ledger, year: int, day: date) -> dict:
    params = _params(year, day)
    return {
        "signed": _per_unit(conn, STAGE_COUNTS.format(stage="signed"), params),
        "started": _per_unit(conn, STAGE_COUNTS.format(stage="started"), params),
        "funds": _per_unit(conn, FUNDS_AS_OF, params),
    }


def reports(conn: Ledger, start: date, day: date) -> dict:
    params: dict[str, object] = {"start": start, "day": day, "due": day}
    return _per_unit(conn, REPORT_WEEKS, params)


def rank(conn: Ledger, year: int, day: date) -> dict:
    """The quarter ending on `day` and the one before it, as the ranking reads both."""
    quarter_start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    previous_end = quarter_start - timedelta(days=1)
    previous_start = date(previous_end.year, 3 * ((previous_end.month - 1) // 3) + 1, 1)
    return {
        "now": progress(conn, year, day) | {"reports": reports(conn, quarter_start, day)},
        "before": progress(conn, year, previous_end)
        | {"reports": reports(conn, previous_start, previous_end)},
    }


def rewards(conn: Ledger, year: int, day: date) -> dict:
    return rank(conn, year, day) | {"year": progress(conn, year, date(year, 12, 31))}


def alerts(conn: Ledger, year: int, day: date) -> dict:
    week_start = day - timedelta(days=day.weekday() + 7)
    return {
        "progress": progress(conn, year, day),
        "reports": reports(conn, week_start, day),
        "stale": _per_unit(conn, STALE, {"stale_before": day - timedelta(days=30)}),
        "signed_not_started": _per_unit(
            conn, SIGNED_NOT_STARTED, {"limit": day - timedelta(days=180), "day": day}
        ),
    }


def import_floor(book: str, db: str) -> int:
    """Read the sheet with calamine and insert each row as a project with its role."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(book).get_sheet_by_name("周报").to_python()
    conn = sqlite3.connect(db)
    unit_id = conn.execute("SELECT MIN(id) FROM unit").fetchone()[0]
    first = 1 + (conn.execute("SELECT COALESCE(MAX(id), 0) FROM project").fetchone()[0])
    data = [r for r in rows if r and isinstance(r[0], str) and r[0].startswith("B")]
    with conn:
        conn.executemany(
            "INSERT INTO project (id, code, name, norm_name, stage, created_at, updated_at,"
            " fai, created_batch_id) VALUES (?, ?, ?, ?, 'negotiating', '2022-01-01',"
            " '2022-01-01', ?, NULL)",
            (
                (first + i, f"F{first + i}", str(r[1]), str(r[1]), int(float(r[7] or 0) * SCALE))
                for i, r in enumerate(data)
            ),
        )
        conn.executemany(
            "INSERT INTO project_role (project_id, unit_id, role) VALUES (?, ?, 'sourcing')",
            ((first + i, unit_id) for i in range(len(data))),
        )
    return len(data)


COMMANDS = {"progress": progress, "rank": rank, "rewards": rewards, "alerts": alerts}


def main(argv: list[str]) -> None:
    if argv[0] == "import":
        print(import_floor(argv[1], argv[2]))
        return
    command, db, year, day = argv[0], argv[1], int(argv[2]), date.fromisoformat(argv[3])
    answer = COMMANDS[command](Ledger(db), year, day)
    print(json.dumps(answer, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
