"""Counts and sums of projects per unit in SQL (issue 17): the answers to
`domain.measured.Question`s for every unit at once, equal to the pure `progress._measure`
over the projects as `store.asof.projects_on(conn, day)` returns them and the amounts
`funds_observations` reads (tests/test_measured_sql.py proves it on SQLite and PostgreSQL).

Projects on the day split in two:
- *settled*: no history row after the day except cumulative amounts, and (when it has such
  a row) no stage date or `compiled_on` after the day. Its stage, stage dates, amounts,
  category … on the day ARE its current columns (what `projects_on` relies on): one
  GROUP BY per question over `project_role JOIN project` answers them.
- *moved*: any other row after the day (a stage move, a correction, a creation after the
  day), or amount rows after the day with a date after it (`apply_history` then drops
  that date). Few on any day; rebuilt from their history as `projects_on` does and
  measured with the domain's own `progress.project_amount`.

Money stays fixed-point integers in SQL (summed as integers, converted once). Amounts over
time (funds in place …) are the cumulative rows in force on the period's days: the units
and projects counted come from SQL, the per-project differences from
`funds_observations` through `Facts.value_on`/`latest_within` (history values are text).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from zsyz.domain.facts import ProjectFact
from zsyz.domain.fields import CUMULATIVE
from zsyz.domain.history import apply_history, reduce_history
from zsyz.domain.measured import Answer, Question
from zsyz.domain.metrics import PROJECT_SUMS, Metric
from zsyz.domain.policy import ANY_CATEGORY, Filters
from zsyz.domain.progress import FUNDS_FIELD, STAGE_OF, Facts, project_amount
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.store.asof_history import _full_histories
from zsyz.store.facts import funds_observations, project_facts
from zsyz.store.sqltext import as_fixed, dialect_name, rows

_SCALE = 4  # FixedDecimal(4) amounts: stored integer = 万元 × 10^4
_CHUNK = 500  # ids per IN list
_SEP = "\x1f"  # between the codes of one group (no project code holds a control character)
# every character str.strip() removes (str.isspace), for "has a non-blank category"
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_CUMULATIVE_IN = ", ".join(f"'{f}'" for f in CUMULATIVE)
_DATES = [s.date_field for s in (*LIFE_CYCLE, Stage.DROPPED)] + ["compiled_on"]
_DATE_AFTER = " OR ".join(f"p.{c} > :day" for c in _DATES)

# Projects whose state on :day is not their current row (see the module's docstring).
MOVED = f"""SELECT DISTINCT u.project_id FROM project_update u
  JOIN project p ON p.id = u.project_id
  WHERE u.effective_on > :day AND (u.field NOT IN ({_CUMULATIVE_IN}) OR {_DATE_AFTER})"""

AMOUNT_OVER_TIME = frozenset({*FUNDS_FIELD, Metric.FAI_COMPLETED})


def measured(
    conn: Any, questions: Collection[Question], day: date
) -> dict[Question, dict[str, Answer]]:
    """For each question, {unit code: answer} for every unit with at least one project
    counted (a unit absent = (Decimal(0), ())), over the projects as the ledger knew them
    on `day` and the cumulative amounts as of the period's days."""
    wanted = [q for q in dict.fromkeys(questions) if q.roles and q.start <= q.end]
    out: dict[Question, dict[str, Answer]] = {q: {} for q in questions}
    if not wanted:
        return out
    days = {d for q in wanted if q.metric in AMOUNT_OVER_TIME for d in _days(q)}
    observations = funds_observations(conn, day, days) if days else []
    over_time = Facts(units=(), observations=observations, days=frozenset(days))
    moved = _moved_projects(conn, day)
    moved_facts = Facts(units=(), projects=moved, observations=observations, days=frozenset(days))
    for q in wanted:
        totals: dict[str, Decimal] = {}
        codes: dict[str, list[str]] = {}
        if q.metric in AMOUNT_OVER_TIME:
            _settled_over_time(conn, q, day, over_time, totals, codes)
        else:
            _settled_counts(conn, q, day, totals, codes)
        for p in moved:
            amount = project_amount(q.metric, q.filters, p, moved_facts, q.start, q.end)
            if amount is None:
                continue
            for unit in dict.fromkeys(code for role, code in p.roles if role in q.roles):
                totals[unit] = totals.get(unit, Decimal(0)) + amount
                codes.setdefault(unit, []).append(p.code)
        out[q] = {u: (totals[u], tuple(sorted(codes[u]))) for u in totals}
    return out


