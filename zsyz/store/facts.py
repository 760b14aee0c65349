"""Loading the facts the pure rules read: projects (with roles), amounts over time from
`project_update`, activities, units, targets and adjustments. Read-only; plain SQL through
`sqltext.rows` on the use case's connection (a bare-driver `reader.Reader` for read
commands, a SQLAlchemy session elsewhere), so reading needs no ORM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from zsyz.domain.facts import (
    ActivityFact,
    ActivityKind,
    AdjustmentFact,
    ExplicitTarget,
    FundsObservation,
    ProjectFact,
    Role,
    UnitFact,
)
from zsyz.domain.fields import AMOUNT_FIELDS as _FIXED_FIELDS
from zsyz.domain.fields import CUMULATIVE, DATE_FIELDS, FIELD, FLAG_FIELDS
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.errors import LedgerStateError
from zsyz.store.sqltext import as_date, as_fixed, rows

if TYPE_CHECKING:
    from zsyz.domain.policy import Policy

T = TypeVar("T")

AMOUNT_FIELDS = CUMULATIVE  # the amounts observed over time
_AMOUNTS_IN = ", ".join(f"'{f}'" for f in AMOUNT_FIELDS)  # constants of the vocabulary

# `ProjectFact`'s own columns (its stage dates and roles are read apart), after the id.
_PROJECT_COLUMNS = ("id", *(f.name for f in fields(ProjectFact) if f.name in FIELD))
_STAGES = (*LIFE_CYCLE, Stage.DROPPED)
# amounts and areas are FixedDecimal(4) columns (tests/test_vocabulary.py holds the table to it)
_SCALE = 4


def _converter(name: str) -> Any:
    if name in _FIXED_FIELDS:
        return as_fixed
    if name in DATE_FIELDS or name.endswith("_on"):
        return as_date
    if name in FLAG_FIELDS:
        return lambda v: None if v is None else bool(v)
    return None


def _unit_codes(conn: Any) -> dict[int, str]:
    return {uid: code for uid, code in rows(conn, "SELECT id, code FROM unit")}


def project_facts(conn: Any, ids: Sequence[int] | None = None) -> list[ProjectFact]:
    """Every project (or those of `ids`) as it stands now, with the date of each stage it
    reached.

    Plain rows fetched whole, amounts as their stored integers converted here, facts
    built without per-field frozen checks: at province scale (100,000 projects) ORM
    objects and per-value processing cost seconds that the rules never needed. Equal
    values (a category, an investor, a date, an amount) are one shared object each:
    immutable, and few distinct among a province's projects.
    """
    only = "" if ids is None else f" IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"
    roles = _project_roles(conn, only)
    date_columns = [s.date_field for s in _STAGES]
    select = ", ".join((*_PROJECT_COLUMNS, *date_columns))
    n = len(_PROJECT_COLUMNS)
    # every column but the id and the code: (its place, its converter or None, its values)
    shared: list[tuple[int, Any, dict[Any, Any]]] = [
        (i, _converter(name), {}) for i, name in enumerate(_PROJECT_COLUMNS) if i > 1
    ]
    stage_at = _PROJECT_COLUMNS.index("stage")
    stage_of = {s.value: s for s in Stage}
    days: dict[Any, date | None] = {}
    names = _PROJECT_COLUMNS[1:]
    out = []
    where = f" WHERE id{only}" if only else ""
    for row in rows(conn, f"SELECT {select} FROM project{where} ORDER BY code"):
        values = list(row[:n])
        stage = stage_of.get(values[stage_at], Stage.PLANNED)
        for i, convert, seen in shared:
            raw = values[i]
            if raw is not None:
                got = seen.get(raw)
                if got is None:
                    got = seen[raw] = raw if convert is None else convert(raw)
                values[i] = got
        facts = dict(zip(names, values[1:], strict=True))
        facts["stage"] = stage
        facts["stage_dates"] = {
            s: days[d] if d in days else days.setdefault(d, as_date(d))
            for s, d in zip(_STAGES, row[n:], strict=True)
            if d is not None
        }
        facts["roles"] = tuple(roles.get(values[0], ()))
        out.append(ProjectFact.trusted(facts))
    return out


def _project_roles(conn: Any, only: str) -> dict[int, list[tuple[Role, str]]]:
    """project id → its (role, unit code) pairs in role-row order (`only`: an `IN (…)`
    of project ids, or empty for all); each distinct pair one shared object."""
    codes = _unit_codes(conn)
    roles: dict[int, list[tuple[Role, str]]] = {}
    role_of = {r.value: r for r in Role}
    pairs: dict[tuple[str, int], tuple[Role, str]] = {}
    for project_id, unit_id, role_text in rows(
        conn,
        "SELECT project_id, unit_id, role FROM project_role "
        f"{'WHERE project_id' + only if only else ''} ORDER BY id",
    ):
        pair = pairs.get((role_text, unit_id))
        if pair is None:
            role = role_of.get(role_text)
            if role is None:
                continue
            pair = pairs[(role_text, unit_id)] = (role, codes[unit_id])
        got = roles.get(project_id)
        if got is None:
            roles[project_id] = [pair]
        else:
            got.append(pair)
    return roles


def _decimal(text: str | None) -> Decimal:
    if text is None or not text.strip():
        return Decimal(0)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def funds_observations(
    conn: Any, until: date, days: Iterable[date] | None = None
) -> list[FundsObservation]:
    """Cumulative amounts per project as reported over time (history up to `until`).

    With `days`, only the latest observation on or before each day (capped at `until`),
    found in SQL: what `Facts.value_on`/`latest_within` read on those days, without
    loading a province's million history rows (see `domain.progress.funds_days`).

    A project with no history for a field contributes its current column value, dated
    when it was last reported (or created): the best the ledger knows of when it arrived.
    """
    if days is None:
        return _all_observations(conn, until)
    latest: dict[tuple[int, str, date], tuple[int, str, str | None]] = {}
    for cut in sorted({min(d, until) for d in days}):
        found = rows(conn, _LATEST_ON, {"cut": cut})
        for pid, fld, on_text, uid, code, value in found:
            key = (pid, fld, as_date(on_text) or until)  # effective_on is NOT NULL
            if key not in latest or latest[key][0] < uid:  # same day: the later row wins
                latest[key] = (uid, code, value)
    ordered = sorted(latest.items(), key=lambda kv: (kv[0][2], kv[1][0]))
    out = [FundsObservation(code, k[1], k[2], _decimal(v)) for k, (_, code, v) in ordered]
    for fld in AMOUNT_FIELDS:
        sql = (
            f"SELECT p.code, p.{fld}, p.last_reported_on, p.created_at FROM project p "
            f"WHERE p.{fld} IS NOT NULL AND NOT EXISTS (SELECT u.id FROM project_update u "
            f"WHERE u.project_id = p.id AND u.field = '{fld}')"
        )
        for code, value, last_reported, created in rows(conn, sql):
            on = as_date(last_reported) or as_date(created)
            if on is not None and on <= until:
                out.append(FundsObservation(code, fld, on, as_fixed(value) or Decimal(0)))
    return out


# per (project, amount): the rows of its latest day on or before :cut
_LATEST_ON = f"""
SELECT u.project_id, u.field, u.effective_on, u.id, p.code, u.new_value
FROM project_update u
JOIN (SELECT project_id, field, MAX(effective_on) AS last_on FROM project_update
      WHERE field IN ({_AMOUNTS_IN}) AND effective_on <= :cut
      GROUP BY project_id, field) last
  ON u.project_id = last.project_id AND u.field = last.field AND u.effective_on = last.last_on
