"""Each form of the policy language, table-driven, numbers worked by hand (no database).

Forms: bands (bounds strict or inclusive at each end), amount metrics over projects,
targets with their own points and cap, shortfall, shared ceilings, base minus
per-event deductions, hand-recorded adjustments; and "a task by meaning".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from zsyz.domain import rules as r
from zsyz.domain.credit import passes
from zsyz.domain.facts import AdjustmentFact, ExplicitTarget, ProjectFact, Role, UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import parse_period
from zsyz.domain.policy import Filters, Policy, Ranking, UnitClass
from zsyz.domain.progress import Facts
from zsyz.domain.ranking import ScoringFacts, rank
from zsyz.domain.stages import Stage
from zsyz.domain.tasks import covers
from zsyz.domain.terms import Op

Y = 2024
U = UnitFact("u", "甲镇", "township")
V = UnitFact("v", "乙镇", "township")


def project(code: str, total: float | None = None, fai: float | None = None, **kw: object):
    signed = kw.pop("signed", date(Y, 3, 1))
    started = kw.pop("started", None)
    dates = {Stage.SIGNED: signed, **({Stage.STARTED: started} if started else {})}
    unit = kw.pop("unit", "u")
    return ProjectFact(
        code=code,
        name=code,
        stage=Stage.STARTED if started else Stage.SIGNED,
        stage_dates=dates,  # type: ignore[arg-type]
        roles=((Role.SOURCING, str(unit)),),
        total_investment=None if total is None else D(str(total)),
        fai=None if fai is None else D(str(fai)),
        **kw,  # type: ignore[arg-type]
    )


def policy(*components: r.Component) -> Policy:
    return Policy(
        name="t",
        title="t",
        year=Y,
        classes={"township": UnitClass("township", "乡镇")},
        ranking=Ranking(components=components, groups={"township": "乡镇"}),
    )


def points(p: Policy, *projects: ProjectFact, **kw: object) -> list[D]:
    """Each component's points for unit u over the year."""
    explicit = kw.pop("explicit", ())
    facts = Facts(units=[U, V], projects=list(projects), explicit=list(explicit))  # type: ignore[arg-type]
    sf = ScoringFacts(facts, **kw)  # type: ignore[arg-type]
    row = next(x for x in rank(p, sf, parse_period(str(Y))) if x.unit.code == "u")
    return [c.points for c in row.components]


# ---- bands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "strict", "max_inclusive", "inside"),
    [
        (30000, False, False, True),  # 3亿 at the lower bound, inclusive
        (30000, True, False, False),  # … strict: must exceed 3亿
        (99999, False, False, True),
        (100000, False, False, False),  # 10亿 at the upper bound, exclusive: next band
        (100000, False, True, True),  # … inclusive
        (100001, False, True, False),
        (None, False, False, False),  # no amount: not in any band
    ],
)
def test_band_bounds(total, strict, max_inclusive, inside):
    band = Filters(
        min_total=D(30000), max_total=D(100000), strict=strict, max_inclusive=max_inclusive
    )
    assert passes(project("p", total), band) is inside


def test_band_on_fai_and_its_words():
    band = Filters(min_fai=D(5000), max_fai=D(10000))
    assert passes(project("p", fai=5000), band) and not passes(project("p", fai=10000), band)
    assert band.conditions() == ["固投≥5000万", "固投<10000万"]


# ---- amount metrics over projects ------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (Metric.SIGNED_TOTAL, D(50000)),  # 30000 + 20000 signed this year (not last year's)
        (Metric.SIGNED_FAI, D(25000)),  # 15000 + 10000
        (Metric.STARTED_TOTAL, D(30000)),  # only A started
        (Metric.STARTED_FAI, D(15000)),
    ],
)
def test_amount_metrics_sum_projects_reaching_the_stage(metric, expected):
    a = project("A", 30000, 15000, started=date(Y, 6, 1))
    b = project("B", 20000, 10000)
    old = project("C", 90000, 90000, signed=date(Y - 1, 5, 1))
    target = r.TargetScore(label="金额", metric=metric, required=D(100000), points=D(10))
    # points = expected / 100000 × 10
    assert points(policy(target), a, b, old) == [expected / D(10000)]


