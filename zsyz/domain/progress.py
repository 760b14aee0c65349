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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from zsyz.domain.credit import chain_key, chain_names, passes, share_of
from zsyz.domain.facts import (
    ActivityFact,
    ActivityKind,
    ExplicitTarget,
    FundsObservation,
    ProjectFact,
    Role,
    UnitFact,
)
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import CreditRole, Filters, Policy, RewardKind, Share, TargetRule
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

    @property
    def complete(self) -> bool:
        return all(t.complete for t in self.targets)

    @property
    def completion(self) -> Decimal:
        return min((t.ratio for t in self.targets), default=Decimal(1))


@dataclass(frozen=True)
class Facts:
    """Everything the ledger knows that completion reads."""

    units: Sequence[UnitFact]
    projects: Sequence[ProjectFact] = ()
    observations: Sequence[FundsObservation] = ()
    activities: Sequence[ActivityFact] = ()
    explicit: Sequence[ExplicitTarget] = ()
    # When set, `observations` were reduced to what these days need (`funds_days`): the
    # latest observation on or before each; asking about any other day is a bug.
    days: frozenset[date] | None = None
    _by_project: dict[tuple[str, str], list[FundsObservation]] = field(
        default_factory=dict, compare=False, repr=False
    )

    _by_unit: dict[str, list[ProjectFact]] = field(default_factory=dict, compare=False, repr=False)
    _unit_of: dict[str, UnitFact] = field(default_factory=dict, compare=False, repr=False)
    _activities_of: dict[str, list[ActivityFact]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _explicit_of: dict[tuple[str, int], list[ExplicitTarget]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # caches keyed by (project code, id(policy)); the policy is kept to check identity
    _shares: dict[tuple[str, int], tuple[Policy, Decimal]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _chains: dict[tuple[str, int], tuple[Policy, list[UnitFact]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # indexes and memos that make `measure` cost what a unit holds, not every project
    _held: dict[tuple[str, Role], list[ProjectFact]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _chain_index: dict[str, list[ProjectFact]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _position: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _pools: dict[object, list[ProjectFact]] = field(default_factory=dict, compare=False, repr=False)
    _passing: dict[Filters, dict[str, bool]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _reached: dict[Stage, dict[str, date | None]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _amounts: dict[object, dict[str, Decimal | None]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _measured: dict[object, tuple[Policy, tuple[Decimal, tuple[str, ...]]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        # indexes over projects and observations are built on first use: a use case
        # that never reads amounts over time does not pay for them
        for u in self.units:
            self._unit_of.setdefault(u.code, u)
        for a in self.activities:
            self._activities_of.setdefault(a.unit, []).append(a)
        for t in self.explicit:
            self._explicit_of.setdefault((t.unit, t.year), []).append(t)

    def _observed(self) -> dict[tuple[str, str], list[FundsObservation]]:
        if not self._by_project and self.observations:
            by_project = self._by_project
            for o in sorted(self.observations, key=lambda o: o.on):
                got = by_project.get((o.project, o.field))
                if got is None:
                    by_project[(o.project, o.field)] = [o]
                else:
                    got.append(o)
        return self._by_project

    def _index_projects(self) -> None:
        """(unit, role) → projects, and each project's position (order of summation)."""
        held, position = self._held, self._position
        for i, p in enumerate(self.projects):
            position.setdefault(p.code, i)
            for role, code in p.roles:
                got = held.get((code, role))
                if got is None:
                    held[(code, role)] = [p]
                elif got[-1] is not p:  # listed twice with the same role
                    got.append(p)
        position.setdefault("", -1)  # built, even without projects

    def activities_of(self, unit: str) -> Sequence[ActivityFact]:
        return self._activities_of.get(unit, ())

    def explicit_of(self, unit: str, year: int) -> list[ExplicitTarget]:
        return self._explicit_of.get((unit, year), [])

    def share(self, project: ProjectFact, policy: Policy) -> Decimal:
        """`credit.share_of(project, units, policy)` without scanning every unit: only
        units holding a role on the project, or whose class is credited by chain, can be
        credited with it (see `credit.credited`). Cached per project and policy."""
        if policy.credit.share is Share.FULL:
            return Decimal(1)
        key = (project.code, id(policy))
        got = self._shares.get(key)
        if got is None or got[0] is not policy:
            chain = self._chain_units(policy)
            held = [self._unit_of[c] for c in dict.fromkeys(project.units()) if c in self._unit_of]
            seen = {u.code for u in chain}
            got = (
                policy,
                share_of(project, chain + [u for u in held if u.code not in seen], policy),
            )
            self._shares[key] = got
        return got[1]

    def _chain_units(self, policy: Policy) -> list[UnitFact]:
        key = ("", id(policy))
        got = self._chains.get(key)
        if got is None or got[0] is not policy:
            units = [
                u
                for u in self._unit_of.values()
                if CreditRole.CHAIN in policy.credit_roles(u.unit_class)
            ]
            got = (policy, units)
            self._chains[key] = got
        return got[1]

    def attached_to(self, unit: str) -> Sequence[ProjectFact]:
        """Projects holding any role for the unit (chain credit needs all projects)."""
        if not self._by_unit and self.projects:
            by_unit = self._by_unit
            for p in self.projects:
                for _, code in p.roles:
                    got = by_unit.get(code)
                    if got is None:
                        by_unit[code] = [p]
                    elif got[-1] is not p:  # a unit holding two roles is attached once
                        got.append(p)
            by_unit.setdefault("", [])  # built, even when no project has a role
        return self._by_unit.get(unit, ())

    def credited_to(
        self, unit: UnitFact, roles: tuple[CreditRole, ...], also: Role | None = None
    ) -> Sequence[ProjectFact]:
        """The projects `credit.credited(p, unit, roles)` holds for (or the unit holds
        role `also` on), in the order of `projects`: found through indexes, cached."""
        chain = CreditRole.CHAIN in roles
        held = {Role(r.value) for r in roles if r is not CreditRole.CHAIN}
        if also is not None:
            held.add(also)
        key = (unit.code, frozenset(held), (unit.name, unit.aliases) if chain else None)
        got = self._pools.get(key)
        if got is not None:
            return got
        if not self._position:
            self._index_projects()
        if len(held) == 1 and not chain:  # already in project order, once each
            got = self._held.get((unit.code, held.pop()), [])
        else:
            found: dict[str, ProjectFact] = {}
            for role in held:
                for p in self._held.get((unit.code, role), ()):
                    found.setdefault(p.code, p)
            if chain:
                index = self._chain_projects()
                for name in dict.fromkeys(chain_key(n) for n in (unit.name, *unit.aliases)):
                    for p in index.get(name, ()):
                        found.setdefault(p.code, p)
            position = self._position
            got = sorted(found.values(), key=lambda p: position[p.code])
        self._pools[key] = got
        return got

    def _chain_projects(self) -> dict[str, list[ProjectFact]]:
        """Projects by each chain their 产业链 names (built once, on first need)."""
        if not self._chain_index and self.projects:
            index = self._chain_index
            for p in self.projects:
                for name in dict.fromkeys(chain_names(p.chain)):
                    index.setdefault(name, []).append(p)
            index.setdefault("", [])  # built, even when no project names a chain
        return self._chain_index

    def passing(self, filters: Filters) -> dict[str, bool]:
        """Memo of `credit.passes(p, filters)` by project code, filled as asked."""
        got = self._passing.get(filters)
        if got is None:
            got = self._passing[filters] = {}
        return got

    def reached_on(self, project: ProjectFact, stage: Stage) -> date | None:
        """`project.reached_on(stage)`, memoised: every rule and period asks it again."""
        memo = self._reached.get(stage)
        if memo is None:
            memo = self._reached[stage] = {}
        code = project.code
        if code in memo:
            return memo[code]
        got = memo[code] = project.reached_on(stage)
        return got

    def amounts(
        self, metric: Metric, filters: Filters, start: date, end: date
    ) -> dict[str, Decimal | None]:
        """Memo of what each project adds to `metric` under `filters` in the period (None:
        it does not count), by project code, filled as `measure` asks: units sharing a
        rule share the work."""
        key = (metric, filters, start, end)
        got = self._amounts.get(key)
        if got is None:
            got = self._amounts[key] = {}
        return got

    def value_on(self, project: str, fld: str, day: date) -> Decimal:
        """The cumulative value reported for the project as of `day` (0 before any)."""
        assert self.days is None or day in self.days, f"observations not loaded for {day}"
        value = Decimal(0)
        for o in self._observed().get((project, fld), ()):
            if o.on > day:
                break
            value = o.value
        return value

    def latest_within(self, project: str, fld: str, start: date, end: date) -> Decimal:
        """The latest value reported between start and end (this-year figures reset)."""
        assert self.days is None or end in self.days, f"observations not loaded for {end}"
        value = Decimal(0)
        for o in self._observed().get((project, fld), ()):
            if o.on > end:
                break
            if o.on >= start:
                value = o.value
        return value


def ratio(achieved: Decimal, required: Decimal) -> Decimal:
    if required <= 0:
        return Decimal(1)
    return (achieved / required).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_EVEN)


def _period(year: int, as_of: date) -> tuple[date, date]:
    return date(year, 1, 1), min(date(year, 12, 31), as_of)


def funds_days(year: int, as_of: date) -> frozenset[date]:
    """The days `progress(…, year, as_of)` reads cumulative amounts on (the year's and,
    for growth targets, the prior year's): a store may load only the latest observation
    on or before each of them (`Facts.days`) and every figure stays the same."""
    start, end = _period(year, as_of)
    prior = date(year - 1, 1, 1)
    return frozenset({start - timedelta(days=1), end, prior - timedelta(days=1)})


AMOUNT_METRICS = frozenset({*FUNDS_FIELD, Metric.FAI_COMPLETED})


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
    components = policy.ranking.components if policy.ranking else ()
    if any(c.metric in AMOUNT_METRICS for c in components):
        return True
    reward_metrics = [r.metric for r in policy.rewards] + [f.metric for f in policy.flags]
    if any(m in AMOUNT_METRICS for m in reward_metrics):
        return True
    money = (RewardKind.FIXED_ON_COMPLETION, RewardKind.PER_PROJECT)
    return any(r.kind not in money for r in policy.rewards)  # funds- or basis-based


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

    Memoised in `facts` (the facts are immutable): ranking and rewards ask the same
    question again for the same unit, year and day.
    """
    start, end = _period(year, as_of)
    key = (metric, filters, unit, id(policy), start, end)
    got = facts._measured.get(key)
    if got is not None and got[0] is policy:
        return got[1]
    result = _measure(metric, filters, unit, policy, facts, start, end)
    facts._measured[key] = (policy, result)
    return result


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
    check = not filters.empty
    ok = facts.passing(filters)
    total = Decimal(0)
    counted: list[str] = []
    for p in pool:
        code = p.code
        amount = amounts.get(code, _UNSET)
        if amount is _UNSET:
            counts: bool | None = True
            if check:
                counts = ok.get(code)
                if counts is None:
                    counts = ok[code] = passes(p, filters)
            amount = _project_amount(metric, p, facts, start, end) if counts else None
            amounts[code] = amount = None if amount is None or amount == 0 else amount
        if amount is None:
            continue
        total += amount * (facts.share(p, policy) if split else Decimal(1))
        counted.append(code)
    return total, tuple(sorted(counted))


_UNSET: Decimal | None = Decimal("NaN")  # a sentinel no amount can be (amounts are finite)


def _project_amount(
    metric: Metric, p: ProjectFact, facts: Facts, start: date, end: date
) -> Decimal | None:
    if metric in STAGE_OF:
        day = facts.reached_on(p, STAGE_OF[metric])
        return Decimal(1) if day is not None and start <= day <= end else None
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
        label = t.label or _explicit_label(metric, f, t.required)
        out.append(TargetRule(label=label, metric=metric, required=t.required, filters=f))
    return out


def _explicit_label(metric: Metric, f: Filters, required: Decimal) -> str:
    op = ">" if f.strict else "≥"
    cond = []
    if f.min_fai is not None:
        cond.append(f"固投{op}{f.min_fai.normalize():f}万")
    if f.min_total is not None:
        cond.append(f"总投资{op}{f.min_total.normalize():f}万")
    cond.extend((*f.categories, *f.chains, *f.levels))
    if f.new_only:
        cond.append("新建")
    text = f"{required.normalize():f}{metric.unit_label} {metric.label}"
    return text + (f"（{'，'.join(cond)}）" if cond else "")


def progress(policy: Policy, facts: Facts, year: int, as_of: date) -> list[UnitProgress]:
    """Every active unit with at least one target, in policy class order then code."""
    order = {cid: i for i, cid in enumerate(policy.classes)}
    out = []
    for unit in sorted(facts.units, key=lambda u: (order.get(u.unit_class, 99), u.code)):
        if not unit.active:
            continue
        rules = rules_for(unit, policy, facts.explicit_of(unit.code, year))
        if not rules:
            continue
        targets = tuple(evaluate(r, unit, policy, facts, year, as_of) for r in rules)
        out.append(UnitProgress(unit, targets))
    return out
