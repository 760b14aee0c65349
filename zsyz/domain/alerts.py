"""Early warning (003 智控系统 实时预警; 000 每月1个项目信息、1次外出招商).

Pure: (policy, facts as of a date, reports, as-of) → alerts. The facts must already be
as the ledger knew them on that date (`domain.history.project_as_of`, reports and
activities dated on or before it), so an alert run for a past date gives the answer it
would have given then. Thresholds come from the policy's `[alerts]` and `[reporting]`.

Our defaults, where no document speaks (README says so too): a missed report or a month
without activities is yellow, red when the period before was missed as well; "signed
but not started" turns red at `red_factor` × its months, like staleness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from zsyz.domain import admission as adm
from zsyz.domain.facts import ActivityKind, ProjectFact, Role, UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import Period, PeriodKind, period_containing
from zsyz.domain.points import idle_beyond, signed_overdue
from zsyz.domain.policy import Policy
from zsyz.domain.progress import Facts, TargetProgress, progress
from zsyz.domain.reporting import (
    ReportFact,
    ReportStatus,
    add_months,
    due_date,
    must_report,
    owed,
    statuses,
)
from zsyz.domain.stages import Stage


class Level(StrEnum):
    YELLOW = "yellow"
    RED = "red"

    @property
    def rank(self) -> int:
        return 2 if self is Level.RED else 1

    @property
    def label(self) -> str:
        return "红色" if self is Level.RED else "黄色"


class Rule(StrEnum):
    MISSED_REPORT = "missed_report"
    STALE_PROJECT = "stale_project"
    SIGNED_NOT_STARTED = "signed_not_started"
    START_LATE = "start_late"
    BEHIND_SCHEDULE = "behind_schedule"
    MONTHLY_ACTIVITY = "monthly_activity"
    ADMISSION = "admission"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS: dict[Rule, str] = {
    Rule.MISSED_REPORT: "未按时报送",
    Rule.STALE_PROJECT: "项目长期未更新",
    Rule.SIGNED_NOT_STARTED: "签约未开工",
    Rule.START_LATE: "计划开工未开工",
    Rule.BEHIND_SCHEDULE: "落后序时进度",
    Rule.MONTHLY_ACTIVITY: "当月无项目信息或外出招商",
    Rule.ADMISSION: "低于准入强度",
}


@dataclass(frozen=True)
class Alert:
    rule: Rule
    level: Level
    units: tuple[str, ...]  # codes of the responsible units
    unit_names: tuple[str, ...]
    message: str  # what is wrong
    action: str  # what to do
    project: str | None = None
    project_name: str | None = None
    count: int | None = None  # e.g. reports missed this year


@dataclass(frozen=True)
class AlertFacts:
    ledger: Facts  # units, projects (as of), observations, activities, explicit targets
    reports: Sequence[ReportFact] = ()
    since: date | None = None  # the ledger's first report: reporting duty starts then
    # `statuses(…, reports, …)` already counted by the store (store/aggregate.py), by unit
    # code: then `reports` is not read
    report_statuses: Mapping[str, ReportStatus] | None = None
    activities_since: date | None = None  # its first report or activity


def _d(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def alerts(policy: Policy, facts: AlertFacts, as_of: date) -> list[Alert]:
    """Every alert as of `as_of`, red first."""
    names = {u.code: u.name for u in facts.ledger.units}
    out: list[Alert] = []
    out += missed_reports(policy, facts, as_of)
    for p in facts.ledger.projects:
        out += project_alerts(policy, p, as_of, names)
    out += behind_schedule(policy, facts.ledger, as_of)
    out += monthly_activity(policy, facts, as_of)
    order = list(Rule)
    return sorted(
        out,
        key=lambda a: (-a.level.rank, order.index(a.rule), a.unit_names, a.project or ""),
    )


def _active(units: Sequence[UnitFact], day: date) -> list[UnitFact]:
    return [u for u in units if u.active_on(day)]


def missed_reports(policy: Policy, facts: AlertFacts, as_of: date) -> list[Alert]:
    rep = policy.reporting
    if facts.since is None or facts.since > as_of:
        return []
    out = []
    weekly = rep.cadence != "monthly"
    duty = [u for u in _active(facts.ledger.units, as_of) if must_report(u.unit_class, rep)]
    found = facts.report_statuses
    if found is None:
        found = statuses((u.code for u in duty), facts.reports, rep, as_of, facts.since)
    for u in duty:
        st = found[u.code]
        if st.reported or not owed(st.period, facts.since, rep):
            continue
        what = "周报" if weekly else "月报"
        due = due_date(st.period, rep)
        out.append(
            Alert(
                Rule.MISSED_REPORT,
                Level.RED if st.previous_missed else Level.YELLOW,
                (u.code,),
                (u.name,),
                f"{st.period.label_zh}{what}应于{_d(due)}前报送，至今未报"
                + ("（上期也未报）" if st.previous_missed else "")
                + f"；本年累计未按时报送 {st.missed_this_year} 次",
                f"督促{u.name}立即报送{what}，收到后用 zsyz import 导入",
                count=st.missed_this_year,
            )
        )
    return out


def responsible(p: ProjectFact) -> tuple[str, ...]:
    """The units answerable for a project: landing and sourcing, else any attached."""
    codes = p.units(Role.LANDING, Role.SOURCING) or p.units()
    return tuple(dict.fromkeys(codes))


def project_alerts(
    policy: Policy, p: ProjectFact, as_of: date, names: dict[str, str]
) -> list[Alert]:
    if p.stage is Stage.DROPPED:
        return []
    units = responsible(p)
    shown = tuple(names.get(c, c) for c in units)
    found: list[tuple[Rule, Level, str, str]] = []
    cfg = policy.alerts
    # stale: no update for N days at this stage (yellow), red_factor × N (red)
    limit = cfg.stale_days.get(p.stage)
    last = p.last_reported_on or p.stage_dates.get(p.stage)
    if limit is not None and last is not None:
        days = idle_beyond(last, as_of, limit)
        if days is not None:
            red = idle_beyond(last, as_of, limit * cfg.red_factor) is not None
            found.append(
                (
                    Rule.STALE_PROJECT,
                    Level.RED if red else Level.YELLOW,
                    f"{p.stage.label}阶段已 {days} 天未更新进展（最近 {last.isoformat()}，"
                    f"要求 {limit} 天内更新）",
                    "在下一期周报中更新该项目进展；已停滞的请说明原因或报终止",
                )
            )
    months = cfg.signed_not_started_months
    signed = signed_overdue(p, p.stage, as_of, months)
    if signed is not None:
        red_months = int(months * cfg.red_factor)
        red = signed_overdue(p, p.stage, as_of, red_months) is not None
        found.append(
            (
                Rule.SIGNED_NOT_STARTED,
                Level.RED if red else Level.YELLOW,
                f"{signed.isoformat()} 签约，已超过 {red_months if red else months} 个月未开工",
                "查明未开工原因，协调要素保障，限时推动开工",
            )
        )
    planned = p.planned_start_on
    due = planned is not None and (planned.year, planned.month) <= (as_of.year, as_of.month)
    if planned is not None and due and not p.stage.at_least(Stage.STARTED):
        late = add_months(planned, cfg.start_late_red_months) <= as_of
        when = "本月" if (planned.year, planned.month) == (as_of.year, as_of.month) else ""
        found.append(
            (
                Rule.START_LATE,
                Level.RED if late else Level.YELLOW,
                f"计划{when} {planned.isoformat()} 开工，至今未开工"
                + (f"（已逾期 {cfg.start_late_red_months} 个月以上）" if late else ""),
                "核实开工条件，确保按计划开工；确需调整的报送新的计划开工时间",
            )
        )
    found += _admission(policy, p)
    return [
        Alert(rule, level, units, shown, msg, action, p.code, p.name)
        for rule, level, msg, action in found
    ]


def _admission(policy: Policy, p: ProjectFact) -> list[tuple[Rule, Level, str, str]]:
    """000's admission thresholds, for projects not yet under construction: yellow ahead
    of 研判, red once admitted below the line."""
    if policy.admission is None or p.stage.at_least(Stage.STARTED):
        return []
    result = adm.check(p, policy.admission)
    if not result.flags:
        return []
    admitted = p.stage.at_least(policy.admission.stage)
    return [
        (
            Rule.ADMISSION,
            Level.RED if admitted else Level.YELLOW,
            "；".join(result.flags),
            "已研判通过，请复核准入条件" if admitted else "研判时重点审查投资强度与亩均效益",
        )
    ]


def expected_share(
    as_of: date, year: int, schedule: str, required: Decimal, count: bool
) -> Decimal:
    """How much of the year's target should be done by `as_of` (0..1)."""
    if schedule == "monthly_plan":
        month_end = period_containing(PeriodKind.MONTH, as_of).end
        months = as_of.month if as_of == month_end else as_of.month - 1
        plan = required * months / 12
        if count:
            plan = plan.to_integral_value(rounding=ROUND_FLOOR)
        return plan / required
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Decimal((as_of - start).days + 1) / Decimal((end - start).days + 1)


