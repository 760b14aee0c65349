"""Year-end rewards and rating flags, per the policy's `[[rewards]]` and `[[flags]]`.

Pure: (policy, scoring facts, year, as-of) → reward lines (one per unit and rule, with
the projects behind it and the reason in words) and flags. Amounts are 万元, exact to
1 元. Completion is the unit's completion of its targets (the least target ratio, see
`progress`); for a funds-based rule it is the ratio of the unit's funds target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from zsyz.domain.credit import passes
from zsyz.domain.facts import ProjectFact, Role, UnitFact
from zsyz.domain.groups import group_of
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import Period, PeriodKind, period_containing
from zsyz.domain.policy import Filters, FlagKind, FlagRule, Policy, RewardKind, RewardRule
from zsyz.domain.progress import UnitProgress, measure, progress, rules_for
from zsyz.domain.ranking import RankRow, ScoringFacts, num, pct, rank
from zsyz.domain.stages import Stage

YUAN = Decimal("0.0001")  # 万元 to 1 元


@dataclass(frozen=True)
class RewardLine:
    unit: UnitFact
    rule: str
    amount: Decimal  # 万元
    reason: str
    projects: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlagLine:
    unit: UnitFact
    flag: str
    reason: str


@dataclass(frozen=True)
class Rewards:
    year: int
    lines: tuple[RewardLine, ...]
    flags: tuple[FlagLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    def per_unit(self) -> list[tuple[UnitFact, Decimal]]:
        totals: dict[str, tuple[UnitFact, Decimal]] = {}
        for line in self.lines:
            u, t = totals.get(line.unit.code, (line.unit, Decimal(0)))
            totals[line.unit.code] = (u, t + line.amount)
        return list(totals.values())


def _applies(rule: RewardRule | FlagRule, unit: UnitFact) -> bool:
    if rule.classes and unit.unit_class not in rule.classes:
        return False
    excluded = getattr(rule, "exclude_classes", ())
    return unit.unit_class not in excluded


def _wan(value: Decimal) -> Decimal:
    return value.quantize(YUAN, rounding=ROUND_HALF_EVEN)


def tiered(amount: Decimal, rule: RewardRule) -> Decimal:
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

    def measure(self, metric: Metric, unit: UnitFact, rule: RewardRule | FlagRule) -> list[str]:
        _, codes = measure(
            metric, rule.filters, unit, self.policy, self.sf.facts, self.year, self.as_of
        )
        return list(codes)

    def funds(self, unit: UnitFact) -> tuple[Decimal, list[str]]:
        got, codes = measure(
            Metric.FUNDS, Filters(), unit, self.policy, self.sf.facts, self.year, self.as_of
        )
        return _wan(got), list(codes)

    def funds_ratio(self, up: UnitProgress) -> Decimal:
        ratios = [t.ratio for t in up.targets if t.metric == Metric.FUNDS.value]
        return min(ratios) if ratios else up.completion

    def lines(self, rule: RewardRule, unit: UnitFact) -> list[RewardLine]:
        up = self.progress.get(unit.code)
        match rule.kind:
            case RewardKind.FIXED_ON_COMPLETION:
                need = rule.min_completion if rule.min_completion is not None else Decimal(1)
                if up is None or not up.targets or up.completion < need:
                    return []
                codes = sorted({c for t in up.targets for c in t.projects})
                amount = rule.amount or Decimal(0)
                why = f"完成年度目标任务（完成率 {pct(up.completion)}），奖励 {num(amount)} 万元"
                return [RewardLine(unit, rule.label, _wan(amount), why, tuple(codes))]
            case RewardKind.PER_PROJECT:
                codes = self.measure(rule.metric or Metric.STARTED, unit, rule)
                if not codes:
                    return []
                each = rule.amount or Decimal(0)
                stage = (rule.metric or Metric.STARTED).label
                why = f"{stage} {len(codes)} 个符合条件（{'、'.join(codes)}）× {num(each)} 万元"
                return [RewardLine(unit, rule.label, _wan(each * len(codes)), why, tuple(codes))]
            case RewardKind.PERMILLE_OF_FUNDS:
                if up is None:
                    return []
                done = self.funds_ratio(up)
                need = rule.min_completion or Decimal(0)
                got, codes = self.funds(unit)
                if done < need or got <= 0:
                    return []
                rate = rule.permille or Decimal(0)
                amount = _wan(got * rate / 1000)
                why = (
                    f"完成到位资金目标 {pct(done)}（≥{pct(need)}），"
                    f"到位资金 {num(got)} 万元 × {num(rate)}‰ = {num(amount)} 万元"
                )
                return [RewardLine(unit, rule.label, amount, why, tuple(codes))]
            case RewardKind.PERMILLE_ABOVE:
                got, codes = self.funds(unit)
                floor = rule.min_amount or Decimal(0)
                if got <= 0 or got < floor:
                    return []
                rate = rule.permille or Decimal(0)
                amount = _wan(got * rate / 1000)
                why = (
                    f"引资（到位资金）{num(got)} 万元 ≥ {num(floor)} 万元，"
                    f"× {num(rate)}‰ = {num(amount)} 万元"
                )
                return [RewardLine(unit, rule.label, amount, why, tuple(codes))]
            case RewardKind.COMPILED_STARTED:
                return self._compiled(rule, unit)
            case RewardKind.TIERED_PERMILLE:
                return self._tiered(rule, unit)
        raise AssertionError(rule.kind)

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

    def _compiled(self, rule: RewardRule, unit: UnitFact) -> list[RewardLine]:
        rate = rule.percent or Decimal(0)
        out = []
        for p in self.sf.facts.credited_to(unit, (), Role.COMPILING):
            if not passes(p, rule.filters):
                continue
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
            why = (
                f"{p.code} {self.year} 年新编制（{compiled.isoformat()}）并于"
                f" {started.isoformat()} 开工，{_BASIS[rule.basis]} {num(base)} 万元"
                f" × {num(rate)}% = {num(amount)} 万元"
            )
            out.append(RewardLine(unit, rule.label, amount, why, (p.code,)))
        return out

    def _tiered(self, rule: RewardRule, unit: UnitFact) -> list[RewardLine]:
        metric = rule.metric or (Metric.FUNDS if rule.basis == "funds" else Metric.SIGNED)
        total, bits, codes = Decimal(0), [], []
        for code in self.measure(metric, unit, rule):
            base = self._basis(self.projects[code], rule.basis)
            if not base or base <= 0:
                continue
            amount = tiered(base, rule)
            total += amount
            codes.append(code)
            bits.append(f"{code} {num(base)} 万元→{num(amount)} 万元")
        if not codes:
            return []
        tiers = "，".join(
            f"{'以上' if t.up_to is None else f'≤{num(t.up_to)}万'} {num(t.permille)}‰"
            for t in rule.tiers
        )
        how = "超额累进" if rule.progressive else "全额按所在档"
        cap = (
            f"，每个项目封顶 {num(rule.cap_per_project)} 万元"
            if rule.cap_per_project is not None
            else ""
        )
        why = f"{_BASIS[rule.basis]}分档（{tiers}，{how}{cap}）：{'；'.join(bits)}"
        return [RewardLine(unit, rule.label, _wan(total), why, tuple(codes))]

    # ---- flags ------------------------------------------------------------------------
    def flags(self, rule: FlagRule, units: Sequence[UnitFact]) -> list[FlagLine]:
        match rule.kind:
            case FlagKind.NOT_EXCELLENT_BELOW:
                out = []
                below = rule.below or Decimal(0)
                for u in units:
                    up = self.progress.get(u.code)
                    if up is None or not _applies(rule, u) or up.completion >= below:
                        continue
                    why = f"完成目标任务 {pct(up.completion)}，低于 {pct(below)}：{rule.label}"
                    out.append(FlagLine(u, rule.flag or "不能评为优秀", why))
                return out
            case FlagKind.VOTE_EXCELLENT:
                return [f for u in units if _applies(rule, u) for f in self._vote(rule, u)]
            case FlagKind.VETO_EXCELLENT:
                named = set(rule.units)
                return [
                    FlagLine(u, rule.flag or "一票否优", f"被批评通报：{rule.label}")
                    for u in units
                    if _applies(rule, u) and named & {u.name, u.code, *u.aliases}
                ]
            case FlagKind.BOTTOM_OF_RANKING:
                return self._bottom(rule)
        raise AssertionError(rule.kind)

    def _vote(self, rule: FlagRule, unit: UnitFact) -> list[FlagLine]:
        metric = rule.metric or Metric.STARTED
        codes = self.measure(metric, unit, rule)
        task = next(
            (
                r
                for r in rules_for(
                    unit, self.policy, self.sf.facts.explicit_of(unit.code, self.year)
                )
                if r.is_simple and r.metric is metric and r.filters == rule.filters
            ),
            None,
        )
        required = task.required if task is not None and task.required else Decimal(0)
        flag = rule.flag or "一票评优"
        if required > 0:
            if len(codes) > required:
                why = f"超额完成任务（{len(codes)} 个 > 目标 {num(required)} 个）：{rule.label}"
                return [FlagLine(unit, flag, f"{why}（{'、'.join(codes)}）")]
            return []
        if codes:
            why = f"无此项任务而招引落地 {len(codes)} 个（{'、'.join(codes)}）：{rule.label}"
            return [FlagLine(unit, flag, why)]
        return []

    def _bottom(self, rule: FlagRule) -> list[FlagLine]:
        kind = PeriodKind(rule.period)
        periods: list[Period] = []
        p = period_containing(kind, date(self.year, 1, 1))
        while p.end.year == self.year and p.end <= self.as_of:
            periods.append(p)
            p = p.next()
        out = []
        n = rule.bottom or 1
        for period in periods:
            rows = [r for r in rank(self.policy, self.sf, period) if _applies(rule, r.unit)]
            groups: dict[str, list[RankRow]] = {}
            for r in rows:
                groups.setdefault(r.group, []).append(r)
            labels = (self.policy.ranking.groups if self.policy.ranking else {}) or {}
            for g, members in groups.items():
                out.extend(self._bottom_of(rule, period, labels.get(g, g), members, n))
        return out

    @staticmethod
    def _bottom_of(
        rule: FlagRule, period: Period, label: str, members: list[RankRow], n: int
    ) -> list[FlagLine]:
        """The bottom N of a group, and any unit tied with them; nobody when all tie
        (no spread singles anyone out) or the group is no larger than N."""
        size = len(members)
        if size <= n or len({r.score for r in members}) == 1:
            return []
        line = sorted(r.score for r in members)[n - 1]
        out = []
        for r in members:
            if r.score > line:
                continue
            tied = "，与末位同分" if size - r.rank + 1 > n else ""
            why = (
                f"{period.label_zh}{label}排名第 {r.rank}/{size} 名"
                f"（倒数第 {size - r.rank + 1}，得分 {num(r.score)}{tied}）：{rule.label}"
            )
            out.append(FlagLine(r.unit, rule.flag or "通报批评", why))
        return out


_BASIS = {
    "funds": "到位资金",
    "fai": "固定资产投资",
    "total_investment": "总投资",
    "planned_investment_year": "当年计划投资",
    "completed_investment_year": "当年完成投资",
}


def reads_ranking(policy: Policy) -> bool:
    """Whether rewards under `policy` rank units (a flag for the bottom of a ranking)."""
    return any(f.kind is FlagKind.BOTTOM_OF_RANKING for f in policy.flags)


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
    return Rewards(year, tuple(lines), tuple(flags))
