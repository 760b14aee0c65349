"""The stage rules of an import row: a stage moves only on what happened.

A planned wording (拟签约, 计划开工, 正在洽谈签约) keeps a known project where it is, and puts
a new one one step before what it plans; a date written for a planned stage is a planned
date (计划开工日期, else an extra attribute), never the day it was reached. A stage reached
with no date of its own takes the report date, and the import says so. Dates after the
report date (or today) are refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zsyz.domain.plan_values import Issue, PlanContext, RowWork, issue
from zsyz.domain.stages import LIFE_CYCLE, PlannedStage, Stage, stage_from_dates

if TYPE_CHECKING:
    from zsyz.domain.planning import Run

_DATED = (*LIFE_CYCLE, Stage.DROPPED)
STAGE_DATES = frozenset(s.date_field for s in _DATED)


def take_planned(run: Run, w: RowWork) -> None:
    """A planned wording in the stage column is not a stage: keep what it says (its date
    as a planned date, its text as an extra attribute) and record it on `w.planned`."""
    values = w.values
    if not isinstance(values.get("stage"), PlannedStage):
        return
    planned: PlannedStage = values.pop("stage")
    w.planned = planned
    when = run.ctx.report_date
    target = planned.target
    day = values.pop(target.date_field, None)
    if day is None and planned.when:
        day = run.ctx.planned_day(planned.when, when.year if when else None)
    extra = dict(values.get("extra") or {})
    extra["计划阶段"] = planned.text
    if day is not None:
        if target is Stage.STARTED and "planned_start_on" not in values:
            values["planned_start_on"] = day
        else:
            extra[f"计划{target.label}日期"] = day.isoformat()
    values["extra"] = extra


def future_dates(ctx: PlanContext, w: RowWork) -> list[Issue]:
    """No stage date after the report date (or today)."""
    when = ctx.report_date
    limit = min(when, ctx.today) if when else ctx.today
    found = []
    for key in sorted(STAGE_DATES & w.values.keys()):
        if w.values[key] > limit:
            what = "今天" if limit == ctx.today else "填报日期"
            why = f"日期晚于{what}（{limit.isoformat()}），不能是将来的日期"
            found.append(issue(ctx, w.row, key, why))
    return found


def reach_stage(run: Run, w: RowWork) -> None:
    """The stage the row records: as written, else as far as its dates show (never back
    to an earlier one by dates alone); a stage reached without its date takes the
    report date."""
    values, when, planned = w.values, run.ctx.report_date, w.planned
    stage: Stage | None = values.get("stage")
    current = run.snap.projects.get(w.pid) if w.pid is not None else None
    old = Stage(current["stage"]) if current else None
    if stage is None:
        # No stage written: the dates tell how far it got, if further than known.
        dated = stage_from_dates(s for s in _DATED if s.date_field in values)
        if dated is None and planned is not None and old is None:
            dated = planned.before
            w.warnings.append(
                f"{w.row.where}「{w.name}」写的是「{planned.text}」（计划，尚未发生），"
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
        w.warnings.append(f"{w.row.where}「{w.name}」阶段由{old.label}退回{stage.label}")
    if (
        (old is None or stage is not old)
        and when is not None
        and stage.date_field not in values
        and (current is None or current[stage.date_field] is None)
    ):
        values[stage.date_field] = when  # reached this stage by the report date
        run.dated.append(w.row.where)
