"""Target completion, hand-worked from each document (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from zsyz.domain.facts import (
    ActivityFact,
    ActivityKind,
    ExplicitTarget,
    FundsObservation,
    ProjectFact,
    Role,
    UnitFact,
)
from zsyz.domain.policy import Credit, CreditRole, Share
from zsyz.domain.progress import Facts, progress
from zsyz.domain.stages import Stage
from zsyz.policy.load import load_preset, parse_policy

ZP = load_preset("zhenping-2020")
END = date(2020, 12, 31)


def unit(code: str, cls: str, name: str | None = None, *aliases: str) -> UnitFact:
    return UnitFact(code=code, name=name or code, unit_class=cls, aliases=aliases)


def proj(
    code: str,
    *,
    fai: float | None = None,
    total: float | None = None,
    stage: Stage = Stage.SIGNED,
    signed: date | None = date(2020, 5, 1),
    started: date | None = None,
    units: tuple[str, ...] = ("t1",),
    role: Role = Role.SOURCING,
    category: str | None = "制造业",
    **kw: object,
) -> ProjectFact:
    dates = {}
    if signed:
        dates[Stage.SIGNED] = signed
    if started:
        dates[Stage.STARTED] = started
    return ProjectFact(
        code=code,
        name=code,
        stage=stage,
        stage_dates=dates,
        roles=tuple((role, u) for u in units),
        fai=None if fai is None else Decimal(str(fai)),
        total_investment=None if total is None else Decimal(str(total)),
        category=category,
        **kw,  # type: ignore[arg-type]
    )


def run(policy, units, projects=(), *, year=2020, as_of=END, explicit=(), obs=(), acts=()):
    facts = Facts(units, projects, obs, acts, explicit)
    return {r.unit.code: r for r in progress(policy, facts, year, as_of)}


T1 = unit("t1", "township")

# 000 township: any_of(1 × FAI ≥5000万, 2 × FAI ≥3000万), signed in the year, sourcing unit.
TOWNSHIP_CASES = [
    ("one 6000万 completes", [proj("a", fai=6000)], True, Decimal(1), ["a"]),
    (
        "3500万 + 3200万 complete",
        [proj("a", fai=3500), proj("b", fai=3200)],
        True,
        Decimal(1),
        ["a", "b"],
    ),
    ("4000万 alone does not", [proj("a", fai=4000)], False, Decimal("0.5"), ["a"]),
    ("exactly 5000万 counts (inclusive)", [proj("a", fai=5000)], True, Decimal(1), ["a"]),
    (
        "4999.9999万 is half of 2 × ≥3000万",
        [proj("a", fai="4999.9999")],
        False,
        Decimal("0.5"),
        ["a"],
    ),
    (
        "signed in the prior year does not count",
        [proj("a", fai=6000, signed=date(2019, 12, 31))],
        False,
        Decimal(0),
        [],
    ),
    (
        "still 洽谈 does not count",
        [proj("a", fai=6000, stage=Stage.NEGOTIATING, signed=None)],
        False,
        Decimal(0),
        [],
    ),
    (
        "signed next year does not count",
        [proj("a", fai=6000, signed=date(2021, 1, 1))],
        False,
        Decimal(0),
        [],
    ),
    (
        "started counts as signed",
        [proj("a", fai=6000, stage=Stage.STARTED, signed=None, started=date(2020, 3, 1))],
        True,
        Decimal(1),
        ["a"],
    ),
    ("no category is no 产业项目", [proj("a", fai=6000, category=None)], False, Decimal(0), []),
    ("another unit's project", [proj("a", fai=6000, units=("t2",))], False, Decimal(0), []),
    (
        "landing role does not count in 000",
        [proj("a", fai=6000, role=Role.LANDING)],
        False,
        Decimal(0),
        [],
    ),
    (
        "two projects ≥5000万: ratio 2",
        [proj("a", fai=6000), proj("b", fai=7000)],
        True,
        Decimal(2),
        ["a", "b"],
    ),
]


@pytest.mark.parametrize(
    ("projects", "complete", "ratio", "codes"),
    [c[1:] for c in TOWNSHIP_CASES],
    ids=[c[0] for c in TOWNSHIP_CASES],
)
def test_zhenping_township(projects, complete, ratio, codes):
    row = run(ZP, [T1, unit("t2", "township")], projects)["t1"]
    (target,) = row.targets
    assert target.complete is complete
    assert target.ratio == ratio
    assert list(target.projects) == codes
    assert row.complete is complete and row.completion == ratio


def test_as_of_cuts_off_later_signings():
    projects = [proj("a", fai=6000, signed=date(2020, 7, 1))]
    assert not run(ZP, [T1], projects, as_of=date(2020, 6, 30))["t1"].complete
    assert run(ZP, [T1], projects, as_of=date(2020, 7, 1))["t1"].complete


def test_zhenping_tier_a_major_project_needs_no_category():
    d = unit("d1", "dept_a")
    major = [proj("a", fai=10000, category=None, units=("d1",))]
    assert run(ZP, [d], major)["d1"].complete
    small = [proj("a", fai=9000, category=None, units=("d1",))]
    assert not run(ZP, [d], small)["d1"].complete


def test_zhenping_leader_credited_through_leader_role():
    lead = unit("l1", "leader")
    p = proj("a", fai=6000, units=("l1",), role=Role.LEADER)
    assert run(ZP, [lead], [p])["l1"].complete


def test_strict_threshold_excludes_the_boundary():
    text = """