JOIN project p ON p.id = u.project_id
"""


def _all_observations(conn: Any, until: date) -> list[FundsObservation]:
    amounts = ", ".join(AMOUNT_FIELDS)
    projects = {
        row[0]: row
        for row in rows(
            conn, f"SELECT id, code, last_reported_on, created_at, {amounts} FROM project"
        )
    }
    seen: set[tuple[int, str]] = set()
    out: list[FundsObservation] = []
    for project_id, fld, on_text, new_value in rows(
        conn,
        "SELECT project_id, field, effective_on, new_value FROM project_update "
        f"WHERE field IN ({_AMOUNTS_IN}) ORDER BY effective_on, id",
    ):
        seen.add((project_id, fld))
        on = as_date(on_text)
        if on is None or on > until or project_id not in projects:
            continue
        out.append(FundsObservation(projects[project_id][1], fld, on, _decimal(new_value)))
    for pid, row in projects.items():
        code, last_reported, created = row[1], as_date(row[2]), as_date(row[3])
        for fld, value in zip(AMOUNT_FIELDS, row[4:], strict=True):
            if value is None or (pid, fld) in seen:
                continue
            on = last_reported or created
            if on is not None and on <= until:
                out.append(FundsObservation(code, fld, on, as_fixed(value) or Decimal(0)))
    return out


def activity_facts(conn: Any) -> list[ActivityFact]:
    codes = _unit_codes(conn)
    out = []
    for unit_id, on, kind_text, note in rows(
        conn, "SELECT unit_id, happened_on, kind, note FROM activity ORDER BY id"
    ):
        try:
            kind = ActivityKind(kind_text)
        except ValueError:
            continue
        out.append(ActivityFact(codes[unit_id], as_date(on), kind, note))  # type: ignore[arg-type]
    return out


def unit_facts(conn: Any) -> list[UnitFact]:
    units = rows(
        conn,
        "SELECT id, code, name, unit_class, group_name, parent_id, active, retired_on "
        "FROM unit ORDER BY id",
    )
    code_of = {u[0]: u[1] for u in units}
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in rows(conn, "SELECT unit_id, alias FROM unit_alias ORDER BY id"):
        aliases.setdefault(unit_id, []).append(alias)
    return [
        UnitFact(
            code=code,
            name=name,
            unit_class=cls,
            group=group,
            parent=code_of.get(parent),
            active=bool(active),
            aliases=tuple(aliases.get(uid, ())),
            retired_on=as_date(retired),
        )
        for uid, code, name, cls, group, parent, active, retired in units
    ]


def as_json(value: Any) -> Any:
    """A JSON column's value: text on SQLite, already parsed by psycopg."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def explicit_targets(conn: Any, year: int) -> list[ExplicitTarget]:
    found = rows(
        conn,
        "SELECT u.code, t.year, t.metric, t.required, t.filters, t.label FROM target t "
        "JOIN unit u ON u.id = t.unit_id WHERE t.year = :year ORDER BY t.id",
        {"year": year},
    )
    return [
        ExplicitTarget(
            unit=code,
            year=y,
            metric=metric,
            required=as_fixed(required),  # type: ignore[arg-type]
            filters=dict(as_json(filters) or {}),
            label=label,
        )
        for code, y, metric, required, filters, label in found
    ]