# ---- targets with their own points and cap ---------------------------------------------


@pytest.mark.parametrize(
    ("signed", "cap", "expected"),
    [
        (3, D("1.2"), D("0.3")),  # 3/5 × 0.5
        (6, D("1.2"), D("0.6")),  # 120% × 0.5
        (9, D("1.2"), D("0.6")),  # 180% capped at 120%
        (9, D(1), D("0.5")),  # capped at 100%
        (9, None, D("0.9")),  # no cap
    ],
)
def test_target_with_own_points_and_cap(signed, cap, expected):
    target = r.TargetScore(
        label="签约", metric=Metric.SIGNED, required=D(5), points=D("0.5"), cap=cap
    )
    projects = [project(f"P{i}", 1000) for i in range(signed)]
    assert points(policy(target), *projects) == [expected]


def test_target_without_value_reads_the_units_own_task_by_meaning():
    rule = Filters(min_total=D(70000), categories=("制造业", "工业"))
    target = r.TargetScore(label="7亿制造业", metric=Metric.STARTED, filters=rule, points=D(20))
    big = project("M", 75000, category="制造业", started=date(Y, 5, 1))
    # the task was set as `targets set --category 制造业 --min-total 70000 --value 2`
    task = ExplicitTarget("u", Y, "started", D(2), {"min_total": 70000, "category": "制造业"})
    assert points(policy(target), big, explicit=[task]) == [D(10)]  # 1/2 × 20
    # without a task: no points (and the detail says so)
    assert points(policy(target), big) == [D(0)]


# ---- shortfall ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("have", "floor", "expected"),
    [
        (7, True, D("0.5")),  # none missing
        (5, True, D("0.3")),  # 2 missing: 0.5 − 0.2
        (0, True, D(0)),  # 7 missing: 0.5 − 0.7 floored at 0
        (0, False, D("-0.2")),  # … not floored
        (9, True, D("0.5")),  # more than required: no bonus
    ],
)
def test_shortfall_base_minus_per_missing(have, floor, expected):
    need = r.Requirement(Metric.SIGNED, D(7), Filters(min_total=D(30000), max_total=D(100000)))
    rule = r.Shortfall(
        label="3–10亿", require=(need,), base=D("0.5"), per_missing=D("0.1"), floor=floor
    )
    projects = [project(f"P{i}", 50000) for i in range(have)] + [project("small", 1000)]
    assert points(policy(rule), *projects) == [expected]


def test_shortfall_over_several_bands_adds_what_each_misses():
    bands = (
        r.Requirement(Metric.SIGNED, D(2), Filters(min_total=D(30000), max_total=D(100000))),
        r.Requirement(Metric.SIGNED, D(1), Filters(min_total=D(100000))),
    )
    rule = r.Shortfall(label="分档", require=bands, base=D("0.5"), per_missing=D("0.1"))
    # 1 of 2 in the first band (2.9999亿 is below it), 0 of 1 in the second: 2 missing
    assert points(policy(rule), project("A", 30000), project("B", 29999)) == [D("0.3")]
    # 9.9999亿 is in the first band (its top is exclusive), 10亿 in the second
    assert points(policy(rule), project("A", 30000), project("B", 99999)) == [D("0.4")]
    assert points(policy(rule), project("A", 30000), project("B", 100000)) == [D("0.4")]


# ---- shared ceilings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ({"奖补": 0, "重点": 1, "现场": 1}, D("0.3")),  # 0.2 + 0.1
        ({"奖补": 0, "重点": 2, "现场": 1}, D("0.5")),  # 0.4 + 0.1 = 0.5, at the cap
        ({"奖补": 2, "重点": 2, "现场": 2}, D("0.5")),  # 0.4 + 0.4 + 0.2 = 1.0 → 0.5
    ],
)
def test_ceiling_caps_items_together(kinds, expected):
    items = tuple(
        r.Bonus(label=k, metric=Metric.SIGNED, filters=Filters(levels=(k,)), points=pts)
        for k, pts in (("奖补", D("0.2")), ("重点", D("0.2")), ("现场", D("0.1")))
    )
    ceiling = r.Ceiling(label="三项", cap=D("0.5"), parts=items)
    projects = [project(f"{k}{i}", 100, level=k) for k, n in kinds.items() for i in range(n)]
    assert points(policy(ceiling), *projects) == [expected]


