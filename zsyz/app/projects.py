"""Use cases: listing projects and showing one with its approval route, admission check,
credited units and full history (which import changed what, when)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from zsyz.domain import admission as adm
from zsyz.domain.approval import ApprovalDecision, decide
from zsyz.domain.credit import credited_units
from zsyz.domain.facts import ProjectFact, Role, UnitFact
from zsyz.domain.field_labels import FIELD_LABELS, shown
from zsyz.domain.ledger_views import ListedProject, ProjectChange, ProjectDetail
from zsyz.domain.policy import Policy
from zsyz.domain.stages import Stage
from zsyz.errors import LedgerStateError, NotFoundError
from zsyz.store.facts import active_policy, project_facts, unit_facts
from zsyz.store.units import UnitIndex

if TYPE_CHECKING:  # `projects list` reads on the bare driver: no ORM imported for it
    from zsyz.store.engine import Ledger
    from zsyz.store.reader import Reader

SHOWN = [k for k in FIELD_LABELS if not k.startswith("roles:")]


def _policy(session: Any) -> Policy | None:
    """The policy in force from the latest year, None when the ledger has none."""
    try:
        return active_policy(session)[0]
    except LedgerStateError:
        return None


def _approval(
    p: ProjectFact, policy: Policy | None, units: dict[str, UnitFact]
) -> ApprovalDecision:
    if policy is None or policy.approval is None:
        return ApprovalDecision(None, "", "政策未规定审批权限（[approval]）")
    names = [n for c in p.units(Role.LANDING, Role.SOURCING) for n in _names(units.get(c))]
    return decide(p, policy.approval, names)


def _names(unit: UnitFact | None) -> list[str]:
    return [unit.name, *unit.aliases] if unit else []


def _years(p: ProjectFact) -> set[int]:
    days = [*p.stage_dates.values(), p.compiled_on, p.last_reported_on, p.planned_start_on]
    return {d.year for d in days if isinstance(d, date)}


def _unit_names(p: ProjectFact, role: Role, units: dict[str, UnitFact]) -> tuple[str, ...]:
    return tuple(units[c].name for c in p.units(role) if c in units)


def project_list(
    ledger: Ledger | Reader,
    unit: str | None = None,
    stage: Stage | None = None,
    year: int | None = None,
    approval: str | None = None,
) -> list[ListedProject]:
    with ledger.read() as session:
        policy = _policy(session)
        known = unit_facts(session)
        only = UnitIndex.of_facts(known).resolve(unit).code if unit else None
        units = {u.code: u for u in known}
        facts = project_facts(session)
    out = []
    for p in facts:
        if only is not None and only not in p.units():
            continue
        if stage is not None and p.stage is not stage:
            continue
        if year is not None and year not in _years(p):
            continue
        route = _approval(p, policy, units)
        if approval is not None and route.level != approval:
            continue
        check = adm.check(p, policy.admission if policy else None)
        out.append(
            ListedProject(
                code=p.code,
                name=p.name,
                stage=p.stage,
                category=p.category,
                total_investment=p.total_investment,
                fai=p.fai,
                land_area=p.land_area,
                sourcing=_unit_names(p, Role.SOURCING, units),
                landing=_unit_names(p, Role.LANDING, units),
                approval=route.level,
                admission=check.flags,
                last_reported_on=p.last_reported_on,
            )
        )
    return out


def project_detail(ledger: Ledger, code: str) -> ProjectDetail:
    from sqlmodel import col, select

    from zsyz.store.history import field_changes
    from zsyz.store.tables import Project

    with ledger.read() as session:
        row = session.exec(select(Project).where(col(Project.code) == code.strip())).first()
        if row is None:
            raise NotFoundError(f"没有编号为「{code}」的项目；请用 zsyz projects list 查看")
        policy = _policy(session)
        units = {u.code: u for u in unit_facts(session)}
        fact = next(p for p in project_facts(session) if p.code == row.code)
        by_code = {u.code: u.name for u in units.values()}
        # a merged record's history is this project's too (projects merge)
        merged_ids = {
            p.id: p.code
            for p in session.exec(select(Project).where(col(Project.merged_into_id) == row.id))
        }
        into = session.get(Project, row.merged_into_id) if row.merged_into_id else None
        into_code = into.code if into else None
        changes = tuple(
            ProjectChange(
                date=c.effective_on,
                record=c.project_code,
                batch=c.batch_id,
                file=c.file_name,
                period=c.period,
                field=c.field,
                field_label=FIELD_LABELS.get(c.field, c.field),
                old=shown(c.field, c.old, by_code),
                new=shown(c.field, c.new, by_code),
            )
            for c in field_changes(session, project_id=row.id, also=list(merged_ids))
        )
        fields = tuple((k, getattr(row, k)) for k in SHOWN)
    route = _approval(fact, policy, units)
    check = adm.check(fact, policy.admission if policy else None)
    credited = credited_units(fact, list(units.values()), policy) if policy else []
    return ProjectDetail(
        code=fact.code,
        fields=fields,
        stage=fact.stage,
        roles=tuple((r, _unit_names(fact, r, units)) for r in Role),
        credited=tuple(u.name for u in credited),
        approval=route,
        admission=check,
        history=changes,
        merged_into=into_code,
        merged=tuple(sorted(merged_ids.values())),
    )
