"""Smaller leaks: an Excel zero date, a sheet naming an unknown unit under --unit, a name
merged across rows (refused with an annotated copy), a superseding summary saying so."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import dump, query
from zsyz.io.values import ValueProblem, parse_date

HEAD = ["项目编号", "项目名称", "投资方", "总投资（万元）", "项目阶段", "签约日期", "落地单位"]


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def report(tmp_path, rows, *, unit="石佛寺镇", name="r.xlsx", merges=(), day="2022-03-11"):
    top = [f"填报单位：{unit}", None, None, f"填报日期：{day}"]
    return write_xlsx(tmp_path / name, [top, HEAD, *rows], merges=merges)


@pytest.mark.parametrize("value", [date(1900, 1, 1), datetime(1899, 12, 31), date(1949, 12, 31)])
def test_a_date_cell_before_1950_is_refused(value):
    with pytest.raises(ValueProblem, match="不可信"):
        parse_date(value)


def test_a_real_1900_01_01_cell_is_refused_as_signing_date(ledger, cli, tmp_path):
    row = [None, "甲", "甲公司", 100, "签约", datetime(1900, 1, 1), None]
    before = dump(ledger)
    result = cli("import", str(report(tmp_path, [row])))
    assert result.code == 65 and "1900-01-01 不可信" in result.err
    assert dump(ledger) == before


def test_unit_option_with_a_sheet_naming_an_unknown_unit(ledger, cli, tmp_path):
    path = report(tmp_path, [[None, "甲", "甲公司", 100, "签约", None, None]], unit="火星镇")
    result = cli("import", str(path), "--unit", "石佛寺镇")
    assert result.code == 65 and "火星镇" in result.err and "不在单位名册" in result.err


def test_a_name_merged_across_rows_is_refused_with_an_annotated_copy(ledger, cli, tmp_path):
    from openpyxl import load_workbook

    rows = [[None, "甲", "a", 100, "签约", None, None], [None, None, "b", 200, "签约", None, None]]
    path = report(tmp_path, rows, merges=["B3:B4"])
    result = cli("import", str(path))
    assert result.code == 65 and "合并" in result.err
    copy = tmp_path / "r.错误标注.xlsx"
    assert copy.exists(), result.err
    marked = load_workbook(copy)["Sheet1"]["B3"]
    assert marked.comment is not None and "项目名称" in marked.comment.text


def test_an_all_units_import_that_supersedes_says_so(ledger, cli, tmp_path):
    row = [None, "甲", "甲公司", 100, "签约", None, "石佛寺镇"]
    first = report(tmp_path, [row], unit="招商服务中心", name="a.xlsx")
    assert cli("import", str(first), "--all-units").code == 0
    row2 = [None, "甲", "甲公司", 120, "签约", None, "石佛寺镇"]
    second = report(tmp_path, [row2], unit="招商服务中心", name="b.xlsx")
    result = cli("import", str(second), "--all-units", "--format", "json")
    assert result.code == 0, result.err
    (out,) = result.json()
    assert any("取代" in w and "#1" in w and "a.xlsx" in w for w in out["warnings"])
    assert query(ledger, "SELECT status FROM import_batch ORDER BY id") == [
        ("superseded",),
        ("imported",),
    ]


def test_a_rejected_correction_does_not_claim_it_withdrew_the_batch(ledger, cli, tmp_path):
    """QA #29: a rejected file of the same unit and period said 「该批次的改动已撤回」 while the
    earlier batch stayed in force."""
    first = report(tmp_path, [[None, "甲", "甲公司", 100, "签约", None, None]], name="a.xlsx")
    assert cli("import", str(first)).code == 0
    bad = report(tmp_path, [[None, "甲", "甲公司", "很多", "签约", None, None]], name="b.xlsx")
    result = cli("import", str(bad), "--format", "json")
    assert result.code == 65
    (out,) = result.json()
    assert out["status"] == "rejected"
    assert not any("撤回" in w for w in out["warnings"]), out["warnings"]
    assert "批次 #1（a.xlsx）仍然有效；本文件改正后重新导入将取代它" in out["warnings"]
    assert query(ledger, "SELECT status FROM import_batch ORDER BY id") == [("imported",)]
    assert query(ledger, "SELECT total_investment FROM project") == [(1000000,)]


def test_a_dry_run_correction_says_the_batch_would_be_withdrawn(ledger, cli, tmp_path):
    first = report(tmp_path, [[None, "甲", "甲公司", 100, "签约", None, None]], name="a.xlsx")
    assert cli("import", str(first)).code == 0
    again = report(tmp_path, [[None, "甲", "甲公司", 120, "签约", None, None]], name="b.xlsx")
    (out,) = cli("import", str(again), "--dry-run", "--format", "json").json()
    assert out["status"] == "dry_run"
    assert any(w.endswith("批次 #1（a.xlsx），导入时该批次的改动将撤回") for w in out["warnings"])
    assert query(ledger, "SELECT status FROM import_batch ORDER BY id") == [("imported",)]


def test_a_dollar_column_refusal_names_no_policy_key(ledger, cli, tmp_path):
    """The refusal goes back to the unit in the annotated copy: no `[currency] usd`."""
    head = ["项目名称", "投资方", "利用外资（万美元）", "项目阶段"]
    top = ["填报单位：石佛寺镇", None, "填报日期：2022-03-11"]
    path = write_xlsx(tmp_path / "usd.xlsx", [top, head, ["甲", "甲公司", 500, "签约"]])
    result = cli("import", str(path), "--format", "json")
    assert result.code == 65
    (err,) = [e for e in result.json()[0]["errors"] if e["column"] == "利用外资（万美元）"]
    assert err["message"] == (
        "该列金额以万美元计，没有汇率无法折算为人民币；请把该列折算为人民币（万元）后重报"
        "（或由县招商中心设定美元汇率后导入）"
    )
    assert query(ledger, "SELECT count(*) FROM project") == [(0,)]
