"""`zsyz targets import` reads every heading exactly or refuses the table (issue 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SAMPLES


@pytest.fixture
def units(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def targets(cli, year):
    rows = cli("targets", "list", "--year", str(year), "--format", "json").json()
    return {(r["unit"], r["metric"], str(r.get("filters"))): r for r in rows}


@pytest.mark.parametrize(
    ("heading", "metric", "filters"),
    [
        (
            "签约总投资7亿元以上制造业项目（个）",
            "signed",
            {"min_total": 70000, "category": "制造业"},
        ),
        ("签约0.5亿元以上项目（个）", "signed", {"min_total": 5000}),
        ("总投资5000万元以上签约项目", "signed", {"min_total": 5000}),
        ("固投5000万元以上开工项目（个）", "started", {"min_fai": 5000}),
        ("落地项目（个）", "started", {}),
    ],
)
def test_headings_read_exactly(units, cli, xlsx, heading, metric, filters):
    path = xlsx([["2022年目标任务分解表"], ["单位", heading], ["石佛寺镇", 2]])
    result = cli("targets", "import", str(path))
    assert result.code == 0, result.err
    (row,) = cli("targets", "list", "--year", "2022", "--format", "json").json()
    assert row["metric"] == metric and row["required"] == 2
    assert {
        k: (Decimal(str(v)) if k.startswith("min") else v) for k, v in row["filters"].items()
    } == filters


def test_amount_units_and_dollars(units, cli, xlsx):
    path = xlsx(
        [["2022年目标"], ["单位", "到位资金（亿元）", "利用外资（万美元）"], ["石佛寺镇", 1.5, 100]]
    )
    result = cli("targets", "import", str(path))
    assert result.code == 65 and "利用外资（万美元）" in result.err + result.out
    assert cli("targets", "list", "--format", "json").json() == []
    result = cli("targets", "import", str(path), "--usd-rate", "7.1")
    assert result.code == 0, result.err
    got = {r["metric"]: r["required"] for r in cli("targets", "list", "--format", "json").json()}
    assert got == {"funds": 15000, "foreign_funds": 710}


def test_an_unreadable_heading_is_listed_and_refused(units, cli, xlsx):
    path = xlsx([["2022年目标"], ["单位", "签约项目（个）", "综合评价得分"], ["石佛寺镇", 2, 90]])
    result = cli("targets", "import", str(path))
    assert result.code == 65 and "综合评价得分" in result.err + result.out
    assert cli("targets", "list", "--format", "json").json() == []


def test_target_done_progress_layout_imports_targets_only(units, cli, xlsx):
    path = xlsx(
        [
            ["2016-04-01至2016-06-30招商引资目标完成情况"],
            ["序号", "单位", "签约项目（个）", None, None, "到位资金（万元）", None, None],
            [None, None, "目标值", "完成值", "完成进度%", "目标值", "完成值", "完成进度%"],
            [1, "石佛寺镇", 3, 1, 33.3, 5000, 2000, 40],
        ],
        merges=["C2:E2", "F2:H2", "A2:A3", "B2:B3"],
    )
    result = cli("targets", "import", str(path))
    assert result.code == 0, result.err
    assert "完成值" in result.err and "完成进度%" in result.err
    got = {
        r["metric"]: r["required"]
        for r in cli("targets", "list", "--year", "2016", "--format", "json").json()
    }
    assert got == {"signed": 3, "funds": 5000}


def test_policy_target_labels_import_back_to_the_same_targets(cli, xlsx, tmp_path):
    db = str(tmp_path / "panan.db")
    assert cli("--db", db, "init", "--preset", "panan-2022").code == 0
    path = xlsx([["2022年目标"], ["单位", "7亿元以上制造业项目招引落地"], ["金磐开发区", 1]])
    result = cli("--db", db, "targets", "import", str(path))
    assert result.code == 0, result.err
    rows = cli("--db", db, "targets", "list", "--year", "2022", "--format", "json").json()
    (row,) = [r for r in rows if r["unit"] == "金磐开发区" and r["metric"] == "started"]
    assert row["filters"]["category"] == ["制造业", "工业"]
    assert Decimal(str(row["filters"]["min_total"])) == 70000


def test_unit_line_above_headings_scales_plain_amounts(units, cli, xlsx):
    """A 「单位：亿元」 line over plain 到位资金/省外资金 headings means 亿元 (QA #1: targets were
    stored 10,000× too small); a heading with its own unit keeps it, counts are not scaled."""
    path = xlsx(
        [
            ["2026年度招商引资目标任务分解表"],
            [None, None, None, None, "单位：亿元"],
            ["单位", "签约项目（个）", "到位资金", "省外资金", "利用外资（万元）"],
            ["石佛寺镇", 3, 3, 2.5, 500],
        ]
    )
    result = cli("targets", "import", str(path))
    assert result.code == 0, result.err
    got = {r["metric"]: r["required"] for r in cli("targets", "list", "--format", "json").json()}
    assert got == {
        "signed": 3,
        "funds": 30000,
        "out_of_province_funds": 25000,
        "foreign_funds": 500,
    }
