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
from datetime import date, timedelta
from decimal import Decimal

from zsyz.domain import rules
from zsyz.domain.components import group_items, score
from zsyz.domain.facts import AdjustmentFact, ProjectFact, ReportFact, UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import Period, PeriodKind, period_containing
from zsyz.domain.points import Component as Component
from zsyz.domain.points import num as num
from zsyz.domain.points import pct as pct
from zsyz.domain.points import q as _q
from zsyz.domain.points import stage_on as stage_on
from zsyz.domain.points import weighted_completion
from zsyz.domain.policy import Filters, Policy, Ranking, ScoreForm
from zsyz.domain.progress import Facts, UnitProgress, measure, progress

DEFAULT_RANKING = Ranking(components=(rules.Completion(points=Decimal(100)),))


@dataclass(frozen=True)
class ScoringFacts:
    """What ranking and rewards read beyond completion: reports and when projects were seen."""

    facts: Facts
    # None: not loaded, as `reads_reports`/`reads_seen` said the policy never reads them
    reports: Sequence[ReportFact] | None = ()
    seen: Mapping[str, Sequence[date]] | None = field(default_factory=dict)  # project → days
    adjustments: Sequence[AdjustmentFact] = ()  # points recorded by hand (`zsyz adjust`)
    # per reporting cadence: each unit's earliest report per slot, and the slots anyone
    # reported in (built once; every period ranked reads them)
    _first: dict[str, tuple[dict[str, dict[Period, date]], frozenset[Period]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def first_reports(
        self, cadence: str
    ) -> tuple[dict[str, dict[Period, date]], frozenset[Period]]:
        """(unit → reporting slot → earliest report date, slots in which some unit
        reported) for a weekly or monthly cadence."""
        got = self._first.get(cadence)
        if got is None:
            assert self.reports is not None, "reports were not loaded (see reads_reports)"
            kind = PeriodKind.MONTH if cadence == "monthly" else PeriodKind.WEEK
            slots: dict[date, Period] = {}  # many reports, few distinct days
            first: dict[str, dict[Period, date]] = {}
            for r in self.reports:
                slot = slots.get(r.covers)
                if slot is None:
                    slot = slots[r.covers] = period_containing(kind, r.covers)
                mine = first.get(r.unit)
                if mine is None:
                    mine = first[r.unit] = {}
                on = mine.get(slot)
                if on is None or r.reported_on < on:
                    mine[slot] = r.reported_on
            got = self._first[cadence] = (first, frozenset(slots.values()))
        return got


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


def _completion_cap(ranking: Ranking) -> Decimal | None:
    return next(
        (c.cap for c in rules.flat(ranking.components) if isinstance(c, rules.Completion)), None
    )


def _events(policy: Policy) -> set[rules.DeductionEvent]:
    ranking = policy.ranking or DEFAULT_RANKING
    return {c.event for c in rules.flat(ranking.components) if isinstance(c, rules.Deduction)}


def reads_reports(policy: Policy) -> bool:
    """Whether ranking under `policy` reads the units' reports (missed or late ones)."""
    return bool(
        _events(policy) & {rules.DeductionEvent.MISSED_REPORT, rules.DeductionEvent.LATE_REPORT}
    )


def reads_seen(policy: Policy) -> bool:
    """Whether ranking under `policy` reads the days projects were reported (stale ones)."""
    return rules.DeductionEvent.STALE_PROJECT in _events(policy)


class Scorer:
    """Computes one period's components for each unit of a ledger's facts."""

    def __init__(self, policy: Policy, sf: ScoringFacts, period: Period) -> None:
        self.policy = policy
        self.ranking = policy.ranking or DEFAULT_RANKING
        self.sf = sf
        self.period = period
        self.year = period.end.year
        self.projects = {p.code: p for p in sf.facts.projects}
        self._reports: tuple[dict[str, dict[Period, date]], list[Period]] | None = None

    # ---- reporting rhythm -------------------------------------------------------------

    def _due(self, slot: Period) -> date:
        rep = self.policy.reporting
        if slot.kind is PeriodKind.WEEK:  # due on weekday N of the following week
            return slot.end + timedelta(days=rep.due_weekday)
        return slot.start.replace(day=min(rep.due_day, slot.end.day))  # due within the month

    def report_slots(self, unit: UnitFact) -> tuple[list[Period], list[Period]]:
        """(missed, late) reporting slots of the unit inside the period.

        Only slots in which some unit reported count: before the ledger collected
        reports (or after the last import) nobody is known to have missed one.
        """
        classes = self.policy.reporting.classes
        if classes and unit.unit_class not in classes:
            return [], []
        if self._reports is None:
            every, active = self.sf.first_reports(self.policy.reporting.cadence)
            # the slots of this period in which some unit reported, in order
            slots = [s for s in sorted(active) if self.period.contains(_anchor(s))]
            self._reports = (every, slots)
        every, slots = self._reports
        first = every.get(unit.code, {})
        missed, late = [], []
        for slot in slots:
            if slot not in first:
                missed.append(slot)
            elif first[slot] > self._due(slot):
                late.append(slot)
        return missed, late

    def stale(self, unit: UnitFact) -> list[tuple[ProjectFact, int]]:
        """Projects credited to the unit not reported for longer than their stage allows."""
        limits = self.policy.alerts.stale_days
        roles = self.policy.credit_roles(unit.unit_class)
        end = self.period.end
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

    # ---- what components read ---------------------------------------------------------
    def measure(self, metric: Metric, f: Filters, unit: UnitFact) -> tuple[Decimal, list[str]]:
        got, codes = measure(
            metric, f, unit, self.policy, self.sf.facts, self.year, self.period.end
        )
        return got, list(codes)

    def signed_this_year(self, unit: UnitFact) -> tuple[Decimal, int]:
        _, codes = self.measure(Metric.SIGNED, Filters(), unit)
        fai = sum((self.projects[c].fai or Decimal(0) for c in codes), Decimal(0))
        return fai, len(codes)


def _anchor(slot: Period) -> date:
    """The day that places a reporting slot in a period: a week belongs to the month
    (quarter, …) of its Thursday, as ISO weeks belong to years; a month to itself."""
    return slot.start + timedelta(days=3) if slot.kind is PeriodKind.WEEK else slot.start


def group_of(unit: UnitFact) -> str:
    if unit.group:
        return unit.group
    return "dept" if unit.unit_class.startswith("dept") else unit.unit_class


def _ranked(policy: Policy, sf: ScoringFacts, period: Period) -> list[RankRow]:
    scorer = Scorer(policy, sf, period)
    ranking = scorer.ranking
    cap = _completion_cap(ranking)
    components = with_adjustments(ranking, sf, period.end.year)
    rows: list[RankRow] = []
    for up in _contestants(policy, ranking, sf.facts, period):
        comps = tuple(score(scorer, c, up) for c in components)
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
        if any(isinstance(c, rules.Efficacy | rules.RankPoints) for c in components):
            scaled = group_items(components, [m.components for m in members])
            members = [
                replace(m, components=cs, score=sum((c.points for c in cs), Decimal(0)))
                for m, cs in zip(members, scaled, strict=True)
            ]
        if ranking.form is ScoreForm.EFFICACY:
            members = _efficacy(members, ranking)
        members.sort(key=lambda r: _sort_key(r, ranking.tie_break))
        out.extend(_with_rank(r, i + 1) for i, r in enumerate(members))
    return out


def with_adjustments(ranking: Ranking, sf: ScoringFacts, year: int) -> tuple[rules.Component, ...]:
    """The ranking's components, and one for hand-recorded points when the ledger holds
    some for the year but the policy names no `adjustment` component: never ignored."""
    comps = ranking.components
    if any(isinstance(c, rules.Adjustment) for c in rules.flat(comps)):
        return comps
    if any(a.year == year and a.points for a in sf.adjustments):
        return (*comps, rules.Adjustment())
    return comps


def _contestants(
    policy: Policy, ranking: Ranking, facts: Facts, period: Period
) -> list[UnitProgress]:
    """Units with targets, and units of a ranked group without any (they can still earn
    bonus points; 003's townships without a 7亿 task), in policy order."""
    rows = progress(policy, facts, period.end.year, period.end)
    have = {up.unit.code for up in rows}
    extra = [
        UnitProgress(u, ())
        for u in sorted(facts.units, key=lambda u: u.code)
        if u.active and u.code not in have and group_of(u) in ranking.groups
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
    (from `previous`: the ledger as it stood at that period's end, when it differs)."""
    now = _ranked(policy, sf, period)
    earlier = _ranked(policy, previous or sf, period.previous())
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
