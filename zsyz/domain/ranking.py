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
from decimal import Decimal
from functools import cached_property

from zsyz.domain import rules
from zsyz.domain.components import group_items, score
from zsyz.domain.facts import AdjustmentFact, ProjectFact, UnitFact
from zsyz.domain.groups import group_of as group_of
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import Period
from zsyz.domain.points import Component as Component
from zsyz.domain.points import idle_beyond, weighted_completion
from zsyz.domain.points import num as num
from zsyz.domain.points import pct as pct
from zsyz.domain.points import q as _q
from zsyz.domain.points import stage_on as stage_on
from zsyz.domain.policy import Filters, Policy, Ranking, Reporting, ScoreForm, Share
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
from zsyz.domain.terms import Op, Term

DEFAULT_RANKING = Ranking(components=(rules.Completion(points=Decimal(100)),))


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
    adjustments: Sequence[AdjustmentFact] = ()  # points recorded by hand (`zsyz adjust`)
    # `first_reports` already grouped by the store for one calendar (store/aggregate.py):
    # then `reports` need not be loaded
    grouped: tuple[Reporting, Mapping[str, dict[Period, date]]] | None = None
    # each unit's earliest report per reporting period (built once; every period ranked
    # reads them)
    _first: dict[Reporting, dict[str, dict[Period, date]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def first_reports(self, reporting: Reporting) -> dict[str, dict[Period, date]]:
        """unit → reporting period → earliest report dated by `as_of` (`reporting.earliest`)."""
        got = self._first.get(reporting)
        if got is None and self.grouped is not None and self.grouped[0] == reporting:
            got = self._first[reporting] = dict(self.grouped[1])
        if got is None:
            assert self.reports is not None, "reports were not loaded (see reads_reports)"
            got = self._first[reporting] = earliest(self.reports, reporting, self.as_of)
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


def scoring_day(policy: Policy, period: Period, as_of: date | None) -> date:
    """The day a period's figures are measured at when the ledger is read as of `as_of`
    (None: as of the period's due day): `reporting.closing_day` of the earlier of the two."""
    due = figures_due(period, policy.reporting)
    return closing_day(period, due if as_of is None else min(as_of, due))


class Scorer:
    """Computes one period's components for each unit of a ledger's facts."""

    def __init__(self, policy: Policy, sf: ScoringFacts, period: Period) -> None:
        self.policy = policy
        self.ranking = policy.ranking or DEFAULT_RANKING
        self.sf = sf
        self.period = period
        self.year = period.end.year
        self.day = scoring_day(policy, period, sf.as_of)

    @cached_property
    def projects(self) -> dict[str, ProjectFact]:
        """Projects by code, built on first need (a lean read answers measures only)."""
        return {p.code: p for p in self.sf.facts.projects}

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
            idle = idle_beyond(max(days), end, limits[stage])
            if idle is not None:
                out.append((p, idle))
        return sorted(out, key=lambda x: x[0].code)

    # ---- what components read ---------------------------------------------------------
    def measure(self, metric: Metric, f: Filters, unit: UnitFact) -> tuple[Decimal, list[str]]:
        got, codes = measure(metric, f, unit, self.policy, self.sf.facts, self.year, self.day)
        return got, list(codes)

    def signed_this_year(self, unit: UnitFact) -> tuple[Decimal, int]:
        _, codes = self.measure(Metric.SIGNED, Filters(), unit)
        if self.policy.credit.share is Share.FULL:
            # each signed project counts whole, so their FAI summed is the signed-FAI
            # measure (a missing FAI adds nothing either way): no project need be read
            fai, _ = self.measure(Metric.SIGNED_FAI, Filters(), unit)
            return fai, len(codes)
        fai = sum((self.projects[c].fai or Decimal(0) for c in codes), Decimal(0))
        return fai, len(codes)


def _ranked(policy: Policy, sf: ScoringFacts, period: Period) -> list[RankRow]:
    scorer = Scorer(policy, sf, period)
    ranking = scorer.ranking
    cap = _completion_cap(ranking)
    components = with_adjustments(ranking, sf, period.end.year)
    rows: list[RankRow] = []
    for up in _contestants(policy, ranking, sf.facts, period, scorer.day):
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
        score = floor + span if hi == lo else _q((r.score - lo) / (hi - lo) * span + floor)
        why = Term(Op.EFFICACY_FORM, ranking, {"score": r.score, "lo": lo, "hi": hi}, score)
        adj = Component(score - r.score, why)
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
