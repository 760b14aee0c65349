"""Scores and ranks units for a period, per the policy's `[ranking]`.

Pure: (policy, scoring facts, period) → ranked rows, each with its components.

How a period is measured (documented in README):
- completion, per-project and bonus points read the year to date as of the period's end:
  targets are annual, so a quarterly ranking compares how far each unit has got;
- deductions count events inside the period itself (reports missed or late in its weeks
  or months, projects stale at its end);
- the efficacy form rescales the summed points within each group to
  (v − min)/(max − min) × span + floor (a group without spread gets floor + span);
- ties: higher score first, then the policy's `tie_break` keys in order (completion,
  amount = FAI of projects signed this year, count = those projects, code, name), and
  the unit code last, so every rank is unique and stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from zsyz.domain.facts import ProjectFact, UnitFact
from zsyz.domain.groups import group_of
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import Period
from zsyz.domain.policy import (
    ComponentKind,
    DeductionEvent,
    Filters,
    Policy,
    Ranking,
    Reporting,
    ScoreComponent,
    ScoreForm,
)
from zsyz.domain.progress import Facts, UnitProgress, measure, progress
from zsyz.domain.reporting import (
    ReportFact,
    ReportState,
    closing_day,
    earliest,
    figures_due,
    must_report,
    slot_states,
)
from zsyz.domain.stages import LIFE_CYCLE, Stage

POINTS = Decimal("0.01")
RATIO = Decimal("0.0001")
DEFAULT_RANKING = Ranking(
    components=(ScoreComponent(ComponentKind.COMPLETION, "目标完成", Decimal(100)),),
)


@dataclass(frozen=True)
class ScoringFacts:
    """What ranking and rewards read beyond completion: reports and when projects were seen."""

    facts: Facts
    # None: not loaded, as `reads_reports`/`reads_seen` said the policy never reads them
    reports: Sequence[ReportFact] | None = ()
    seen: Mapping[str, Sequence[date]] | None = field(default_factory=dict)  # project → days
    since: date | None = None  # the ledger's first report: reporting duty starts then
    # the day the ranking is made: reports filed by then count (None: every report), and
    # figures are read as of the period's due day when that is earlier
    as_of: date | None = None
    # each unit's earliest report per reporting period (built once; every period ranked
    # reads them)
    _first: dict[Reporting, dict[str, dict[Period, date]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def first_reports(self, reporting: Reporting) -> dict[str, dict[Period, date]]:
        """unit → reporting period → earliest report dated by `as_of` (`reporting.earliest`)."""
        got = self._first.get(reporting)
        if got is None:
            assert self.reports is not None, "reports were not loaded (see reads_reports)"
            got = self._first[reporting] = earliest(self.reports, reporting, self.as_of)
        return got


@dataclass(frozen=True)
class Component:
    rule: str  # the policy rule's label and form
    points: Decimal
    detail: str  # the arithmetic in words


@dataclass(frozen=True)
class RankRow:
    unit: UnitFact
    group: str
    rank: int
    score: Decimal
    completion: Decimal
    previous_rank: int | None
    components: tuple[Component, ...]
    amount: Decimal = Decimal(0)  # FAI of projects signed this year (tie-break)
    count: int = 0
    progress: UnitProgress | None = None


def pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(POINTS, ROUND_HALF_EVEN)}%"


def num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def _q(value: Decimal, quantum: Decimal = POINTS) -> Decimal:
    out = value.quantize(quantum, rounding=ROUND_HALF_EVEN)
    return out if out != 0 else abs(out)  # never "-0.00"


def weighted_completion(up: UnitProgress, cap: Decimal | None) -> Decimal:
    """Weighted mean of the unit's target ratios, each capped at `cap` (when given)."""
    return up.weighted(cap)


def _completion_cap(ranking: Ranking) -> Decimal | None:
    return next((c.cap for c in ranking.components if c.kind is ComponentKind.COMPLETION), None)


def _capped(total: Decimal, cap: Decimal | None) -> tuple[Decimal, str]:
    if cap is not None and abs(total) > cap:
        return (cap if total > 0 else -cap), f"，封顶 {num(cap)} 分"
    return total, ""


