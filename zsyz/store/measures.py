"""Counts and sums of projects per unit in SQL (issue 17): the answers to
`domain.measured.Question`s for every unit at once, equal to the pure `progress._measure`
over the projects as `store.asof.projects_on(conn, day)` returns them and the amounts
`funds_observations` reads (tests/test_measured_sql.py proves it on SQLite and PostgreSQL).

Projects on the day split in two:
- *settled*: no history row after the day except cumulative amounts (and no `compiled_on`
  after the day when it has one). Its stage, stage dates, fai, category … on the day are
  its current columns (what `projects_on` relies on), except that a project with amount
  rows after the day is rebuilt by `projects_on`: its stage dates after the day are not
  known yet and its stage falls back (`history._clamp`), which SQL repeats (`state_sql`).
  ONE GROUP BY over the roles and that state answers every question (two columns per
  question: the integer total and the codes counted).
- *moved*: any other row after the day (a stage move, a correction, roles, a creation
  after the day). Few on any day; rebuilt from their history as `projects_on` does and
  measured with the domain's own `progress.project_amount`.

Money stays fixed-point integers in SQL (summed as integers, converted once). Amounts over
time (funds in place …) are the cumulative rows in force on the period's days
(`measure_amounts`: one query, one row per project, history text read as Decimal in
Python), summed per unit over the codes the GROUP BY lists.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from zsyz.domain.facts import ProjectFact, Role
from zsyz.domain.fields import CUMULATIVE
from zsyz.domain.history import apply_history, reduce_history
from zsyz.domain.measured import Answer, Question
from zsyz.domain.metrics import PROJECT_SUMS, Metric
from zsyz.domain.policy import ANY_CATEGORY, Filters
from zsyz.domain.progress import STAGE_OF, Facts, project_amount
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.store import measure_amounts as amounts
from zsyz.store.asof_history import _full_histories
from zsyz.store.facts import project_facts
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
_DATES = [s.date_field for s in _STAGES]
# the columns a settled project keeps as they are: filters, sums, amounts without history
_KEPT = ", ".join(
    f"p.{c}"
    for c in (
        "fai",
        "total_investment",
        "category",
        "level",
        "is_new",
        *CUMULATIVE,
        "last_reported_on",
        "created_at",
    )
)
_MOVED_LISTED = 5000  # more moved projects than this: left out by subquery, not by list
AMOUNT_OVER_TIME = amounts.OVER_TIME

# Projects whose state on :day the current row cannot give (see the module's docstring).
MOVED = f"""SELECT DISTINCT u.project_id FROM project_update u
  JOIN project p ON p.id = u.project_id
  WHERE u.effective_on > :day AND (u.field NOT IN ({_CUMULATIVE_IN}) OR p.compiled_on > :day)"""
# Whether a project with a date after the day has any history row after it (`projects_on`
# then rebuilds it): an index probe, once per project (the CTE is materialised).
_AFTER = (
    "CASE WHEN ("
    + " OR ".join(f"p.{d} > :day" for d in _DATES)
    + ") AND EXISTS (SELECT 1 FROM project_update a WHERE a.project_id = p.id "
    "AND a.effective_on > :day) THEN 1 ELSE 0 END"
)
_ORDER = (
    "CASE b.stage "
    + " ".join(f"WHEN '{s.value}' THEN {s.order}" for s in LIFE_CYCLE)
    + " ELSE 0 END"  # an unknown stage reads as planned (store.facts.project_facts)
)
# `history._clamp` of a rebuilt project: its stage (or drop) dated after the day
_CLAMPED = (
    "CASE WHEN b.after = 1 AND ((b.stage = 'dropped' AND b.dropped_on > :day) OR "
    "(b.stage <> 'dropped' AND ("
    + " OR ".join(f"(b.{s.date_field} > :day AND {_ORDER} >= {s.order})" for s in LIFE_CYCLE)
    + "))) THEN 1 ELSE 0 END"
)
_KNOWN = ", ".join(  # a rebuilt project's stage dates: those on or before the day
    f"CASE WHEN b.after = 1 AND b.{d} > :day THEN NULL ELSE b.{d} END AS {d}" for d in _DATES
)


def state_sql(moved: str, pg: bool) -> str:
    """The CTEs `base` (settled projects: those of `moved`, a list or a subquery of ids,
    left out) and `state`: each settled project as it stood on :day, with the day it
    reached each counted stage and the day it was compiled."""
    reached = ", ".join(
        f"{reached_sql(s, pg)} AS reached_{s.value}" for s in dict.fromkeys(STAGE_OF.values())
    )
    keep = f" WHERE p.id NOT IN ({moved})" if moved else ""
    return (
        f"base AS MATERIALIZED (SELECT p.id, p.code, p.stage, {_KEPT}, p.compiled_on, "
        f"{', '.join('p.' + d for d in _DATES)}, {_AFTER} AS after FROM project p{keep}), "
        f"state AS MATERIALIZED (SELECT p.id, p.code, {_KEPT}, {reached}, "
        "COALESCE(p.compiled_on, p.planned_on) AS compiled_day FROM (SELECT b.id, b.code, "
        f"b.stage, {_KEPT.replace('p.', 'b.')}, b.compiled_on, {_KNOWN}, {_CLAMPED} AS clamped "
        "FROM base b) p)"
    )


def reached_sql(stage: Stage, pg: bool) -> str:
    """`ProjectFact.reached_on(stage)` as SQL over a project `p`: the stage's own date,
    else the earliest later live stage's date, for a project at that stage or later or
    dropped. A clamped project's stage is its latest dated one: it reached `stage` exactly
    when one of those dates is known, so the dates alone decide."""
    reach = [s for s in LIFE_CYCLE if s.order >= stage.order]
    stages = ", ".join(f"'{s.value}'" for s in (*reach, Stage.DROPPED))
    dates = [f"p.{s.date_field}" for s in reach]
    if pg:  # LEAST ignores NULLs
        earliest = f"LEAST({', '.join(dates)})"
    elif len(dates) == 1:
        earliest = dates[0]
    else:  # min() of several is NULL when one is: no rotation's COALESCE is, unless all are
        turns = [dates[i:] + dates[:i] for i in range(len(dates))]
        earliest = "min(" + ", ".join("COALESCE(" + ", ".join(t) + ")" for t in turns) + ")"
    return (
        f"(CASE WHEN p.clamped = 1 OR p.stage IN ({stages}) THEN "
        f"COALESCE(p.{stage.date_field}, {earliest}) END)"
    )


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
    moved_ids = sorted(pid for (pid,) in rows(conn, MOVED, {"day": day}))
    listed = len(moved_ids) <= _MOVED_LISTED
    pg = dialect_name(conn) == "postgresql"
    ask = _Ask(conn, day, state_sql(", ".join(map(str, moved_ids)) if listed else MOVED, pg), pg)
    over = [q for q in wanted if q.metric in AMOUNT_OVER_TIME]
    with _no_jit(conn, pg):
        settled = _settled(ask, wanted, _amounts_over_time(ask, over) if over else {})
    moved = _moved_projects(conn, moved_ids, day)
    days = frozenset(d for q in over for d in _days(q))
    seen = amounts.moved_observations(conn, moved_ids, over, day) if over else []
    moved_facts = Facts(units=(), projects=moved, observations=seen, days=days)
    for q in wanted:
        got = settled[q]
        for p in moved:
            amount = project_amount(q.metric, q.filters, p, moved_facts, q.start, q.end)
            if amount is not None:
                for unit in dict.fromkeys(code for role, code in p.roles if role in q.roles):
                    _add(got, unit, amount, p.code)
        out[q] = {u: (total, tuple(sorted(codes))) for u, (total, codes) in got.items()}
    return out


Partial = dict[str, tuple[Decimal, list[str]]]  # unit code → (total, codes) so far


@contextmanager
def _no_jit(conn: Any, pg: bool) -> Iterator[None]:
    """PostgreSQL's JIT off for these queries, as they were before after them (in this
    transaction only): their cost estimates (a CTE's rows have no statistics) make it
    compile for 2 of the 4 s a province's GROUP BY takes; the work itself is 2 s."""
    if not pg:
        yield
        return
    (before,) = rows(conn, "SELECT current_setting('jit')")[0]
    rows(conn, "SELECT set_config('jit', 'off', true)")
    try:
        yield
    finally:
        rows(conn, "SELECT set_config('jit', :before, true)", {"before": before})


def _add(got: Partial, unit: str, amount: Decimal, code: str) -> None:
    total, codes = got.get(unit) or got.setdefault(unit, (Decimal(0), []))
    got[unit] = (total + amount, codes)
    codes.append(code)


@dataclass(frozen=True)
class _Ask:
    conn: Any
    day: date
    state: str  # the CTEs base, state
    pg: bool


def _days(q: Question) -> tuple[date, ...]:
    """The days `progress._project_amount` reads amounts on for this question."""
    return (q.start - timedelta(days=1), q.end)


def _settled(
    ask: _Ask, questions: list[Question], over_time: dict[tuple[Metric, date, date], Amounts]
) -> dict[Question, Partial]:
    """Every question's answer over the settled projects per unit: one GROUP BY, two
    columns per question (the integer total and the codes counted). For an amount over
    time SQL picks the projects (roles, filters) and each one's amount comes from
    `over_time` (0 does not count)."""
    params: dict[str, Any] = {"day": ask.day}
    # the codes joined by _SEP (chr 31)
    concat = "string_agg({}, chr(31))" if ask.pg else "group_concat({}, char(31))"
    columns = []
    for i, q in enumerate(questions):
        params[f"start{i}"], params[f"end{i}"] = q.start, q.end
        where = [_roles(q), *_filters(q.filters, params, ask.pg, i)]
        if q.metric not in AMOUNT_OVER_TIME:
            where.append(_in_period(q.metric, i))
        amount = "1"
        if q.metric in PROJECT_SUMS:
            column = PROJECT_SUMS[q.metric][1]
            where.append(f"p.{column} IS NOT NULL AND p.{column} <> 0")  # 0 does not count
            amount = f"p.{column}"
        cond = " AND ".join(where)
        columns.append(f"SUM(CASE WHEN {cond} THEN {amount} END)")
        columns.append(concat.format(f"CASE WHEN {cond} THEN p.code END"))
    sql = (
        f"{_held(ask)} SELECT n.code, {', '.join(columns)} FROM held h "
        "JOIN state p ON p.id = h.project_id JOIN unit n ON n.id = h.unit_id "
        "GROUP BY n.code"  # no WHERE: an OR of every question misleads PostgreSQL's plan
    )
    out: dict[Question, Partial] = {q: {} for q in questions}
    scales = [_SCALE if q.metric in PROJECT_SUMS else 0 for q in questions]
    for row in rows(ask.conn, sql, params):
        unit = row[0]
        for i, q in enumerate(questions):
            total, joined = row[1 + 2 * i], row[2 + 2 * i]
            if joined is None:
                continue
            codes = joined.split(_SEP)
            if q.metric in AMOUNT_OVER_TIME:
                got = over_time[(q.metric, q.start, q.end)]
                codes = [c for c in codes if c in got]
                if codes:
                    out[q][unit] = (sum((got[c] for c in codes), Decimal(0)), codes)
            else:
                out[q][unit] = (as_fixed(total, scales[i]) or Decimal(0), codes)
    return out


Amounts = dict[str, Decimal]  # project code → its amount (0 left out)


def _amounts_over_time(
    ask: _Ask, questions: list[Question]
) -> dict[tuple[Metric, date, date], Amounts]:
    """Per (metric, start, end) of the amounts over time asked, each settled project's
    amount from the values in force on the days read (`measure_amounts`): one query,
    one row per project."""
    params: dict[str, Any] = {"day": ask.day}
    read = amounts.reading(questions, ask.day)
    columns, joins = read.sql(params)
    # every project: the settled ones' codes are looked up, a moved one's never is
    sql = f"SELECT p.code, {columns} FROM project p {joins}"
    asked = {(q.metric, q.start, q.end): read.amount(q) for q in questions}
    out: dict[tuple[Metric, date, date], Amounts] = {k: {} for k in asked}
    rules = [(out[key], rule) for key, rule in asked.items()]
    for row in rows(ask.conn, sql, params):
        seen = read.observations(row, 1)
        for got, rule in rules:
            value = rule(seen)
            if value != 0:
                got[row[0]] = value
    return out


def _held(ask: _Ask) -> str:
    """The CTEs: `state` (the settled projects on the day) and `held`: each (unit,
    project) once, with a 0/1 column per role the unit holds on it."""
    flags = ", ".join(
        f"MAX(CASE WHEN r.role = '{role.value}' THEN 1 ELSE 0 END) AS {role.value}" for role in Role
    )
    return (
        f"WITH {ask.state}, held AS (SELECT r.unit_id, r.project_id, {flags} "
        "FROM project_role r GROUP BY r.unit_id, r.project_id)"
    )


def _roles(q: Question) -> str:
    """The unit holds one of the question's roles on the project (`held`'s flags)."""
    return "(" + " OR ".join(f"h.{r.value} = 1" for r in sorted(q.roles)) + ")"


def _in_period(metric: Metric, i: int) -> str:
    """The condition "counted in [:start, :end]" of a stage, stage-sum or compiled metric."""
    if metric is Metric.COMPILED:
        return f"p.compiled_day BETWEEN :start{i} AND :end{i}"
    stage = STAGE_OF[PROJECT_SUMS[metric][0] if metric in PROJECT_SUMS else metric]
    return f"p.reached_{stage.value} BETWEEN :start{i} AND :end{i}"


def _filters(f: Filters, params: dict[str, Any], pg: bool, i: int) -> list[str]:
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
    trim = "btrim" if pg else "trim"
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


def _moved_projects(conn: Any, ids: list[int], day: date) -> list[ProjectFact]:
    """The moved projects as the ledger knew them on `day` (those not yet created left
    out), rebuilt from their history as `projects_on` rebuilds them."""
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
