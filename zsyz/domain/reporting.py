"""The reporting rhythm: which period's report is due by a date, and who missed it.

Weekly (000, 002): the report of ISO week W is due by the policy's weekday of the next
week (000: 周一前报上周). Monthly (001: "每月25日之前" — this month's report by the 25th
of the same month; 003/004 presets: by the due day of the next month, `due_next_month`).
A report is for the period the import labelled it with (monthly: the month it is dated
in), or for the period before when it is dated by that one's deadline (a Monday report
of last week's work is often labelled with the week it was sent in).

Duty starts with the ledger: periods before the first report the ledger holds are not
counted as missed (a ledger set up in March has no January reports to miss).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from zsyz.domain.periods import Period, PeriodKind, parse_period, period_containing
from zsyz.domain.policy import Reporting


@dataclass(frozen=True)
class ReportFact:
    """One import batch seen as a unit's report (status imported or superseded)."""

    unit: str  # unit code
    period: str  # the batch's period label, e.g. 2022-W10
    on: date  # report date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (Jan 31 + 1 → Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = period_containing(PeriodKind.MONTH, date(year, month + 1, 1)).end
    return date(year, month + 1, min(day.day, last.day))


def period_kind(reporting: Reporting) -> PeriodKind:
    return PeriodKind.MONTH if reporting.cadence == "monthly" else PeriodKind.WEEK


def due_date(period: Period, reporting: Reporting) -> date:
    """The last day a report of `period` is on time."""
    if period.kind is PeriodKind.WEEK:
        return period.end + timedelta(days=reporting.due_weekday)
    month = period.next() if reporting.due_next_month else period
    return date(month.start.year, month.start.month, min(reporting.due_day, month.end.day))


def due_period(as_of: date, reporting: Reporting) -> Period:
    """The latest period whose deadline has come by `as_of` (the one an alert is about)."""
    period = period_containing(period_kind(reporting), as_of)
    while due_date(period, reporting) > as_of:
        period = period.previous()
    return period


def covered_period(report: ReportFact, reporting: Reporting) -> Period:
    """The one period a report is for: its labelled week (monthly: the month it is dated
    in), or the period before when it is dated by that one's deadline — a Monday report
    labelled with the week it was sent in is last week's (周一前报上周)."""
    kind = period_kind(reporting)
    labelled: Period | None = None
    if kind is PeriodKind.WEEK:
        try:
            labelled = parse_period(report.period, PeriodKind.WEEK)
        except ValueError:
            labelled = None
    period = labelled or period_containing(kind, report.on)
    before = period.previous()
    return before if report.on <= due_date(before, reporting) else period


def covers(report: ReportFact, period: Period, reporting: Reporting) -> bool:
    return covered_period(report, reporting) == period


@dataclass(frozen=True)
class ReportStatus:
    period: Period
    reported: bool  # a report for it is in by as-of
    missed_this_year: int  # periods of the year (deadline passed) with no report on time
    previous_missed: bool  # the period before was not reported either


def status(
    unit: str,
    reports: Sequence[ReportFact],
    reporting: Reporting,
    as_of: date,
    since: date,
) -> ReportStatus:
    """Where `unit` stands with its reports as of `as_of`; periods before `since` are free."""
    first: dict[Period, date] = {}  # each period's earliest report, as of as_of
    for r in reports:
        if r.unit == unit and r.on <= as_of:
            p = covered_period(r, reporting)
            first[p] = min(first.get(p, r.on), r.on)
    current = due_period(as_of, reporting)

    def reported(p: Period, by: date) -> bool:
        return p in first and first[p] <= by

    missed = 0
    for p in periods_between(max(since, date(as_of.year, 1, 1)), current, reporting):
        if not reported(p, due_date(p, reporting)):
            missed += 1
    prev = current.previous()
    return ReportStatus(
        current,
        reported(current, as_of),
        missed,
        prev.end >= since and not reported(prev, as_of),
    )


def statuses(
    units: Iterable[str],
    reports: Iterable[ReportFact],
    reporting: Reporting,
    as_of: date,
    since: date,
) -> dict[str, ReportStatus]:
    """`status` of many units at once (a province: 10,000 units, 500,000 reports): the
    periods and their deadlines are worked out once, and each distinct (label, date) of
    a report is mapped to its period once."""
    current = due_period(as_of, reporting)
    start = max(since, date(as_of.year, 1, 1))
    deadlines = [(p, due_date(p, reporting)) for p in periods_between(start, current, reporting)]
    prev = current.previous()
    prev_counts = prev.end >= since
    covered: dict[tuple[str, date], Period] = {}
    first: dict[str, dict[Period, date]] = {}
    for r in reports:
        if r.on > as_of:
            continue
        key = (r.period, r.on)
        p = covered.get(key)
        if p is None:
            p = covered[key] = covered_period(r, reporting)
        mine = first.setdefault(r.unit, {})
        seen = mine.get(p)
        if seen is None or r.on < seen:
            mine[p] = r.on
    out = {}
    none: dict[Period, date] = {}
    for unit in units:
        f = first.get(unit, none)
        missed = sum(1 for p, due in deadlines if not (p in f and f[p] <= due))
        out[unit] = ReportStatus(
            current,
            current in f and f[current] <= as_of,
            missed,
            prev_counts and not (prev in f and f[prev] <= as_of),
        )
    return out


def periods_between(start: date, last: Period, reporting: Reporting) -> Iterable[Period]:
    """Periods from the one containing `start` up to `last` (inclusive)."""
    p = period_containing(period_kind(reporting), start)
    while p.start <= last.start:
        yield p
        p = p.next()


def must_report(unit_class: str, reporting: Reporting) -> bool:
    return not reporting.classes or unit_class in reporting.classes
