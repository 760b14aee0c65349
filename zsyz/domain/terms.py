"""Explanations as structured terms: which rule was applied, what it read, the operation,
the result and the projects it cites. The domain builds terms; `zsyz.render.explain`
alone turns them into Chinese text (so a renderer can lay them out and tests compare
numbers, not sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any


class Op(Enum):
    """The operation a term records; its `inputs` keys are listed beside each."""

    # ranking components (domain/components.py, domain/ranking.py)
    COMPLETION = "completion"  # targets (TargetProgress…), done
    BONUS_COUNT = "bonus_count"  # count, cap_hit
    BONUS_PER = "bonus_per"  # got, units, cap_hit
    SHARE = "share"  # top, bottom, ratio
    SHARE_ZERO = "share_zero"  # (denominator 0)
    PER_PROJECT = "per_project"  # items ((code, amount, points)…), cap_hit
    TARGET = "target"  # got, required, own, ratio, step, top, capped, over, over_cap_hit
    TARGET_NO_TASK = "target_no_task"
    SHORTFALL = "shortfall"  # needs ((need, got, short)…), missing, raw, floored
    DEDUCTION = "deduction"  # count, cap_hit; parts: the events
    DEDUCTION_BASE = "deduction_base"  # count, taken, cap_hit, raw, floored; parts: events
    STALE = "stale"  # days (projects: the one project)
    SIGNED_OVERDUE = "signed_overdue"  # signed, months
    REPORT_SLOT = "report_slot"  # slot (a Period)
    ADJUSTMENT = "adjustment"  # adjustments (AdjustmentFact…), cap_hit
    MEASURED = "measured"  # value: the raw value a group item is scored from
    EFFICACY_ITEM = "efficacy_item"  # raw, value, lo, hi, scaled, full
    RANK_POINTS = "rank_points"  # raw, place
    CEILING = "ceiling"  # items (Component…), cap_hit
    EFFICACY_FORM = "efficacy_form"  # score, lo, hi (rule: the Ranking)
    # rewards (domain/rewards.py)
    FIXED_REWARD = "fixed_reward"  # completion
    PROJECT_REWARD = "project_reward"  # count
    PERMILLE_FUNDS = "permille_funds"  # done, funds
    PERMILLE_ABOVE = "permille_above"  # funds
    COMPILED_STARTED = "compiled_started"  # year, compiled, started, base
    TIERED = "tiered"  # items ((code, base, amount)…)
    # flags (domain/rewards.py, domain/bottom.py)
    BELOW_LINE = "below_line"  # completion
    TASK_EXCEEDED = "task_exceeded"  # task, achieved, required
    LANDED_WITHOUT_TASK = "landed_without_task"  # count
    LISTED = "listed"  # (named by the policy)
    RECORDED_FLAG = "recorded_flag"  # adjustment (an AdjustmentFact)
    BOTTOM = "bottom"  # period, group, rank, size, score
    BOTTOM_TIE = "bottom_tie"  # period, group, tied, line, bottom


@dataclass(frozen=True)
class Term:
    """One explanation: `rule` is the policy rule applied (a `rules` value, the Ranking),
    `inputs` what it read and derived (keys per `Op`), `result` what came out."""

    op: Op
    rule: Any = None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    result: Decimal | None = None
    projects: tuple[str, ...] = ()
    parts: tuple[Term, ...] = ()
