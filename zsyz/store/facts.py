"""Loading the facts the pure rules read: projects (with roles), amounts over time from
`project_update`, activities. Read-only; one session passed in by the use case.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

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


def project_facts(session: Session) -> list[ProjectFact]:
    """Every project as it stands now, with the date of each stage it reached."""
    codes = {u.id: u.code for u in session.exec(select(Unit)).all()}
    roles: dict[int, list[tuple[Role, str]]] = {}
    for r in session.exec(select(ProjectRole).order_by(col(ProjectRole.id))).all():
        try:
            role = Role(r.role)
        except ValueError:
            continue
        roles.setdefault(r.project_id, []).append((role, codes[r.unit_id]))
    out = []
    for p in session.exec(select(Project).order_by(col(Project.code))).all():
        dates = {
            s: getattr(p, s.date_field)
            for s in (*LIFE_CYCLE, Stage.DROPPED)
            if getattr(p, s.date_field) is not None
        }
        try:
            stage = Stage(p.stage)
        except ValueError:
            stage = Stage.PLANNED
        out.append(
            ProjectFact(
                code=p.code,
                name=p.name,
                stage=stage,
                stage_dates=dates,
                roles=tuple(roles.get(p.id or 0, ())),
                investor=p.investor,
                investor_origin=p.investor_origin,
                investor_type=p.investor_type,
                category=p.category,
                chain=p.chain,
                level=p.level,
                is_new=p.is_new,
                total_investment=p.total_investment,
                fai=p.fai,
                planned_investment_year=p.planned_investment_year,
                completed_investment_year=p.completed_investment_year,
                funds_in_place=p.funds_in_place,
                foreign_funds=p.foreign_funds,
                out_of_province_funds=p.out_of_province_funds,
                land_area=p.land_area,
                needs_land=p.needs_land,
                expected_tax=p.expected_tax,
                fiscal_support=p.fiscal_support,
                compiled_on=p.compiled_on,
                planned_start_on=p.planned_start_on,
                last_reported_on=p.last_reported_on,
            )
        )
    return out


def _decimal(text: str | None) -> Decimal:
    if text is None or not text.strip():
        return Decimal(0)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def funds_observations(session: Session, until: date) -> list[FundsObservation]:
    """Cumulative amounts per project as reported over time (history up to `until`).

    A project with no history for a field contributes its current column value, dated
    when it was last reported (or created): the best the ledger knows of when it arrived.
    """
    codes = {p.id: p for p in session.exec(select(Project)).all()}
    seen: set[tuple[int, str]] = set()
    out: list[FundsObservation] = []
    # column tuples, not ORM objects: a year of weekly history is tens of thousands of rows
    rows = session.execute(
        sa_select(
            col(ProjectUpdate.project_id),
            col(ProjectUpdate.field),
            col(ProjectUpdate.effective_on),
            col(ProjectUpdate.new_value),
        )
        .where(col(ProjectUpdate.field).in_(AMOUNT_FIELDS))
        .order_by(col(ProjectUpdate.effective_on), col(ProjectUpdate.id))
    ).all()
    for pid, fld, on, new in rows:
        seen.add((pid, fld))
        if on > until or pid not in codes:
            continue
        out.append(FundsObservation(codes[pid].code, fld, on, _decimal(new)))
    for pid, p in codes.items():
        for fld in AMOUNT_FIELDS:
            value = getattr(p, fld)
            if value is None or (pid or 0, fld) in seen:
                continue
            on = p.last_reported_on or p.created_at.date()
            if on <= until:
                out.append(FundsObservation(p.code, fld, on, value))
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