def _days(q: Question) -> tuple[date, ...]:
    """The days `progress._project_amount` reads amounts on for this question."""
    return (q.start - timedelta(days=1), q.end)


def _settled_counts(
    conn: Any, q: Question, day: date, totals: dict[str, Decimal], codes: dict[str, list[str]]
) -> None:
    """Stage counts, stage sums and compiled projects of settled projects, per unit."""
    params: dict[str, Any] = {"day": day, "start": q.start, "end": q.end}
    where = [_in_period(q.metric), *_filters(q.filters, params, conn)]
    amount = "1"
    if q.metric in PROJECT_SUMS:
        column = PROJECT_SUMS[q.metric][1]
        where.append(f"p.{column} IS NOT NULL AND p.{column} <> 0")  # 0 does not count
        amount = f"p.{column}"
    concat = (
        f"group_concat(p.code, '{_SEP}')"
        if dialect_name(conn) == "sqlite"
        else f"string_agg(p.code, chr({ord(_SEP)}))"
    )
    sql = (
        f"{_held(q, params)} SELECT n.code, SUM({amount}), {concat} FROM held h "
        "JOIN project p ON p.id = h.project_id JOIN unit n ON n.id = h.unit_id "
        f"WHERE {' AND '.join(where)} GROUP BY n.code"
    )
    scale = _SCALE if q.metric in PROJECT_SUMS else 0
    for unit, total, joined in rows(conn, sql, params):
        totals[unit] = as_fixed(total, scale) or Decimal(0)
        codes[unit] = joined.split(_SEP)


def _settled_over_time(
    conn: Any,
    q: Question,
    day: date,
    facts: Facts,
    totals: dict[str, Decimal],
    codes: dict[str, list[str]],
) -> None:
    """Amounts arriving in the period (funds in place …) of settled projects, per unit:
    which units hold which projects passing the filters from SQL, each project's amount
    from its cumulative rows (computed once per project)."""
    params: dict[str, Any] = {"day": day}
    where = _filters(q.filters, params, conn) or ["1 = 1"]
    sql = (
        f"{_held(q, params)} SELECT n.code, p.code FROM held h "
        "JOIN project p ON p.id = h.project_id JOIN unit n ON n.id = h.unit_id "
        f"WHERE {' AND '.join(where)}"
    )
    everyone = Filters()
    amounts: dict[str, Decimal | None] = {}
    for unit, code in rows(conn, sql, params):
        if code in amounts:
            amount = amounts[code]
        else:  # only the code is read: the amount comes from the observations
            p = ProjectFact(code, "", Stage.PLANNED)
            amount = amounts[code] = project_amount(q.metric, everyone, p, facts, q.start, q.end)
        if amount is not None:
            totals[unit] = totals.get(unit, Decimal(0)) + amount
            codes.setdefault(unit, []).append(code)


def _held(q: Question, params: dict[str, Any]) -> str:
    """The CTEs `moved` and `held`: each (unit, settled project) once, whatever number of
    the question's roles the unit holds on it."""
    marks = []
    for i, role in enumerate(sorted(q.roles)):
        params[f"role{i}"] = role.value
        marks.append(f":role{i}")
    return (
        f"WITH moved AS ({MOVED}), held AS (SELECT DISTINCT r.unit_id, r.project_id "
        f"FROM project_role r WHERE r.role IN ({', '.join(marks)}) "
        "AND r.project_id NOT IN (SELECT project_id FROM moved))"
    )


