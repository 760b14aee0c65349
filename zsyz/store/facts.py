"""Loading the facts the pure rules read: projects (with roles), amounts over time from
`project_update`, activities. Read-only; one session passed in by the use case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from zsyz.domain.facts import ActivityFact, ActivityKind, FundsObservation, ProjectFact, Role
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.store.tables import Activity, Project, ProjectRole, ProjectUpdate, Unit

AMOUNT_FIELDS = (
    "funds_in_place",
    "foreign_funds",
    "out_of_province_funds",
    "completed_investment_year",
)


_PROJECT_COLUMNS = (
    "id",
    "code",
    "name",
    "stage",
    "investor",
    "investor_origin",
    "investor_type",
    "category",
    "chain",
    "level",
    "is_new",
    "total_investment",
    "fai",
    "planned_investment_year",
    "completed_investment_year",
    "funds_in_place",
    "foreign_funds",
    "out_of_province_funds",
    "land_area",
    "needs_land",
    "expected_tax",
    "fiscal_support",
    "compiled_on",
    "planned_start_on",
    "last_reported_on",
)
_STAGES = (*LIFE_CYCLE, Stage.DROPPED)


def project_facts(session: Session) -> list[ProjectFact]:
    """Every project as it stands now, with the date of each stage it reached.

    Core row tuples, not ORM objects: at province scale (100,000 projects) building
    SQLModel instances costs seconds that the rules never needed.
    """
    conn = session.connection()
    codes: dict[int, str] = {uid: code for uid, code in conn.execute(select(Unit.id, Unit.code))}
    roles: dict[int, list[tuple[Role, str]]] = {}
    role_of = {r.value: r for r in Role}
    for project_id, unit_id, role_text in conn.execute(
        select(ProjectRole.project_id, ProjectRole.unit_id, ProjectRole.role).order_by(
            col(ProjectRole.id)
        )
    ):
        role = role_of.get(role_text)
        if role is not None:
            roles.setdefault(project_id, []).append((role, codes[unit_id]))
    table = Project.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in _PROJECT_COLUMNS]
    date_columns = [table.c[s.date_field] for s in _STAGES]
    stage_of = {s.value: s for s in Stage}
    out = []
    for row in conn.execute(select(*columns, *date_columns).order_by(table.c.code)):
        values = dict(zip(_PROJECT_COLUMNS, row[: len(_PROJECT_COLUMNS)], strict=True))
        dates = {
            s: d
            for s, d in zip(_STAGES, row[len(_PROJECT_COLUMNS) :], strict=True)
            if d is not None
        }
        pid = values.pop("id")
        values["stage"] = stage_of.get(values["stage"], Stage.PLANNED)
        out.append(ProjectFact(stage_dates=dates, roles=tuple(roles.get(pid, ())), **values))
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