def _events(policy: Policy) -> set[DeductionEvent]:
    ranking = policy.ranking or DEFAULT_RANKING
    return {
        c.event or DeductionEvent.MISSED_REPORT
        for c in ranking.components
        if c.kind is ComponentKind.DEDUCTION
    }


def reads_reports(policy: Policy) -> bool:
    """Whether ranking under `policy` reads the units' reports (missed or late ones)."""
    return bool(_events(policy) & {DeductionEvent.MISSED_REPORT, DeductionEvent.LATE_REPORT})


def reads_seen(policy: Policy) -> bool:
    """Whether ranking under `policy` reads the days projects were reported (stale ones)."""
    return DeductionEvent.STALE_PROJECT in _events(policy)


def stage_on(p: ProjectFact, day: date) -> Stage | None:
    """The stage the project had reached by `day` (current stage when no dates are known)."""
    if p.stage is Stage.DROPPED and (p.stage_dates.get(Stage.DROPPED) or day) <= day:
        return Stage.DROPPED
    dated = [s for s in LIFE_CYCLE if (d := p.stage_dates.get(s)) is not None and d <= day]
    if dated:
        return max(dated, key=lambda s: s.order)
    return None if p.stage_dates else p.stage


class Scorer:
    """Computes one period's components for each unit of a ledger's facts."""

    def __init__(self, policy: Policy, sf: ScoringFacts, period: Period) -> None:
        self.policy = policy
        self.ranking = policy.ranking or DEFAULT_RANKING
        self.sf = sf
        self.period = period
        self.year = period.end.year
        due = figures_due(period, policy.reporting)
        self.day = closing_day(period, due if sf.as_of is None else min(sf.as_of, due))
        self.projects = {p.code: p for p in sf.facts.projects}

    # ---- reporting calendar (domain/reporting.py) -------------------------------------

    def report_slots(self, unit: UnitFact) -> tuple[list[Period], list[Period]]:
        """(missed, late) reporting periods of the unit inside the period, as of the day
        the ledger is read (`ScoringFacts.as_of`); none before the ledger's first report."""
        rep = self.policy.reporting
        if not must_report(unit.unit_class, rep):
            return [], []
        first = self.sf.first_reports(rep).get(unit.code, {})
        as_of = self.sf.as_of or date.max
        found = slot_states(first, self.period, rep, as_of, self.sf.since)
        missed = [s for s, st in found if st is ReportState.MISSED]
        late = [s for s, st in found if st is ReportState.LATE]
        return missed, late

    def stale(self, unit: UnitFact) -> list[tuple[ProjectFact, int]]:
        """Projects credited to the unit not reported for longer than their stage allows."""
        limits = self.policy.alerts.stale_days
        roles = self.policy.credit_roles(unit.unit_class)
        end = self.day
        out = []
        for p in self.sf.facts.credited_to(unit, roles):
            stage = stage_on(p, end)
            if stage is None or stage not in limits:
                continue
            assert self.sf.seen is not None, "report days were not loaded (see reads_seen)"
            days = [d for d in self.sf.seen.get(p.code, ()) if d <= end]
            if not days:
                continue
            idle = (end - max(days)).days
            if idle > limits[stage]:
                out.append((p, idle))
        return sorted(out, key=lambda x: x[0].code)

    # ---- components -------------------------------------------------------------------
    def _measure(self, metric: Metric, f: Filters, unit: UnitFact) -> tuple[Decimal, list[str]]:
        got, codes = measure(metric, f, unit, self.policy, self.sf.facts, self.year, self.day)
        return got, list(codes)

    def component(self, c: ScoreComponent, up: UnitProgress) -> Component:
        unit = up.unit
        match c.kind:
            case ComponentKind.COMPLETION:
                done = weighted_completion(up, c.cap)
                parts = (
                    "；".join(
                        f"{t.label} {num(t.achieved)}/{num(t.required)}={pct(t.ratio)}"
                        for t in up.targets
                    )
                    or "未设目标任务"
                )
                cap = f"（每项封顶 {pct(c.cap)}）" if c.cap else ""
                return Component(
                    f"{c.label}：加权完成率{cap} × {num(c.points)} 分",
                    _q(done * c.points),
                    f"{parts}；加权完成率 {pct(done)} × {num(c.points)} = "
                    f"{num(_q(done * c.points))}",
                )
            case ComponentKind.PER_PROJECT:
                _, codes = self._measure(c.metric or Metric.SIGNED, Filters(), unit)
                total, bits = Decimal(0), []
                for code in codes:
                    p = self.projects[code]
                    amount = p.fai if c.amount == "fai" else p.total_investment
                    pts = _tier_points(c, amount)
                    if pts:
                        total += pts
                        bits.append(f"{code} {num(amount or Decimal(0))}万→{num(pts)}分")
                total, capped = _capped(total, c.cap)
                tiers = "、".join(f"≥{num(t.min_amount)}万 {num(t.points)}分" for t in c.tiers)
                what = "固投" if c.amount == "fai" else "总投资"
                return Component(
                    f"{c.label}：每个{_metric(c.metric)}项目按{what}分档（{tiers}）",
                    _q(total),
                    ("；".join(bits) or "无计分项目") + capped,
                )
            case ComponentKind.BONUS:
                _, codes = self._measure(c.metric or Metric.STARTED, c.filters, unit)
                total, capped = _capped(c.points * len(codes), c.cap)
                return Component(
                    f"{c.label}：每个 {num(c.points)} 分",
                    _q(total),
                    f"{len(codes)} 个（{'、'.join(codes) or '无'}）× {num(c.points)}{capped}",
                )
            case ComponentKind.DEDUCTION:
                return self._deduction(c, unit)
        raise AssertionError(c.kind)

    def _deduction(self, c: ScoreComponent, unit: UnitFact) -> Component:
        event = c.event or DeductionEvent.MISSED_REPORT
        if event is DeductionEvent.STALE_PROJECT:
            stale = self.stale(unit)
            items = [f"{p.code} {days} 天未更新" for p, days in stale]
        else:
            missed, late = self.report_slots(unit)
            slots = missed if event is DeductionEvent.MISSED_REPORT else late
            items = [s.label_zh for s in slots]
        total, capped = _capped(-c.points * len(items), c.cap)
        what = {
            DeductionEvent.MISSED_REPORT: "未报送",
            DeductionEvent.LATE_REPORT: "迟报",
            DeductionEvent.STALE_PROJECT: "项目未及时更新",
        }[event]
        return Component(
            f"{c.label}：每次扣 {num(c.points)} 分",
            _q(total),
            f"{what} {len(items)} 次（{'、'.join(items) or '无'}）× −{num(c.points)}{capped}",
        )

    def signed_this_year(self, unit: UnitFact) -> tuple[Decimal, int]:
        _, codes = self._measure(Metric.SIGNED, Filters(), unit)
        fai = sum((self.projects[c].fai or Decimal(0) for c in codes), Decimal(0))
        return fai, len(codes)


