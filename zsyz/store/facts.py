"""Loading the facts the pure rules read: projects (with roles), amounts over time from
`project_update`, activities. Read-only; one session passed in by the use case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import BigInteger, and_, func, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from zsyz.domain.facts import ActivityFact, ActivityKind, FundsObservation, ProjectFact, Role
from zsyz.domain.fields import CUMULATIVE, FIELD
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.store.tables import Activity, Project, ProjectRole, ProjectUpdate, Unit
from zsyz.store.types import FixedDecimal

AMOUNT_FIELDS = CUMULATIVE  # the amounts observed over time

# `ProjectFact`'s own columns (its stage dates and roles are read apart), after the id.
_PROJECT_COLUMNS = ("id", *(f.name for f in fields(ProjectFact) if f.name in FIELD))
_STAGES = (*LIFE_CYCLE, Stage.DROPPED)
_STAGE_AT = _PROJECT_COLUMNS.index("stage") - 1  # in the row without its id
# FixedDecimal columns (scale 4): read as the stored integer, see `types.FixedDecimal`
_FIXED: dict[str, int] = {
    name: column.type.scale
    for name in _PROJECT_COLUMNS
    if isinstance((column := Project.__table__.c[name]).type, FixedDecimal)  # type: ignore[attr-defined]
}


def project_facts(session: Session) -> list[ProjectFact]:
    """Every project as it stands now, with the date of each stage it reached.

    Core rows fetched whole, amounts as their stored integers (converted here, not by
    the column type per value), facts built without per-field frozen checks: at
    province scale (100,000 projects) ORM objects and per-value processing cost
    seconds that the rules never needed.
    """
    conn = session.connection()
    units = Unit.__table__  # type: ignore[attr-defined]
    codes: dict[int, str] = {
        uid: code for uid, code in conn.execute(sa_select(units.c.id, units.c.code)).all()
    }
    roles: dict[int, list[tuple[Role, str]]] = {}
    role_of = {r.value: r for r in Role}
    pr = ProjectRole.__table__  # type: ignore[attr-defined]
    for project_id, unit_id, role_text in conn.execute(
        sa_select(pr.c.project_id, pr.c.unit_id, pr.c.role).order_by(pr.c.id)
    ).all():
        role = role_of.get(role_text)
        if role is not None:
            got = roles.get(project_id)
            if got is None:
                roles[project_id] = [(role, codes[unit_id])]
            else:
                got.append((role, codes[unit_id]))
    table = Project.__table__  # type: ignore[attr-defined]
    columns = [
        type_coerce(table.c[name], BigInteger) if name in _FIXED else table.c[name]
        for name in _PROJECT_COLUMNS
    ]
    date_columns = [table.c[s.date_field] for s in _STAGES]
    fixed = [(i, -_FIXED[name]) for i, name in enumerate(_PROJECT_COLUMNS) if name in _FIXED]
    n = len(_PROJECT_COLUMNS)
    stage_of = {s.value: s for s in Stage}
    names = _PROJECT_COLUMNS[1:]
    out = []
    for row in conn.execute(sa_select(*columns, *date_columns).order_by(table.c.code)).all():
        values = list(row[:n])
        for i, exp in fixed:
            if values[i] is not None:
                values[i] = Decimal(values[i]).scaleb(exp)  # = FixedDecimal's result
        fields = dict(zip(names, values[1:], strict=True))
        fields["stage"] = stage_of.get(values[1 + _STAGE_AT], Stage.PLANNED)
        fields["stage_dates"] = {
            s: d for s, d in zip(_STAGES, row[n:], strict=True) if d is not None
        }
        fields["roles"] = tuple(roles.get(values[0], ()))
        out.append(ProjectFact.trusted(fields))
    return out


def _decimal(text: str | None) -> Decimal:
    if text is None or not text.strip():
        return Decimal(0)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def funds_observations(
    session: Session, until: date, days: Iterable[date] | None = None
) -> list[FundsObservation]:
    """Cumulative amounts per project as reported over time (history up to `until`).

    With `days`, only the latest observation on or before each day (capped at `until`),
    found in SQL: what `Facts.value_on`/`latest_within` read on those days, without
    loading a province's million history rows (see `domain.progress.funds_days`).

    A project with no history for a field contributes its current column value, dated
    when it was last reported (or created): the best the ledger knows of when it arrived.
    """
    if days is None:
        return _all_observations(session, until)
    conn = session.connection()
    table = Project.__table__  # type: ignore[attr-defined]
    u = ProjectUpdate.__table__  # type: ignore[attr-defined]
    latest: dict[tuple[int, str, date], tuple[int, str, str | None]] = {}
    for cut in sorted({min(d, until) for d in days}):
        last = (
            sa_select(u.c.project_id, u.c.field, func.max(u.c.effective_on).label("on"))
            .where(u.c.field.in_(AMOUNT_FIELDS), u.c.effective_on <= cut)
            .group_by(u.c.project_id, u.c.field)
            .subquery()
        )
        query = (
            sa_select(
                u.c.project_id, u.c.field, u.c.effective_on, u.c.id, table.c.code, u.c.new_value
            )
            .join(
                last,
                and_(
                    u.c.project_id == last.c.project_id,
                    u.c.field == last.c.field,
                    u.c.effective_on == last.c.on,
                ),
            )
            .join(table, table.c.id == u.c.project_id)
        )
        for pid, fld, on, uid, code, value in conn.execute(query):
            key = (pid, fld, on)
            if key not in latest or latest[key][0] < uid:  # same day: the later row wins
                latest[key] = (uid, code, value)
    rows = sorted(latest.items(), key=lambda kv: (kv[0][2], kv[1][0]))
    out = [FundsObservation(code, k[1], k[2], _decimal(v)) for k, (_, code, v) in rows]
    for fld in AMOUNT_FIELDS:
        column = table.c[fld]
        history = sa_select(u.c.id).where(u.c.project_id == table.c.id, u.c.field == fld).exists()
        for code, value, last_reported, created in conn.execute(
            sa_select(table.c.code, column, table.c.last_reported_on, table.c.created_at).where(
                column.is_not(None), ~history
            )
        ):
            on = last_reported or created.date()
            if on <= until:
                out.append(FundsObservation(code, fld, on, value))
    return out


def _all_observations(session: Session, until: date) -> list[FundsObservation]:
    conn = session.connection()
    table = Project.__table__  # type: ignore[attr-defined]
    projects = {
        row[0]: row
        for row in conn.execute(
            select(
                table.c.id,
                table.c.code,
                table.c.last_reported_on,
                table.c.created_at,
                *(table.c[f] for f in AMOUNT_FIELDS),
            )
        )
    }
    seen: set[tuple[int, str]] = set()
    out: list[FundsObservation] = []
    updates = ProjectUpdate.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        select(updates.c.project_id, updates.c.field, updates.c.effective_on, updates.c.new_value)
        .where(updates.c.field.in_(AMOUNT_FIELDS))
        .order_by(updates.c.effective_on, updates.c.id)
    )
    for project_id, fld, on, new_value in rows:
        seen.add((project_id, fld))
        if on > until or project_id not in projects:
            continue
        out.append(FundsObservation(projects[project_id][1], fld, on, _decimal(new_value)))
    for pid, row in projects.items():
        code, last_reported, created = row[1], row[2], row[3]
        amounts: tuple[Decimal | None, ...] = tuple(row[4:])
        for fld, value in zip(AMOUNT_FIELDS, amounts, strict=True):
            if value is None or (pid, fld) in seen:
                continue
            on = last_reported or created.date()
            if on <= until:
                out.append(FundsObservation(code, fld, on, value))
    return out


def activity_facts(session: Session) -> list[ActivityFact]:
    codes = {u.id: u.code for u in session.exec(select(Unit)).all()}
    out = []
    for a in session.exec(select(Activity)).all():
        try:
            kind = ActivityKind(a.kind)
        except ValueError:
            continue
        out.append(ActivityFact(codes[a.unit_id], a.happened_on, kind, a.note))
    return out
