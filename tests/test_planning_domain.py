"""Import planning as a pure function (domain/planning.py): no database, no file.

Each case is a report row (as io/weekly parses it), a ledger snapshot and a context;
the decision and its problems or diff are worked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsyz.domain.fields import COLUMNS
from zsyz.domain.names import norm_project_name
from zsyz.domain.plan_checks import code_clash, repeated
from zsyz.domain.plan_values import (
    ImportPlan,
    New,
    PlanContext,
    Refused,
    RowWork,
    Snapshot,
    Unchanged,
    Update,
)
from zsyz.domain.planning import Run, plan, stated_codes
from zsyz.domain.stages import PlannedStage, Stage, planned_stage
from zsyz.io.weekly import ReportRow

DAY = date(2022, 3, 11)


@dataclass(frozen=True)
class U:
    code: str
    name: str
    unit_class: str = "township"


UNITS = {u.name: u for u in (U("t1", "石佛寺镇"), U("t2", "晁陂镇"), U("l1", "张县长", "leader"))}


class Units:
    def find(self, name: str) -> U | None:
        return UNITS.get(name) or next((u for u in UNITS.values() if u.code == name), None)

    def resolve(self, name: str) -> U | str:
        return self.find(name) or f"未知单位「{name}」"

    def name_of(self, code: str) -> str | None:
        unit = self.find(code)
        return unit.name if unit else None


def project(pid: int, code: str, name: str, **values: Any) -> dict[str, Any]:
    p: dict[str, Any] = dict.fromkeys(COLUMNS)
    p.update(id=pid, code=code, name=name, norm_name=norm_project_name(name))
    p.update({"merged_into_id": None, "stage": "negotiating", **values})
    return p


PROJECTS = {
    1: project(1, "ZS20220001", "玉雕产业园", stage="started", started_on=date(2022, 1, 5)),
    2: project(2, "ZS20220002", "食品加工厂", total_investment=Decimal("500")),
    3: project(3, "ZS20220003", "晁陂物流园"),
    4: project(4, "ZS20220004", "新报项目", last_reported_on=date(2022, 4, 1)),
}
ROLES = {
    1: {"sourcing": frozenset({"t1"})},
    2: {"sourcing": frozenset({"t1"})},
    3: {"sourcing": frozenset({"t2"})},
    4: {"sourcing": frozenset({"t1"})},
}
SNAPSHOT = Snapshot.of(PROJECTS, ROLES)


def context(unit: str | None = "石佛寺镇", **kw: Any) -> PlanContext:
    return PlanContext(
        units=Units(),
        unit=UNITS[unit] if unit else None,
        report_date=kw.pop("report_date", DAY),
        today=date(2022, 3, 14),
        headings={
            "name": "项目名称",
            "code": "项目编号",
            "stage": "项目阶段",
            "signed_on": "签约日期",
            "roles:sourcing": "招引单位",
        },
        planned_day=lambda text, year: date(2026, 9, 30) if text == "2026年9月" else None,
        **kw,
    )


def row(n: int, name: str, **values: Any) -> ReportRow:
    return ReportRow(n, {"name": name, **values})


def one(r: ReportRow, **kw: Any) -> Any:
    result = plan([r], SNAPSHOT, context(**kw))
    assert len(result.decisions) == 1
    return result.decisions[0]


CASES: list[tuple[str, ReportRow, dict[str, Any], type, str]] = [
    # (what, row, context, decision, a message of the problem or warning, "" for none)
    ("new project", row(5, "光伏电站", stage=Stage.SIGNED), {}, New, "按填报日期"),
    (
        "matches unchanged",
        row(5, "食品加工厂", total_investment=Decimal("500.0")),
        {"report_date": date(2022, 3, 11)},
        Unchanged,
        "",
    ),
    ("stage backwards", row(5, "玉雕产业园", stage=Stage.SIGNED), {}, Update, "阶段由开工退回签约"),
    (
        "拟签约 keeps a known project",
        row(5, "食品加工厂", stage=planned_stage("拟签约")),
        {},
        Update,
        "",
    ),
    (
        "拟签约 new project",
        row(5, "光伏电站", stage=planned_stage("拟签约")),
        {},
        New,
        "写的是「拟签约」（计划，尚未发生），新项目记为洽谈",
    ),
    (
        "unknown unit",
        row(5, "光伏电站", stage=Stage.SIGNED, **{"roles:sourcing": ["火星镇"]}),
        {},
        Refused,
        "未知单位「火星镇」",
    ),
    (
        "future date",
        row(5, "光伏电站", stage=Stage.SIGNED, signed_on=date(2022, 3, 20)),
        {},
        Refused,
        "日期晚于填报日期（2022-03-11），不能是将来的日期",
    ),
    (
        "another unit's project",
        row(5, "晁陂物流园", code="ZS20220003"),
        {},
        Refused,
        "本单位周报不能修改",
    ),
    ("new without stage", row(5, "光伏电站"), {}, Refused, "新项目须填写项目阶段"),
    (
        "unknown --link",
        row(5, "光伏电站"),
        {"links": {"5": "ZS9"}},
        Refused,
        "--link 指定的项目编号 ZS9 不存在",
    ),
    (
        "old report",
        row(5, "新报项目", total_investment=Decimal(9)),
        {},
        Unchanged,
        "早于该项目最近一次报送",
    ),
    (
        "summary row names no unit",
        row(5, "光伏电站", stage=Stage.SIGNED),
        {"unit": None, "all_units": True},
        Refused,
        "汇总表每个新项目须写明招引单位或落地单位",
    ),
    (
        "lookalike",
        row(5, "玉雕产业园", stage=Stage.SIGNED),
        {"unit": "晁陂镇"},
        Refused,
        "疑似与已有项目重复",
    ),
]


@pytest.mark.parametrize(("what", "r", "kw", "kind", "said"), CASES, ids=[c[0] for c in CASES])
def test_decisions(what: str, r: ReportRow, kw: dict[str, Any], kind: type, said: str) -> None:
    result = plan([r], SNAPSHOT, context(**kw))
    (d,) = result.decisions
    assert type(d) is kind, (what, d)
    told = [p.message for p in result.problems] + list(result.warnings)
    assert not said or any(said in t for t in told), told
    if kind is not Refused:
        assert result.problems == ()


def test_new_project_values() -> None:
    d = one(row(5, "光伏电站", stage=Stage.SIGNED, total_investment=Decimal(300)))
    assert isinstance(d, New)
    assert d.code == "ZS20220005"  # after the snapshot's highest
    assert dict(d.values) == {
        "code": "ZS20220005",
        "name": "光伏电站",
        "total_investment": Decimal(300),
        "stage": "signed",
        "signed_on": DAY,  # no date of its own: the report date, said so
        "last_reported_on": DAY,
        "roles:sourcing": frozenset({"t1"}),  # a unit reports what it brought in
    }


def test_update_carries_the_field_diff() -> None:
    d = one(row(5, "食品加工厂", total_investment=Decimal(600), stage=Stage.SIGNED))
    assert isinstance(d, Update) and d.project_id == 2
    assert dict(d.changes) == {
        "total_investment": (Decimal("500"), Decimal(600)),
        "stage": ("negotiating", "signed"),
        "signed_on": (None, DAY),
        "last_reported_on": (None, DAY),
    }


def test_unchanged_records_only_the_report_date() -> None:
    d = one(row(5, "食品加工厂", total_investment=Decimal("500.00")))
    assert isinstance(d, Unchanged) and not d.substantive
    assert dict(d.changes) == {"last_reported_on": (None, DAY)}


def test_planned_start_is_a_planned_date_never_reached() -> None:
    d = one(row(5, "食品加工厂", stage=planned_stage("计划2026年9月开工")))
    assert isinstance(d, Update)
    assert "stage" not in d.changes and "started_on" not in d.changes
    assert d.changes["planned_start_on"] == (None, date(2026, 9, 30))
    assert d.changes["extra"][1] == {"计划阶段": "计划2026年9月开工"}


def test_a_project_twice_refuses_the_second_row() -> None:
    rows = [row(5, "食品加工厂"), row(6, "食品加工厂")]
    result = plan(rows, SNAPSHOT, context())
    assert [type(d) for d in result.decisions] == [Unchanged, Refused]
    assert [p.row for p in result.problems] == [6]
    assert "与第5行是同一项目" in result.problems[0].message


def test_a_generated_code_avoids_one_the_report_writes() -> None:
    rows = [
        row(5, "甲项目", stage=Stage.SIGNED),
        row(6, "乙项目", stage=Stage.SIGNED, code="ZS20220005"),
    ]
    result = plan(rows, SNAPSHOT, context(stated=stated_codes(rows)))
    assert [d.code for d in result.decisions if isinstance(d, New)] == ["ZS20220006", "ZS20220005"]


def test_validators_are_plain_functions_returning_problems() -> None:
    run = Run(SNAPSHOT, context())
    first = RowWork(row(5, "甲"), "甲", "甲")
    again = RowWork(ReportRow(6, {"name": "乙", "code": "X1"}), "乙", "乙")
    assert code_clash(run, first) == ()
    assert repeated(run, first) == ()
    assert code_clash(run, RowWork(ReportRow(5, {"name": "甲", "code": "X1"}), "甲", "甲")) == ()
    (problem,) = code_clash(run, again)
    assert problem.row == 6 and problem.column == "项目编号" and problem.value == "X1"
    (twice,) = repeated(run, RowWork(row(7, "甲"), "甲", "甲"))
    assert twice.message == "与第5行项目名称相同，一个项目只能填一行"


NAMES = ["玉雕产业园", "食品加工厂", "晁陂物流园", "光伏电站", "甲项目", "乙项目"]
stages = st.sampled_from(
    [None, Stage.SIGNED, Stage.STARTED, Stage.NEGOTIATING, PlannedStage(Stage.SIGNED, "拟签约")]
)
rows_st = st.lists(
    st.builds(
        lambda name, stage, code, unit, amount: {
            "name": name,
            **({"stage": stage} if stage else {}),
            **({"code": code} if code else {}),
            **({"roles:sourcing": [unit]} if unit else {}),
            **({"total_investment": Decimal(amount)} if amount is not None else {}),
        },
        st.sampled_from(NAMES),
        stages,
        st.sampled_from([None, "ZS20220001", "ZS20220003", "ZS20229999"]),
        st.sampled_from([None, "石佛寺镇", "晁陂镇", "火星镇"]),
        st.one_of(st.none(), st.integers(0, 1000)),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(cells=rows_st, unit=st.sampled_from([None, "石佛寺镇"]))
def test_plan_is_deterministic_and_decides_every_row_once(
    cells: list[dict[str, Any]], unit: str | None
) -> None:
    rows = [ReportRow(i + 5, c) for i, c in enumerate(cells)]
    kw = {"unit": unit, "all_units": unit is None, "stated": stated_codes(rows)}
    first: ImportPlan = plan(rows, SNAPSHOT, context(**kw))
    again: ImportPlan = plan(list(rows), SNAPSHOT, context(**kw))
    assert first == again
    assert [d.row for d in first.decisions] == [r.row for r in rows]
    refused = [d for d in first.decisions if isinstance(d, Refused)]
    assert all(d.problems for d in refused)
    assert first.problems == tuple(p for d in refused for p in d.problems)
    codes = [d.code for d in first.decisions if isinstance(d, New)]
    assert len(codes) == len(set(codes))  # a code is given once
