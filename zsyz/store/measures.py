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

from zsyz.domain.facts import ProjectFact, Role
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
_SEP = chr(31)  # between the codes of one group (no project code holds a control character)
# every character str.strip() removes (str.isspace), for "has a non-blank category"
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_CUMULATIVE_IN = ", ".join(f"'{f}'" for f in CUMULATIVE)
_STAGES = (*LIFE_CYCLE, Stage.DROPPED)

# Projects whose state on :day the current row cannot give (see the module's docstring).
MOVED = f"""SELECT DISTINCT u.project_id FROM project_update u
  JOIN project p ON p.id = u.project_id
  WHERE u.effective_on > :day AND (u.field NOT IN ({_CUMULATIVE_IN}) OR p.compiled_on > :day)"""
# Projects with any history row after :day (`projects_on` rebuilds them: a stage date
# after the day is then not yet known, and the stage falls back, `history._clamp`).
AFTER = "SELECT DISTINCT project_id FROM project_update WHERE effective_on > :day"
_ORDER = (
    "CASE p.stage "
    + " ".join(f"WHEN '{s.value}' THEN {s.order}" for s in LIFE_CYCLE)
    + " ELSE 0 END"  # an unknown stage reads as planned (store.facts.project_facts)
)
# `history._clamp` of a rebuilt project: its stage (or drop) dated after the day
_CLAMPED = (
    "a.project_id IS NOT NULL AND ((p.stage = 'dropped' AND p.dropped_on > :day) OR "
    "(p.stage <> 'dropped' AND ("
    + " OR ".join(f"(p.{s.date_field} > :day AND {_ORDER} >= {s.order})" for s in LIFE_CYCLE)
    + ")))"
)
# Settled projects as they stood on :day: the current row, with stage dates after the
# day unknown for a project rebuilt by `projects_on` (one with amount rows after it).
STATE = (
    "SELECT p.id, p.code, p.stage, p.fai, p.total_investment, p.category, p.level, "
    "p.is_new, p.compiled_on, "
    + ", ".join(
        f"CASE WHEN a.project_id IS NOT NULL AND p.{s.date_field} > :day THEN NULL "
        f"ELSE p.{s.date_field} END AS {s.date_field}"
        for s in _STAGES
    )
    + f", CASE WHEN {_CLAMPED} THEN 1 ELSE 0 END AS clamped "
    "FROM project p LEFT JOIN after a ON a.project_id = p.id "
    "WHERE p.id NOT IN (SELECT project_id FROM moved)"
)

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
    settled: dict[Question, dict[str, tuple[Decimal, list[str]]]] = {}
    by_roles: dict[frozenset[Role], list[Question]] = {}
    for q in wanted:
        by_roles.setdefault(q.roles, []).append(q)
    for roles, asked in by_roles.items():
        counts = [q for q in asked if q.metric not in AMOUNT_OVER_TIME]
        if counts:
            settled |= _settled_counts(conn, roles, counts, day)
        over = [q for q in asked if q.metric in AMOUNT_OVER_TIME]
        if over:
            settled |= _settled_over_time(conn, roles, over, day, over_time)
    moved = _moved_projects(conn, day)
    moved_facts = Facts(units=(), projects=moved, observations=observations, days=frozenset(days))
    for q in wanted:
        got = settled[q]
        for p in moved:
            amount = project_amount(q.metric, q.filters, p, moved_facts, q.start, q.end)
            if amount is None:
                continue
            for unit in dict.fromkeys(code for role, code in p.roles if role in q.roles):
                total, codes = got.get(unit) or got.setdefault(unit, (Decimal(0), []))
                got[unit] = (total + amount, codes)
                codes.append(p.code)
        out[q] = {u: (total, tuple(sorted(codes))) for u, (total, codes) in got.items()}
    return out


def _days(q: Question) -> tuple[date, ...]:
    """The days `progress._project_amount` reads amounts on for this question."""
    return (q.start - timedelta(days=1), q.end)


def _settled_counts(
    conn: Any, roles: frozenset[Role], questions: list[Question], day: date
) -> dict[Question, dict[str, tuple[Decimal, list[str]]]]:
    """Stage counts, stage sums and compiled projects of settled projects per unit, for
    questions crediting the same roles: one GROUP BY, two columns per question (the
    integer total and the codes counted)."""
    params: dict[str, Any] = {"day": day}
    concat = (  # the codes joined by _SEP (chr 31)
        "group_concat({}, char(31))"
        if dialect_name(conn) == "sqlite"
        else "string_agg({}, chr(31))"
    )
    columns, conditions = [], []
    for i, q in enumerate(questions):
        params[f"start{i}"], params[f"end{i}"] = q.start, q.end
        where = [_in_period(q.metric, i), *_filters(q.filters, params, conn, i)]
        amount = "1"
        if q.metric in PROJECT_SUMS:
            column = PROJECT_SUMS[q.metric][1]
            where.append(f"p.{column} IS NOT NULL AND p.{column} <> 0")  # 0 does not count
            amount = f"p.{column}"
        cond = " AND ".join(where)
        conditions.append(f"({cond})")
        columns.append(f"SUM(CASE WHEN {cond} THEN {amount} END)")
        columns.append(concat.format(f"CASE WHEN {cond} THEN p.code END"))
    sql = (
        f"{_held(roles, params)} SELECT n.code, {', '.join(columns)} FROM held h "
        "JOIN state p ON p.id = h.project_id JOIN unit n ON n.id = h.unit_id "
        f"WHERE {' OR '.join(conditions)} GROUP BY n.code"
    )
    out: dict[Question, dict[str, tuple[Decimal, list[str]]]] = {q: {} for q in questions}
    scales = [_SCALE if q.metric in PROJECT_SUMS else 0 for q in questions]
    for row in rows(conn, sql, params):
        unit = row[0]
        for i, q in enumerate(questions):
            total, joined = row[1 + 2 * i], row[2 + 2 * i]
            if joined is not None:
                out[q][unit] = (as_fixed(total, scales[i]) or Decimal(0), joined.split(_SEP))
    return out


