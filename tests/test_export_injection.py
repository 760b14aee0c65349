"""Every export keeps a name that looks like a formula as text (CSV and xlsx alike).

Units and projects are named like formulas; every csv/xlsx the CLI writes is read back:
a csv cell may start with = + - @ or a control character only as a number, and no
xlsx cell is a formula. Amounts stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

EVIL = ['=HYPERLINK("http://x","点我")', "+1", "-2+3", "@SUM(A1)", "\t=1"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
HEAD = ["项目编号", "项目名称", "投资方", "总投资（万元）", "固定资产投资", "项目阶段", "签约日期"]


def week_report(path: Path, rows, unit: str = "石佛寺镇", day: str = "2020-06-05") -> Path:
    """A report whose "=…" cells are text cells, as a person typing them would save them."""
    from openpyxl import Workbook

    from zsyz.io.cells import append

    lines = [["项目周报"], [f"填报单位：{unit}", None, None, f"填报日期：{day}"], HEAD, *rows]
    wb = Workbook()
    for line in lines:
        append(wb.active, list(line))
    wb.save(path)
    return path


@pytest.fixture
def evil(db, cli, tmp_path):
    """Zhenping's policy, units named like formulas, projects named like formulas."""
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    for i, name in enumerate(EVIL):
        result = cli("units", "add", "--class", "township", "--", name.strip() or f"单位{i}")
        assert result.code == 0, result.err
    rows = [
        [None, name, "=cmd|'/c calc'!A1", 12000 + i, 11000 + i, "签约", "2020-06-01"]
        for i, name in enumerate(EVIL)
    ]
    result = cli("import", str(week_report(tmp_path / "evil.xlsx", rows)))
    assert result.code == 0, result.err
    return db


def assert_csv_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        for cell in row:
            if cell[:1] in DANGEROUS:
                try:
                    Decimal(cell)  # a negative amount is data, not a formula
                except InvalidOperation:
                    pytest.fail(f"csv cell would run as a formula: {cell!r}")
    return rows


def assert_xlsx_safe(path: Path) -> list:
    from openpyxl import load_workbook

    values = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                values.append(cell.value)
    return values


def test_listings_as_csv_keep_formula_names_as_text(evil, cli):
    for args in (
        ("projects", "list"),
        ("units", "list"),
        ("progress", "--year", "2020", "--as-of", "2020-06-30"),
        ("alerts", "--as-of", "2020-06-30"),
        ("rank", "--quarter", "2020-Q2"),
        ("rewards", "--year", "2020"),
        ("imports", "list"),
    ):
        result = cli(*args, "--format", "csv")
        assert result.code in (0, 3), (args, result.err)
        rows = assert_csv_safe(result.out)
        cells = {c for r in rows for c in r}
        if args[0] in ("projects", "units", "progress", "rank"):
            assert "'+1" in cells and "'-2+3" in cells, (args, cells)
    projects = assert_csv_safe(cli("projects", "list", "--format", "csv").out)
    assert '\'=HYPERLINK("http://x","点我")' in {c for r in projects for c in r}
    assert "12000" in {c for r in projects for c in r}  # amounts stay plain numbers


def test_rank_xlsx_report_and_template_have_no_formula_cells(evil, cli, tmp_path):
    rank = tmp_path / "排名.xlsx"
    assert cli("rank", "--quarter", "2020-Q2", "-f", "xlsx", "-o", rank).code == 0
    assert "+1" in assert_xlsx_safe(rank)
    bulletin = tmp_path / "通报.xlsx"
    assert cli("report", "--quarter", "2020-Q2", "-o", bulletin).code == 0
    assert_xlsx_safe(bulletin)
    template = tmp_path / "模板.xlsx"
    made = cli("template", "--unit", "石佛寺镇", "-o", template, "--date", "2020-06-12")
    assert made.code == 0, made.err
    values = assert_xlsx_safe(template)
    assert {e.strip() for e in EVIL} <= set(
        values
    ) and 12000 in values  # names as text, amounts as numbers


def test_annotated_refusal_copy_has_no_formula_cells(evil, cli, tmp_path):
    rows = [[None, name, None, "-2+3", None, "签约", "2020-06-01"] for name in EVIL]
    path = week_report(tmp_path / "refused.xlsx", rows, day="2020-06-12")
    assert cli("import", str(path)).code == 65
    values = assert_xlsx_safe(tmp_path / "refused.错误标注.xlsx")
    assert "-2+3" in values


def test_annotated_copy_of_an_xls_has_no_formula_cells(evil, cli, tmp_path):
    """An .xls refusal is rebuilt from values (openpyxl cannot open .xls): the rebuilt
    cells must not turn "=…" text into formulas."""
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("周报")
    ws.write(0, 0, "填报单位：石佛寺镇")
    ws.write(0, 3, "填报日期：2020/6/12")
    for c, h in enumerate(["项目名称", "总投资（万元）", "项目阶段"]):
        ws.write(1, c, h)
    for r, name in enumerate(EVIL, start=2):
        for c, v in enumerate([name, "很多", "签约"]):
            ws.write(r, c, v)
    path = tmp_path / "旧格式.xls"
    wb.save(str(path))
    assert cli("import", str(path)).code == 65
    values = assert_xlsx_safe(tmp_path / "旧格式.错误标注.xlsx")
    assert '=HYPERLINK("http://x","点我")' in values
