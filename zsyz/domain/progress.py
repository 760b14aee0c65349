"""Target completion: where each unit stands against its targets as of a date.

Pure: (policy, units, explicit targets, projects, funds observations, activities, year,
as-of) → one `UnitProgress` per unit that has targets. A project counts in the period
in which it reached the stage the target asks for (`ProjectFact.reached_on`), and never
after as-of. Amounts arriving in the year are the cumulative value as of the period's
end minus the value the day before it starts.

Unit completion is the *least* target ratio: a unit has completed its 目标任务 only when
every target is complete (000 rewards "完成工作目标任务" as a whole), so the unit's
figure must reach 1 exactly when all its targets do; with one target it is that ratio.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from zsyz.domain import rules as r
from zsyz.domain.credit import passes
from zsyz.domain.facts import (
    ActivityKind,
    ExplicitTarget,
    ProjectFact,
    Role,
    UnitFact,
)
from zsyz.domain.metrics import PROJECT_SUMS, Metric
from zsyz.domain.policy import Filters, Policy, Share, TargetRule, target_label
from zsyz.domain.progress_facts import Facts as Facts  # re-exported: callers build Facts here
from zsyz.domain.stages import Stage

RATIO_QUANTUM = Decimal("0.0001")
STAGE_OF: dict[Metric, Stage] = {
    Metric.SIGNED: Stage.SIGNED,
    Metric.STARTED: Stage.STARTED,
    Metric.PRODUCING: Stage.PRODUCING,
}
FUNDS_FIELD: dict[Metric, str] = {
    Metric.FUNDS: "funds_in_place",
    Metric.FOREIGN_FUNDS: "foreign_funds",
    Metric.OUT_OF_PROVINCE_FUNDS: "out_of_province_funds",
}


@dataclass(frozen=True)
class TargetProgress:
    label: str
    metric: str  # a Metric value; "all_of" when parts measure different things
    required: Decimal
    achieved: Decimal
    ratio: Decimal  # achieved / required, not capped; 1 when required is 0
    complete: bool
    projects: tuple[str, ...] = ()
    weight: Decimal = Decimal(1)
    chosen: str | None = None  # any_of: the alternative that counts
    parts: tuple[TargetProgress, ...] = ()


@dataclass(frozen=True)
class UnitProgress:
    unit: UnitFact
    targets: tuple[TargetProgress, ...]
    cap: Decimal | None = None  # the ranking's per-target cap (see `composite`)

    @property
    def complete(self) -> bool:
        return all(t.complete for t in self.targets)

    @property
    def completion(self) -> Decimal:
        """最低单项完成率: the least target ratio (1 exactly when every target is done)."""
        return min((t.ratio for t in self.targets), default=Decimal(1))

    @property
    def composite(self) -> Decimal:
        """综合完成率: the weighted mean of the target ratios, each capped at the
        ranking's completion cap — the figure `rank` scores and sorts by."""
        return self.weighted(self.cap)

    def weighted(self, cap: Decimal | None) -> Decimal:
        """Weighted mean of the target ratios, each capped at `cap` (when given)."""
        weights = sum((t.weight for t in self.targets), Decimal(0))
        if weights <= 0:
            return Decimal(0)  # no targets: nothing completed to score
        got = sum(
            (t.weight * (min(t.ratio, cap) if cap else t.ratio) for t in self.targets),
            Decimal(0),
        )
        return (got / weights).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_EVEN)


def completion_cap(policy: Policy) -> Decimal | None:
    """The per-target cap of the ranking's completion component (None: uncapped)."""
    components = r.flat(policy.ranking.components) if policy.ranking else []
    return next((c.cap for c in components if isinstance(c, r.Completion)), None)


def ratio(achieved: Decimal, required: Decimal) -> Decimal:
    if required <= 0:
        return Decimal(1)
    return (achieved / required).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_EVEN)


def year_span(year: int, as_of: date) -> tuple[date, date]:
    return date(year, 1, 1), min(date(year, 12, 31), as_of)


def funds_days(year: int, as_of: date) -> frozenset[date]:
    """The days `progress(…, year, as_of)` reads cumulative amounts on (the year's and,
    for growth targets, the prior year's): a store may load only the latest observation
    on or before each of them (`Facts.days`) and every figure stays the same."""
    start, end = year_span(year, as_of)
    prior = date(year - 1, 1, 1)
    return frozenset({start - timedelta(days=1), end, prior - timedelta(days=1)})


AMOUNT_METRICS = frozenset({*FUNDS_FIELD, Metric.FAI_COMPLETED})
_METRIC_RULES = (r.Bonus, r.TargetScore, r.PerProject, r.Efficacy, r.RankPoints)