def behind_schedule(policy: Policy, facts: Facts, as_of: date) -> list[Alert]:
    cfg = policy.alerts
    out = []
    for row in progress(policy, facts, as_of.year, as_of):
        for t in row.targets:
            if t.complete or t.required <= 0:
                continue
            share = expected_share(as_of, as_of.year, cfg.schedule, t.required, _is_count(t))
            behind = ((share - min(t.ratio, Decimal(1))) * 100).quantize(Decimal("0.1"))
            if behind < cfg.behind_yellow:
                continue
            red = behind > cfg.behind_red
            basis = "月度计划" if cfg.schedule == "monthly_plan" else "序时进度"
            out.append(
                Alert(
                    Rule.BEHIND_SCHEDULE,
                    Level.RED if red else Level.YELLOW,
                    (row.unit.code,),
                    (row.unit.name,),
                    f"「{t.label}」{basis}应完成 {_num((share * 100).quantize(Decimal('0.1')))}%，"
                    f"实际 {_num((t.ratio * 100).quantize(Decimal('0.1')))}%，"
                    f"落后 {_num(behind)} 个百分点",
                    "对照年度目标倒排计划，加快项目招引与落地",
                )
            )
    return out


def _is_count(t: TargetProgress) -> bool:
    try:
        return not Metric(t.metric).is_amount
    except ValueError:
        return False


