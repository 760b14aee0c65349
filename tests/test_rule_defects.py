"""Regression tests for the four defects of issue 13:
1. 一票评优 found a unit's task only by textual identity of filters;
2. `rewards` on a 汉中 ledger with a project failed: observations not loaded for a quarter end;
3. bottom-of-ranking flags listed a whole tied group (36 of 38 departments);
4. one landed project paid 镇平's per-project 10万 twice with no policy word saying so.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from tests.factories import add_project
from zsyz.domain import rules as r
from zsyz.domain.facts import ExplicitTarget, ProjectFact, Role, UnitFact
from zsyz.domain.periods import parse_period
from zsyz.domain.progress import Facts
from zsyz.domain.ranking import ScoringFacts
from zsyz.domain.rewards import bottom_of, rewards, rewards_days
from zsyz.domain.stages import Stage
from zsyz.domain.terms import Op
from zsyz.policy.load import load_preset

PA = load_preset("panan-2022")
ZP = load_preset("zhenping-2020")
HZ = load_preset("hanzhong-2021")


def factory(code: str, unit: str, **kw: object) -> ProjectFact:
    return ProjectFact(
        code=code,
        name=code,
        stage=Stage.STARTED,
        stage_dates={Stage.SIGNED: date(2022, 2, 1), Stage.STARTED: date(2022, 5, 1)},
        roles=((Role.SOURCING, unit),),
        total_investment=D(75000),
        category="制造业",
        **kw,  # type: ignore[arg-type]
    )


# ---- 1. 一票评优 by meaning ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("task_filters", "landed", "expected"),
    [
        # set with `targets set --category 制造业`: the rule's task, met exactly: no flag
        ({"min_total": 70000, "category": "制造业"}, 1, None),
        # … exceeded: flagged for exceeding, not for "no such task"
        ({"min_total": 70000, "category": "制造业"}, 2, Op.TASK_EXCEEDED),
        # the textual twin of the rule's filters: the same
        ({"min_total": 70000, "category": ["制造业", "工业"]}, 2, Op.TASK_EXCEEDED),
        # a task of another threshold is not this task: landing one is 无此项任务而招引落地
        ({"min_total": 30000, "category": "制造业"}, 1, Op.LANDED_WITHOUT_TASK),
    ],
)
def test_vote_excellent_finds_the_task_by_meaning(task_filters, landed, expected):
    unit = UnitFact("尚湖镇", "尚湖镇", "township", "township")
    explicit = [ExplicitTarget("尚湖镇", 2022, "started", D(1), task_filters)]
    projects = [factory(f"M{i}", "尚湖镇") for i in range(landed)]
    sf = ScoringFacts(Facts(units=[unit], projects=projects, explicit=explicit))
    policy = replace(PA, flags=tuple(f for f in PA.flags if isinstance(f, r.VoteExcellent)))
    flags = rewards(policy, sf, 2022, date(2022, 12, 31)).flags
    if expected is None:
        assert flags == ()
    else:
        (flag,) = flags
        assert flag.flag == "一票评优" and flag.why.op is expected


def test_vote_excellent_through_targets_set_category(db, cli):
    assert cli("init", "--preset", "panan-2022", "--with-examples").code == 0
    set_task = cli(
        "targets", "set", "尚湖镇", "--metric", "started", "--value", "1",
        "--min-total", "70000", "--category", "制造业", "--year", "2022",
    )  # fmt: skip
    assert set_task.code == 0, set_task.err
    for code in ("M1", "M2"):
        add_project(
            db,
            code,
            stage="started",
            signed_on=date(2022, 2, 1),
            started_on=date(2022, 5, 1),
            total_investment=75000,
            category="制造业",
            roles={"sourcing": ["尚湖镇"]},
        )
    flags = cli("rewards", "--year", "2022", "-f", "json").json()["flags"]
    mine = [f for f in flags if f["unit"] == "尚湖镇"]
    assert [f["flag"] for f in mine] == ["一票评优"]
    assert mine[0]["reason"].startswith("超额完成任务")


# ---- 2. 汉中 rewards with a project ---------------------------------------------------------


def test_rewards_read_only_the_days_they_load():
    """Facts reduced to `rewards_days` (as the store loads them) answer every quarter the
    bottom-of-ranking flag ranks: no "observations not loaded" for a quarter's day."""
    from zsyz.domain.facts import FundsObservation

    unit = UnitFact("汉台区", "汉台区", "county", "county")
    explicit = [
        ExplicitTarget("汉台区", 2021, "signed", D(2)),
        ExplicitTarget("汉台区", 2021, "funds", D(1000)),
    ]
    p = ProjectFact(
        code="P1",
        name="P1",
        stage=Stage.SIGNED,
        stage_dates={Stage.SIGNED: date(2021, 2, 1)},
        roles=((Role.SOURCING, "汉台区"),),
    )
    obs = [FundsObservation("P1", "funds_in_place", date(2021, 5, 1), D(300))]
    days = rewards_days(HZ, 2021, date(2021, 12, 31))
    facts = Facts(units=[unit], projects=[p], observations=obs, explicit=explicit, days=days)
    rewards(HZ, ScoringFacts(facts), 2021, date(2021, 12, 31))  # no AssertionError