def _settled_over_time(
    conn: Any, roles: frozenset[Role], questions: list[Question], day: date, facts: Facts
) -> dict[Question, dict[str, tuple[Decimal, list[str]]]]:
    """Amounts arriving in the period (funds in place …) of settled projects per unit,
    for questions crediting the same roles: which units hold which projects and which
    filters each passes from SQL, each project's amount from its cumulative rows."""
    params: dict[str, Any] = {"day": day}
    passing = []
    for i, q in enumerate(questions):
        cond = " AND ".join(_filters(q.filters, params, conn, i)) or "1 = 1"
        passing.append(f"CASE WHEN {cond} THEN 1 ELSE 0 END")
    sql = (
        f"{_held(roles, params)} SELECT n.code, p.code, {', '.join(passing)} FROM held h "
        "JOIN state p ON p.id = h.project_id JOIN unit n ON n.id = h.unit_id"
    )
    everyone = Filters()
    out: dict[Question, dict[str, tuple[Decimal, list[str]]]] = {q: {} for q in questions}
    amounts: list[dict[str, Decimal | None]] = [{} for _ in questions]
    for unit, code, *passes in rows(conn, sql, params):
        for i, q in enumerate(questions):
            if not passes[i]:
                continue
            memo = amounts[i]
            if code in memo:
                amount = memo[code]
            else:  # only the code is read: the amount comes from the observations
                p = ProjectFact(code, "", Stage.PLANNED)
                amount = memo[code] = project_amount(q.metric, everyone, p, facts, q.start, q.end)
            if amount is not None:
                got = out[q]
                total, codes = got.get(unit) or got.setdefault(unit, (Decimal(0), []))
                got[unit] = (total + amount, codes)
                codes.append(code)
    return out


def _held(roles: frozenset[Role], params: dict[str, Any]) -> str:
    """The CTEs: `state` the settled projects on the day, `held` each (unit, project) once,
    whatever number of the roles the unit holds on it."""
    marks = []
    for i, role in enumerate(sorted(roles)):
        params[f"role{i}"] = role.value
        marks.append(f":role{i}")
    return (
        f"WITH moved AS ({MOVED}), after AS ({AFTER}), state AS ({STATE}), "
        "held AS (SELECT DISTINCT r.unit_id, r.project_id "
        f"FROM project_role r WHERE r.role IN ({', '.join(marks)}))"
    )


def _in_period(metric: Metric, i: int) -> str:
    """The condition "counted in [:start, :end]" of a stage, stage-sum or compiled metric."""
    if metric is Metric.COMPILED:
        return f"COALESCE(p.compiled_on, p.planned_on) BETWEEN :start{i} AND :end{i}"
    stage = STAGE_OF[PROJECT_SUMS[metric][0] if metric in PROJECT_SUMS else metric]
    return f"{reached_sql(stage)} BETWEEN :start{i} AND :end{i}"


def reached_sql(stage: Stage) -> str:
    """`ProjectFact.reached_on(stage)` as SQL over the state `p`: the stage's own date,
    else the earliest later live stage's date, for a project at that stage or later or
    dropped. A clamped project's stage is its latest dated one: it reached `stage` exactly
    when one of those dates is known, so the dates alone decide."""
    reach = [s for s in LIFE_CYCLE if s.order >= stage.order]
    stages = ", ".join(f"'{s.value}'" for s in (*reach, Stage.DROPPED))
    later = " UNION ALL ".join(
        f"SELECT p.{s.date_field}" + (" AS d" if i == 0 else "") for i, s in enumerate(reach)
    )
    return (
        f"(CASE WHEN p.clamped = 1 OR p.stage IN ({stages}) THEN COALESCE(p.{stage.date_field}, "
        f"(SELECT MIN(v.d) FROM ({later}) AS v)) END)"
    )


def _filters(f: Filters, params: dict[str, Any], conn: Any, i: int) -> list[str]:
    """`credit.passes(p, f)` as SQL conditions (for filters `measured.sql_filters` takes)."""
    out = []
    for column, low, high in (
        ("fai", f.min_fai, f.max_fai),
        ("total_investment", f.min_total, f.max_total),
    ):
        if low is not None:  # integers n: n >= x ⟺ n >= ceil(x); n > x ⟺ n > floor(x)
            params[f"{column}_low{i}"] = _fixed(low, ROUND_FLOOR if f.strict else ROUND_CEILING)
            out.append(f"p.{column} {'>' if f.strict else '>='} :{column}_low{i}")
        if high is not None:  # n < x ⟺ n < ceil(x); n <= x ⟺ n <= floor(x)
            params[f"{column}_high{i}"] = _fixed(
                high, ROUND_FLOOR if f.max_inclusive else ROUND_CEILING
            )
            out.append(f"p.{column} {'<=' if f.max_inclusive else '<'} :{column}_high{i}")
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
