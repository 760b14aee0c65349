"""The as-of replay, the reporting rhythm and every alert rule, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from zsyz.domain.alerts import AlertFacts, Level, Rule, alerts, expected_share
from zsyz.domain.facts import ActivityFact, ActivityKind, ProjectFact, Role, UnitFact
from zsyz.domain.history import FieldChange, project_as_of
from zsyz.domain.periods import iso_week, parse_period
from zsyz.domain.policy import Alerts, Policy, Reporting
from zsyz.domain.progress import Facts
from zsyz.domain.reporting import ReportFact, add_months, due_date, due_period, status
from zsyz.domain.stages import Stage
from zsyz.policy.load import parse_policy, preset_source

D = Decimal
WEEKLY = Reporting("weekly", due_weekday=1)
MONTHLY_SAME = Reporting("monthly", due_day=25)
MONTHLY_NEXT = Reporting("monthly", due_day=5, due_next_month=True)


# --- as-of replay -------------------------------------------------------------


def test_value_as_of_reads_latest_change_on_or_before_the_day():
    now = ProjectFact(
        "P",
        "P",
        Stage.STARTED,
        stage_dates={Stage.SIGNED: date(2022, 3, 1), Stage.STARTED: date(2022, 5, 10)},
        roles=((Role.SOURCING, "t002"),),
        fai=D(9000),
    )
    changes = [
        FieldChange("name", None, "P", date(2022, 2, 7)),
        FieldChange("stage", None, "negotiating", date(2022, 2, 7)),
        FieldChange("fai", None, "5000", date(2022, 2, 7)),
        FieldChange("roles:sourcing", None, "t001", date(2022, 2, 7)),
        FieldChange("stage", "negotiating", "signed", date(2022, 3, 7)),
        FieldChange("signed_on", None, "2022-03-01", date(2022, 3, 7)),
        FieldChange("fai", "5000", "9000", date(2022, 4, 4)),
        FieldChange("roles:sourcing", "t001", "t002", date(2022, 4, 4)),
        FieldChange("stage", "signed", "started", date(2022, 5, 16)),
        FieldChange("started_on", None, "2022-05-10", date(2022, 5, 16)),
    ]
    assert project_as_of(now, changes, date(2022, 2, 6)) is None  # not yet in the ledger
    feb = project_as_of(now, changes, date(2022, 2, 28))
    assert feb is not None
    assert (feb.stage, feb.fai, feb.stage_dates) == (Stage.NEGOTIATING, D(5000), {})
    assert feb.units(Role.SOURCING) == ("t001",) and feb.last_reported_on == date(2022, 2, 7)
    mar = project_as_of(now, changes, date(2022, 3, 31))
    assert mar is not None and mar.stage is Stage.SIGNED and mar.fai == D(5000)
    assert mar.stage_dates == {Stage.SIGNED: date(2022, 3, 1)}
    # started_on 5-10 was only reported on 5-16: not known on 5-12
    may = project_as_of(now, changes, date(2022, 5, 12))
    assert may is not None and may.stage is Stage.SIGNED and may.units() == ("t002",)
    assert project_as_of(now, changes, date(2022, 6, 1)) == replace(
        now, last_reported_on=date(2022, 5, 16)
    )


def test_without_history_dates_after_the_day_are_dropped():
    now = ProjectFact(
        "P",
        "P",
        Stage.STARTED,
        stage_dates={Stage.SIGNED: date(2022, 3, 1), Stage.STARTED: date(2022, 8, 1)},
        last_reported_on=date(2022, 8, 5),
    )
    then = project_as_of(now, [], date(2022, 6, 30))
    assert then is not None and then.stage is Stage.SIGNED
    assert then.stage_dates == {Stage.SIGNED: date(2022, 3, 1)} and then.last_reported_on is None
    dropped = ProjectFact("Q", "Q", Stage.DROPPED, stage_dates={Stage.DROPPED: date(2022, 9, 1)})
    assert project_as_of(dropped, [], date(2022, 8, 1)).stage is Stage.PLANNED  # type: ignore[union-attr]


# --- reporting rhythm ---------------------------------------------------------


@pytest.mark.parametrize(
    ("reporting", "period", "due"),
    [
        (WEEKLY, "2022-W10", date(2022, 3, 14)),  # Monday after the week
        (Reporting("weekly", due_weekday=5), "2022-W10", date(2022, 3, 18)),
        (MONTHLY_SAME, "2012-03", date(2012, 3, 25)),  # 001: before the 25th
        (MONTHLY_NEXT, "2022-03", date(2022, 4, 5)),
        (Reporting("monthly", due_day=31), "2022-02", date(2022, 2, 28)),
    ],
)
def test_due_dates(reporting, period, due):
    assert due_date(parse_period(period), reporting) == due


@pytest.mark.parametrize(
    ("reporting", "as_of", "period"),
    [
        (WEEKLY, date(2022, 3, 14), "2022-W10"),  # due today: last week's report
        (WEEKLY, date(2022, 3, 13), "2022-W09"),
        (WEEKLY, date(2022, 3, 20), "2022-W10"),
        (MONTHLY_SAME, date(2012, 3, 25), "2012-03"),
        (MONTHLY_SAME, date(2012, 3, 24), "2012-02"),
        (MONTHLY_NEXT, date(2022, 4, 5), "2022-03"),
        (MONTHLY_NEXT, date(2022, 4, 4), "2022-02"),
    ],
)
def test_due_period(reporting, as_of, period):
    assert due_period(as_of, reporting).label == period


W04 = iso_week(2022, 4)


def test_status_counts_missed_and_late_reports_this_year():
    reports = [
        ReportFact("u", date(2022, 1, 10)),  # W01, on its due day
        ReportFact("u", date(2022, 1, 24)),  # W03
        ReportFact("u", date(2022, 2, 2), W04),  # late: due 1-31, names its week
        ReportFact("u", date(2022, 2, 14)),  # W06, on its due day
        ReportFact("other", date(2022, 2, 7)),
    ]
    # duty starts with the first report: W52 of 2021, due 3 January, is nobody's to miss
    st = status("u", reports, WEEKLY, date(2022, 2, 7), since=date(2022, 1, 4))
    assert st.period.label == "2022-W05" and not st.reported
    assert st.missed_this_year == 3  # W02, W04 (late), W05
    assert not st.previous_missed  # W04 came in, late
    assert status("u", reports, WEEKLY, date(2022, 2, 14), date(2022, 1, 3)).reported
    # a report made after as-of does not count as of that day
    assert not status("u", reports, WEEKLY, date(2022, 2, 1), date(2022, 1, 3)).reported
    # before the ledger's first report nothing was due
    late_start = status("u", reports, WEEKLY, date(2022, 2, 7), since=date(2022, 1, 24))
    assert late_start.missed_this_year == 2


def test_add_months_clips_to_month_end():
    assert add_months(date(2022, 1, 31), 1) == date(2022, 2, 28)
    assert add_months(date(2022, 11, 15), 3) == date(2023, 2, 15)


# --- alert rules --------------------------------------------------------------

UNITS = [
    UnitFact("t001", "石佛寺镇", "township"),
    UnitFact("t002", "晁陂镇", "township"),
    UnitFact("l001", "张县长", "leader"),
]
POLICY = Policy(
    "p",
    "p",
    2022,
    reporting=WEEKLY,
    alerts=Alerts(
        stale_days={Stage.NEGOTIATING: 30, Stage.SIGNED: 20, Stage.STARTED: 15},
        monthly_leads=1,
        monthly_trips=1,
        activity_classes=("leader",),
    ),
)


def run(
    *projects: ProjectFact,
    as_of: date,
    policy: Policy = POLICY,
    reports=(),
    activities=(),
    since=None,
    rule=None,
):
    facts = AlertFacts(Facts(UNITS, projects, activities=activities), reports, since)
    found = alerts(policy, facts, as_of)
    return [a for a in found if rule is None or a.rule is rule]


def p(stage: Stage, **kw) -> ProjectFact:
    return ProjectFact("P1", "项目一", stage, roles=((Role.LANDING, "t001"),), **kw)


@pytest.mark.parametrize(
    ("stage", "days", "level"),
    [
        (Stage.NEGOTIATING, 29, None),
        (Stage.NEGOTIATING, 30, Level.YELLOW),
        (Stage.NEGOTIATING, 59, Level.YELLOW),
        (Stage.NEGOTIATING, 60, Level.RED),
        (Stage.SIGNED, 20, Level.YELLOW),
        (Stage.SIGNED, 40, Level.RED),
        (Stage.STARTED, 14, None),
        (Stage.STARTED, 15, Level.YELLOW),
        (Stage.STARTED, 30, Level.RED),
        (Stage.PRODUCING, 400, None),  # no threshold for the stage
        (Stage.DROPPED, 400, None),
    ],
)
def test_stale_project(stage, days, level):
    as_of = date(2022, 6, 30)
    last = date.fromordinal(as_of.toordinal() - days)
    found = run(p(stage, last_reported_on=last), as_of=as_of, rule=Rule.STALE_PROJECT)
    assert [a.level for a in found] == ([level] if level else [])
    if level:
        assert found[0].project == "P1" and found[0].unit_names == ("石佛寺镇",)
        assert f"{days} 天" in found[0].message and found[0].action


@pytest.mark.parametrize(
    ("signed", "stage", "level"),
    [
        (date(2022, 1, 1), Stage.SIGNED, None),  # 5 months
        (date(2021, 12, 30), Stage.SIGNED, Level.YELLOW),  # 6 months on 6-30
        (date(2021, 7, 1), Stage.SIGNED, Level.YELLOW),
        (date(2021, 6, 30), Stage.SIGNED, Level.RED),  # 12 months (red_factor 2)
        (date(2021, 6, 30), Stage.STARTED, None),
    ],
)
def test_signed_not_started(signed, stage, level):
    proj = p(stage, stage_dates={Stage.SIGNED: signed}, last_reported_on=date(2022, 6, 29))
    found = run(proj, as_of=date(2022, 6, 30), rule=Rule.SIGNED_NOT_STARTED)
    assert [a.level for a in found] == ([level] if level else [])


@pytest.mark.parametrize(
    ("planned", "stage", "level"),
    [
        (date(2022, 7, 1), Stage.SIGNED, None),  # next month
        (date(2022, 6, 28), Stage.SIGNED, Level.YELLOW),  # this month, still ahead
        (date(2022, 6, 1), Stage.NEGOTIATING, Level.YELLOW),
        (date(2022, 4, 1), Stage.SIGNED, Level.YELLOW),  # late, under three months
        (date(2022, 3, 30), Stage.SIGNED, Level.RED),  # three months late
        (date(2022, 3, 1), Stage.STARTED, None),
        (date(2022, 3, 1), Stage.DROPPED, None),
    ],
)
def test_planned_start(planned, stage, level):
    proj = p(stage, planned_start_on=planned, last_reported_on=date(2022, 6, 29))
    found = run(proj, as_of=date(2022, 6, 30), rule=Rule.START_LATE)
    assert [a.level for a in found] == ([level] if level else [])


def test_missed_report_yellow_then_red_and_count():
    reports = [ReportFact("t001", date(2022, 6, 20))]
    found = run(
        as_of=date(2022, 6, 27), reports=reports, since=date(2022, 6, 14), rule=Rule.MISSED_REPORT
    )
    by_unit = {a.unit_names[0]: a for a in found}
    assert set(by_unit) == {"石佛寺镇", "晁陂镇", "张县长"}
    assert by_unit["石佛寺镇"].level is Level.YELLOW and by_unit["石佛寺镇"].count == 1
    assert by_unit["晁陂镇"].level is Level.RED and by_unit["晁陂镇"].count == 2
    assert "2022年第25周" in by_unit["晁陂镇"].message
    reports.append(ReportFact("t001", date(2022, 6, 27)))
    found = run(
        as_of=date(2022, 6, 27), reports=reports, since=date(2022, 6, 14), rule=Rule.MISSED_REPORT
    )
    assert "石佛寺镇" not in {a.unit_names[0] for a in found}
    # no report in the ledger yet: the rule has nothing to measure against
    assert run(as_of=date(2022, 6, 27), rule=Rule.MISSED_REPORT) == []


def test_reporting_classes_limit_who_must_report():
    policy = replace(POLICY, reporting=replace(WEEKLY, classes=("leader",)))
    found = run(
        as_of=date(2022, 6, 27), policy=policy, since=date(2022, 1, 3), rule=Rule.MISSED_REPORT
    )
    assert [a.unit_names for a in found] == [("张县长",)]


def test_monthly_activity():
    acts = [
        ActivityFact("l001", date(2022, 5, 3), ActivityKind.LEAD),
        ActivityFact("l001", date(2022, 5, 20), ActivityKind.TRIP),
        ActivityFact("l001", date(2022, 6, 9), ActivityKind.LEAD),
    ]
    found = run(
        as_of=date(2022, 6, 30), activities=acts, since=date(2022, 5, 1), rule=Rule.MONTHLY_ACTIVITY
    )
    (a,) = found  # only leaders are bound by it in this policy
    assert a.level is Level.YELLOW and "外出招商" in a.message and "有效项目信息" not in a.message
    # mid-July looks at June, the last month that ended; July 31 at July → red (twice)
    assert (
        run(
            as_of=date(2022, 7, 15),
            activities=acts,
            since=date(2022, 5, 1),
            rule=Rule.MONTHLY_ACTIVITY,
        )[0].level
        is Level.YELLOW
    )
    july = run(
        as_of=date(2022, 7, 31), activities=acts, since=date(2022, 5, 1), rule=Rule.MONTHLY_ACTIVITY
    )
    assert july[0].level is Level.RED and july[0].count == 2
    acts.append(ActivityFact("l001", date(2022, 6, 30), ActivityKind.TRIP))
    assert (
        run(
            as_of=date(2022, 6, 30),
            activities=acts,
            since=date(2022, 5, 1),
            rule=Rule.MONTHLY_ACTIVITY,
        )
        == []
    )


ZP = parse_policy(preset_source("zhenping-2020").text, "zhenping-2020")


@pytest.mark.parametrize(
    ("as_of", "fai", "level"),
    [
        (date(2020, 2, 5), None, None),  # 36/366 = 9.8% expected, 9.8 points behind
        (date(2020, 2, 6), None, Level.YELLOW),  # 10.1 points
        (date(2020, 4, 18), None, Level.YELLOW),  # 29.8 points
        (date(2020, 4, 20), None, Level.RED),  # 30.3 points
        (date(2020, 7, 31), D(3000), None),  # half done (one of two ≥3000万): 8.2 points
        (date(2020, 9, 30), D(3000), Level.YELLOW),  # 24.9 points
        (date(2020, 12, 31), D(6000), None),  # complete
    ],
)
def test_behind_time_proportional_target(as_of, fai, level):
    units = [UnitFact("t001", "石佛寺镇", "township")]
    projects = []
    if fai is not None:
        projects.append(
            ProjectFact(
                "P1",
                "项目一",
                Stage.SIGNED,
                stage_dates={Stage.SIGNED: date(2020, 3, 1)},
                roles=((Role.SOURCING, "t001"),),
                fai=fai,
                category="制造业",
                last_reported_on=as_of,
            )
        )
    facts = AlertFacts(Facts(units, projects), (), None)
    found = [a for a in alerts(ZP, facts, as_of) if a.rule is Rule.BEHIND_SCHEDULE]
    assert [a.level for a in found] == ([level] if level else [])
    if level:
        assert found[0].unit_names == ("石佛寺镇",) and "序时进度" in found[0].message


@pytest.mark.parametrize(
    ("as_of", "required", "count", "share"),
    [
        (date(2022, 11, 30), D(1), True, D(0)),  # one project: due by December
        (date(2022, 12, 31), D(1), True, D(1)),
        (date(2022, 6, 30), D(2), True, D("0.5")),
        (date(2022, 6, 29), D(2), True, D(0)),  # June not over: five months planned
        (date(2022, 3, 31), D(1200), False, D("0.25")),
        (date(2022, 3, 30), D(1200), False, D(200) / D(1200)),
    ],
)
def test_monthly_plan_counts_back_from_the_year(as_of, required, count, share):
    assert expected_share(as_of, 2022, "monthly_plan", required, count) == share


def test_monthly_plan_policy_uses_the_plan():
    panan = parse_policy(preset_source("panan-2022").text, "panan-2022")
    from zsyz.domain.facts import ExplicitTarget

    units = [UnitFact("t001", "安文街道", "township")]
    target = ExplicitTarget("t001", 2022, "started", D(2), {"min_total": "30000", "category": "*"})
    facts = AlertFacts(Facts(units, [], explicit=[target]), (), None)
    may = [a for a in alerts(panan, facts, date(2022, 5, 31)) if a.rule is Rule.BEHIND_SCHEDULE]
    assert may == []  # plan: floor(2 × 5/12) = 0 projects by May
    june = [a for a in alerts(panan, facts, date(2022, 6, 30)) if a.rule is Rule.BEHIND_SCHEDULE]
    assert [a.level for a in june] == [Level.RED] and "月度计划" in june[0].message


@pytest.mark.parametrize(
    ("stage", "fai", "level"),
    [
        (Stage.NEGOTIATING, D(2000), Level.YELLOW),  # 200万/亩 before 研判
        (Stage.ADMITTED, D(2000), Level.RED),  # admitted below the line
        (Stage.SIGNED, D(2000), Level.RED),
        (Stage.STARTED, D(2000), None),  # already built: nothing to decide
        (Stage.NEGOTIATING, D(2600), None),
    ],
)
def test_admission_alert(stage, fai, level):
    proj = p(
        stage,
        category="制造业",
        fai=fai,
        land_area=D(10),
        expected_tax=D(200),
        last_reported_on=date(2020, 6, 29),
    )
    found = run(proj, as_of=date(2020, 6, 30), policy=ZP, rule=Rule.ADMISSION)
    assert [a.level for a in found] == ([level] if level else [])


def test_alerts_sorted_red_first():
    projects = [
        p(Stage.SIGNED, last_reported_on=date(2022, 6, 5)),  # 25 days: yellow
        replace(p(Stage.STARTED, last_reported_on=date(2022, 5, 1)), code="P2"),  # red
    ]
    found = run(*projects, as_of=date(2022, 6, 30))
    assert [a.level for a in found] == [Level.RED, Level.YELLOW]