def test_hanzhong_rewards_with_a_project(db, cli):
    assert cli("init", "--preset", "hanzhong-2021", "--with-examples").code == 0
    add_project(
        db, "P1", stage="signed", signed_on=date(2021, 2, 1), fai=5000,
        roles={"sourcing": ["汉台区"]},
    )  # fmt: skip
    result = cli("rewards", "--year", "2021", "-f", "json")
    assert result.code == 0, result.err
    assert "内部错误" not in result.err


# ---- 3. bottom of the ranking ----------------------------------------------------------------


def _rows(scores: dict[str, tuple[int, bool]]):
    """Ranked rows: unit → (score, completed its task); a unit with score −1 had no task."""
    from zsyz.domain.progress import TargetProgress, UnitProgress
    from zsyz.domain.ranking import RankRow

    out = []
    ordered = sorted(scores.items(), key=lambda kv: -kv[1][0])
    for i, (code, (score, done)) in enumerate(ordered):
        unit = UnitFact(code, code, "dept", "dept")
        t = TargetProgress("任务", "signed", D(1), D(1 if done else 0), D(1 if done else 0), done)
        up = UnitProgress(unit, () if score < 0 else (t,))
        out.append(RankRow(unit, "dept", i + 1, D(score), D(0), None, (), progress=up))
    return out


@pytest.mark.parametrize(
    ("scores", "bottom", "share", "flagged", "noted"),
    [
        # bottom = 1: the last failing unit
        ({"a": (90, True), "b": (50, False), "c": (10, False)}, 1, None, ["c"], False),
        # the last unit completed its task: never flagged; the last failing one is
        ({"a": (90, False), "b": (50, False), "c": (10, True)}, 1, None, ["b"], False),
        # units without a task are not candidates
        ({"a": (90, True), "b": (50, False), "c": (-1, False)}, 1, None, ["b"], False),
        # a tie at the line that would flag more: nobody of the tie, one note
        ({"a": (90, True), "b": (0, False), "c": (0, False), "d": (0, False)}, 1, None, [], True),
        # bottom = 2 with a tie of 3 below one clear last: the clear last only, a note
        (
            {"a": (9, False), "b": (5, False), "c": (5, False), "d": (1, False)},
            2,
            None,
            ["d"],
            True,
        ),
        # a share: 25% of 8 = 2
        ({k: (i, False) for i, k in enumerate("abcdefgh")}, None, D("0.25"), ["b", "a"], False),
        # a tie that fits within the bottom is named whole
        ({"a": (9, False), "b": (1, False), "c": (1, False)}, 2, None, ["b", "c"], False),
    ],
)
def test_bottom_of_ranking(scores, bottom, share, flagged, noted):
    rule = r.BottomOfRanking(label="末位", flag="通报批评", bottom=bottom, share=share)
    out, note = bottom_of(rule, parse_period("2022"), "部门", _rows(scores))
    assert [f.unit.code for f in out] == flagged
    assert (note is not None) is noted


def test_zhenping_demo_ties_are_one_line_per_group(db, cli):
    """36 of 38 departments tied at 0: one note, not 36 flags."""
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    data = cli("rewards", "--year", "2020", "-f", "json").json()
    assert data["flags"] == []
    assert len(data["notes"]) == 3  # leaders, townships, departments
    assert any("县直部门" in n and "同分" in n for n in data["notes"])


# ---- 4. who earns a per-project reward ---------------------------------------------------


@pytest.mark.parametrize(
    ("to", "paid"),
    [
        (r.Payee.SOURCING, {"镇": D(10)}),  # 镇平: 招引 pays; the 包保 leader does not
        (r.Payee.LEADER, {"领导": D(10)}),
        (r.Payee.LANDING, {}),
        (r.Payee.EACH_CREDITED, {"镇": D(10), "领导": D(10)}),  # twice: only if the policy says
    ],
)
def test_per_project_reward_pays_whom_the_policy_names(to, paid):
    units = [UnitFact("镇", "镇", "township"), UnitFact("领导", "领导", "leader")]
    p = ProjectFact(
        code="P",
        name="P",
        stage=Stage.STARTED,
        stage_dates={Stage.SIGNED: date(2020, 3, 1), Stage.STARTED: date(2020, 6, 1)},
        roles=((Role.SOURCING, "镇"), (Role.LEADER, "领导")),
        fai=D(12000),
        category="制造业",
    )
    (rule,) = [x for x in ZP.rewards if isinstance(x, r.PerProjectReward)]
    assert rule.to is r.Payee.SOURCING  # the preset's reading of "每招引落地建设一个"
    policy = replace(ZP, rewards=(replace(rule, to=to),), flags=())
    result = rewards(
        policy, ScoringFacts(Facts(units=units, projects=[p])), 2020, date(2020, 12, 31)
    )
    assert {line.unit.code: line.amount for line in result.lines} == paid
