"""Use case: target completion as of a date (`zsyz progress`). Loads facts, calls the
pure rule, returns plain rows in the JSON contract's shape."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from zsyz.domain.progress import (
    Facts,
    TargetProgress,
    UnitProgress,
    funds_days,
    progress,
    reads_amounts,
)
from zsyz.store.asof import projects_on
from zsyz.store.facts import (
    active_policy,
    activity_facts,
    explicit_targets,
    funds_observations,
    unit_facts,
)
from zsyz.store.units import UnitIndex

if TYPE_CHECKING:
    from zsyz.store.engine import Ledger
    from zsyz.store.reader import Reader


def unit_progress(
    ledger: Ledger | Reader,
    year: int,
    as_of: date,
    unit: str | None = None,
    unit_class: str | None = None,
) -> list[UnitProgress]:
    with ledger.read() as session:
        policy, _ = active_policy(session, year)
        units = unit_facts(session)
        only = UnitIndex.of_facts(units).resolve(unit).code if unit else None
        explicit = explicit_targets(session, year)
        # observations only when a target reads amounts over time (see reads_amounts)
        days = funds_days(year, as_of) if reads_amounts(policy, explicit) else frozenset()
        facts = Facts(
            units=units,
            projects=projects_on(session, as_of),
            observations=funds_observations(session, as_of, days) if days else (),
            activities=activity_facts(session),
            explicit=explicit,
            days=days,
        )
    rows = progress(policy, facts, year, as_of)
    return [
        r
        for r in rows
        if (only is None or r.unit.code == only)
        and (unit_class is None or r.unit.unit_class == unit_class)
    ]


def target_row(t: TargetProgress) -> dict[str, Any]:
    return {
        "target": t.label,
        "metric": t.metric,
        "required": t.required,
        "achieved": t.achieved,
        "completion": t.ratio,
        "complete": t.complete,
        "projects": list(t.projects),
    }


def progress_json(rows: list[UnitProgress]) -> list[dict[str, Any]]:
    """The JSON contract: one object per unit, amounts in 万元. `completion` is the
    最低单项完成率 (least target ratio); `composite_completion` the 综合完成率 (weighted,
    capped as the ranking caps it: `rank`'s `completion`)."""
    return [
        {
            "unit": r.unit.name,
            "class": r.unit.unit_class,
            "complete": r.complete,
            "completion": r.completion,
            "composite_completion": r.composite,
            "targets": [target_row(t) for t in r.targets],
        }
        for r in rows
    ]
