"""Amounts arriving in a period for `store.measures` (funds in place, foreign funds, funds
from outside the province, fixed-asset investment completed this year): the cumulative
value in force on each day a measure reads, found by the history intervals' range query
(`store/intervals.py`: the row of (project, field) with `effective_on <= d < valid_to`)
joined to each project — no grouping over the log, no loading of it.

What `funds_observations(conn, day, days)` + `Facts.value_on`/`latest_within` read, to the
letter: a value is the row in force on min(asked day, as-of day) (history text read as
`store.facts._decimal` reads it); a project with no row at all for the field contributes
its current column, dated when it was last reported (else created), from that date on if
it is not after the as-of day. History values are text, so they are read in Python, once
per project (tests/test_measured_sql.py holds both readings equal).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from zsyz.domain.facts import FundsObservation
from zsyz.domain.measured import Question
from zsyz.domain.metrics import Metric
from zsyz.domain.progress import FUNDS_FIELD
from zsyz.store.facts import _decimal
from zsyz.store.sqltext import as_date, as_fixed, rows

OVER_TIME = frozenset({*FUNDS_FIELD, Metric.FAI_COMPLETED})
COMPLETED = "completed_investment_year"

Cut = tuple[str, date]  # (field, the day its value is read on)


def field_of(metric: Metric) -> str:
    return FUNDS_FIELD.get(metric, COMPLETED)


def cuts(q: Question, day: date) -> list[Cut]:
    """The (field, day) values `q` reads, each day capped at the as-of day."""
    fld = field_of(q.metric)
    if q.metric is Metric.FAI_COMPLETED:
        return [(fld, min(q.end, day))]
    return [(fld, min(q.start - timedelta(days=1), day)), (fld, min(q.end, day))]


@dataclass(frozen=True)
class Reading:
    """The columns that read the values of `cuts` off a project `p` (SQL select list and
    joins), and where each lands in a row from `offset`."""

    cuts: tuple[Cut, ...]
    fields: tuple[str, ...]
    day: date

    def sql(self, params: dict[str, Any]) -> tuple[str, str]:
        """(columns, joins) for a query over `p` (with `p.id`, its amount columns,
        `p.last_reported_on` and `p.created_at`)."""
        columns, joins = [], []
        for j, (fld, cut) in enumerate(self.cuts):
            params[f"cut{j}"] = cut
            columns.append(f"v{j}.id, v{j}.new_value, v{j}.effective_on")
            joins.append(
                f"LEFT JOIN project_update v{j} ON v{j}.project_id = p.id "
                f"AND v{j}.field = '{fld}' AND v{j}.effective_on <= :cut{j} "
                f"AND (v{j}.valid_to IS NULL OR v{j}.valid_to > :cut{j})"
            )
        for fld in self.fields:  # with no row for the field at all: its column counts
            columns.append(
                "CASE WHEN EXISTS (SELECT 1 FROM project_update x WHERE x.project_id = p.id "
                f"AND x.field = '{fld}') THEN 1 ELSE 0 END, p.{fld}"
            )
        columns.append("p.last_reported_on, p.created_at")
        return ", ".join(columns), " ".join(joins)

    def observations(self, row: Sequence[Any], offset: int) -> list[Observed]:
        """Per cut (in order), the observation in force: (value, reported on), or None
        before any."""
        n = len(self.cuts)
        at = offset + 3 * n
        own = {fld: (row[at + 2 * k], row[at + 2 * k + 1]) for k, fld in enumerate(self.fields)}
        last, created = row[-2], row[-1]
        out: list[Observed] = []
        for j, (fld, cut) in enumerate(self.cuts):
            has_rows, column = own[fld]
            if has_rows:
                uid, text, on = row[offset + 3 * j : offset + 3 * j + 3]
                out.append(None if uid is None else (_decimal(text), as_date(on)))  # type: ignore[arg-type]
                continue
            reported = as_date(last) or as_date(created)
            if column is None or reported is None or reported > self.day or reported > cut:
                out.append(None)
            else:
                out.append((as_fixed(column) or Decimal(0), reported))
        return out

    def amount(self, q: Question) -> Callable[[list[Observed]], Decimal]:
        """`progress._project_amount` of the amount over time `q`, from a project's
        observations in force (as `observations` lists them)."""
        where = [self.cuts.index(c) for c in cuts(q, self.day)]
        if q.metric is Metric.FAI_COMPLETED:
            start = q.start

            def latest_within(seen: list[Observed]) -> Decimal:
                got = seen[where[0]]
                return got[0] if got is not None and got[1] >= start else Decimal(0)

            return latest_within
        before, end = where

        def arrived(seen: list[Observed]) -> Decimal:
            now, then = seen[end], seen[before]
            return (now[0] if now else Decimal(0)) - (then[0] if then else Decimal(0))

        return arrived


Observed = tuple[Decimal, date] | None


def reading(questions: Sequence[Question], day: date) -> Reading:
    found = tuple(dict.fromkeys(c for q in questions for c in cuts(q, day)))
    return Reading(found, tuple(dict.fromkeys(f for f, _ in found)), day)


def moved_observations(
    conn: Any, ids: Sequence[int], questions: Sequence[Question], day: date
) -> list[FundsObservation]:
    """The observations these projects' amounts are read from, for `Facts`: the value in
    force on each day the questions read (what `funds_observations` keeps of them)."""
    read = reading(questions, day)
    found: dict[tuple[str, str, date], Decimal] = {}
    for start in range(0, len(ids), 500):
        chunk = ", ".join(str(int(i)) for i in ids[start : start + 500])
        params: dict[str, Any] = {}
        columns, joins = read.sql(params)
        sql = f"SELECT p.code, {columns} FROM project p {joins} WHERE p.id IN ({chunk})"
        for row in rows(conn, sql, params):
            for (fld, _), got in zip(read.cuts, read.observations(row, 1), strict=True):
                if got is not None:
                    found[(row[0], fld, got[1])] = got[0]
    return [FundsObservation(code, fld, on, v) for (code, fld, on), v in found.items()]