def _short(facts: AlertFacts, unit: str, month: Period, need: dict[ActivityKind, int]) -> list[str]:
    have = {k: 0 for k in need}
    for a in facts.ledger.activities:
        if a.unit == unit and month.contains(a.on) and a.kind in have:
            have[a.kind] += 1
    return [k.value for k, n in need.items() if have[k] < n]


def monthly_activity(policy: Policy, facts: AlertFacts, as_of: date) -> list[Alert]:
    """000: each leader and unit head, every month, ≥1 project lead and ≥1 trip."""
    cfg = policy.alerts
    need = {
        k: n
        for k, n in ((ActivityKind.LEAD, cfg.monthly_leads), (ActivityKind.TRIP, cfg.monthly_trips))
        if n > 0
    }
    since = facts.activities_since or facts.since
    if not need or since is None:
        return []
    month = period_containing(PeriodKind.MONTH, as_of)
    if month.end != as_of:
        month = month.previous()  # the latest month that has ended
    if month.end < since:
        return []
    words = {
        "lead": f"有效项目信息（每月{cfg.monthly_leads}个）",
        "trip": f"外出招商（每月{cfg.monthly_trips}次）",
    }
    out = []
    for u in _active(facts.ledger.units, month.end):
        if cfg.activity_classes and u.unit_class not in cfg.activity_classes:
            continue
        short = _short(facts, u.code, month, need)
        if not short:
            continue
        prev = month.previous()
        again = prev.end >= since and bool(_short(facts, u.code, prev, need))
        count = 0
        m = period_containing(PeriodKind.MONTH, max(since, date(as_of.year, 1, 1)))
        while m.start <= month.start:
            count += bool(_short(facts, u.code, m, need))
            m = m.next()
        out.append(
            Alert(
                Rule.MONTHLY_ACTIVITY,
                Level.RED if again else Level.YELLOW,
                (u.code,),
                (u.name,),
                f"{month.label_zh}未登记{'、'.join(words[k] for k in short)}"
                + ("（上月也未完成）" if again else "")
                + f"；本年 {count} 个月未完成",
                "登记本月对接的项目信息和外出招商活动（zsyz activities add）",
                count=count,
            )
        )
    return out
