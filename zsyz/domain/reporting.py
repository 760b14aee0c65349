"""The reporting calendar: who reports, when each period's report is due, which period a
report covers, and whether it came on time, late or not at all. Ranking, alerts, the
bulletin, the template's wording and `imports list` all ask this module; nothing else
decides these things (README 「报送日历」).

- Cadence: weekly (000, 002: the report of ISO week W is due by `due_weekday` of week
  W+1, 周一前报上周) or monthly (`due_day` of the same month, 001 "每月25日之前"; or of the
  next month with `due_next_month`, 次月5日前报上月).
- Holidays: with a policy `[calendar]`, a due day on a holiday moves to the next working
  day (make-up working days count as working days); without one the rule is as above.
- Which period a report covers: the period it names (第10周, 3月) when it names one of the
  cadence's kind; else, from its date, the period before the one it is dated in when it
  is dated on or before that period's due day, else the period it is dated in.
- Who reports: every active unit, or only the policy's `classes` (leaders and squads
  report through their units). A county summary (import --all-units) is the county
  office's report; it fills the units it mentions only when the policy's `summaries`
  says so (the loader in store/asof.py applies that).
- A period's state as of a day: on time (a covering report dated by its due day), late
  (dated after it, by that day), missed (none by that day, the due day reached), or
  pending (not due yet). Duty starts with the ledger's first report (`since`): periods
  due before it are nobody's to miss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from zsyz.domain.periods import Period, PeriodKind, period_containing
from zsyz.domain.policy import Reporting
from zsyz.domain.stages import Stage


@dataclass(frozen=True)
class ReportFact:
    """A unit's report received (an import batch that was not undone)."""

    unit: str  # unit code
    on: date  # the date written on the report (填报日期)
    named: Period | None = None  # the period the report names itself (第10周), if any


