"""The stage rules of an import row: a stage moves only on what happened.

A planned wording (拟签约, 计划开工, 正在洽谈签约) keeps a known project where it is, and puts
a new one one step before what it plans; a date written for a planned stage is a planned
date (计划开工日期, else an extra attribute), never the day it was reached. A stage reached
with no date of its own takes the report date, and the import says so. Dates after the
report date (or today) are refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zsyz.domain.stages import LIFE_CYCLE, PlannedStage, Stage, stage_from_dates
from zsyz.io.values import ValueProblem, parse_date

if TYPE_CHECKING:
    from zsyz.app.import_plan import Planner
    from zsyz.io.weekly import ReportRow

_DATED = (*LIFE_CYCLE, Stage.DROPPED)
STAGE_DATES = frozenset(s.date_field for s in _DATED)


def stage_rules(p: Planner, row: ReportRow, pid: int | None, values: dict[str, Any]) -> None:
    when = p.plan.report_date
    planned: PlannedStage | None = None
    if isinstance(values.get("stage"), PlannedStage):
        planned = values.pop("stage")
        assert planned is not None
        _record_plan(row, values, planned, when.year if when else None)
    limit = min(when, p.today) if when else p.today
    for key in sorted(STAGE_DATES & values.keys()):
        if values[key] > limit:
            what = "今天" if limit == p.today else "填报日期"
            p.problem(row, key, f"日期晚于{what}（{limit.isoformat()}），不能是将来的日期")
    stage: Stage | None = values.get("stage")
    current = p.state.projects.get(pid) if pid is not None else None
    old = Stage(current["stage"]) if current else None
    if stage is None:
        # No stage written: the dates tell how far it got, if further than known.
        dated = stage_from_dates(s for s in _DATED if s.date_field in values)
        if dated is None and planned is not None and old is None:
            dated = planned.before
            p.plan.warnings.append(
                f"{row.where}「{row.values['name']}」写的是「{planned.text}」（计划，尚未发生），"
                f"新项目记为{dated.label}"
            )
        if dated is None or (
            old is not None and (old is Stage.DROPPED or dated.order <= old.order)
        ):
            return
        stage = dated
    values["stage"] = stage.value
    back = old is not None and stage is not old and Stage.DROPPED not in (stage, old)
    if back and old is not None and stage.order < old.order:
        p.plan.warnings.append(
            f"{row.where}「{row.values['name']}」阶段由{old.label}退回{stage.label}"
        )
    if (
        (old is None or stage is not old)
        and when is not None
        and stage.date_field not in values
        and (current is None or current[stage.date_field] is None)
    ):
        values[stage.date_field] = when  # reached this stage by the report date
        p._dated.append(row.where)


def _record_plan(
    row: ReportRow, values: dict[str, Any], planned: PlannedStage, year: int | None
) -> None:
    """Keep what a planned wording says: its date as a planned date, its text as written."""
    target = planned.target
    day = values.pop(target.date_field, None)
    if day is None and planned.when:
        try:
            day = parse_date(planned.when, year, month_end=True)
        except ValueProblem:
            day = None
    extra = dict(values.get("extra") or {})
    extra["计划阶段"] = planned.text
    if day is not None:
        if target is Stage.STARTED and "planned_start_on" not in values:
            values["planned_start_on"] = day
        else:
            extra[f"计划{target.label}日期"] = day.isoformat()
    values["extra"] = extra
