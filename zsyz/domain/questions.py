"""Which measures a computation will ask, known before it runs: a store can answer them
all at once (in SQL) and leave the projects unloaded (`progress_facts.UNLOADED`).

Pure. Each function mirrors the computation it speaks for: `progress_keys` what
`progress.progress` measures, `ranking_keys` what `ranking.rank` does for one period. A key
left out is never a wrong number: the computation then touches the unloaded projects,
raises `NotLoaded`, and the caller loads them and computes again. None means the
computation reads projects beyond its measures (per-project points, stale projects ...):
there is nothing to gain from answering measures ahead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from zsyz.domain import rules as r
from zsyz.domain.facts import UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import Period
from zsyz.domain.policy import Filters, Policy, Ranking, Share, TargetRule
from zsyz.domain.progress import rules_for, year_span
from zsyz.domain.progress_facts import Facts, MeasureKey
from zsyz.domain.tasks import tasks_of

# answered from the units' activities, never from projects: nothing to ask ahead
_ACTIVITY_METRICS = frozenset({Metric.LEADS, Metric.TRIPS})
# deduction events that read projects themselves, not a measure
_PROJECT_EVENTS = frozenset({r.DeductionEvent.STALE_PROJECT, r.DeductionEvent.SIGNED_NOT_STARTED})


def _key(
    metric: Metric, filters: Filters, unit: UnitFact, year: int, as_of: date
) -> Iterator[MeasureKey]:
    start, end = year_span(year, as_of)
    if metric not in _ACTIVITY_METRICS and start <= end:  # else `_measure` reads no project
        yield (metric, filters, unit.code, start, end)


def _rule_keys(rule: TargetRule, unit: UnitFact, year: int, as_of: date) -> Iterator[MeasureKey]:
    """What `progress.evaluate(rule, unit, …, year, as_of)` measures."""
    for part in (*rule.any_of, *rule.all_of):
        yield from _rule_keys(part, unit, year, as_of)
    if rule.metric is None:
        return
    yield from _key(rule.metric, rule.filters, unit, year, as_of)
    if rule.growth is not None:
        yield from _key(rule.metric, rule.filters, unit, year - 1, date(year - 1, 12, 31))


def progress_keys(policy: Policy, facts: Facts, year: int, as_of: date) -> set[MeasureKey]:
    """Every measure `progress(policy, facts, year, as_of)` asks."""
    out: set[MeasureKey] = set()
    for unit in facts.units:
        if not unit.active_on(as_of):
            continue
        for rule in rules_for(unit, policy, facts.explicit_of(unit.code, year)):
            out.update(_rule_keys(rule, unit, year, as_of))
    return out


def _component_pairs(c: r.Component) -> Iterable[tuple[Metric, Filters]] | None:
    """(metric, filters) a component measures for a unit; None when it reads projects."""
    match c:
        case r.PerProject():
            return None
        case r.Deduction():
            return None if c.event in _PROJECT_EVENTS else ()
        case r.Bonus() | r.Efficacy() | r.RankPoints():
            return ((c.metric, c.filters),)
        case r.TargetScore():
            return ((c.metric, c.filters),)  # the own task's keys come from `_task_keys`
        case r.Shortfall():
            return tuple((n.metric, n.filters) for n in c.require)
        case r.Share():
            return (
                (c.numerator.metric, c.numerator.filters),
                (c.denominator.metric, c.denominator.filters),
            )
    return ()  # completion, adjustment: read progress or hand-recorded points only


def ranking_keys(
    policy: Policy, ranking: Ranking, facts: Facts, period: Period, day: date
) -> set[MeasureKey] | None:
    """Every measure `ranking._ranked` asks for `period` scored on `day`
    (`ranking.scoring_day`), or None when the ranking reads projects themselves."""
    if policy.credit.share is not Share.FULL:
        return None  # the tie-break sums each signed project's FAI whole: it reads them
    year = period.end.year
    pairs: list[tuple[Metric, Filters]] = []
    own_tasks: list[r.TargetScore] = []
    for c in r.flat(ranking.components):
        got = _component_pairs(c)
        if got is None:
            return None
        pairs.extend(got)
        if isinstance(c, r.TargetScore) and c.required is None:
            own_tasks.append(c)
    pairs.append((Metric.SIGNED, Filters()))  # the tie-break: signed this year
    pairs.append((Metric.SIGNED_FAI, Filters()))
    out = progress_keys(policy, facts, year, day)
    for unit in facts.units:
        if not unit.active_on(day) and not unit.active_on(period.end):
            continue
        for metric, filters in pairs:
            out.update(_key(metric, filters, unit, year, day))
        explicit = facts.explicit_of(unit.code, year)
        for c in own_tasks:
            for task in tasks_of(unit, policy, explicit, c.metric, c.filters)[:1]:
                out.update(_rule_keys(task, unit, year, day))
    return out