def _metric(metric: Metric | None) -> str:
    return (metric or Metric.SIGNED).label.removesuffix("项目")


def _tier_points(c: ScoreComponent, amount: Decimal | None) -> Decimal:
    if amount is None:
        return Decimal(0)
    strict = c.filters.strict
    hit = [t for t in c.tiers if (amount > t.min_amount if strict else amount >= t.min_amount)]
    return max((t.points for t in hit), default=Decimal(0))


def _ranked(policy: Policy, sf: ScoringFacts, period: Period) -> list[RankRow]:
    scorer = Scorer(policy, sf, period)
    ranking = scorer.ranking
    cap = _completion_cap(ranking)
    rows: list[RankRow] = []
    for up in _contestants(policy, ranking, sf.facts, period, scorer.day):
        comps = tuple(scorer.component(c, up) for c in ranking.components)
        amount, count = scorer.signed_this_year(up.unit)
        rows.append(
            RankRow(
                unit=up.unit,
                group=group_of(up.unit),
                rank=0,
                score=sum((c.points for c in comps), Decimal(0)),
                completion=weighted_completion(up, cap),
                previous_rank=None,
                components=comps,
                amount=amount,
                count=count,
                progress=up,
            )
        )
    groups: dict[str, list[RankRow]] = {}
    for r in rows:
        groups.setdefault(r.group, []).append(r)
    order = list(ranking.groups)
    out: list[RankRow] = []
    for g in sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g)):
        members = groups[g]
        if ranking.form is ScoreForm.EFFICACY:
            members = _efficacy(members, ranking)
        members.sort(key=lambda r: _sort_key(r, ranking.tie_break))
        out.extend(_with_rank(r, i + 1) for i, r in enumerate(members))
    return out