# ---- base minus per-event deductions ----------------------------------------------------


@pytest.mark.parametrize(
    ("signed_on", "base", "floor", "expected"),
    [
        (date(Y, 3, 1), D("0.5"), True, D("0.4")),  # 10 months unstarted: 0.5 − 0.1
        (date(Y, 9, 1), D("0.5"), True, D("0.5")),  # 4 months: within the 6-month limit
        (date(Y, 3, 1), D(0), True, D("-0.1")),  # no base: a plain deduction
    ],
)
def test_signed_not_started_past_the_limit(signed_on, base, floor, expected):
    rule = r.Deduction(
        label="超时限未开工",
        event=r.DeductionEvent.SIGNED_NOT_STARTED,
        points=D("0.1"),
        base=base,
        floor=floor,
    )
    started = project("S", 1000, signed=date(Y, 2, 1), started=date(Y, 4, 1))
    assert points(policy(rule), project("L", 1000, signed=signed_on), started) == [expected]


def test_base_minus_deductions_floored_at_zero():
    rule = r.Deduction(
        label="未开工", event=r.DeductionEvent.SIGNED_NOT_STARTED, points=D("0.3"), base=D("0.5")
    )
    late = [project(f"L{i}", 1000, signed=date(Y, 1, 10)) for i in range(3)]
    assert points(policy(rule), *late) == [D(0)]  # 0.5 − 0.9 floored
    assert points(policy(replace(rule, floor=False)), *late) == [D("-0.4")]


def test_stale_projects_from_base():
    rule = r.Deduction(label="未更新", event=r.DeductionEvent.STALE_PROJECT, points=D(1), base=D(5))
    p = replace(
        policy(rule),
        alerts=replace(Policy(name="x", title="x", year=Y).alerts, stale_days={Stage.SIGNED: 30}),
    )
    stale = project("S", 1000, signed=date(Y, 2, 1))
    seen = {"S": [date(Y, 2, 1)]}  # never reported again: stale at year end
    assert points(p, stale, seen=seen) == [D(4)]


# ---- hand-recorded adjustments ---------------------------------------------------------


def test_adjustments_count_with_their_reason_and_cap():
    adj = (
        AdjustmentFact(1, "u", Y, D("-0.2"), "弄虚作假", "市考核办〔2024〕3号"),
        AdjustmentFact(2, "u", Y, D("-0.2"), "弄虚作假"),
        AdjustmentFact(3, "u", Y - 1, D(-5), "去年的，不计"),
        AdjustmentFact(4, "v", Y, D(1), "别的单位"),
    )
    facts = Facts(units=[U, V])
    p = policy(r.Adjustment(label="手工", cap=D("0.3")))
    row = next(
        x
        for x in rank(p, ScoringFacts(facts, adjustments=adj), parse_period(str(Y)))
        if x.unit.code == "u"
    )
    (comp,) = row.components
    assert comp.points == D("-0.3")  # −0.4 capped at 0.3
    assert comp.why.op is Op.ADJUSTMENT and comp.why.inputs["cap_hit"] == D("0.3")
    assert [a.id for a in comp.why.inputs["adjustments"]] == [1, 2]


def test_adjustments_never_ignored_when_the_policy_names_no_component():
    p = policy(r.Bonus(label="加分", metric=Metric.SIGNED, points=D(1)))
    adj = (AdjustmentFact(1, "u", Y, D("-0.2"), "被通报批评"),)
    assert points(p, project("A", 100), adjustments=adj) == [D(1), D("-0.2")]
    assert points(p, project("A", 100)) == [D(1)]  # none recorded: no extra component


# ---- a task by meaning -------------------------------------------------------------------


RULE = Filters(min_total=D(70000), categories=("制造业", "工业"))


