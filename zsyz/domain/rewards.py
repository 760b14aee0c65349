"""Year-end rewards and rating flags, per the policy's `[[rewards]]` and `[[flags]]`.

Pure: (policy, scoring facts, year, as-of) → reward lines (one per unit and rule, with
the projects behind it and the reason as a term, `zsyz.domain.terms`) and flags. Amounts are 万元, exact to
1 元. Completion is the unit's completion of its targets (the least target ratio, see
`progress`); for a funds-based rule it is the ratio of the unit's funds target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from zsyz.domain import rules as r
from zsyz.domain.bottom import FlagLine as FlagLine
from zsyz.domain.bottom import bottom_of, flag_periods
from zsyz.domain.credit import passes
from zsyz.domain.facts import ProjectFact, Role, UnitFact
from zsyz.domain.groups import group_labels, group_of
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import CreditRole, Filters, Policy
from zsyz.domain.progress import (
    STAGE_OF,
    UnitProgress,
    evaluate,
    funds_days,
    measure,
    progress,
)
from zsyz.domain.ranking import RankRow, ScoringFacts, rank, scoring_day
from zsyz.domain.stages import Stage
from zsyz.domain.tasks import tasks_of
from zsyz.domain.terms import Op, Term

YUAN = Decimal("0.0001")  # 万元 to 1 元


@dataclass(frozen=True)
class RewardLine:
    unit: UnitFact
    rule: str
    amount: Decimal  # 万元
    why: Term  # how the amount came about (`zsyz.render.explain` words it)
    projects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rewards:
    year: int
    lines: tuple[RewardLine, ...]
    flags: tuple[FlagLine, ...]
    notes: tuple[Term, ...] = ()  # what a flag rule could not decide (a tie at the line)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    def per_unit(self) -> list[tuple[UnitFact, Decimal]]:
        totals: dict[str, tuple[UnitFact, Decimal]] = {}
        for line in self.lines:
            u, t = totals.get(line.unit.code, (line.unit, Decimal(0)))
            totals[line.unit.code] = (u, t + line.amount)
        return list(totals.values())


def _applies(rule: r.RewardScope, unit: UnitFact) -> bool:
    if rule.classes and unit.unit_class not in rule.classes:
        return False
    return unit.unit_class not in rule.exclude_classes


def _wan(value: Decimal) -> Decimal:
    return value.quantize(YUAN, rounding=ROUND_HALF_EVEN)


def tiered(amount: Decimal, rule: r.TieredPermille) -> Decimal:
    """Permille by tiers: progressive (each slice at its own rate) or the whole amount at
    the rate of the tier it falls in; capped per project when the rule says so."""
    out, lower = Decimal(0), Decimal(0)
    for tier in rule.tiers:
        upper = tier.up_to
        if rule.progressive:
            top = amount if upper is None else min(amount, upper)
            if top > lower:
                out += (top - lower) * tier.permille / 1000
        elif upper is None or amount <= upper:
            out = amount * tier.permille / 1000
            break
        if upper is None or amount <= upper:
            break
        lower = upper
    if rule.cap_per_project is not None:
        out = min(out, rule.cap_per_project)
    return _wan(out)


class Calculator:
    def __init__(self, policy: Policy, sf: ScoringFacts, year: int, as_of: date) -> None:
        self.policy, self.sf, self.year = policy, sf, year
        self.as_of = min(as_of, date(year, 12, 31))
        self.progress = {up.unit.code: up for up in progress(policy, sf.facts, year, self.as_of)}
        self.projects = {p.code: p for p in sf.facts.projects}
        self.notes: list[Term] = []

    def measure(self, metric: Metric, unit: UnitFact, filters: Filters) -> list[str]:
        _, codes = measure(metric, filters, unit, self.policy, self.sf.facts, self.year, self.as_of)
        return list(codes)

    def funds(self, unit: UnitFact) -> tuple[Decimal, list[str]]:
        got, codes = measure(
            Metric.FUNDS, Filters(), unit, self.policy, self.sf.facts, self.year, self.as_of
        )
        return _wan(got), list(codes)

    def funds_ratio(self, up: UnitProgress) -> Decimal:
        ratios = [t.ratio for t in up.targets if t.metric == Metric.FUNDS.value]
        return min(ratios) if ratios else up.completion

    def lines(self, rule: r.Reward, unit: UnitFact) -> list[RewardLine]:
        up = self.progress.get(unit.code)
        match rule:
            case r.FixedOnCompletion():
                if up is None or not up.targets or up.completion < rule.min_completion:
                    return []
                codes = sorted({c for t in up.targets for c in t.projects})
                amount = _wan(rule.amount)
                why = Term(Op.FIXED_REWARD, rule, {"completion": up.completion}, amount)
                return [RewardLine(unit, rule.label, amount, why, tuple(codes))]
            case r.PerProjectReward():
                return self._per_project(rule, unit)
            case r.PermilleOfFunds():
                if up is None:
                    return []
                done = self.funds_ratio(up)
                got, codes = self.funds(unit)
                if done < rule.min_completion or got <= 0:
                    return []
                amount = _wan(got * rule.permille / 1000)
                why = Term(Op.PERMILLE_FUNDS, rule, {"done": done, "funds": got}, amount)
                return [RewardLine(unit, rule.label, amount, why, tuple(codes))]
            case r.PermilleAbove():
                got, codes = self.funds(unit)
                if got <= 0 or got < rule.min_amount:
                    return []
                amount = _wan(got * rule.permille / 1000)
                why = Term(Op.PERMILLE_ABOVE, rule, {"funds": got}, amount)
                return [RewardLine(unit, rule.label, amount, why, tuple(codes))]
            case r.CompiledStarted():
                return self._compiled(rule, unit)
            case r.TieredPermille():
                return self._tiered(rule, unit)
        raise AssertionError(rule)

    def _per_project(self, rule: r.PerProjectReward, unit: UnitFact) -> list[RewardLine]:
        """Each project meeting the rule pays its earners: every unit it counts for
        (`each_credited`), or only the units holding the role `to` names."""
        if rule.to is r.Payee.EACH_CREDITED:
            codes = self.measure(rule.metric, unit, rule.filters)
        else:
            codes = self._held(rule, unit, Role(rule.to.value))
        if not codes:
            return []
        amount = _wan(rule.amount * len(codes))
        why = Term(Op.PROJECT_REWARD, rule, {"count": len(codes)}, amount, tuple(codes))
        return [RewardLine(unit, rule.label, amount, why, tuple(codes))]

    def _held(self, rule: r.PerProjectReward, unit: UnitFact, role: Role) -> list[str]:
        stage = STAGE_OF.get(rule.metric)
        if stage is None:  # not a stage: no project is "reached"; nothing to pay
            return []
        start, out = date(self.year, 1, 1), []
        for p in self.sf.facts.credited_to(unit, (CreditRole(role.value),)):
            day = self.sf.facts.reached_on(p, stage)
            if day is not None and start <= day <= self.as_of and passes(p, rule.filters):
                out.append(p.code)
        return sorted(out)

    def _basis(self, p: ProjectFact, basis: str) -> Decimal | None:
        if basis == "completed_investment_year":
            start = date(self.year, 1, 1)
            seen = self.sf.facts.latest_within(p.code, basis, start, self.as_of)
            return seen or p.completed_investment_year
        if basis == "funds":
            f = self.sf.facts
            before = f.value_on(p.code, "funds_in_place", date(self.year - 1, 12, 31))
            return f.value_on(p.code, "funds_in_place", self.as_of) - before
        value = getattr(p, basis, None)
        return value if isinstance(value, Decimal) else None

    def _compiled(self, rule: r.CompiledStarted, unit: UnitFact) -> list[RewardLine]:
        rate = rule.percent
        out = []
        for p in self.sf.facts.credited_to(unit, (), Role.COMPILING):
            compiled = p.compiled_on or p.stage_dates.get(Stage.PLANNED)
            started = p.reached_on(Stage.STARTED)
            if compiled is None or started is None or started > self.as_of:
                continue
            if not compiled.year == started.year == self.year:
                continue
            base = self._basis(p, rule.basis)
            if not base:
                continue
            amount = _wan(base * rate / 100)
            got = {"year": self.year, "compiled": compiled, "started": started, "base": base}
            why = Term(Op.COMPILED_STARTED, rule, got, amount, (p.code,))
            out.append(RewardLine(unit, rule.label, amount, why, (p.code,)))
        return out

    def _tiered(self, rule: r.TieredPermille, unit: UnitFact) -> list[RewardLine]:
        metric = Metric.FUNDS if rule.basis == "funds" else Metric.SIGNED
        total, items = Decimal(0), []
        for code in self.measure(metric, unit, Filters()):
            base = self._basis(self.projects[code], rule.basis)
            if not base or base <= 0:
                continue
            amount = tiered(base, rule)
            total += amount
            items.append((code, base, amount))
        if not items:
            return []
        codes = tuple(code for code, _, _ in items)
        paid = _wan(total)
        why = Term(Op.TIERED, rule, {"items": tuple(items)}, paid, codes)
        return [RewardLine(unit, rule.label, paid, why, codes)]

    # ---- flags ------------------------------------------------------------------------
    def flags(self, rule: r.Flag, units: Sequence[UnitFact]) -> list[FlagLine]:
        match rule:
            case r.NotExcellentBelow():
                out = []
                for u in units:
                    up = self.progress.get(u.code)
                    if up is None or not _applies(rule, u) or up.completion >= rule.below:
                        continue
                    why = Term(Op.BELOW_LINE, rule, {"completion": up.completion})
                    out.append(FlagLine(u, "不能评为优秀", why))
                return out
            case r.VoteExcellent():
                return [f for u in units if _applies(rule, u) for f in self._vote(rule, u)]
            case r.VetoExcellent():
                return [f for u in units if _applies(rule, u) for f in self._veto(rule, u)]
            case r.BottomOfRanking():
                return self._bottom(rule)
        raise AssertionError(rule)

    def _vote(self, rule: r.VoteExcellent, unit: UnitFact) -> list[FlagLine]:
        """一票评优: a unit exceeding its task (found by meaning, `tasks.tasks_of`), or
        holding no such task and landing a project the rule counts."""
        explicit = self.sf.facts.explicit_of(unit.code, self.year)
        tasks = tasks_of(unit, self.policy, explicit, rule.metric, rule.filters)
        if tasks:
            for task in tasks:
                tp = evaluate(task, unit, self.policy, self.sf.facts, self.year, self.as_of)
                if tp.achieved > tp.required:
                    got = {"task": task.label, "achieved": tp.achieved, "required": tp.required}
                    why = Term(Op.TASK_EXCEEDED, rule, got, projects=tuple(tp.projects))
                    return [FlagLine(unit, "一票评优", why)]
            return []
        codes = self.measure(rule.metric, unit, rule.filters)
        if codes:
            got = {"count": len(codes)}
            why = Term(Op.LANDED_WITHOUT_TASK, rule, got, projects=tuple(codes))
            return [FlagLine(unit, "一票评优", why)]
        return []

    def _veto(self, rule: r.VetoExcellent, unit: UnitFact) -> list[FlagLine]:
        out = []
        if set(rule.units) & {unit.name, unit.code, *unit.aliases}:
            out.append(FlagLine(unit, rule.flag, Term(Op.LISTED, rule)))
        for a in self.sf.adjustments:
            if a.unit == unit.code and a.year == self.year and a.flag == rule.flag:
                why = Term(Op.RECORDED_FLAG, rule, {"adjustment": a})
                out.append(FlagLine(unit, rule.flag, why))
        return out

    def _bottom(self, rule: r.BottomOfRanking) -> list[FlagLine]:
        out = []
        labels = group_labels(self.policy)  # as operators read them, never an id
        for period in flag_periods(rule, self.year, self.as_of):
            rows = [x for x in rank(self.policy, self.sf, period) if _applies(rule, x.unit)]
            groups: dict[str, list[RankRow]] = {}
            for x in rows:
                groups.setdefault(x.group, []).append(x)
            for g, members in groups.items():
                flagged, note = bottom_of(rule, period, labels.get(g, g), members)
                out.extend(flagged)
                if note:
                    self.notes.append(note)
        return out


def reads_ranking(policy: Policy) -> bool:
    """Whether rewards under `policy` rank units (a flag for the bottom of a ranking)."""
    return any(isinstance(f, r.BottomOfRanking) for f in policy.flags)


def rewards_days(policy: Policy, year: int, as_of: date) -> frozenset[date]:
    """The days rewards under `policy` read amounts on: the year's (`funds_days`) and,
    for a bottom-of-ranking flag, each ranked period's end and the one before it."""
    on = min(as_of, date(year, 12, 31))
    days = set(funds_days(year, on))
    for f in policy.flags:
        if isinstance(f, r.BottomOfRanking):
            for period in flag_periods(f, year, on):
                for p in (period, period.previous()):
                    days |= funds_days(p.end.year, scoring_day(policy, p, on))
    return frozenset(days)


def rewards(policy: Policy, sf: ScoringFacts, year: int, as_of: date) -> Rewards:
    """Every reward line and flag of the year, units in policy class order then code."""
    calc = Calculator(policy, sf, year, as_of)
    order = {cid: i for i, cid in enumerate(policy.classes)}
    units = sorted(
        (u for u in sf.facts.units if u.active_on(as_of)),
        key=lambda u: (order.get(u.unit_class, 99), group_of(u), u.code),
    )
    lines = [
        line
        for rule in policy.rewards
        for u in units
        if _applies(rule, u)
        for line in calc.lines(rule, u)
    ]
    flags = [f for rule in policy.flags for f in calc.flags(rule, units)]
    rank_of = {u.code: i for i, u in enumerate(units)}
    lines.sort(key=lambda line: rank_of.get(line.unit.code, 0))
    return Rewards(year, tuple(lines), tuple(flags), tuple(calc.notes))
