"""zsyz rank / rewards / report through the CLI, golden table output, the bulletin read
back sheet by sheet, its PDF, and the formula-injection sanitiser.

Regenerate the golden files with ZSYZ_REGEN_GOLDEN=1 pytest tests/test_rank_cli.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import add_project

GOLDEN = Path(__file__).resolve().parent / "golden"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ZSYZ_REGEN_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"缺少 {path}；用 ZSYZ_REGEN_GOLDEN=1 生成"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def zp(db, cli):
    """000: 商务局 lands a 1.2亿 factory; 石佛寺镇 signs a 6000万 one; 晁陂镇 a 3500万 one."""
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    add_project(
        db,
        "P1",
        name='=HYPERLINK("http://x")',
        stage="started",
        signed_on=date(2020, 3, 1),
        started_on=date(2020, 5, 10),
        fai=12000,
        total_investment=15000,
        category="制造业",
        investor="@evil",
        progress="-主体施工",
        roles={"sourcing": ["商务局"], "landing": ["石佛寺镇"]},
    )
    add_project(
        db,
        "P2",
        name="玉雕产业园",
        stage="signed",
        signed_on=date(2020, 4, 1),
        fai=6000,
        category="制造业",
        roles={"sourcing": ["石佛寺镇"]},
    )
    add_project(
        db,
        "P3",
        name="民宿",
        stage="signed",
        signed_on=date(2020, 2, 1),
        fai=3500,
        category="文化旅游",
        roles={"sourcing": ["晁陂镇"]},
    )
    add_project(
        db,
        "P4",
        name="冷链物流",
        stage="negotiating",
        fai=3000,
        category="现代服务业",
        roles={"sourcing": ["贾宋镇"]},
    )
    return db


def test_rank_json_contract_and_group(zp, cli):
    result = cli("rank", "--quarter", "2020-Q2", "--group", "乡镇（街道）", "--format", "json")
    assert result.code == 0, result.err
    rows = result.json()
    assert set(rows[0]) == {
        "rank",
        "unit",
        "group",
        "score",
        "completion",
        "previous_rank",
        "components",
    }
    assert set(rows[0]["components"][0]) == {"rule", "points", "detail"}
    top = [(r["unit"], r["rank"], r["score"], r["previous_rank"]) for r in rows[:2]]
    assert top == [("石佛寺镇", 1, 100, 4), ("晁陂镇", 2, 50, 1)]
    assert {r["group"] for r in rows} == {"township"}


def test_rank_explain_lists_every_component(zp, cli, tmp_path):
    out = tmp_path / "explain.txt"
    result = cli("rank", "--quarter", "2020-Q2", "--explain", "县商务局", "-o", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "商务局：县直部门第 1 名，得分 100" in text
    assert "目标完成" in text and "未按时报送周报" in text and "合计" in text
    data = cli("rank", "--quarter", "2020-Q2", "--explain", "商务局", "-f", "json").json()
    assert data["unit"] == "商务局" and data["score"] == 100 and len(data["components"]) == 2


def test_rank_explain_as_csv_is_csv_with_the_json_components(zp, cli):
    import csv
    import io

    args = ("rank", "--quarter", "2020-Q2", "--explain", "商务局")
    data = cli(*args, "-f", "json").json()
    result = cli(*args, "-f", "csv")
    assert result.code == 0, result.err
    assert result.out.startswith("\ufeff规则,得分,计算\r\n")
    rows = list(csv.reader(io.StringIO(result.out.removeprefix("\ufeff"))))[1:]
    assert [(x[0], x[2]) for x in rows[:-1]] == [
        (c["rule"], c["detail"]) for c in data["components"]
    ]
    assert rows[-1][:2] == ["合计", "100"]
    # a workbook of one unit's explanation is not made: said, not a text file named .xlsx
    refused = cli(*args, "-f", "xlsx", "-o", "x.xlsx")
    assert refused.code == 2 and "--explain" in refused.err


def test_rank_usage_errors(zp, cli):
    assert cli("rank").code == 2
    assert cli("rank", "--quarter", "2020-Q2", "--month", "2020-01").code == 2
    bad = cli("rank", "--quarter", "2020-Q5")
    assert bad.code == 2 and "2022-Q1" in bad.err
    assert cli("rank", "--quarter", "2020-Q2", "-f", "xlsx").code == 2
    assert cli("rank", "--quarter", "2020-Q2", "--group", "无此组").code == 2


def test_bare_period_flag_means_latest_ended(zp, cli, tmp_path):
    from zsyz.domain.periods import PeriodKind, latest_ended

    result = cli("rank", "--quarter", "-f", "json")
    assert result.code == 0, result.err
    expected = latest_ended(PeriodKind.QUARTER, date.today())
    out = tmp_path / "r.txt"
    assert cli("rank", "-o", out, "--quarter").code == 0
    assert expected.label_zh in out.read_text(encoding="utf-8")
    assert cli("report", "-o", tmp_path / "t.xlsx", "--month").code == 0


def test_golden_rank_and_rewards_tables(zp, cli, tmp_path):
    out = tmp_path / "rank.txt"
    assert cli("rank", "--quarter", "2020-Q2", "--group", "township", "-o", out).code == 0
    golden("rank_zhenping_2020Q2_township.txt", out.read_text(encoding="utf-8"))
    out = tmp_path / "rewards.txt"
    assert cli("rewards", "--year", "2020", "-o", out).code == 0
    golden("rewards_zhenping_2020.txt", out.read_text(encoding="utf-8"))


def test_rewards_json_contract(zp, cli):
    data = cli("rewards", "--year", "2020", "-f", "json").json()
    assert set(data) == {"year", "total", "lines", "flags", "notes"}
    assert data["year"] == 2020 and data["total"] == 30
    assert set(data["lines"][0]) == {"unit", "rule", "amount", "reason", "projects"}
    shangwu = [
        (x["rule"], x["amount"], x["projects"]) for x in data["lines"] if x["unit"] == "商务局"
    ]
    assert shangwu == [
        ("完成年度目标任务奖励工作经费", 10, ["P1"]),
        ("招引落地固投≥1亿元产业项目奖励工作经费", 10, ["P1"]),
    ]
    assert all(set(f) == {"unit", "flag", "reason"} for f in data["flags"])
    csv = cli("rewards", "--year", "2020", "-f", "csv").out
    assert csv.startswith("\ufeff单位,奖励规则,金额（万元）")


def test_rank_xlsx_and_csv_are_safe(zp, cli, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "排名.xlsx"
    assert cli("rank", "--quarter", "2020-Q2", "-f", "xlsx", "-o", path).code == 0
    ws = load_workbook(path)["排名"]
    assert ws.freeze_panes == "A4"
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "石佛寺镇" in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_bulletin_reads_back_sheet_by_sheet(zp, cli, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "通报.xlsx"
    result = cli("report", "--quarter", "2020-Q2", "-o", path)
    assert result.code == 0, result.err
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "概况",
        "排名（一）",
        "排名（二）",
        "完成情况",
        "完成率图",
        "预警汇总",
        "计分说明",
        "签约项目",
        "开工项目",
        "在谈项目",
        "预警清单",
    ]
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} 是公式"
    summary = wb["概况"]
    assert summary["A1"].value == "镇平县招商引资工作通报（2020年第2季度）"
    assert summary["A2"].value == "单位：万元"
    rows = {r[1]: r[2:] for r in summary.iter_rows(min_row=4, max_row=7, values_only=True)}
    # signed this quarter: P2 (6000万 FAI) ; year to date P1, P2, P3 = 21500万
    assert rows["签约项目"][0] == 1 and rows["签约项目"][2] == 6000
    assert rows["签约项目"][3] == 3 and rows["签约项目"][5] == 21500
    assert rows["开工项目"][0] == 1 and rows["开工项目"][2] == 12000
    assert summary["D4"].number_format == "#,##0.00"
    rank_ws = wb["排名（一）"]
    assert rank_ws.freeze_panes == "A4"
    headings = [c.value for c in rank_ws[3]]
    assert headings[:3] == ["名次", "单位", "得分"]
    assert headings[-3:] == ["综合完成率", "上期名次", "升降"]
    assert "目标完成" in headings and "未按时报送周报" in headings
    assert len(wb["完成率图"]._charts) == 1
    signed = wb["签约项目"]
    assert [c.value for c in signed[3]][:3] == ["序号", "项目编号", "项目名称"]
    assert [r[:2] for r in signed.iter_rows(min_row=4, values_only=True)] == [
        (1, "P2"),
        (2, "P3"),
        ("合计", None),
    ]
    started = wb["开工项目"]
    p1 = next(started.iter_rows(min_row=4))
    # text that looks like a formula stays text
    assert p1[2].value == '=HYPERLINK("http://x")' and p1[2].data_type == "s"
    assert p1[3].value == "@evil" and p1[12].value == "-主体施工"
    assert [r[1] for r in wb["在谈项目"].iter_rows(min_row=4, values_only=True)] == ["P4", None]
    alerts = cli("alerts", "--as-of", "2020-06-30", "--format", "json").json()
    listed = list(wb["预警清单"].iter_rows(min_row=4, values_only=True))
    assert alerts and len(listed) == len(alerts)
    assert [r[4] for r in listed] == [a["project"] for a in alerts]
    widths = rank_ws.column_dimensions
    assert widths["B"].width >= 10  # 4 CJK characters fit


def test_bulletin_refuses_other_suffix(zp, cli, tmp_path):
    assert cli("report", "--month", "2020-05", "-o", tmp_path / "x.pdf").code == 2
    assert cli("report", "--month", "2020-05", "--docx", tmp_path / "x.xlsx").code == 2
    assert cli("report", "--month", "2020-05").code == 2  # no output at all


def test_bulletin_converts_to_pdf(zp, cli, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) 未安装：apt-get install -y libreoffice-calc 后可测转 PDF"
        )
    path = tmp_path / "通报.xlsx"
    assert cli("report", "--month", "2020-05", "-o", path).code == 0
    env = {**os.environ, "HOME": str(tmp_path)}  # a private LibreOffice profile
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    pdf = tmp_path / "通报.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 5000


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\nx", '=cmd|"/c calc"!A1']
)
def test_sanitiser_keeps_dangerous_text_as_text(text, tmp_path):
    from openpyxl import Workbook, load_workbook

    from zsyz.io.cells import put

    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, text)
    put(ws, 1, 2, Decimal("12.5"))
    put(ws, 1, 3, 7)
    put(ws, 1, 4, "普通文字\x01")
    wb.save(tmp_path / "x.xlsx")
    back = load_workbook(tmp_path / "x.xlsx").active
    a, b, c, d = back[1]
    assert (a.value, a.data_type, a.quotePrefix) == (text, "s", True)
    assert (b.value, b.data_type) == (12.5, "n")
    assert (c.value, c.data_type) == (7, "n")
    assert (d.value, d.quotePrefix) == ("普通文字", False)
    import zipfile

    sheet = zipfile.ZipFile(tmp_path / "x.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet


def test_display_width_counts_cjk_as_two():
    from zsyz.io.sheets import display_width

    assert display_width("商务局") == 6
    assert display_width("P1") == 2
    assert display_width("≥1亿") == 5
