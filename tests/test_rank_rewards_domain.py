"""Ranking and rewards, hand-worked from each document's own numbers (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from zsyz.domain import rules as r
from zsyz.domain.facts import (
    ExplicitTarget,
    FundsObservation,
    ProjectFact,
    Role,
    UnitFact,
)
from zsyz.domain.periods import PeriodKind, parse_period
from zsyz.domain.policy import ScoreForm
from zsyz.domain.progress import Facts
from zsyz.domain.ranking import ScoringFacts, rank
from zsyz.domain.reporting import ReportFact
from zsyz.domain.rewards import rewards, tiered
from zsyz.domain.stages import Stage
from zsyz.domain.terms import Op
from zsyz.policy.load import load_preset

ZP = load_preset("zhenping-2020")
YJ = load_preset("yinjiang-2012")
PA = load_preset("panan-2022")
YY = load_preset("youyi-2022")
HZ = load_preset("hanzhong-2021")


def unit(code: str, cls: str, group: str | None = None) -> UnitFact:
    return UnitFact(code=code, name=code, unit_class=cls, group=group)


def proj(code: str, units: tuple[str, ...], **kw: object) -> ProjectFact:
    dates: dict[Stage, date] = {}
    for stage in (Stage.SIGNED, Stage.STARTED):
        day = kw.pop(stage.value, None)
        if isinstance(day, date):
            dates[stage] = day
    stage = Stage.STARTED if Stage.STARTED in dates else Stage.SIGNED
    role = kw.pop("role", Role.SOURCING)
    for k in ("fai", "total_investment", "completed_investment_year"):
        if k in kw:
            kw[k] = D(str(kw[k]))
    return ProjectFact(
        code=code,
        name=code,
        stage=kw.pop("stage", stage),  # type: ignore[arg-type]
        stage_dates=dates,
        roles=tuple((role, u) for u in units),  # type: ignore[misc]
        **kw,  # type: ignore[arg-type]
    )


def funds(code: str, on: date, value: float) -> FundsObservation:
    return FundsObservation(code, "funds_in_place", on, D(str(value)))


# ---- 000 镇平县 -----------------------------------------------------------------------


def test_000_tier_a_department_completing_with_a_landed_1_2_yi_project_earns_10_plus_10():
    """000 五: 完成目标任务奖励10万元；每招引落地一个固投超亿元产业项目再奖励10万元."""
    units = [unit("商务局", "dept_a", "dept"), unit("财政局", "dept_b", "dept")]
    p = proj(
        "P1",
        ("商务局",),
        fai=12000,
        category="制造业",
        signed=date(2020, 3, 1),
        started=date(2020, 6, 1),
    )
    sf = ScoringFacts(Facts(units=units, projects=[p]))
    result = rewards(ZP, sf, 2020, date(2020, 12, 31))
    mine = [(line.rule, line.amount, line.projects) for line in result.lines]
    assert mine == [
        ("完成年度目标任务奖励工作经费", D(10), ("P1",)),
        ("招引落地固投≥1亿元产业项目奖励工作经费", D(10), ("P1",)),
    ]
    assert result.total == 20
    assert result.per_unit()[0][1] == 20
    why = result.lines[0].why
    assert (why.op, why.inputs["completion"], why.result) == (Op.FIXED_REWARD, 1, D(10))


def test_000_signed_but_not_landed_and_below_threshold_earns_only_completion():
    units = [unit("商务局", "dept_a", "dept")]
    signed_only = proj("P1", ("商务局",), fai=12000, category="制造业", signed=date(2020, 3, 1))
    small = proj(
        "P2",
        ("商务局",),
        fai=9999,
        category="制造业",
        signed=date(2020, 3, 1),
        started=date(2020, 5, 1),
    )
    result = rewards(
        ZP,
        ScoringFacts(Facts(units=units, projects=[signed_only, small])),
        2020,
        date(2020, 12, 31),
    )
    assert [(line.rule, line.amount) for line in result.lines] == [
        ("完成年度目标任务奖励工作经费", D(10))
    ]


def test_000_quarterly_ranking_within_groups_with_previous_rank_and_ties():
    units = [
        unit("t1", "township", "township"),
        unit("t2", "township", "township"),
        unit("t3", "township", "township"),
        unit("d1", "dept_a", "dept"),
    ]
    projects = [
        # t1: one ≥5000 in Q2 → 100 %; t2: one ≥3000 in Q1 → 50 %; t3 none
        proj("P1", ("t1",), fai=6000, category="制造业", signed=date(2020, 5, 1)),
        proj("P2", ("t2",), fai=3500, category="文旅", signed=date(2020, 2, 1)),
    ]
    rows = rank(ZP, ScoringFacts(Facts(units=units, projects=projects)), parse_period("2020-Q2"))
    town = [(r.unit.code, r.rank, r.score, r.previous_rank) for r in rows if r.group == "township"]
    # Q1: t2 50 first; t1 and t3 tie at 0 → completion tie → amount tie → name t1 < t3
    assert town == [("t1", 1, D(100), 2), ("t2", 2, D(50), 1), ("t3", 3, D(0), 3)]
    assert [(r.unit.code, r.rank) for r in rows if r.group == "dept"] == [("d1", 1)]


def test_000_tie_broken_by_signed_fai_before_name():
    units = [unit("甲", "township", "township"), unit("乙", "township", "township")]
    projects = [
        proj("P1", ("甲",), fai=5000, category="制造业", signed=date(2020, 2, 1)),
        proj("P2", ("乙",), fai=9000, category="制造业", signed=date(2020, 2, 1)),
    ]
    rows = rank(ZP, ScoringFacts(Facts(units=units, projects=projects)), parse_period("2020-Q1"))
    assert [(r.unit.code, r.score) for r in rows] == [("乙", D(100)), ("甲", D(100))]


def test_000_missed_and_late_weekly_reports_cost_a_point_each():
    units = [unit("t1", "township", "township"), unit("t2", "township", "township")]
    week = [parse_period(f"2020-W{w:02d}", PeriodKind.WEEK) for w in (10, 11, 12, 13)]
    reports = [
        # t1 reports weeks 10, 12 and 13 on Friday (on time), misses week 11
        ReportFact("t1", week[0].start + timedelta(days=4)),
        ReportFact("t1", week[2].end),
        ReportFact("t1", week[3].end),
        # t2 reports all four weeks; week 11 comes in on Wednesday after, naming its week
        *(ReportFact("t2", w.end) for w in (week[0], week[2], week[3])),
        ReportFact("t2", date(2020, 3, 18), week[1]),
    ]
    late = r.Deduction(label="迟报周报", points=D("0.5"), event=r.DeductionEvent.LATE_REPORT)
    assert ZP.ranking is not None
    policy = replace(ZP, ranking=replace(ZP.ranking, components=(*ZP.ranking.components, late)))
    sf = ScoringFacts(Facts(units=units), reports, since=week[0].start + timedelta(days=4))
    rows = rank(policy, sf, parse_period("2020-Q1"))
    by = {r.unit.code: r for r in rows}
    assert [c.points for c in by["t1"].components] == [D(0), D(-1), D(0)]
    (missed,) = by["t1"].components[1].why.parts
    assert missed.op is Op.REPORT_SLOT and missed.inputs["slot"].label_zh == "2020年第11周"
    assert [c.points for c in by["t2"].components] == [D(0), D(0), D("-0.5")]
    # weeks nobody reported (before the ledger was used) are not held against anyone
    assert by["t1"].score == D(-1)


# ---- 001 印江县 -----------------------------------------------------------------------


def yj_facts(*projects: ProjectFact, obs: list[FundsObservation]) -> Facts:
    units = [
        unit("一队", "squad", "squad"),
        unit("二队", "squad", "squad"),
        unit("工信局", "dept", "dept"),
    ]
    explicit = [
        ExplicitTarget("一队", 2012, "funds", D(5000)),
        ExplicitTarget("二队", 2012, "funds", D(5000)),
    ]
    return Facts(units=units, projects=list(projects), observations=obs, explicit=explicit)


def test_001_squad_at_84_percent_earns_8_4_wan_one_at_60_earns_nothing_and_is_flagged():
    """001 三(五): ≥80% 的小分队按到位资金 2‰ 奖励；未完成 70% 的不能评优秀."""
    p1 = proj("A", ("一队",), total_investment=20000, signed=date(2012, 3, 1))
    p2 = proj("B", ("二队",), total_investment=9000, signed=date(2012, 3, 1))
    facts = yj_facts(
        p1,
        p2,
        obs=[
            funds("A", date(2012, 6, 1), 2000),
            funds("A", date(2012, 11, 1), 4200),
            funds("B", date(2012, 10, 1), 3000),
        ],
    )
    result = rewards(YJ, ScoringFacts(facts), 2012, date(2012, 12, 31))
    squad = [(line.unit.code, line.amount) for line in result.lines if line.unit.code != "工信局"]
    assert squad == [("一队", D("8.4"))]
    why = result.lines[0].why
    assert why.op is Op.PERMILLE_FUNDS and why.rule.permille == 2
    assert (why.inputs["done"], why.inputs["funds"], why.result) == (D("0.84"), 4200, D("8.4"))
    flags = [(f.unit.code, f.flag) for f in result.flags]
    assert flags == [("二队", "不能评为优秀")]
    assert result.flags[0].why.op is Op.BELOW_LINE
    assert result.flags[0].why.inputs["completion"] == D("0.6")


def test_001_other_unit_bringing_1000_wan_earns_2_permille_below_that_nothing():
    p = proj("C", ("工信局",), total_investment=5000, signed=date(2012, 4, 1))
    q = proj("E", ("一队",), total_investment=5000, signed=date(2012, 4, 1))
    enough = yj_facts(p, q, obs=[funds("C", date(2012, 9, 1), 1500)])
    lines = rewards(YJ, ScoringFacts(enough), 2012, date(2012, 12, 31)).lines
    assert [(line.unit.code, line.amount) for line in lines] == [("工信局", D(3))]
    short = yj_facts(p, q, obs=[funds("C", date(2012, 9, 1), 999)])
    assert rewards(YJ, ScoringFacts(short), 2012, date(2012, 12, 31)).lines == ()


def test_001_newly_compiled_project_started_same_year_earns_1_percent_of_this_year():
    """001 三(二): 新编制且当年开工建设的项目，编制单位按项目当年总投资的1%奖励."""
    fresh = proj(
        "D",
        ("工信局",),
        role=Role.COMPILING,
        compiled_on=date(2012, 2, 1),
        signed=date(2012, 4, 1),
        started=date(2012, 7, 1),
        completed_investment_year=3000,
    )
    old = replace(fresh, code="F", compiled_on=date(2011, 12, 1))
    result = rewards(YJ, ScoringFacts(yj_facts(fresh, old, obs=[])), 2012, date(2012, 12, 31))
    compiled = [line for line in result.lines if "编制" in line.rule]
    assert [(line.unit.code, line.amount, line.projects) for line in compiled] == [
        ("工信局", D(30), ("D",))
    ]


# ---- 003 磐安县 -----------------------------------------------------------------------


def test_003_bonus_for_7yi_manufacturing_and_3yi_major_industry_and_vote_excellent():
    units = [
        unit("新城", "block", "block"),
        unit("尖山镇", "township", "township"),
        unit("仁川镇", "township", "township"),
    ]
    big = proj(
        "M",
        ("新城",),
        total_investment=75000,
        category="制造业",
        signed=date(2022, 2, 1),
        started=date(2022, 5, 1),
    )
    mid = proj(
        "S",
        ("尖山镇",),
        total_investment=32000,
        category="文化旅游",
        signed=date(2022, 2, 1),
        started=date(2022, 5, 1),
    )
    explicit = [
        ExplicitTarget(
            "新城", 2022, "started", D(1), {"min_total": 70000, "category": ["制造业", "工业"]}
        )
    ]
    sf = ScoringFacts(Facts(units=units, projects=[big, mid], explicit=explicit))
    rows = {r.unit.code: r for r in rank(PA, sf, parse_period("2022-Q2"))}
    # block: completion 60 × 100% + 7亿 bonus 20 + 3亿 bonus 10 (a 7.5亿 factory is both)
    assert [c.points for c in rows["新城"].components] == [D(60), D(20), D(10), D(0)]
    assert rows["新城"].score == 90
    assert [c.points for c in rows["尖山镇"].components][1:3] == [D(0), D(10)]
    result = rewards(PA, sf, 2022, date(2022, 12, 31))
    # 新城 has the task (1) and met it exactly: not 超额; nobody else landed a 7亿 factory
    assert result.flags == ()
    more = replace(big, code="M2")
    sf2 = ScoringFacts(Facts(units=units, projects=[big, more, mid], explicit=explicit))
    flags = [(f.unit.code, f.flag) for f in rewards(PA, sf2, 2022, date(2022, 12, 31)).flags]
    assert flags == [("新城", "一票评优")]
    # a unit without the task that signs and lands one: 一票评优 too
    other = replace(big, code="M3", roles=((Role.SOURCING, "仁川镇"),))
    sf3 = ScoringFacts(Facts(units=units, projects=[big, other], explicit=explicit))
    flags = [(f.unit.code, f.flag) for f in rewards(PA, sf3, 2022, date(2022, 12, 31)).flags]
    assert flags == [("仁川镇", "一票评优")]


def test_003_veto_excellent_for_units_the_policy_names():
    units = [unit("尖山镇", "township", "township"), unit("仁川镇", "township", "township")]
    veto = r.VetoExcellent(label="交办任务未完成被通报", units=("仁川镇",))
    policy = replace(PA, flags=(veto,))
    result = rewards(policy, ScoringFacts(Facts(units=units)), 2022, date(2022, 12, 31))
    assert [(f.unit.code, f.flag) for f in result.flags] == [("仁川镇", "一票否优")]


def test_003_stale_projects_cost_points():
    units = [unit("尖山镇", "township", "township")]
    p = proj("S", ("尖山镇",), total_investment=1000, signed=date(2022, 2, 1))
    seen = {"S": [date(2022, 2, 1), date(2022, 5, 1)]}  # signed: 35 days allowed (monthly)
    rows = rank(
        PA, ScoringFacts(Facts(units=units, projects=[p]), (), seen), parse_period("2022-Q2")
    )
    stale = rows[0].components[-1]
    # Q2 is read as of 5 July, when June's monthly reports are due: 65 days idle
    assert stale.points == D(-1) and stale.why.op is Op.DEDUCTION
    (event,) = stale.why.parts
    assert (event.op, event.projects, event.inputs["days"]) == (Op.STALE, ("S",), 65)


# ---- 004 友谊县: tiers and the efficacy coefficient ------------------------------------


def test_004_points_per_project_by_size_tier_and_efficacy_form():
    units = [
        unit("粮食加工产业链", "chain", "chain"),
        unit("新能源产业链", "chain", "chain"),
        unit("友谊镇", "township", "township"),
    ]
    a = proj(
        "A",
        ("友谊镇",),
        total_investment=12000,
        chain="粮食加工",
        signed=date(2022, 2, 1),
        started=date(2022, 3, 1),
    )
    b = proj(
        "B",
        ("友谊镇",),
        total_investment=600,
        chain="粮食加工",
        signed=date(2022, 2, 1),
        started=date(2022, 3, 1),
    )
    c = proj(
        "C",
        ("友谊镇",),
        total_investment=5000,
        chain="新能源",
        signed=date(2022, 2, 1),
        started=date(2022, 3, 1),
    )
    sf = ScoringFacts(Facts(units=units, projects=[a, b, c]))
    rows = {r.unit.code: r for r in rank(YY, sf, parse_period("2022-Q1"))}
    grain, energy = rows["粮食加工产业链"], rows["新能源产业链"]
    tier = next(x for x in grain.components if x.why.rule.label == "开工项目规模分")
    assert tier.why.inputs["items"] == (("A", D(12000), D(3)), ("B", D(600), D(1)))
    assert tier.points == D(4)  # ≥1亿 → 3, ≥500万 → 1
    # efficacy within the chain group: the best gets 100, the worst 60
    assert {grain.score, energy.score} == {D(100), D(60)}
    form = grain.components[-1].why
    assert form.op is Op.EFFICACY_FORM and form.result == grain.score
    assert sum(x.points for x in grain.components) == grain.score
    assert rows["友谊镇"].score == 100  # alone in its group: no spread, floor + span


def test_efficacy_middle_value_formula():
    assert YY.ranking is not None
    comp = r.PerProject(label="规模", amount="total", tiers=(r.Tier(D(0), D(1)),))
    policy = replace(YY, ranking=replace(YY.ranking, components=(comp,), form=ScoreForm.EFFICACY))
    units = [unit(u, "township", "township") for u in ("a", "b", "c")]
    projects = [
        proj(f"{u}{i}", (u,), total_investment=100, signed=date(2022, 2, 1))
        for u, n in (("a", 1), ("b", 2), ("c", 5))
        for i in range(n)
    ]
    rows = {
        r.unit.code: r.score
        for r in rank(
            policy, ScoringFacts(Facts(units=units, projects=projects)), parse_period("2022-Q1")
        )
    }
    # (2 − 1)/(5 − 1) × 40 + 60 = 70
    assert rows == {"a": D(60), "b": D(70), "c": D(100)}


@pytest.mark.parametrize(
    ("amount", "progressive", "expected"),
    [
        (D(500), True, D("1.5")),  # 500 × 3‰
        (D(5000), True, D(19)),  # 1000 × 3‰ + 4000 × 4‰
        (D(20000), True, D(50)),  # 3 + 36 + 50 = 89, capped at 50
        (D(5000), False, D(20)),  # the whole 5000 at 4‰
        (D(1000), True, D(3)),
    ],
)
def test_tiered_permille_progressive_and_whole_with_cap(amount, progressive, expected):
    rule = r.TieredPermille(
        label="分档奖励",
        tiers=(r.RateTier(D(1000), D(3)), r.RateTier(D(10000), D(4)), r.RateTier(None, D(5))),
        progressive=progressive,
        cap_per_project=D(50),
    )
    assert tiered(amount, rule) == expected


def test_tiered_reward_lines_name_each_project():
    rule = r.TieredPermille(
        label="分档奖励",
        basis="total_investment",
        tiers=(r.RateTier(D(1000), D(3)), r.RateTier(None, D(5))),
    )
    policy = replace(ZP, rewards=(rule,), flags=())
    units = [unit("t1", "township", "township")]
    p = proj("P", ("t1",), total_investment=3000, signed=date(2020, 2, 1))
    result = rewards(
        policy, ScoringFacts(Facts(units=units, projects=[p])), 2020, date(2020, 12, 31)
    )
    (line,) = result.lines
    assert line.amount == D(13) and line.projects == ("P",)  # 3 + 2000 × 5‰


# ---- 002 汉中市 and 000: bottom of the ranking ----------------------------------------


def test_bottom_of_quarterly_ranking_a_tie_at_the_line_is_one_note_not_a_list():
    units = [unit(u, "county", "county") for u in ("汉台区", "南郑区", "城固县")]
    explicit = [ExplicitTarget(u.code, 2021, "signed", D(2)) for u in units]
    projects = [
        proj("P1", ("汉台区",), signed=date(2021, 2, 1)),
        proj("P2", ("汉台区",), signed=date(2021, 2, 2)),
        proj("P3", ("南郑区",), signed=date(2021, 5, 1)),
    ]
    sf = ScoringFacts(Facts(units=units, projects=projects, explicit=explicit))
    result = rewards(HZ, sf, 2021, date(2021, 6, 30))
    flags = [(f.unit.code, f.flag, f.why.inputs["period"].label_zh) for f in result.flags]
    # Q1: 南郑区 and 城固县 both 0/2 (bottom = 1): the tie is named in one note, nobody
    # flagged; Q2: 城固县 alone last (南郑区 1/2)
    assert flags == [("城固县", "通报批评", "2021年第2季度")]
    (note,) = result.notes
    assert note.op is Op.BOTTOM_TIE
    got = {k: note.inputs[k] for k in ("group", "tied", "line", "bottom")}
    assert got == {"group": "县区", "tied": 2, "line": 0, "bottom": 1}
    assert note.inputs["period"].label_zh == "2021年第1季度"


def test_bottom_flag_names_a_group_the_policy_does_not_label_in_words():
    """HZ labels only its own groups: townships of the roster read 乡镇（街道）, never the id."""
    units = [unit(u, "township", "township") for u in ("甲镇", "乙镇", "丙镇")]
    explicit = [ExplicitTarget(u.code, 2021, "signed", D(2)) for u in units]
    projects = [
        proj("P1", ("甲镇",), signed=date(2021, 2, 1)),
        proj("P2", ("甲镇",), signed=date(2021, 2, 2)),
        proj("P3", ("乙镇",), signed=date(2021, 2, 3)),
    ]
    sf = ScoringFacts(Facts(units=units, projects=projects, explicit=explicit))
    flags = rewards(HZ, sf, 2021, date(2021, 3, 31)).flags
    assert [(f.unit.code, f.why.inputs["group"]) for f in flags] == [("丙镇", "乡镇（街道）")]


def test_no_bottom_flag_when_everyone_ties():
    units = [unit(u, "township", "township") for u in ("a", "b")]
    assert rewards(ZP, ScoringFacts(Facts(units=units)), 2020, date(2020, 12, 31)).flags == ()