def reads_amounts(policy: Policy, explicit: Sequence[ExplicitTarget]) -> bool:
    """Whether progress, ranking or rewards under `policy` (with these explicit targets)
    may read amounts over time (`Facts.value_on`, `Facts.latest_within`). When not, a
    store need not load observations: it passes `days=frozenset()`, so a read it did
    not foresee fails loudly instead of counting zero."""
    wanted = {m.value for m in AMOUNT_METRICS}
    if any(t.metric in wanted for t in explicit):
        return True
    rules = [r for c in policy.classes.values() for r in c.targets]
    if any(r.metrics & AMOUNT_METRICS for r in rules):
        return True
    components = r.flat(policy.ranking.components) if policy.ranking else []
    read = [c.metric for c in components if isinstance(c, _METRIC_RULES)]
    read += [n.metric for c in components if isinstance(c, r.Shortfall) for n in c.require]
    read += [
        m.metric for c in components if isinstance(c, r.Share) for m in (c.numerator, c.denominator)
    ]
    read += [f.metric for f in policy.flags if isinstance(f, r.VoteExcellent)]
    read += [x.metric for x in policy.rewards if isinstance(x, r.PerProjectReward)]
    if any(m in AMOUNT_METRICS for m in read):
        return True
    money = (r.FixedOnCompletion, r.PerProjectReward)
    return any(not isinstance(x, money) for x in policy.rewards)  # funds- or basis-based


def measure(
    metric: Metric,
    filters: Filters,
    unit: UnitFact,
    policy: Policy,
    facts: Facts,
    year: int,
    as_of: date,
) -> tuple[Decimal, tuple[str, ...]]:
    """What `unit` achieved of `metric` in `year` up to `as_of`, and the projects counted.

    Memoised in the facts' evaluation under `policy` (`Facts.under`): ranking and
    rewards ask the same question again for the same unit, year and day.
    """
    start, end = year_span(year, as_of)
    memo = facts.under(policy).measured
    key = (metric, filters, unit, start, end)
    got = memo.get(key)
    if got is None:
        got = facts.answered.get((metric, filters, unit.code, start, end))
        if got is None:
            got = _measure(metric, filters, unit, policy, facts, start, end)
        memo[key] = got
    return got


def _measure(
    metric: Metric,
    filters: Filters,
    unit: UnitFact,
    policy: Policy,
    facts: Facts,
    start: date,
    end: date,
) -> tuple[Decimal, tuple[str, ...]]:
    if end < start:
        return Decimal(0), ()
    if metric in (Metric.LEADS, Metric.TRIPS):
        kind = ActivityKind.LEAD if metric is Metric.LEADS else ActivityKind.TRIP
        n = sum(
            1 for a in facts.activities_of(unit.code) if a.kind is kind and start <= a.on <= end
        )
        return Decimal(n), ()
    roles = policy.credit_roles(unit.unit_class)
    # credited through the policy's roles (a compiling unit also counts what it compiled)
    also = Role.COMPILING if metric is Metric.COMPILED else None
    pool = facts.credited_to(unit, roles, also)
    amounts = facts.amounts(metric, filters, start, end)
    split = policy.credit.share is not Share.FULL
    ok = None if filters.empty else facts.passing(filters)
    total = Decimal(0)
    counted: list[str] = []
    for p in pool:
        code = p.code
        amount = amounts.get(code, _UNSET)
        if amount is _UNSET:
            amount = amounts[code] = _counted(metric, filters, ok, p, facts, start, end)
        if amount is None:
            continue
        total += amount * (facts.share(p, policy) if split else Decimal(1))
        counted.append(code)
    return total, tuple(sorted(counted))


_UNSET: Decimal | None = Decimal("NaN")  # a sentinel no amount can be (amounts are finite)


def project_amount(
    metric: Metric, filters: Filters, p: ProjectFact, facts: Facts, start: date, end: date
) -> Decimal | None:
    """What project `p` adds to `metric` under `filters` in [start, end] for a unit it is
    credited to, before any split share; None when it does not count (filtered out, not
    reached in the period, or an amount of 0). The one per-project rule: `_measure` and
    the SQL measures' projects that moved after the day (`store.measures`) both use it."""
    ok = None if filters.empty else facts.passing(filters)
    return _counted(metric, filters, ok, p, facts, start, end)


def _counted(
    metric: Metric,
    filters: Filters,
    ok: dict[str, bool] | None,  # the memo of `passes` under `filters`; None: no filters
    p: ProjectFact,
    facts: Facts,
    start: date,
    end: date,
) -> Decimal | None:
    if ok is not None:
        counts = ok.get(p.code)
        if counts is None:
            counts = ok[p.code] = passes(p, filters)
        if not counts:
            return None
    amount = _project_amount(metric, p, facts, start, end)
    return None if amount is None or amount == 0 else amount


