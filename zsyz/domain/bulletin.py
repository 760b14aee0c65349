"""What the monthly bulletin (月通报) summarises: the county's signed, started and
producing projects in the period and the year to date, against the county's targets.

Pure. "The county's targets" are those of the county-level unit (class `county`, as in
001 and 004); a policy without one has no county target and the bulletin says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zsyz.domain.metrics import Metric
from zsyz.domain.periods import Period, period_containing
from zsyz.domain.policy import Bulletin
from zsyz.domain.progress import Facts, UnitProgress
from zsyz.domain.ranking import stage_on
from zsyz.domain.stages import Stage

SUMMARY_STAGES: tuple[tuple[Metric, Stage], ...] = (
    (Metric.SIGNED, Stage.SIGNED),
    (Metric.STARTED, Stage.STARTED),
    (Metric.PRODUCING, Stage.PRODUCING),
)

# Lists by stage as offices keep them: 签约 (signed, not yet started), 开工 (started or
# later), 在谈 (negotiating, admitted, approved).
LISTS: tuple[tuple[str, frozenset[Stage]], ...] = (
    ("签约项目", frozenset({Stage.SIGNED})),
    ("开工项目", frozenset({Stage.STARTED, Stage.PRODUCING, Stage.FULL_OUTPUT})),
    ("在谈项目", frozenset({Stage.NEGOTIATING, Stage.ADMITTED, Stage.APPROVED})),
)


@dataclass(frozen=True)
class Figure:
    label: str
    period_count: int | None
    period_total: Decimal
    period_fai: Decimal | None
    ytd_count: int | None
    ytd_total: Decimal
    ytd_fai: Decimal | None
    target: Decimal | None  # the county's target for the year (count or 万元)
    completion: Decimal | None  # year to date / target


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _county_target(county: list[UnitProgress], metric: Metric) -> Decimal | None:
    found = [
        t.required for up in county for t in up.targets if t.metric == metric.value and t.required
    ]
    return sum(found, Decimal(0)) if found else None


def summary(
    facts: Facts, county: list[UnitProgress], period: Period, through: date | None = None
) -> list[Figure]:
    """One figure per stage (count, 总投资, 固投) and one for funds arriving, as the
    reports covering the period say: up to `through` (`reporting.closing_day`)."""
    end = through or period.end
    out = [
        _stage_figure(facts, county, metric, stage, period, end) for metric, stage in SUMMARY_STAGES
    ]
    out.append(_funds_figure(facts, county, period, end))
    return out


def _stage_figure(
    facts: Facts,
    county: list[UnitProgress],
    metric: Metric,
    stage: Stage,
    period: Period,
    end: date,
) -> Figure:
    """Projects that reached `stage` in the period and in the year, against the target."""
    year_start = date(period.end.year, 1, 1)
    in_period, in_year = [], []
    for p in facts.projects:
        day = p.reached_on(stage)
        if day is None or day > end:
            continue
        if day >= period.start:
            in_period.append(p)
        if day >= year_start:
            in_year.append(p)
    target = _county_target(county, metric)
    return Figure(
        label=f"{stage.label}项目",
        period_count=len(in_period),
        period_total=_sum([p.total_investment for p in in_period]),
        period_fai=_sum([p.fai for p in in_period]),
        ytd_count=len(in_year),
        ytd_total=_sum([p.total_investment for p in in_year]),
        ytd_fai=_sum([p.fai for p in in_year]),
        target=target,
        completion=(Decimal(len(in_year)) / target).quantize(Decimal("0.0001")) if target else None,
    )


def _funds_figure(facts: Facts, county: list[UnitProgress], period: Period, end: date) -> Figure:
    """Funds arriving in the period and in the year, against the county's target."""
    before_period = period.start - timedelta(days=1)
    before_year = date(period.end.year, 1, 1) - timedelta(days=1)
    arrived = [
        (
            facts.value_on(p.code, "funds_in_place", end)
            - facts.value_on(p.code, "funds_in_place", before_period),
            facts.value_on(p.code, "funds_in_place", end)
            - facts.value_on(p.code, "funds_in_place", before_year),
        )
        for p in facts.projects
    ]
    ytd = _sum([a for _, a in arrived])
    target = _county_target(county, Metric.FUNDS)
    return Figure(
        label="到位资金",
        period_count=None,
        period_total=_sum([a for a, _ in arrived]),
        period_fai=None,
        ytd_count=None,
        ytd_total=ytd,
        ytd_fai=None,
        target=target,
        completion=(ytd / target).quantize(Decimal("0.0001")) if target else None,
    )


