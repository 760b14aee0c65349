"""The progress shapes: the JSON contract of `zsyz progress` (also in the dashboard)."""

from __future__ import annotations

from typing import Any

from zsyz.domain.progress import TargetProgress, UnitProgress


def target_row(t: TargetProgress) -> dict[str, Any]:
    """One target of a unit as the JSON contract carries it."""
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
