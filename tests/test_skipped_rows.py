"""No silent drop: totals and notes are recognised by the whole row, never by how a
project's name begins, and every row left out is named in the result with why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zsyz.io.weekly import parse_weekly

HEAD = ["项目编号", "项目名称", "投资方", "总投资（万元）", "固定资产投资", "项目阶段"]
TOP = [["填报单位：石佛寺镇", None, None, "填报日期：2022-03-11"], HEAD]


def names(path) -> list[str]:
    return [r.values["name"] for r in parse_weekly(path).rows]


@pytest.mark.parametrize(
    "row",
    [
        ["ZS20220007", "小计算机配件产业园", "某电子", 5000, 3000, "洽谈"],
        [None, "总计划投资十亿的物流园", "某物流", 100000, 80000, "签约"],
        [None, "合计划建设的冷链中心", None, 2000, None, "洽谈"],
        [None, "说明书印刷包装项目", "某印务", 3000, 2000, "洽谈"],
        [None, "注塑件生产线", "某塑业", 800, 600, "在谈"],
        ["ZS20220009", "合计", None, 100, None, None],  # coded: a project, oddly named
        [None, "小计", "某公司", 100, None, "洽谈"],  # text beyond sums: a project
    ],
)
def test_a_project_named_like_a_total_or_note_is_a_project(xlsx, row):
    after = [None, "后面的项目", None, 100, None, "洽谈"]
    path = xlsx([*TOP, row, after])
    assert names(path) == [row[1], "后面的项目"]
    assert parse_weekly(path).warnings == []


@pytest.mark.parametrize(
    "total",
    [
        [None, "合计", None, 300, 200, None],
        ["合计", None, None, 300, 200, None],
        ["小计（2个）", None, None, "300", 200, None],
        [None, "总 计：", None, 300.5, "200万元", None],
        [None, "全县合计", None, None, None, None],
    ],
)
def test_a_total_row_is_skipped_and_named(xlsx, total):
    rows = [[None, "甲", None, 100, 100, "洽谈"], total, [None, "乙", None, 200, 100, "洽谈"]]
    report = parse_weekly(xlsx([*TOP, *rows]))
    assert [r.values["name"] for r in report.rows] == ["甲", "乙"]
    assert report.rows[1].values["total_investment"] == Decimal(200)
    (warning,) = report.warnings
    assert "第4行" in warning and "合计行" in warning


def test_notes_end_the_table_and_the_rest_is_counted(xlsx):
    rows = [
        [None, "甲", None, 100, 100, "洽谈"],
        ["填表说明：1. 金额单位万元", None, None, None, None, None],
        [None, "2. 项目阶段填写洽谈、签约", None, None, None, None],
        [None, "填报人：张三", None, None, None, None],
    ]
    report = parse_weekly(xlsx([*TOP, *rows]))
    assert [r.values["name"] for r in report.rows] == ["甲"]
    (warning,) = report.warnings
    assert "第4行起" in warning and "填表说明" in warning and "共 3 行" in warning


def test_a_row_with_nothing_readable_is_named(xlsx):
    rows = [[None, "甲", None, 100, 100, "洽谈"], [None, None, None, None, None, None, "孤立备注"]]
    report = parse_weekly(xlsx([*TOP, *rows]))
    assert [r.values["name"] for r in report.rows] == ["甲"]
    assert any("第4行没有可读取的项目内容（孤立备注）" in w for w in report.warnings)