@pytest.mark.parametrize(
    ("task", "same"),
    [
        (Filters(min_total=D(70000), categories=("制造业",)), True),  # inside the rule's
        (Filters(min_total=D("70000.0"), categories=("工业", "制造业")), True),
        (Filters(min_total=D(70000), categories=("制 造 业",)), True),  # spacing
        (Filters(min_total=D(70000)), False),  # any category: broader than the rule
        (Filters(min_total=D(70000), categories=("文旅",)), False),
        (Filters(min_total=D(30000), categories=("制造业",)), False),  # another threshold
        (Filters(min_fai=D(70000), categories=("制造业",)), False),  # another amount
        (Filters(min_total=D(70000), strict=True, categories=("制造业",)), False),
    ],
)
def test_task_covered_by_meaning(task, same):
    assert covers(RULE, task) is same


def test_any_category_rule_takes_any_named_category():
    rule = Filters(min_total=D(30000), categories=("*",))
    assert covers(rule, Filters(min_total=D(30000), categories=("文旅",)))
    assert not covers(rule, Filters(min_total=D(30000)))


# ---- targets scored by steps, and over-completion points ------------------------------

STEPS = (r.Step(D(1), D(100)), r.Step(D("0.8"), D(75)), r.Step(D("0.5"), D(50)))


@pytest.mark.parametrize(
    ("signed", "expected"),
    [
        (10, D(100)),  # 100%: the full step
        (12, D(100)),  # above: still the top step
        (8, D(75)),  # 80%
        (7, D(50)),  # 70%: the 50% step
        (4, D(0)),  # 40%: below every step
    ],
)
def test_target_scored_by_steps(signed, expected):
    """完成任务得100分；80%以上75分；50%以上50分；50%以下不得分."""
    target = r.TargetScore(label="招商任务", metric=Metric.SIGNED, required=D(10), steps=STEPS)
    assert points(policy(target), *[project(f"P{i}", 100) for i in range(signed)]) == [expected]


@pytest.mark.parametrize(
    ("signed", "expected"),
    [
        (8, D(64)),  # 80% × 80, nothing over
        (10, D(80)),  # 100% × 80
        (11, D("83")),  # 80 + 10 points over × 0.3
        (20, D(90)),  # 80 + 100 × 0.3 = 110, the extra capped at 10
    ],
)
def test_over_completion_points_per_percentage_point(signed, expected):
    """80 分按完成率；超额完成的每超 1 个百分点加 0.3 分，最多加 10 分."""
    target = r.TargetScore(
        label="到位",
        metric=Metric.SIGNED,
        required=D(10),
        points=D(80),
        over_points=D("0.3"),
        over_cap=D(10),
    )
    assert points(policy(target), *[project(f"P{i}", 100) for i in range(signed)]) == [expected]


def test_target_reads_a_growth_task_by_meaning():
    """A unit's task '比上年增长 10%': last year 10 signed, so 11 this year is 100%."""
    from zsyz.domain.policy import TargetRule

    rule = TargetRule(label="签约增长10%", metric=Metric.SIGNED, growth=D(10))
    p = policy(r.TargetScore(label="签约", metric=Metric.SIGNED, points=D(10)))
    p = replace(p, classes={"township": UnitClass("township", "乡镇", targets=(rule,))})
    last = [project(f"L{i}", 100, signed=date(Y - 1, 5, 1)) for i in range(10)]
    now = [project(f"N{i}", 100) for i in range(11)]
    assert points(p, *last, *now) == [D(10)]


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ([25000], D("0.4")),  # 2.5亿: 2 whole 亿 × 0.2
        ([9999], D(0)),  # below one 亿
        ([60000, 60000], D("2.4")),  # 12亿 × 0.2
        ([300000], D(3)),  # 30亿 × 0.2 = 6, capped at 3
    ],
)
def test_bonus_per_amount(totals, expected):
    """每 1 亿元签约额加 0.2 分，最多 3 分."""
    bonus = r.Bonus(
        label="签约额", metric=Metric.SIGNED_TOTAL, points=D("0.2"), per=D(10000), cap=D(3)
    )
    projects = [project(f"P{i}", t) for i, t in enumerate(totals)]
    assert points(policy(bonus), *projects) == [expected]


# ---- an item scored by the efficacy coefficient within the group ----------------------