def listed(facts: Facts, period: Period, through: date | None = None) -> dict[str, list[str]]:
    """Project codes in each stage list as of the period's end (or `through`)."""
    out: dict[str, list[str]] = {name: [] for name, _ in LISTS}
    for p in sorted(facts.projects, key=lambda p: p.code):
        stage = stage_on(p, through or period.end)
        for name, stages in LISTS:
            if stage in stages:
                out[name].append(p.code)
    return out


_UNIT_WORDS = re.compile(r"\s*[（(]\s*(?:亿元|万元|元|个|项|万美元|亿美元)\s*[）)]")


def true_label(label: str, metric: str) -> str:
    """A target's label with the unit its values are in: a heading's unit (「到位资金
    （亿元）」) is dropped, as the ledger keeps amounts in 万元 and counts in 个."""
    bare = _UNIT_WORDS.sub("", label).strip() or label
    try:
        amount = Metric(metric).is_amount
    except ValueError:  # all_of over different metrics: no single unit
        return bare
    return f"{bare}（{'万元' if amount else '个'}）"


def band(ratio: Decimal | None, bands: Bulletin) -> str:
    """good (≥ bands.good), fair (≥ bands.fair) or poor; poor where nothing is known."""
    if ratio is None:
        return "poor"
    if ratio >= bands.good:
        return "good"
    return "fair" if ratio >= bands.fair else "poor"


def same_period_last_year(period: Period) -> Period:
    """The period of the same kind a year earlier (2022年第3季度 → 2021年第3季度)."""
    end = period.end
    return period_containing(period.kind, date(end.year - 1, end.month, min(end.day, 28)))


def span_zh(period: Period) -> str:
    """The year to date the 通报 speaks of: 1—9月, 1月, 全年."""
    month = period.end.month
    if month == 12 and period.end.day == 31:
        return "全年"
    return "1月" if month == 1 else f"1—{month}月"


@dataclass(frozen=True)
class Headline:
    """One figure of the 通报's opening sentence, year to date as of the period's end."""

    key: str  # signed | started | producing | funds
    count: int | None
    amount: Decimal  # 万元: 总投资 of the projects, or funds arrived
    target: Decimal | None
    completion: Decimal | None  # of the county's yearly target
    growth: Decimal | None  # 同比, a ratio; None where last year has no figure
    ahead: Decimal | None  # percentage points ahead of 序时进度 (negative: behind)


HEADLINE_KEYS = ("signed", "started", "producing", "funds")


def headlines(
    now: list[Figure], last_year: list[Figure], as_of: date, schedule: str
) -> list[Headline]:
    """The year-to-date figures against last year's same span, and against how much of
    the year's target should be done by `as_of` (序时进度, or 003's monthly plan: the
    same `expected_share` the behind-schedule alert reads)."""
    from zsyz.domain.alerts import expected_share

    out = []
    for key, f, before in zip(HEADLINE_KEYS, now, last_year, strict=True):
        mine = Decimal(f.ytd_count) if f.ytd_count is not None else f.ytd_total
        theirs = Decimal(before.ytd_count) if before.ytd_count is not None else before.ytd_total
        growth = ((mine - theirs) / theirs).quantize(Decimal("0.0001")) if theirs > 0 else None
        ahead = None
        if f.completion is not None and f.target:
            due = expected_share(as_of, as_of.year, schedule, f.target, f.ytd_count is not None)
            ahead = ((f.completion - due) * 100).quantize(Decimal("0.1"))
        out.append(
            Headline(
                key,
                f.ytd_count,
                f.ytd_total,
                f.target,
                f.completion,
                growth,
                ahead,
            )
        )
    return out
