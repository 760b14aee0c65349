"""The reporting calendar (domain/reporting.py), table-driven, dates worked by hand.

Weekly (镇平: due Monday of the next week) and monthly (磐安: due the 5th of the next
month; 印江: due the 25th of the same month): a report on its due day, a day before, a
day after, a week late, never; a resend; a report naming its period; a holiday due day;
leaders exempt; summaries. Then the property that ties the views together: a period is
missed in the ranking exactly when the alerts call it missed as of the same day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsyz.domain import rules
from zsyz.domain.alerts import AlertFacts, Rule, alerts
from zsyz.domain.facts import UnitFact
from zsyz.domain.periods import Period, PeriodKind, iso_week, parse_period, period_containing
from zsyz.domain.policy import Policy, Ranking, Reporting
from zsyz.domain.progress import Facts
from zsyz.domain.ranking import ScoringFacts, rank
from zsyz.domain.reporting import (
    ReportFact,
    ReportState,
    covered_period,
    due_date,
    due_period,
    due_rule,
    earliest,
    figures_due,
    must_report,
    outstanding,
    slots_in,
    stale_warnings,
    state,
)
from zsyz.domain.stages import Stage

WEEKLY = Reporting("weekly", due_weekday=1)  # 镇平: 每周一前报上周
MONTHLY_NEXT = Reporting("monthly", due_day=5, due_next_month=True)  # 磐安: 次月5日前
MONTHLY_SAME = Reporting("monthly", due_day=25)  # 印江: 每月25日之前
W28 = iso_week(2026, 28)  # Mon 6 July – Sun 12 July 2026; due Mon 13 July
MARCH = parse_period("2022-03")  # 磐安: due 5 April 2022


def on(day: date, rep: Reporting, named: Period | None = None) -> Period:
    return covered_period(ReportFact("u", day, named), rep)


@pytest.mark.parametrize(
    ("rep", "period", "due"),
    [
        (WEEKLY, W28, date(2026, 7, 13)),
        (replace(WEEKLY, due_weekday=3), W28, date(2026, 7, 15)),
        (MONTHLY_NEXT, MARCH, date(2022, 4, 5)),
        (MONTHLY_SAME, MARCH, date(2022, 3, 25)),
        (MONTHLY_SAME, parse_period("2022-02"), date(2022, 2, 25)),
        (replace(MONTHLY_SAME, due_day=31), parse_period("2022-02"), date(2022, 2, 28)),
    ],
)
def test_due_day(rep, period, due):
    assert due_date(period, rep) == due


# which period a report covers, and its state as of a day well after
@pytest.mark.parametrize(
    ("case", "rep", "day", "named", "covers", "state_of"),
    [
        # weekly: W28 is due Monday 13 July
        ("weekly on the due day", WEEKLY, date(2026, 7, 13), None, "2026-W28", "on_time"),
        ("weekly a day before (Sunday)", WEEKLY, date(2026, 7, 12), None, "2026-W28", "on_time"),
        ("weekly on Friday of the week", WEEKLY, date(2026, 7, 10), None, "2026-W28", "on_time"),
        # a day after: by its date it is the next week's (W29's) report, W28 is missed
        ("weekly a day after", WEEKLY, date(2026, 7, 14), None, "2026-W29", "missed"),
        ("weekly a day after, naming W28", WEEKLY, date(2026, 7, 14), W28, "2026-W28", "late"),
        ("weekly a week late, naming W28", WEEKLY, date(2026, 7, 20), W28, "2026-W28", "late"),
        (
            "weekly naming the next week on W28's due day: W28 stays missed",
            WEEKLY,
            date(2026, 7, 13),
            iso_week(2026, 29),
            "2026-W29",
            "missed",
        ),
        # monthly, due the 5th of the next month: March is due 5 April
        ("monthly-next on the due day", MONTHLY_NEXT, date(2022, 4, 5), None, "2022-03", "on_time"),
        ("monthly-next a day before", MONTHLY_NEXT, date(2022, 4, 4), None, "2022-03", "on_time"),
        ("monthly-next a day after", MONTHLY_NEXT, date(2022, 4, 6), None, "2022-04", "missed"),
        (
            "monthly-next a day after, naming 3月",
            MONTHLY_NEXT,
            date(2022, 4, 6),
            MARCH,
            "2022-03",
            "late",
        ),
        (
            "monthly-next a week late, naming 3月",
            MONTHLY_NEXT,
            date(2022, 4, 12),
            MARCH,
            "2022-03",
            "late",
        ),
        # monthly, due the 25th of the same month
        (
            "monthly-same on the due day",
            MONTHLY_SAME,
            date(2022, 3, 25),
            None,
            "2022-03",
            "on_time",
        ),
        ("monthly-same a day before", MONTHLY_SAME, date(2022, 3, 24), None, "2022-03", "on_time"),
        ("monthly-same a day after", MONTHLY_SAME, date(2022, 3, 26), None, "2022-03", "late"),
        ("monthly-same a week late", MONTHLY_SAME, date(2022, 4, 1), None, "2022-04", "missed"),
        # a week named under a monthly cadence is not a month: the date decides
        (
            "monthly-next naming a week",
            MONTHLY_NEXT,
            date(2022, 4, 5),
            iso_week(2022, 14),
            "2022-03",
            "on_time",
        ),
    ],
)
def test_report_covers_and_state(case, rep, day, named, covers, state_of):
    assert on(day, rep, named) == parse_period(covers), case
    first = earliest([ReportFact("u", day, named)], rep)["u"]
    # the state of the period the case is about (W28 / March), as of a month later
    about = W28 if rep is WEEKLY else MARCH
    assert state(first, about, rep, day + timedelta(days=40)).value == state_of, case


def test_never_reported_is_missed_once_due_and_pending_before():
    assert state({}, W28, WEEKLY, date(2026, 7, 12)) is ReportState.PENDING
    assert state({}, W28, WEEKLY, date(2026, 7, 13)) is ReportState.MISSED  # due today
    assert state({}, MARCH, MONTHLY_NEXT, date(2022, 4, 4)) is ReportState.PENDING
    assert state({}, MARCH, MONTHLY_NEXT, date(2022, 4, 5)) is ReportState.MISSED


def test_a_resend_keeps_the_first_date():
    reports = [
        ReportFact("u", date(2026, 7, 10)),  # Friday: W28, on time
        ReportFact("u", date(2026, 7, 13)),  # corrected and sent again on Monday: still W28
    ]
    first = earliest(reports, WEEKLY)["u"]
    assert first == {W28: date(2026, 7, 10)}
    assert state(first, W28, WEEKLY, date(2026, 8, 1)) is ReportState.ON_TIME
    # a resend after the due day does not make an on-time report late
    late_resend = [*reports, ReportFact("u", date(2026, 7, 16), W28)]
    assert earliest(late_resend, WEEKLY)["u"][W28] == date(2026, 7, 10)


HOLIDAYS = replace(
    MONTHLY_NEXT,
    # 2024 国庆: 1–7 October off, Sunday 29 September and Saturday 12 October worked
    holidays=frozenset(date(2024, 10, d) for d in range(1, 8)),
    workdays=frozenset({date(2024, 9, 29), date(2024, 10, 12)}),
)


@pytest.mark.parametrize(
    ("rep", "period", "due"),
    [
        # September is due 5 October, a holiday: the next working day is Tuesday 8 October
        (HOLIDAYS, parse_period("2024-09"), date(2024, 10, 8)),
        (MONTHLY_NEXT, parse_period("2024-09"), date(2024, 10, 5)),  # no [calendar]: as written
        # a due day on a weekend that is no holiday stays (the rule as written)
        (HOLIDAYS, parse_period("2024-10"), date(2024, 11, 5)),
        # weekly: W40 (30 Sep – 6 Oct) due Monday 7 October, a holiday → Tuesday 8 October
        (replace(WEEKLY, holidays=HOLIDAYS.holidays), iso_week(2024, 40), date(2024, 10, 8)),
        # a holiday run ending on a weekend before a make-up Saturday
        (
            replace(
                WEEKLY,
                holidays=frozenset({date(2024, 10, 7), date(2024, 10, 8)}),
                workdays=frozenset({date(2024, 10, 12)}),
            ),
            iso_week(2024, 40),
            date(2024, 10, 9),
        ),
    ],
)
def test_holiday_due_day_moves_to_the_next_working_day(rep, period, due):
    assert due_date(period, rep) == due


def test_holiday_moves_which_period_a_report_covers():
    # filed 7 October: by the written rule that is October's report (after the 5th); with
    # the holiday the September report is due 8 October, so it covers September, on time
    assert on(date(2024, 10, 7), MONTHLY_NEXT).label == "2024-10"
    assert on(date(2024, 10, 7), HOLIDAYS).label == "2024-09"


def test_who_must_report():
    rep = replace(WEEKLY, classes=("township", "dept_a"))
    assert must_report("township", rep) and not must_report("leader", rep)
    assert must_report("leader", WEEKLY)  # no classes: every class reports


def test_slots_and_when_figures_are_complete():
    q3 = parse_period("2026-Q3")
    weeks = slots_in(q3, WEEKLY)
    # ISO weeks whose Thursday lies in the quarter: W27 (29 Jun – 5 Jul, Thursday 2 Jul)
    # through W39 (21–27 Sep)
    assert (weeks[0].label, weeks[-1].label, len(weeks)) == ("2026-W27", "2026-W39", 13)
    assert figures_due(q3, WEEKLY) == date(2026, 9, 28)
    sep = parse_period("2022-09")
    assert figures_due(sep, MONTHLY_NEXT) == date(2022, 10, 5)
    assert figures_due(parse_period("2022-Q3"), MONTHLY_NEXT) == date(2022, 10, 5)
    assert figures_due(sep, MONTHLY_SAME) == date(2022, 9, 25)


def test_outstanding_names_units_owing_a_report_not_due_yet():
    sep = parse_period("2022-09")
    first = earliest([ReportFact("a", date(2022, 10, 3))], MONTHLY_NEXT)
    units = [("a", "township"), ("b", "township"), ("l", "leader")]
    rep = replace(MONTHLY_NEXT, classes=("township",))
    assert outstanding(units, first, sep, rep, date(2022, 10, 4), date(2022, 1, 1)) == ["b"]
    # on the due day b may still report; the day after it is missed, not outstanding
    assert outstanding(units, first, sep, rep, date(2022, 10, 5), date(2022, 1, 1)) == ["b"]
    assert outstanding(units, first, sep, rep, date(2022, 10, 6), date(2022, 1, 1)) == []
    # before the ledger's first report nobody owes anything
    assert outstanding(units, first, sep, rep, date(2022, 10, 4), None) == []


def test_due_rule_in_words():
    assert due_rule(WEEKLY) == "每周报送一次，下周星期一前（含当日）报送上周情况"
    assert due_rule(MONTHLY_NEXT) == "每月报送上月情况，次月5日前（含当日）报送"
    assert due_rule(MONTHLY_SAME) == "每月报送本月情况，当月25日前（含当日）报送"
    assert due_rule(HOLIDAYS).endswith("截止日逢节假日顺延至下一个工作日")


def test_stale_limits_shorter_than_the_cycle_are_named():
    limits = {Stage.STARTED: 15, Stage.SIGNED: 45}
    (warning,) = stale_warnings(MONTHLY_NEXT, limits)
    assert "开工" in warning and "15 天" in warning and "31 天" in warning
    assert stale_warnings(WEEKLY, limits) == []


# ---- ranking and alerts read the same calendar ----------------------------------------

UNITS = [
    UnitFact("t1", "甲镇", "township"),
    UnitFact("t2", "乙镇", "township"),
    UnitFact("l1", "张县长", "leader"),
]
MISSED = rules.Deduction(
    label="未按时报送", points=Decimal(1), event=rules.DeductionEvent.MISSED_REPORT
)
LATE = rules.Deduction(label="迟报", points=Decimal(1), event=rules.DeductionEvent.LATE_REPORT)


def policy(rep: Reporting) -> Policy:
    groups = {"township": "乡镇", "leader": "县领导"}
    return Policy(
        "p", "p", 2022, reporting=rep, ranking=Ranking(components=(MISSED, LATE), groups=groups)
    )


def ranked_slots(rep: Reporting, reports, since: date, period: Period, as_of: date):
    sf = ScoringFacts(Facts(units=UNITS), reports, since=since, as_of=as_of)
    out = {}
    for r in rank(policy(rep), sf, period):
        missed, late = (tuple(e.inputs["slot"].label_zh for e in c.why.parts) for c in r.components)
        out[r.unit.code] = (missed, late)
    return out


def test_leaders_exempt_and_summaries():
    rep = replace(WEEKLY, classes=("township",))
    reports = [ReportFact("t1", date(2022, 3, 14))]  # W10, on its due day
    rows = ranked_slots(rep, reports, date(2022, 3, 14), iso_week(2022, 10), date(2022, 3, 20))
    assert rows["t1"][0] == ()
    assert rows["t2"][0] == ("2022年第10周",)
    assert rows["l1"][0] == ()  # leaders report through their units
    found = alerts(
        policy(rep),
        AlertFacts(Facts(units=UNITS), reports, since=date(2022, 3, 14)),
        date(2022, 3, 14),
    )
    assert [a.units for a in found if a.rule is Rule.MISSED_REPORT] == [("t2",)]


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[Reporting, list[ReportFact], date]:
    rep = draw(
        st.sampled_from(
            [WEEKLY, replace(WEEKLY, due_weekday=3), MONTHLY_NEXT, MONTHLY_SAME, HOLIDAYS]
        )
    )
    start = date(2024, 6, 1)
    reports = []
    for _ in range(draw(st.integers(0, 30))):
        day = start + timedelta(days=draw(st.integers(0, 200)))
        unit = draw(st.sampled_from(["t1", "t2"]))
        kind = PeriodKind.MONTH if rep.cadence == "monthly" else PeriodKind.WEEK
        named = draw(st.sampled_from([None, period_containing(kind, day - timedelta(days=20))]))
        reports.append(ReportFact(unit, day, named))
    as_of = start + timedelta(days=draw(st.integers(20, 230)))
    return rep, reports, as_of


@settings(max_examples=150, deadline=None)
@given(ledgers())
def test_ranking_and_alerts_agree_on_missed_periods(ledger):
    """For any ledger and day D: the period an alert run on D is about is missed in the
    ranking read as of D exactly when the alerts say 至今未报."""
    rep, reports, as_of = ledger
    since = min((r.on for r in reports), default=None)
    if since is None or since > as_of:
        return
    found = alerts(policy(rep), AlertFacts(Facts(units=UNITS), reports, since=since), as_of)
    alerted = {a.units[0] for a in found if a.rule is Rule.MISSED_REPORT}
    current = due_period(as_of, rep)  # the period the alerts are about
    rows = ranked_slots(rep, reports, since, current, as_of)
    for unit in ("t1", "t2", "l1"):
        in_ranking = current.label_zh in rows[unit][0]
        assert in_ranking == (unit in alerted), (unit, current.label, rows[unit])