def test_efficacy_item_within_the_group():
    """最大的计100分，最小的计60分，其余 (v−min)/(max−min)×40+60；该项 30 分按比例."""
    w = UnitFact("w", "丙镇", "township")
    item = r.Efficacy(label="签约额", metric=Metric.SIGNED_TOTAL, points=D(30))
    bonus = r.Bonus(label="加分", metric=Metric.SIGNED, points=D(1))
    projects = [project("U", 10, unit="u"), project("V", 20, unit="v"), project("W", 50, unit="w")]
    facts = Facts(units=[U, V, w], projects=projects)
    rows = {
        x.unit.code: x for x in rank(policy(item, bonus), ScoringFacts(facts), parse_period(str(Y)))
    }
    # v: 10 → 60, 20 → 70, 50 → 100; × 30/100 = 18, 21, 30; plus 1 point each
    assert {k: [c.points for c in x.components] for k, x in rows.items()} == {
        "u": [D(18), D(1)],
        "v": [D(21), D(1)],
        "w": [D(30), D(1)],
    }
    assert rows["w"].score == 31 and rows["w"].rank == 1
    why = rows["v"].components[0].why
    assert why.op is Op.EFFICACY_ITEM and why.result == D(21)
    got = {k: why.inputs[k] for k in ("value", "lo", "hi", "scaled", "full")}
    assert got == {"value": 20, "lo": 10, "hi": 50, "scaled": 70, "full": 100}


def test_efficacy_item_all_equal_takes_the_top():
    item = r.Efficacy(label="签约额", metric=Metric.SIGNED_TOTAL, points=D(30))
    assert points(policy(item)) == [D(30)]  # nobody signed: no spread, all at 100


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        # u 50, v 20, w 20: u first 10; v and w share 2nd: 10 − 1 × 4 = 6
        ({"u": 50, "v": 20, "w": 20}, {"u": D(10), "v": D(6), "w": D(6)}),
        # u last of three (3rd): 10 − 2 × 4 = 2
        ({"u": 10, "v": 20, "w": 30}, {"u": D(2), "v": D(6), "w": D(10)}),
    ],
)
def test_points_by_place_within_the_group(totals, expected):
    """组内第 1 名 10 分，每降 1 名减 4 分，最低 0 分."""
    w = UnitFact("w", "丙镇", "township")
    item = r.RankPoints(label="签约额名次", metric=Metric.SIGNED_TOTAL, first=D(10), step=D(4))
    projects = [project(k.upper(), t, unit=k) for k, t in totals.items()]
    facts = Facts(units=[U, V, w], projects=projects)
    rows = rank(policy(item), ScoringFacts(facts), parse_period(str(Y)))
    assert {x.unit.code: x.score for x in rows} == expected


def test_points_by_place_never_below_zero():
    units = [UnitFact(f"t{i}", f"t{i}", "township") for i in range(5)]
    item = r.RankPoints(label="名次", metric=Metric.SIGNED_TOTAL, first=D(3), step=D(1))
    projects = [project(f"P{i}", 10 * (i + 1), unit=f"t{i}") for i in range(5)]
    rows = rank(
        policy(item), ScoringFacts(Facts(units=units, projects=projects)), parse_period(str(Y))
    )
    assert sorted(x.score for x in rows) == [D(0), D(0), D(1), D(2), D(3)]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["制造业", "制造业", None, None], D(10)),  # 2 of 4 categorised: 50% × 20
        (["制造业", "文旅", "农业", "制造业"], D(20)),  # all: 100% × 20
        ([], D(0)),  # no project: nothing to divide by
    ],
)
def test_share_of_one_measure_in_another(kinds, expected):
    """产业契合度 = 新引进产业项目个数 ÷ 新引进项目数 × 20 分."""
    item = r.Share(
        label="产业契合度",
        numerator=r.Measure(Metric.SIGNED, Filters(categories=("*",))),
        denominator=r.Measure(Metric.SIGNED),
        points=D(20),
        cap=D(1),
    )
    projects = [project(f"P{i}", 100, category=k) for i, k in enumerate(kinds)]
    assert points(policy(item), *projects) == [expected]