def _contestants(
    policy: Policy, ranking: Ranking, facts: Facts, period: Period, day: date
) -> list[UnitProgress]:
    """Units with targets, and units of a ranked group without any (they can still earn
    bonus points; 003's townships without a 7亿 task), in policy order."""
    rows = progress(policy, facts, period.end.year, day)
    have = {up.unit.code for up in rows}
    extra = [
        UnitProgress(u, ())
        for u in sorted(facts.units, key=lambda u: u.code)
        if u.active_on(period.end) and u.code not in have and group_of(u) in ranking.groups
    ]
    return [*rows, *extra]


def _with_rank(r: RankRow, rank: int) -> RankRow:
    return replace(r, rank=rank)


def _efficacy(members: list[RankRow], ranking: Ranking) -> list[RankRow]:
    lo = min(r.score for r in members)
    hi = max(r.score for r in members)
    floor, span = ranking.efficacy_floor, ranking.efficacy_span
    out = []
    for r in members:
        if hi == lo:
            score = floor + span
            detail = f"组内得分相同（{num(r.score)}），取 {num(floor + span)}"
        else:
            score = _q((r.score - lo) / (hi - lo) * span + floor)
            detail = (
                f"({num(r.score)}−{num(lo)})/({num(hi)}−{num(lo)})×{num(span)}+{num(floor)}"
                f" = {num(score)}"
            )
        adj = Component(
            f"功效系数法：(v−min)/(max−min)×{num(span)}+{num(floor)}", score - r.score, detail
        )
        out.append(replace(r, score=score, components=(*r.components, adj)))
    return out


def _sort_key(r: RankRow, keys: Sequence[str]) -> tuple[object, ...]:
    out: list[object] = [-r.score]
    for k in keys:
        match k:
            case "completion":
                out.append(-r.completion)
            case "amount":
                out.append(-r.amount)
            case "count":
                out.append(-r.count)
            case "name":
                out.append(r.unit.name)
            case "code":
                out.append(r.unit.code)
    out.append(r.unit.code)
    return tuple(out)


def rank(
    policy: Policy,
    sf: ScoringFacts,
    period: Period,
    group: str | None = None,
    previous: ScoringFacts | None = None,
) -> list[RankRow]:
    """Ranked rows for the period, within each group, with the previous period's rank
    (from `previous`: the ledger as it stood when that period's reports were due, when
    it differs). Figures are measured as of each period's due day
    (`reporting.figures_due`); missed and late reports as of `sf.as_of`, as the alerts
    of that day see them. The previous rank is None for a period due before the
    ledger's first report."""
    now = _ranked(policy, sf, period)
    before_period = period.previous()
    if sf.since is not None and figures_due(before_period, policy.reporting) < sf.since:
        before: dict[tuple[str, str], int] = {}
    else:
        earlier = _ranked(policy, previous or sf, before_period)
        before = {(r.unit.code, r.group): r.rank for r in earlier}
    out = [replace(r, previous_rank=before.get((r.unit.code, r.group))) for r in now]
    return [r for r in out if group is None or r.group == group]


def tie_rule(policy: Policy) -> str:
    """The tie-break rule in words, for the table's caption and --explain."""
    words = {
        "completion": "综合完成率高者在前",
        "amount": "当年签约项目固投多者在前",
        "count": "当年签约项目多者在前",
        "code": "单位编码小者在前",
        "name": "单位名称排序在前",
    }
    keys = (policy.ranking or DEFAULT_RANKING).tie_break
    return "得分相同时：" + "，再".join([*(words[k] for k in keys), "单位编码小者在前"])
