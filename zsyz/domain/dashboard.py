"""What the leaders' dashboard (驾驶舱) adds to the CLI's figures: the monthly trend, the
stage funnel with the median days spent in each stage, and the colour band of a unit's
completion against 序时进度.

Pure. Counts and amounts come from the same `Facts` the bulletin and `progress` read:
a project counts in the month it reached a stage (`ProjectFact.reached_on`), funds
arriving in a month are the cumulative value at the month's end less the value at the
previous month's end (so the months of a year add up to the bulletin's year to date).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from statistics import median

from zsyz.domain.alerts import expected_share
from zsyz.domain.facts import ProjectFact
from zsyz.domain.periods import PeriodKind, period_containing
from zsyz.domain.policy import Policy
from zsyz.domain.progress import Facts
from zsyz.domain.ranking import stage_on
from zsyz.domain.stages import LIFE_CYCLE, Stage

TREND_STAGES: tuple[Stage, ...] = (Stage.SIGNED, Stage.STARTED)


@dataclass(frozen=True)
class Month:
    month: int
    signed: int
    started: int
    funds: Decimal | None  # None: the ledger had no report yet by the month's end


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    count: int  # projects in this stage at the day
    median_days: Decimal | None  # median days spent here by projects that moved on
    moved_on: int  # how many projects that median is taken over


def _month_end(year: int, month: int) -> date:
    return period_containing(PeriodKind.MONTH, date(year, month, 1)).end


def trend(
    facts: Facts, projects: Sequence[ProjectFact], year: int, until: date, since: date | None
) -> list[Month] | None:
    """Months 1..until.month of `year` for `projects` (all of `facts`' or one unit's),
    each capped at `until`. None when the ledger
    holds nothing of that year: its first report (`since`) came after the months'
    end (then last year's months are not shown as zeros)."""
    last = min(until, date(year, 12, 31))
    if since is None or since > last:
        return None
    counts = {(s, m): 0 for s in TREND_STAGES for m in range(1, last.month + 1)}
    for p in projects:
        for s in TREND_STAGES:
            day = facts.reached_on(p, s)
            if day is not None and day.year == year and day <= last:
                counts[(s, day.month)] += 1
    out = []
    for m in range(1, last.month + 1):
        end = min(_month_end(year, m), last)
        before = date(year, m, 1) - timedelta(days=1)
        funds = None
        if end >= since:
            funds = sum(
                (
                    facts.value_on(p.code, "funds_in_place", end)
                    - facts.value_on(p.code, "funds_in_place", before)
                    for p in projects
                ),
                Decimal(0),
            )
        out.append(Month(m, counts[(Stage.SIGNED, m)], counts[(Stage.STARTED, m)], funds))
    return out


def funnel(projects: Sequence[ProjectFact], day: date) -> list[StageRow]:
    """Projects in each life-cycle stage on `day`, and the median days a project spent in
    a stage before reaching a later one (dates after `day` are not known yet)."""
    here: dict[Stage, int] = {}
    spent: dict[Stage, list[int]] = {s: [] for s in LIFE_CYCLE}
    for p in projects:
        now = stage_on(p, day)
        if now is not None:
            here[now] = here.get(now, 0) + 1
        dated = sorted(
            ((s, d) for s, d in p.stage_dates.items() if s in spent and d <= day),
            key=lambda sd: sd[0].order,
        )
        for (s, d), (_, d_next) in pairwise(dated):
            if d_next >= d:
                spent[s].append((d_next - d).days)
    rows = []
    for s in (*LIFE_CYCLE, Stage.DROPPED):
        days = spent.get(s, [])
        if not here.get(s) and not days:
            continue
        mid = Decimal(str(median(days))) if days else None
        rows.append(StageRow(s, here.get(s, 0), mid, len(days)))
    return rows


def schedule_share(policy: Policy, day: date) -> Decimal:
    """序时进度 on `day` (0..1) as the policy's behind-schedule alert reads it."""
    return expected_share(day, day.year, policy.alerts.schedule, Decimal(1), False)


def band(policy: Policy, completion: Decimal, share: Decimal, complete: bool) -> str:
    """done | on_track | behind (yellow) | far_behind (red): done only when every target
    is (`complete`; a weighted completion of 100% may hide one that is not), otherwise
    the policy's alert bands (`behind_yellow`, `behind_red` points behind 序时进度)."""
    if complete:
        return "done"
    behind = (share - completion) * 100
    if behind < policy.alerts.behind_yellow:
        return "on_track"
    return "far_behind" if behind > policy.alerts.behind_red else "behind"