def _project_amount(
    metric: Metric, p: ProjectFact, facts: Facts, start: date, end: date
) -> Decimal | None:
    if metric in STAGE_OF:
        day = facts.reached_on(p, STAGE_OF[metric])
        return Decimal(1) if day is not None and start <= day <= end else None
    if metric in PROJECT_SUMS:
        stage, fld = PROJECT_SUMS[metric]
        day = facts.reached_on(p, STAGE_OF[stage])
        if day is None or not start <= day <= end:
            return None
        return p.total_investment if fld == "total_investment" else p.fai
    if metric is Metric.COMPILED:
        day = p.compiled_on or p.stage_dates.get(Stage.PLANNED)
        return Decimal(1) if day is not None and start <= day <= end else None
    if metric in FUNDS_FIELD:
        fld = FUNDS_FIELD[metric]
        before = facts.value_on(p.code, fld, start - timedelta(days=1))
        return facts.value_on(p.code, fld, end) - before
    if metric is Metric.FAI_COMPLETED:
        return facts.latest_within(p.code, "completed_investment_year", start, end)
    return None


def evaluate(
    rule: TargetRule,
    unit: UnitFact,
    policy: Policy,
    facts: Facts,
    year: int,
    as_of: date,
) -> TargetProgress:
    """One target's progress. Growth reads the prior year's actual with the same rule."""
    if rule.any_of:
        parts = tuple(evaluate(r, unit, policy, facts, year, as_of) for r in rule.any_of)
        best = max(parts, key=lambda t: (t.complete, t.ratio))  # first of equals wins
        return replace(best, label=rule.label, weight=rule.weight, chosen=best.label, parts=parts)
    if rule.all_of:
        parts = tuple(evaluate(r, unit, policy, facts, year, as_of) for r in rule.all_of)
        weights = sum((t.weight for t in parts), Decimal(0))
        got = sum((t.weight * min(t.ratio, Decimal(1)) for t in parts), Decimal(0))
        metrics = {t.metric for t in parts}
        projects = tuple(sorted({c for t in parts for c in t.projects}))
        return TargetProgress(
            label=rule.label,
            metric=metrics.pop() if len(metrics) == 1 else "all_of",
            required=weights,
            achieved=got,
            ratio=ratio(got, weights),
            complete=all(t.complete for t in parts),
            projects=projects,
            weight=rule.weight,
            parts=parts,
        )
    assert rule.metric is not None
    achieved, projects = measure(rule.metric, rule.filters, unit, policy, facts, year, as_of)
    if rule.growth is not None:
        prior, _ = measure(
            rule.metric, rule.filters, unit, policy, facts, year - 1, date(year - 1, 12, 31)
        )
        required = prior * (1 + rule.growth / 100)
    else:
        required = rule.required if rule.required is not None else Decimal(0)
    r = ratio(achieved, required)
    return TargetProgress(
        label=rule.label,
        metric=rule.metric.value,
        required=required,
        achieved=achieved,
        ratio=r,
        complete=achieved >= required,
        projects=projects,
        weight=rule.weight,
    )


def rules_for(
    unit: UnitFact, policy: Policy, explicit: Sequence[ExplicitTarget]
) -> list[TargetRule]:
    """The unit's targets: its class's, with explicit ones for the year taking over.

    A per-unit class target takes its amount from the explicit target with the same
    metric and filters (without one it is left out); any other explicit target replaces
    every class target measuring the same metric; explicit targets left over are added.
    """
    mine = [(t, Filters.from_mapping(t.filters)) for t in explicit if t.unit == unit.code]
    used: set[int] = set()
    out: list[TargetRule] = []
    explicit_metrics = {t.metric for t, _ in mine}
    for rule in policy.targets_of(unit.unit_class):
        if rule.per_unit:
            hit = next(
                (
                    i
                    for i, (t, f) in enumerate(mine)
                    if i not in used and t.metric == (rule.metric or "") and f == rule.filters
                ),
                None,
            )
            if hit is not None:
                used.add(hit)
                out.append(replace(rule, required=mine[hit][0].required, per_unit=False))
            continue
        if any(m.value in explicit_metrics for m in rule.metrics):
            continue
        out.append(rule)
    for i, (t, f) in enumerate(mine):
        if i in used:
            continue
        metric = Metric(t.metric)
        label = t.label or target_label(metric, f, t.required)
        out.append(TargetRule(label=label, metric=metric, required=t.required, filters=f))
    return out


def progress(policy: Policy, facts: Facts, year: int, as_of: date) -> list[UnitProgress]:
    """Every active unit with at least one target, in policy class order then code."""
    order = {cid: i for i, cid in enumerate(policy.classes)}
    cap = completion_cap(policy)
    out = []
    for unit in sorted(facts.units, key=lambda u: (order.get(u.unit_class, 99), u.code)):
        if not unit.active_on(as_of):
            continue
        rules = rules_for(unit, policy, facts.explicit_of(unit.code, year))
        if not rules:
            continue
        targets = tuple(evaluate(r, unit, policy, facts, year, as_of) for r in rules)
        out.append(UnitProgress(unit, targets, cap))
    return out