def _in_period(metric: Metric) -> str:
    """The condition "counted in [:start, :end]" of a stage, stage-sum or compiled metric."""
    if metric is Metric.COMPILED:
        return "COALESCE(p.compiled_on, p.planned_on) BETWEEN :start AND :end"
    stage = STAGE_OF[PROJECT_SUMS[metric][0] if metric in PROJECT_SUMS else metric]
    return f"{reached_sql(stage)} BETWEEN :start AND :end"


def reached_sql(stage: Stage) -> str:
    """`ProjectFact.reached_on(stage)` as SQL over `project p`: the stage's own date, else
    the earliest later live stage's date, for a project at that stage or later or dropped."""
    reach = [s for s in LIFE_CYCLE if s.order >= stage.order]
    stages = ", ".join(f"'{s.value}'" for s in (*reach, Stage.DROPPED))
    later = " UNION ALL ".join(
        f"SELECT p.{s.date_field}" + (" AS d" if i == 0 else "") for i, s in enumerate(reach)
    )
    return (
        f"(CASE WHEN p.stage IN ({stages}) THEN COALESCE(p.{stage.date_field}, "
        f"(SELECT MIN(v.d) FROM ({later}) AS v)) END)"
    )


def _filters(f: Filters, params: dict[str, Any], conn: Any) -> list[str]:
    """`credit.passes(p, f)` as SQL conditions (for filters `measured.sql_filters` takes)."""
    out = []
    for column, low, high in (
        ("fai", f.min_fai, f.max_fai),
        ("total_investment", f.min_total, f.max_total),
    ):
        if low is not None:  # integers n: n >= x ⟺ n >= ceil(x); n > x ⟺ n > floor(x)
            params[f"{column}_low"] = _fixed(low, ROUND_FLOOR if f.strict else ROUND_CEILING)
            out.append(f"p.{column} {'>' if f.strict else '>='} :{column}_low")
        if high is not None:  # n < x ⟺ n < ceil(x); n <= x ⟺ n <= floor(x)
            params[f"{column}_high"] = _fixed(
                high, ROUND_FLOOR if f.max_inclusive else ROUND_CEILING
            )
            out.append(f"p.{column} {'<=' if f.max_inclusive else '<'} :{column}_high")
    trim = "trim" if dialect_name(conn) == "sqlite" else "btrim"
    for column, wanted in (("category", f.categories), ("level", f.levels)):
        if wanted:
            assert ANY_CATEGORY in wanted, "sql_filters refuses other category/level filters"
            params["ws"] = WHITESPACE
            out.append(f"p.{column} IS NOT NULL AND {trim}(p.{column}, :ws) <> ''")
    assert not f.chains, "sql_filters refuses chain filters"
    if f.new_only:
        out.append("p.is_new = TRUE")
    return out


def _fixed(bound: Decimal, rounding: str) -> int:
    return int(bound.scaleb(_SCALE).to_integral_value(rounding=rounding))


def _moved_projects(conn: Any, day: date) -> list[ProjectFact]:
    """The moved projects as the ledger knew them on `day` (those not yet created left
    out), rebuilt from their history as `projects_on` rebuilds them."""
    ids = sorted(pid for (pid,) in rows(conn, MOVED, {"day": day}))
    if not ids:
        return []
    out: list[ProjectFact] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        histories = _full_histories(conn, chunk)
        for pid, p in _current(conn, chunk):
            then = apply_history(p, reduce_history(histories.get(pid, []), day), day)
            if then is not None:
                out.append(then)
    return out


def _current(conn: Any, ids: Iterable[int]) -> list[tuple[int, ProjectFact]]:
    """(id, current fact) of these projects."""
    wanted = list(ids)
    codes = dict(
        rows(
            conn,
            f"SELECT code, id FROM project WHERE id IN ({', '.join(str(int(i)) for i in wanted)})",
        )
    )
    return [(codes[p.code], p) for p in project_facts(conn, ids=wanted)]