def adjustment_facts(conn: Any) -> list[AdjustmentFact]:
    codes = _unit_codes(conn)
    return [
        AdjustmentFact(
            id=aid,
            unit=codes.get(unit_id, ""),
            year=year,
            points=as_fixed(points),  # type: ignore[arg-type]
            reason=reason,
            evidence=evidence,
            flag=flag,
        )
        for aid, unit_id, year, points, reason, evidence, flag in rows(
            conn,
            "SELECT id, unit_id, year, points, reason, evidence, flag FROM adjustment ORDER BY id",
        )
    ]


def in_force(policies: Sequence[T], year: int | None, year_of: Callable[[T], int]) -> T | None:
    """Of the active policies (latest year first, then latest applied), the one in force
    for `year`: applied from the latest year not after it (the latest applied for equal
    years); before any, the earliest. None as `year`: the one in force from the latest."""
    if year is None or not policies:
        return policies[0] if policies else None
    last = year_of(policies[-1])
    earliest = next(p for p in policies if year_of(p) == last)  # the latest applied of them
    return next((p for p in policies if year_of(p) <= year), earliest)


def active_policy(conn: Any, year: int | None = None) -> tuple[Policy, int]:
    """The ledger's policy in force for `year` as domain values (through the parsed-policy
    cache: a hit needs no pydantic) and the year it applies from; a clear error when none
    was loaded."""
    from zsyz.policy.cache import stored_policy

    found = rows(
        conn, "SELECT name, year, text FROM policy WHERE active ORDER BY year DESC, id DESC"
    )
    row = in_force(found, year, lambda r: int(r[1]))
    if row is None:
        raise LedgerStateError(
            "台账中没有政策；新建台账时用 zsyz init --preset 名称（或 --policy 文件）载入"
        )
    name, applies_from, text = row
    return stored_policy(text, f"台账中的政策 {name}"), int(applies_from)