[policy]
name = "s"
title = "t"
year = 2020
[classes.township]
label = "乡镇"
[[targets.township]]
metric = "signed"
value = 1
min_fai = 5000
strict = true
"""
    policy = parse_policy(text)
    assert not run(policy, [T1], [proj("a", fai=5000)])["t1"].complete
    assert run(policy, [T1], [proj("a", fai="5000.0001")])["t1"].complete


def test_project_credited_to_two_units_full_and_split():
    units = [T1, unit("t2", "township")]
    p = proj("a", fai=6000, units=("t1", "t2"))
    full = run(ZP, units, [p])
    assert full["t1"].complete and full["t2"].complete
    split = replace(ZP, credit=Credit((CreditRole.SOURCING,), Share.SPLIT))
    halves = run(split, units, [p])
    assert halves["t1"].targets[0].achieved == Decimal("0.5")
    assert not halves["t1"].complete


def test_explicit_target_overrides_class_target_of_same_metric():
    explicit = [ExplicitTarget("t1", 2020, "signed", Decimal(3))]
    row = run(ZP, [T1], [proj("a", fai=100), proj("b", fai=200)], explicit=explicit)["t1"]
    (target,) = row.targets
    assert (target.required, target.achieved, target.complete) == (3, 2, False)
    other_year = [ExplicitTarget("t1", 2021, "signed", Decimal(3))]
    assert run(ZP, [T1], [proj("a", fai=6000)], explicit=other_year)["t1"].complete


def test_explicit_target_keeps_other_class_targets():
    yy = load_preset("youyi-2022")
    chain = unit("c1", "chain", "新能源产业链")
    explicit = [ExplicitTarget("c1", 2022, "signed", Decimal(5))]
    row = run(yy, [chain], [], year=2022, as_of=date(2022, 12, 31), explicit=explicit)["c1"]
    assert sorted((t.metric, t.required) for t in row.targets) == [("signed", 5), ("started", 1)]


def test_zero_target_is_complete():
    explicit = [ExplicitTarget("t1", 2020, "signed", Decimal(0))]
    row = run(ZP, [T1], [], explicit=explicit)["t1"]
    assert row.targets[0].ratio == 1 and row.complete


def test_youyi_chain_credit_and_total_investment_threshold():
    yy = load_preset("youyi-2022")
    chain = unit("c1", "chain", "新能源产业链")
    y22 = date(2022, 3, 1)
    projects = [
        proj("a", total=5000, fai=100, signed=y22, units=(), chain="新能源"),
        proj("b", total=8000, signed=y22, units=(), chain="新能源产业链、粮食加工"),
        proj(
            "c", total=4000, fai=9000, signed=y22, units=(), chain="新能源"
        ),  # FAI is not the test
        proj("d", total=9000, signed=y22, units=(), chain="粮食加工"),
        proj(
            "e",
            total=10,
            signed=y22,
            started=date(2022, 6, 1),
            stage=Stage.STARTED,
            units=(),
            chain="新能源",
        ),
    ]
    row = run(yy, [chain], projects, year=2022, as_of=date(2022, 12, 31))["c1"]
    signed, started = row.targets
    assert list(signed.projects) == ["a", "b"] and signed.complete
    assert list(started.projects) == ["e"] and started.complete


def test_growth_target_reads_prior_year_actual():
    yy = load_preset("youyi-2022")
    county = unit("yy", "county")
    p = proj("a", units=("yy",), signed=date(2021, 5, 1))
    obs = [
        FundsObservation("a", "out_of_province_funds", date(2021, 6, 1), Decimal(1000)),
        FundsObservation("a", "out_of_province_funds", date(2022, 6, 1), Decimal(2200)),
    ]
    row = run(yy, [county], [p], year=2022, as_of=date(2022, 12, 31), obs=obs)["yy"]
    growth = next(t for t in row.targets if t.metric == "out_of_province_funds")
    assert growth.required == Decimal(1100)
    assert growth.achieved == Decimal(1200)
    assert growth.complete and growth.ratio == Decimal("1.0909")


def test_funds_arriving_in_the_period_come_from_history():
    yj = load_preset("yinjiang-2012")
    squad = unit("s1", "squad")
    explicit = [ExplicitTarget("s1", 2012, "funds", Decimal(5000))]
    p = proj("a", units=("s1",), signed=date(2011, 5, 1))
    obs = [
        FundsObservation("a", "funds_in_place", date(2011, 12, 1), Decimal(500)),
        FundsObservation("a", "funds_in_place", date(2012, 3, 1), Decimal(800)),
        FundsObservation("a", "funds_in_place", date(2012, 9, 1), Decimal(4700)),
    ]
    mid = run(yj, [squad], [p], year=2012, as_of=date(2012, 6, 30), explicit=explicit, obs=obs)
    assert mid["s1"].targets[0].achieved == 300
    end = run(yj, [squad], [p], year=2012, as_of=date(2012, 12, 31), explicit=explicit, obs=obs)
    t = end["s1"].targets[0]
    assert (t.achieved, t.ratio, t.complete) == (4200, Decimal("0.84"), False)
    assert end["s1"].completion == Decimal("0.84")


def test_per_unit_target_without_an_amount_is_left_out():
    yj = load_preset("yinjiang-2012")
    assert run(yj, [unit("s1", "squad")], [], year=2012) == {}


def test_panan_sourcing_and_landing_both_get_full_credit():
    pa = load_preset("panan-2022")
    units = [unit("b1", "block"), unit("t1", "township")]
    p = ProjectFact(
        code="m",
        name="m",
        stage=Stage.STARTED,
        stage_dates={Stage.STARTED: date(2022, 8, 1)},
        roles=((Role.SOURCING, "t1"), (Role.LANDING, "b1")),
        total_investment=Decimal(70000),
        category="制造业",
    )
    key = {"min_total": "70000", "category": ["制造业", "工业"]}
    explicit = [ExplicitTarget(u.code, 2022, "started", Decimal(1), key) for u in units]
    rows = run(pa, units, [p], year=2022, as_of=date(2022, 12, 31), explicit=explicit)
    for code in ("b1", "t1"):
        (t,) = rows[code].targets
        assert t.complete and t.projects == ("m",)


def test_hanzhong_referred_project_is_shared():
    hz = load_preset("hanzhong-2021")
    units = [unit("c1", "county"), unit("p1", "park")]
    p = ProjectFact(
        code="x",
        name="x",
        stage=Stage.SIGNED,
        stage_dates={Stage.SIGNED: date(2021, 4, 1)},
        roles=((Role.SOURCING, "c1"), (Role.LANDING, "p1")),
    )
    explicit = [ExplicitTarget(u.code, 2021, "signed", Decimal(1)) for u in units]
    rows = run(hz, units, [p], year=2021, as_of=date(2021, 12, 31), explicit=explicit)
    assert rows["c1"].targets[0].achieved == Decimal("0.5")
    assert rows["p1"].targets[0].achieved == Decimal("0.5")


ALL_OF = """
[policy]
name = "w"
title = "t"
year = 2020
[classes.township]
label = "乡镇"
[[targets.township]]
label = "综合"
all_of = [
  { metric = "signed", value = 2, weight = 3 },
  { metric = "leads", value = 4, weight = 1 },
]
[[targets.township]]
metric = "trips"
value = 12
"""


def test_all_of_weights_and_activities():
    policy = parse_policy(ALL_OF)
    acts = [ActivityFact("t1", date(2020, m, 5), ActivityKind.LEAD) for m in (1, 2, 3, 4, 5)]
    acts += [ActivityFact("t1", date(2020, m, 9), ActivityKind.TRIP) for m in range(1, 7)]
    acts += [ActivityFact("t1", date(2019, 12, 9), ActivityKind.TRIP)]
    row = run(policy, [T1], [proj("a", fai=1)], acts=acts)["t1"]
    combined, trips = row.targets
    # signed 1/2 (weight 3), leads 5/4 capped at 1 (weight 1): (3×0.5 + 1×1)/4
    assert combined.ratio == Decimal("0.625") and not combined.complete
    assert [p.ratio for p in combined.parts] == [Decimal("0.5"), Decimal("1.25")]
    assert (trips.achieved, trips.ratio) == (6, Decimal("0.5"))
    assert row.completion == Decimal("0.5")


def test_compiled_counts_the_compiling_unit():
    yj = load_preset("yinjiang-2012")
    d = unit("d1", "dept")
    explicit = [ExplicitTarget("d1", 2012, "compiled", Decimal(2))]
    projects = [
        proj(
            "a",
            units=("d1",),
            role=Role.COMPILING,
            signed=None,
            stage=Stage.PLANNED,
            compiled_on=date(2012, 2, 1),
        ),
        proj(
            "b",
            units=("d1",),
            role=Role.COMPILING,
            signed=None,
            stage=Stage.PLANNED,
            compiled_on=date(2011, 2, 1),
        ),
    ]
    row = run(yj, [d], projects, year=2012, explicit=explicit)["d1"]
    assert row.targets[0].achieved == 1 and row.targets[0].projects == ("a",)


def test_one_facts_read_under_two_policies_keeps_their_answers_apart():
    """The memos that depend on a policy belong to its evaluation (`Facts.under`), so the
    same facts read under a full-credit and a split-credit policy, in turn, each give
    their own answer every time."""
    units = [T1, unit("t2", "township")]
    p = proj("a", fai=6000, units=("t1", "t2"))
    facts = Facts(units, [p])
    split = replace(ZP, credit=Credit((CreditRole.SOURCING,), Share.SPLIT))
    for _ in range(2):
        full_rows = {r.unit.code: r for r in progress(ZP, facts, 2020, END)}
        split_rows = {r.unit.code: r for r in progress(split, facts, 2020, END)}
        assert full_rows["t1"].targets[0].achieved == Decimal(1)
        assert split_rows["t1"].targets[0].achieved == Decimal("0.5")
    assert facts.under(split) is facts.under(split)  # one evaluation per computation
    assert facts.under(split).policy is split
