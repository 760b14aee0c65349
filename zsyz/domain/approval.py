"""Who approves a project's landing (003 二、(五) and 五、1.), per the policy's table.

- No land (非供地) → the policy's `no_land` level (003: 分管副县长, with 县长's consent).
- Land: the first route whose categories match the project's category (the route with
  no categories is the fallback), then the first bound whose `max_land` is at least the
  area. Bounds are inclusive as 003 writes them: "20亩(含)以下" is ≤20, "20-50亩(含)" is
  >20 and ≤50, "50亩以上" is >50.
- 一事一议 fiscal support "需提级审定、审批": one level up (the top level stays).
- A self-approving park (金磐开发区 ≤50亩(含)) approves its own projects — unless they
  carry 一事一议 fiscal support: county money is then involved, so the county route
  applies and is raised (our reading; 003 does not spell the combination out).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from zsyz.domain.credit import passes
from zsyz.domain.facts import ProjectFact
from zsyz.domain.names import normalize
from zsyz.domain.policy import Approval, ApprovalRoute, Filters

LEVEL_LABELS: dict[str, str] = {
    "deputy": "分管副县长审批（经县长同意）",
    "mayor_office": "县长办公会议审议，县长审批",
    "standing_committee": "县委常委会审议通过，县长审批",
    "park": "园区自行审批",
}


@dataclass(frozen=True)
class ApprovalDecision:
    level: str | None  # deputy | mayor_office | standing_committee | park; None: unknown
    route: str  # which row of the table applied
    reason: str  # why, in Chinese, for `projects show`

    @property
    def label(self) -> str:
        return LEVEL_LABELS.get(self.level or "", "无法确定")


def _has_land(project: ProjectFact) -> bool | None:
    """True/False when known; None when the project needs land but no area is reported."""
    if project.land_area is not None and project.land_area > 0:
        return True
    if project.needs_land is True:
        return None
    return False


def _route_for(project: ProjectFact, approval: Approval) -> ApprovalRoute | None:
    fallback = None
    for route in approval.routes:
        if not route.categories:
            fallback = fallback or route
            continue
        if project.category and passes(project, Filters(categories=route.categories)):
            return route
    return fallback


def _raise(level: str, approval: Approval) -> str:
    levels = approval.levels
    if level not in levels:
        return level
    return levels[min(levels.index(level) + 1, len(levels) - 1)]


def _area(value: Decimal) -> str:
    return format(value.normalize(), "f")


def decide(
    project: ProjectFact, approval: Approval, unit_names: Collection[str] = ()
) -> ApprovalDecision:
    """The approval level of `project`. `unit_names`: names and aliases of the units that
    declare or land it (to recognise a self-approving park)."""
    land = _has_land(project)
    if land is None:
        return ApprovalDecision(
            None, "", "需要供地但未填用地面积，无法确定审批权限；请补报用地（亩）"
        )
    fiscal = project.fiscal_support is True and approval.fiscal_support_raises
    area = project.land_area if land else Decimal(0)
    assert area is not None
    names = {normalize(n) for n in unit_names}
    for park in approval.parks:
        if normalize(park.unit) in names and area <= park.max_land and not fiscal:
            return ApprovalDecision(
                park.level,
                park.unit,
                f"{park.unit}申报、供地{_area(park.max_land)}亩（含）以下，园区自行审批",
            )
    if not land:
        level, route, why = approval.no_land, "非供地项目", "非供地项目"
    else:
        chosen = _route_for(project, approval)
        if chosen is None:
            return ApprovalDecision(None, "", "政策的审批权限表没有适用于该类别的规定")
        bound = next(
            (b for b in chosen.bounds if b.max_land is None or area <= b.max_land),
            chosen.bounds[-1],
        )
        level, route = bound.level, chosen.label
        limit = f"{_area(bound.max_land)}亩（含）以下档" if bound.max_land is not None else "最高档"
        why = f"{chosen.label}，供地{_area(area)}亩，属{limit}"
    if fiscal:
        raised = _raise(level, approval)
        why += f"；涉及一事一议财政扶持，提级（{LEVEL_LABELS.get(level, level)} → "
        why += f"{LEVEL_LABELS.get(raised, raised)}）"
        level = raised
    return ApprovalDecision(level, route, why)