class ReportState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSED = "missed"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return {"on_time": "按时报送", "late": "迟报", "missed": "未报送", "pending": "未到期"}[
            self.value
        ]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (Jan 31 + 1 → Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = period_containing(PeriodKind.MONTH, date(year, month + 1, 1)).end
    return date(year, month + 1, min(day.day, last.day))


def period_kind(reporting: Reporting) -> PeriodKind:
    return PeriodKind.MONTH if reporting.cadence == "monthly" else PeriodKind.WEEK


def working_day(day: date, reporting: Reporting) -> bool:
    if day in reporting.workdays:
        return True
    return day not in reporting.holidays and day.weekday() < 5


def due_date(period: Period, reporting: Reporting) -> date:
    """The last day a report of `period` is on time (a holiday moves it on)."""
    if period.kind is PeriodKind.WEEK:
        due = period.end + timedelta(days=reporting.due_weekday)
    else:
        month = period.next() if reporting.due_next_month else period
        due = date(month.start.year, month.start.month, min(reporting.due_day, month.end.day))
    if due in reporting.holidays:
        while not working_day(due, reporting):
            due += timedelta(days=1)
    return due


def due_period(as_of: date, reporting: Reporting) -> Period:
    """The latest period whose due day has come by `as_of` (the one an alert is about)."""
    period = period_containing(period_kind(reporting), as_of)
    while due_date(period, reporting) > as_of:
        period = period.previous()
    return period


def covered_period(report: ReportFact, reporting: Reporting) -> Period:
    """The one period a report is for (see the module's docstring)."""
    kind = period_kind(reporting)
    if report.named is not None and report.named.kind is kind:
        return report.named
    here = period_containing(kind, report.on)
    before = here.previous()
    return before if report.on <= due_date(before, reporting) else here


def must_report(unit_class: str, reporting: Reporting) -> bool:
    return not reporting.classes or unit_class in reporting.classes


def anchor(slot: Period) -> date:
    """The day that places a reporting period in a longer one: a week belongs to the month
    (quarter, …) of its Thursday, as ISO weeks belong to years; a month to itself."""
    return slot.start + timedelta(days=3) if slot.kind is PeriodKind.WEEK else slot.start


def slots_in(period: Period, reporting: Reporting) -> list[Period]:
    """The reporting periods that belong to `period` (a month, quarter, … or one of them)."""
    kind = period_kind(reporting)
    if period.kind is kind:
        return [period]
    out = []
    slot = period_containing(kind, period.start)
    while slot.start <= period.end:
        if period.contains(anchor(slot)):
            out.append(slot)
        slot = slot.next()
    return out


def figures_due(period: Period, reporting: Reporting) -> date:
    """When a period's figures are complete: the due day of its last reporting period
    (a monthly-reporting county's September is read as of 5 October)."""
    slots = slots_in(period, reporting)
    return max((due_date(s, reporting) for s in slots), default=period.end)


def reading_day(period: Period, reporting: Reporting, today: date) -> date:
    """The day a ranking or bulletin of `period` reads the ledger as of: when its reports
    are due, or today when that is earlier (then `outstanding` names who is missing)."""
    return min(today, figures_due(period, reporting))


def closing_day(period: Period, read_on: date | None) -> date:
    """The day a period's figures are measured at: its end, or the day it is read as of
    when later (what the reports covering the period, filed by their due day, say)."""
    return period.end if read_on is None else max(period.end, read_on)


def earliest(
    reports: Iterable[ReportFact], reporting: Reporting, as_of: date | None = None
) -> dict[str, dict[Period, date]]:
    """unit → covered period → its earliest report dated on or before `as_of`. Each
    distinct (date, named) is mapped to its period once (a province: 500,000 reports)."""
    covered: dict[tuple[date, Period | None], Period] = {}
    first: dict[str, dict[Period, date]] = {}
    for r in reports:
        if as_of is not None and r.on > as_of:
            continue
        key = (r.on, r.named)
        p = covered.get(key)
        if p is None:
            p = covered[key] = covered_period(r, reporting)
        mine = first.get(r.unit)
        if mine is None:
            mine = first[r.unit] = {}
        seen = mine.get(p)
        if seen is None or r.on < seen:
            mine[p] = r.on
    return first


def state(
    first: Mapping[Period, date], period: Period, reporting: Reporting, as_of: date
) -> ReportState:
    """A unit's state for `period` as of `as_of`, from its earliest reports (`earliest`)."""
    return _state(first.get(period), due_date(period, reporting), as_of)


def _state(got: date | None, due: date, as_of: date) -> ReportState:
    """The state of a period due on `due` whose earliest report is `got`, as of `as_of`."""
    if got is not None and got <= as_of:
        return ReportState.ON_TIME if got <= due else ReportState.LATE
    return ReportState.MISSED if due <= as_of else ReportState.PENDING


def owed(period: Period, since: date | None, reporting: Reporting) -> bool:
    """Whether a period is anyone's to report: its due day is on or after the ledger's
    first report (a ledger set up in March has no January reports to miss; its first
    report, filed on a due day, fills the period due that day)."""
    return since is not None and due_date(period, reporting) >= since


def slot_states(
    first: Mapping[Period, date],
    period: Period,
    reporting: Reporting,
    as_of: date,
    since: date | None,
) -> list[tuple[Period, ReportState]]:
    """Each reporting period of `period` that is owed, with the unit's state as of `as_of`."""
    return [
        (s, _state(first.get(s), due, as_of)) for s, due in owed_slots(period, reporting, since)
    ]


@lru_cache(maxsize=256)
def owed_slots(
    period: Period, reporting: Reporting, since: date | None
) -> tuple[tuple[Period, date], ...]:
    """The reporting periods of `period` that are owed, each with its due day: the same
    for every unit, so worked out once (a province ranks 10,000 units)."""
    return tuple(
        (s, due_date(s, reporting))
        for s in slots_in(period, reporting)
        if owed(s, since, reporting)
    )


@dataclass(frozen=True)
class ReportStatus:
    period: Period
    reported: bool  # a report for it is in by as-of
    missed_this_year: int  # periods of the year (due day reached) with no report on time
    previous_missed: bool  # the period before was not reported either


def status(
    unit: str,
    reports: Sequence[ReportFact],
    reporting: Reporting,
    as_of: date,
    since: date,
) -> ReportStatus:
    """Where `unit` stands with its reports as of `as_of`; periods before `since` are free."""
    return statuses([unit], reports, reporting, as_of, since)[unit]


def statuses(
    units: Iterable[str],
    reports: Iterable[ReportFact],
    reporting: Reporting,
    as_of: date,
    since: date,
) -> dict[str, ReportStatus]:
    """`status` of many units at once: the periods and their due days are worked out once."""
    current = due_period(as_of, reporting)
    owed_periods = [
        p
        for p in periods_between(date(as_of.year, 1, 1), current, reporting)
        if owed(p, since, reporting)
    ]
    prev = current.previous()
    first = earliest(reports, reporting, as_of)
    out = {}
    none: dict[Period, date] = {}
    for unit in units:
        f = first.get(unit, none)
        missed = sum(
            1 for p in owed_periods if state(f, p, reporting, as_of) is not ReportState.ON_TIME
        )
        out[unit] = ReportStatus(
            current,
            state(f, current, reporting, as_of) is not ReportState.MISSED,
            missed,
            owed(prev, since, reporting) and state(f, prev, reporting, as_of) is ReportState.MISSED,
        )
    return out


@dataclass(frozen=True)
class StatusPlan:
    """What `statuses` asks of every unit, worked out once: a store can count it in SQL
    (store/aggregate.py) and hand back three figures per unit for `status_from`."""

    current: Period  # the period the alert is about (`due_period`)
    previous: Period
    owed: tuple[tuple[Period, date], ...]  # owed periods of the year so far, with due days


def status_plan(reporting: Reporting, as_of: date, since: date) -> StatusPlan:
    current = due_period(as_of, reporting)
    owed_periods = tuple(
        (p, due_date(p, reporting))
        for p in periods_between(date(as_of.year, 1, 1), current, reporting)
        if owed(p, since, reporting)
    )
    return StatusPlan(current, current.previous(), owed_periods)


def status_from(
    plan: StatusPlan,
    on_time: int,
    first_current: date | None,
    first_previous: date | None,
    reporting: Reporting,
    as_of: date,
    since: date,
) -> ReportStatus:
    """A unit's `ReportStatus` from how many owed periods it reported on time and its
    earliest reports (on or before `as_of`) covering the current and previous periods:
    exactly what `statuses` says from the reports themselves."""
    pairs = ((plan.current, first_current), (plan.previous, first_previous))
    known = {p: d for p, d in pairs if d is not None}
    return ReportStatus(
        plan.current,
        state(known, plan.current, reporting, as_of) is not ReportState.MISSED,
        len(plan.owed) - on_time,
        owed(plan.previous, since, reporting)
        and state(known, plan.previous, reporting, as_of) is ReportState.MISSED,
    )


def periods_between(start: date, last: Period, reporting: Reporting) -> Iterable[Period]:
    """Periods from the one containing `start` up to `last` (inclusive)."""
    p = period_containing(period_kind(reporting), start)
    while p.start <= last.start:
        yield p
        p = p.next()


def outstanding(
    units: Iterable[tuple[str, str]],
    first: Mapping[str, Mapping[Period, date]],
    period: Period,
    reporting: Reporting,
    today: date,
    since: date | None,
) -> list[str]:
    """Codes of the units (code, class) still owing a report of `period` that is not due
    yet (due today or later): whose figures a ranking or bulletin run now would lack."""
    open_ = [
        s
        for s in slots_in(period, reporting)
        if due_date(s, reporting) >= today and owed(s, since, reporting)
    ]
    none: Mapping[Period, date] = {}
    return [
        code
        for code, cls in units
        if must_report(cls, reporting) and any(s not in first.get(code, none) for s in open_)
    ]


WEEKDAYS = "一二三四五六日"


def due_rule(reporting: Reporting) -> str:
    """The due rule in words, for the template (报送时间), README and messages."""
    if reporting.cadence == "monthly":
        when = "次月" if reporting.due_next_month else "当月"
        what = "上月" if reporting.due_next_month else "本月"
        rule = f"每月报送{what}情况，{when}{reporting.due_day}日前（含当日）报送"
    else:
        rule = (
            f"每周报送一次，下周星期{WEEKDAYS[reporting.due_weekday - 1]}前（含当日）报送上周情况"
        )
    if reporting.holidays:
        rule += "；截止日逢节假日顺延至下一个工作日"
    return rule


def cycle_days(reporting: Reporting) -> int:
    """The longest stretch between two on-time reports' periods: a week or a long month."""
    return 31 if reporting.cadence == "monthly" else 7


def stale_warnings(reporting: Reporting, stale_days: Mapping[Stage, int]) -> list[str]:
    """`policy check`: stale limits shorter than the reporting cycle mark punctual units."""
    cycle = cycle_days(reporting)
    what = "月报" if reporting.cadence == "monthly" else "周报"
    return [
        f"[alerts] stale_days 中{stage.label}（{stage.value}）为 {days} 天，短于报送周期"
        f"（{what}，{cycle} 天）：按时报送的单位也会被判为项目久未更新；建议不少于 {cycle} 天"
        for stage, days in stale_days.items()
        if days < cycle
    ]
