"""Everything the ledger knows that completion reads (`Facts`), indexed once so that the
rules ask "which projects does this unit hold in this role" or "what was this amount on
that day" by lookup: a province has 10,000 units and 100,000 projects. Pure and frozen
from the caller's side; the indexes and memos inside are caches."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from zsyz.domain.credit import chain_key, chain_names, share_of
from zsyz.domain.facts import (
    ActivityFact,
    ExplicitTarget,
    FundsObservation,
    ProjectFact,
    Role,
    UnitFact,
)
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import CreditRole, Filters, Policy, Share
from zsyz.domain.stages import Stage

# (metric, filters, unit code, start, end) → (total, sorted codes counted): `progress.measure`
MeasureKey = tuple[Metric, Filters, str, date, date]
Answer = tuple[Decimal, tuple[str, ...]]


class NotLoaded(Exception):
    """The store left these facts out (a lean read answered the measures instead): the
    caller loads them and computes again. Never an answer of its own."""


class Unloaded(Sequence[Any]):
    """Stands for projects or observations a lean read did not load: any use raises
    `NotLoaded`, so a rule reading what was not foreseen never counts zero."""

    def __len__(self) -> int:
        raise NotLoaded

    def __getitem__(self, index: Any) -> NoReturn:
        raise NotLoaded

    def __iter__(self) -> Iterator[Any]:
        raise NotLoaded


UNLOADED: Sequence[Any] = Unloaded()


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
    # measures already answered (by SQL over the same ledger and day, proven equal to
    # `progress.measure`); a lean read passes these with projects and observations UNLOADED
    answered: Mapping[MeasureKey, Answer] = field(default_factory=dict)
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
    # what depends on a policy lives in its `Evaluation`: the latest one asked for
    _evaluation: list[Evaluation] = field(default_factory=list, compare=False, repr=False)
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

    def under(self, policy: Policy) -> Evaluation:
        """These facts read under `policy`: the object owning every memo that depends on
        the policy. One computation asks with one policy, so one is kept."""
        got = self._evaluation
        if not got or got[0].policy is not policy:
            got[:] = [Evaluation(self, policy)]
        return got[0]

    def share(self, project: ProjectFact, policy: Policy) -> Decimal:
        """`credit.share_of(project, units, policy)`, see `Evaluation.share`."""
        return self.under(policy).share(project)

    def credit_candidates(self, project: ProjectFact) -> list[UnitFact]:
        """The units holding a role on the project, once each, in role order."""
        unit_of = self._unit_of
        return [unit_of[c] for c in dict.fromkeys(project.units()) if c in unit_of]

    def units_where(self, keep: Callable[[UnitFact], bool]) -> list[UnitFact]:
        return [u for u in self._unit_of.values() if keep(u)]

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


class Evaluation:
    """Facts read under one policy, for one computation: the memos that depend on the
    policy (credit shares, chain-credited units, what each unit achieved) live here and
    die with it, instead of in `Facts` keyed by the policy's identity."""

    def __init__(self, facts: Facts, policy: Policy) -> None:
        # a weak reference: `facts` holds this evaluation, and a cycle would leave a
        # province's facts to the cycle collector instead of freeing them when dropped
        self.facts: Facts = weakref.proxy(facts)
        self.policy = policy
        self._shares: dict[str, Decimal] = {}
        self._chain: list[UnitFact] | None = None
        self.measured: dict[object, tuple[Decimal, tuple[str, ...]]] = {}

    def share(self, project: ProjectFact) -> Decimal:
        """`credit.share_of(project, units, policy)` without scanning every unit: only
        units holding a role on the project, or whose class is credited by chain, can be
        credited with it (see `credit.credited`). Memoised per project."""
        policy = self.policy
        if policy.credit.share is Share.FULL:
            return Decimal(1)
        got = self._shares.get(project.code)
        if got is None:
            chain = self._chain_units()
            seen = {u.code for u in chain}
            held = [u for u in self.facts.credit_candidates(project) if u.code not in seen]
            got = self._shares[project.code] = share_of(project, chain + held, policy)
        return got

    def _chain_units(self) -> list[UnitFact]:
        if self._chain is None:
            roles = self.policy.credit_roles
            self._chain = self.facts.units_where(lambda u: CreditRole.CHAIN in roles(u.unit_class))
        return self._chain
