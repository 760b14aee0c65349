"""The 通报 (issue 18): the bulletin workbook read back sheet by sheet, the written .docx
read back paragraph by paragraph with every number checked against `progress`/`rank`
JSON, the template, and both converted to PDF with LibreOffice.

County of the fixture (镇平县 000, 2020): 50 units (the preset's 47, a county unit with
targets 4 signed projects and 20000万元 funds, two more townships). Worked by hand:
- signed 1—6月 2020: P1 (03-01), P2 (04-01), P3 (02-01) = 3 projects, 总投资
  15000 + 7000 + 4000 = 26000万元 = 2.60亿元; 2019 same span: P0 (2019-05-01) = 1, so
  同比 +200.0%; 3/4 = 75.0% of the county target; 序时进度 on 2020-06-30 = 182/366 =
  49.73%, so 超序时进度 25.3 个百分点.
- started 1—6月: P1 = 1 project, 1.50亿元; 2019: none, so no 同比 in that clause.
- funds arrived 1—6月 2020: P1 0 → 8000 = 0.80亿元; 2019 same span: P0 4000, so
  同比 +100.0%; 8000/20000 = 40.0%, 欠序时进度 9.7 个百分点.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import add_project

ENGLISH = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def county(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    for argv in (
        ("units", "add", "镇平县", "--class", "county"),
        ("units", "add", "新城镇", "--class", "township"),
        ("units", "add", "三里河街道", "--class", "township"),
        ("targets", "set", "镇平县", "--year", "2020", "--metric", "signed", "--value", "4"),
        ("targets", "set", "镇平县", "--year", "2020", "--metric", "funds", "--value", "20000"),
    ):
        result = cli(*argv)
        assert result.code == 0, result.err
    add_project(
        db,
        "P0",
        name="去年的纺织厂",
        stage="signed",
        signed_on=date(2019, 5, 1),
        total_investment=10000,
        fai=8000,
        category="制造业",
        funds_in_place=4000,
        roles={"sourcing": ["商务局"]},
        history=[("funds_in_place", 4000, date(2019, 6, 1))],
    )
    add_project(
        db,
        "P1",
        name="电子元件厂",
        stage="started",
        signed_on=date(2020, 3, 1),
        started_on=date(2020, 5, 10),
        total_investment=15000,
        fai=12000,
        funds_in_place=8000,
        category="制造业",
        roles={"sourcing": ["商务局"], "landing": ["石佛寺镇"]},
        history=[
            ("funds_in_place", 3000, date(2020, 4, 15)),
            ("funds_in_place", 8000, date(2020, 6, 20)),
        ],
    )
    add_project(
        db,
        "P2",
        name="玉雕产业园",
        stage="signed",
        signed_on=date(2020, 4, 1),
        total_investment=7000,
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
        total_investment=4000,
        fai=3500,
        category="文化旅游",
        roles={"sourcing": ["晁陂镇"]},
    )
    return db


def _report(cli, tmp_path: Path, *extra: str) -> tuple[Path, Path]:
    xlsx, docx = tmp_path / "通报.xlsx", tmp_path / "通报.docx"
    result = cli("report", "--quarter", "2020-Q2", "-o", xlsx, "--docx", docx, *extra)
    assert result.code == 0, result.err
    return xlsx, docx


def _cells(ws, skip_headings=("项目编号",)):
    """Every text cell, except the columns under the headings in `skip_headings`."""
    skip: set[int] = set()
    for row in ws.iter_rows(min_row=3, max_row=3):
        skip = {c.column for c in row if c.value in skip_headings}
    return [
        c
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.column not in skip
    ]


def test_workbook_layout_fonts_totals_and_print_settings(county, cli, tmp_path):
    from openpyxl import load_workbook

    xlsx, _ = _report(cli, tmp_path)
    wb = load_workbook(xlsx)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert str(setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_margins.left == pytest.approx(2.5 / 2.54)
        assert ws.oddFooter.center.text == "— &P —"
        if ws.title == "完成率图":
            continue
        assert ws["A1"].font.name == "方正小标宋简体"
        assert ws.print_title_rows == "$1:$3"
        body = {c.font.name for row in ws.iter_rows(min_row=4) for c in row if c.value is not None}
        assert body <= {"仿宋", "黑体"}, ws.title  # 黑体: group lines and 合计
        assert [c.font.name for c in ws[3] if c.value] == ["黑体"] * len(
            [c for c in ws[3] if c.value]
        )
        if ws.max_row > 5:
            assert "仿宋" in body, ws.title
        assert ws["A2"].value in (None, "单位：万元", "单位：分", "单位：条") or ws[
            "A2"
        ].value.startswith("单位：")
        for c in _cells(ws):
            assert not ENGLISH.search(c.value), f"{ws.title}!{c.coordinate}: {c.value}"
            assert "county" not in c.value and "zsyz" not in c.value
    # 序号 and 合计 equal to the column sums
    signed = wb["签约项目"]
    heads = [c.value for c in signed[3]]
    assert heads[0] == "序号" and "总投资" in heads
    body = list(signed.iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in body[:-1]] == [1, 2, 3]  # P0 (signed 2019), P2, P3
    total = body[-1]
    assert total[0] == "合计"
    for j, name in enumerate(heads):
        if name in ("总投资", "固定资产投资", "到位资金"):
            assert total[j] == sum(Decimal(r[j] or 0) for r in body[:-1])
            assert signed.cell(4, j + 1).number_format == "#,##0.00"
    assert total[heads.index("总投资")] == 10000 + 7000 + 4000  # P1 is in 开工项目
    alerts = wb["预警汇总"]
    rows = [r for r in alerts.iter_rows(min_row=4, values_only=True) if r[2] is not None]
    assert rows[-1][0] == "合计"
    for j in range(2, len(rows[0]) - 1):  # 红色, 黄色, each kind
        assert rows[-1][j] == sum(r[j] for r in rows[:-1])
    assert alerts.page_setup.fitToHeight == 1


def test_summary_labels_name_their_unit_and_county_target(county, cli, tmp_path):
    from openpyxl import load_workbook

    xlsx, _ = _report(cli, tmp_path)
    ws = load_workbook(xlsx)["概况"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, max_row=7, values_only=True)}
    signed = rows["签约项目"]
    assert signed[5] == 3 and signed[6] == 26000  # 年累计个数, 年累计总投资
    assert signed[8] == "4个" and Decimal(str(signed[9])) == Decimal("0.75")
    funds = next(r for k, r in rows.items() if k.startswith("到位资金"))
    assert funds[6] == 8000 and funds[8] == "20000万元" and Decimal(str(funds[9])) == Decimal("0.4")


def test_ranking_one_page_per_group_and_blank_movement(county, cli, tmp_path):
    from openpyxl import load_workbook

    xlsx, _ = _report(cli, tmp_path)
    wb = load_workbook(xlsx)
    rank = cli("rank", "--quarter", "2020-Q2", "-f", "json").json()
    sheets = [ws for ws in wb.worksheets if ws.title.startswith("排名")]
    seen = []
    for ws in sheets:
        assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1
        heads = [c.value for c in ws[3]]
        for row in ws.iter_rows(min_row=4, values_only=True):
            if row[0] is None or not isinstance(row[0], int):
                continue  # a group's line or the note
            seen.append(row[1])
            line = dict(zip(heads, row, strict=False))
            if line["上期名次"] is None:
                assert line["升降"] in (None, "")
    assert sorted(seen) == sorted(r["unit"] for r in rank)
    by_unit = {r["unit"]: r for r in rank}
    comp = wb["完成情况"]
    heads = [c.value for c in comp[3]]
    progress = {
        u["unit"]: u
        for u in cli("progress", "--year", "2020", "--as-of", "2020-06-30", "-f", "json").json()
    }
    for row in comp.iter_rows(min_row=4, values_only=True):
        if not isinstance(row[0], int):
            continue
        line = dict(zip(heads, row, strict=False))
        unit = line["单位"]
        assert line["综合完成率"] == by_unit[unit]["completion"]
        if unit in progress:
            assert line["综合完成率"] == progress[unit]["composite_completion"]
            assert line["最低单项完成率"] == progress[unit]["completion"]
        assert "（亿元）" not in (line["各项目标（完成/目标）"] or "")  # values are 万元


def test_chart_labels_every_unit_coloured_by_band(county, cli, tmp_path):
    from openpyxl import load_workbook

    xlsx, _ = _report(cli, tmp_path)
    wb = load_workbook(xlsx)
    rank = cli("rank", "--quarter", "2020-Q2", "-f", "json").json()
    (chart,) = wb["完成率图"]._charts
    assert chart.x_axis.tickLblSkip == 1
    height_cm = chart.anchor.ext.cy / 360000  # EMU
    assert height_cm >= 0.4 * len(rank)  # sized to the number of units
    points = chart.series[0].dPt
    assert len(points) == len(rank) == 50
    colours = [p.spPr.solidFill.srgbClr for p in points]
    for r, colour in zip(rank, colours, strict=True):
        ratio = Decimal(str(r["completion"]))
        want = "2E7D32" if ratio >= 1 else ("F9A825" if ratio >= Decimal("0.8") else "C62828")
        assert colour == want, r["unit"]


@pytest.mark.parametrize(
    ("label", "metric", "shown"),
    [
        ("到位资金（亿元）", "funds", "到位资金（万元）"),
        ("到位资金(万元)", "funds", "到位资金（万元）"),
        ("签约项目（个）", "signed", "签约项目（个）"),
        ("1个固投≥5000万元产业项目", "signed", "1个固投≥5000万元产业项目（个）"),
        ("省外资金", "out_of_province_funds", "省外资金（万元）"),
        ("综合指标", "all_of", "综合指标"),
    ],
)
def test_true_label(label, metric, shown):
    from zsyz.domain.bulletin import true_label

    assert true_label(label, metric) == shown


@pytest.mark.parametrize(
    ("ratio", "want"),
    [("1.2", "good"), ("1", "good"), ("0.99", "fair"), ("0.8", "fair"), ("0.79", "poor")],
)
def test_bands_default(ratio, want):
    from zsyz.domain.bulletin import band
    from zsyz.domain.policy import Bulletin

    assert band(Decimal(ratio), Bulletin()) == want
    assert band(None, Bulletin()) == "poor"


def test_half_and_year_periods(county, cli, tmp_path):
    from openpyxl import load_workbook

    for flag, value, label in (("--half", "2020-H1", "2020年上半年"), ("--year", "2020", "2020年")):
        path = tmp_path / f"{value}.xlsx"
        result = cli("report", flag, value, "-o", path)
        assert result.code == 0, result.err
        title = load_workbook(path)["概况"]["A1"].value
        assert title == f"镇平县招商引资工作通报（{label}）", title


def _docx_text(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_docx_paragraph_by_paragraph_matches_json(county, cli, tmp_path):
    import docx

    _, path = _report(cli, tmp_path)
    paras = _docx_text(path)
    for text in paras:
        assert not ENGLISH.search(text) and "zsyz" not in text, text
    assert paras[0] == "镇平县招商引资工作通报"
    assert paras[1] == "（2020年第2季度\u3000统计截至2020年6月30日）"
    overview = next(p for p in paras if p.startswith("1—6月"))
    progress = cli("progress", "--year", "2020", "--as-of", "2020-06-30", "-f", "json").json()
    (mine,) = [u for u in progress if u["unit"] == "镇平县"]
    required = {t["metric"]: Decimal(str(t["required"])) for t in mine["targets"]}
    assert required == {"signed": 4, "funds": 20000}
    assert overview == (
        "1—6月，全县新签约项目3个、总投资2.60亿元，完成年度目标任务的"
        f"{Decimal(3) / required['signed'] * 100:.1f}%，同比增长200.0%，超序时进度25.3个百分点；"
        "新开工项目1个、总投资1.50亿元；"
        "新投产项目0个、总投资0.00亿元；"
        "实际到位资金0.80亿元，完成年度目标任务的"
        f"{Decimal(8000) / required['funds'] * 100:.1f}%，同比增长100.0%，欠序时进度9.7个百分点。"
    )
    # 红榜/黑榜: every unit and score named is the ranking's
    rank = cli("rank", "--quarter", "2020-Q2", "-f", "json").json()
    scores = {r["unit"]: Decimal(str(r["score"])) for r in rank}
    boards = [p for p in paras if "个单位）：" in p]
    assert len(boards) == len({r["group"] for r in rank})
    named = re.findall(r"([^：、；（]+)（(-?[\d.]+)分）", "".join(boards))
    assert named
    for unit, score in named:
        assert scores[unit] == Decimal(score), unit
    township = next(p for p in boards if p.startswith("乡镇（街道）"))
    ordered = [r["unit"] for r in rank if r["group"] == "township"]
    assert township.startswith(f"乡镇（街道）（{len(ordered)}个单位）：红榜：{ordered[0]}（")
    red, black = township.split("；黑榜：")
    low, top = scores[ordered[-1]], scores[ordered[0]]
    assert [u for u in ordered if f"{u}（" in red] == [u for u in ordered[:3] if scores[u] > low]
    assert [u for u in ordered if f"{u}（" in black] == [u for u in ordered[-3:] if scores[u] < top]
    # the attachments: ranking and completion tables, figures as in the JSON
    doc = docx.Document(str(path))
    ranking, completion = doc.tables
    by_unit = {r["unit"]: r for r in rank}
    for row in ranking.rows[1:]:
        group, place, unit, score, composite, previous = (c.text for c in row.cells)
        r = by_unit[unit]
        assert group  # a Chinese group name (the English id never shows)
        assert not ENGLISH.search(group)
        assert int(place) == r["rank"] and Decimal(score) == Decimal(str(r["score"]))
        assert composite == f"{Decimal(str(r['completion'])) * 100:.1f}%"
        assert previous == ("" if r["previous_rank"] is None else str(r["previous_rank"]))
    least = {u["unit"]: u["completion"] for u in progress}
    for row in completion.rows[1:]:
        _, unit, composite, lowest = (c.text for c in row.cells)
        if unit in least:
            assert lowest == f"{Decimal(str(least[unit])) * 100:.1f}%"
    assert len(ranking.rows) == len(completion.rows) == len(rank) + 1


def test_docx_leaves_out_growth_without_last_year(db, cli, tmp_path):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    add_project(
        db,
        "P1",
        name="电子元件厂",
        stage="signed",
        signed_on=date(2020, 3, 1),
        total_investment=15000,
        fai=12000,
        category="制造业",
        roles={"sourcing": ["商务局"]},
    )
    _, path = _report(cli, tmp_path)
    overview = next(p for p in _docx_text(path) if p.startswith("1—6月"))
    assert "同比" not in overview and "目标任务" not in overview and "序时" not in overview
    assert overview.startswith("1—6月，全县新签约项目1个、总投资1.50亿元；")


def test_county_template_and_its_mistakes(county, cli, tmp_path):
    from zsyz.io.tongbao import DEFAULT_TEMPLATE

    own = tmp_path / "本县模板.txt"
    own.write_text(
        DEFAULT_TEMPLATE.read_text(encoding="utf-8").replace(
            "${place}招商引资工作通报", "${place}招商引资工作情况通报"
        ),
        encoding="utf-8",
    )
    _, path = _report(cli, tmp_path, "--template", own)
    assert _docx_text(path)[0] == "镇平县招商引资工作情况通报"
    bad = tmp_path / "坏模板.txt"
    bad.write_text(
        DEFAULT_TEMPLATE.read_text(encoding="utf-8").replace("${count}个", "${number}个", 1),
        encoding="utf-8",
    )
    result = cli("report", "--quarter", "2020-Q2", "--docx", tmp_path / "x.docx", "--template", bad)
    assert result.code == 65 and "${number}" in result.err and "Traceback" not in result.err
    short = tmp_path / "缺段.txt"
    short.write_text("[title]\n${place}通报\n", encoding="utf-8")
    result = cli(
        "report", "--quarter", "2020-Q2", "--docx", tmp_path / "y.docx", "--template", short
    )
    assert result.code == 65 and "缺少段落" in result.err
    missing = cli(
        "report",
        "--quarter",
        "2020-Q2",
        "--docx",
        tmp_path / "z.docx",
        "--template",
        tmp_path / "无.txt",
    )
    assert missing.code != 0 and "找不到通报模板" in missing.err
    assert not (tmp_path / "x.docx").exists()


def test_docx_extra_missing_is_one_clear_line(county, cli, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)  # import docx → ImportError
    result = cli("report", "--quarter", "2020-Q2", "--docx", tmp_path / "t.docx")
    assert result.code == 2
    assert "python-docx" in result.err and "zsyz[docx]" in result.err
    assert len(result.err.strip().splitlines()) == 1


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip(
            "LibreOffice（soffice）未安装：apt-get install -y libreoffice-calc libreoffice-writer"
        )
    return found


def _pdf(source: Path, out: Path) -> Path:
    env = {**os.environ, "HOME": str(out)}  # a private LibreOffice profile
    subprocess.run(
        [_soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=240,
        env=env,
    )
    pdf = out / f"{source.stem}.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    return pdf


def _page_heads(pdf: Path) -> list[str]:
    """The first line of every page (needs pdftotext, from poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext 未安装：apt-get install -y poppler-utils")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return [
        next((ln.strip() for ln in page.splitlines() if ln.strip()), "")
        for page in text.split("\f")[:-1]
    ]


@pytest.mark.slow
def test_pdf_bulletin_for_50_units_fits_six_pages_plus_appendix(county, cli, tmp_path):
    _soffice()
    xlsx, docx = _report(cli, tmp_path)
    heads = _page_heads(_pdf(xlsx, tmp_path))
    appendix = next(i for i, h in enumerate(heads) if "计分说明" in h)
    assert appendix <= 6, heads
    assert heads[0].startswith("镇平县招商引资工作通报")
    written = _page_heads(_pdf(docx, tmp_path))
    assert written[0] == "镇平县招商引资工作通报" and len(written) >= 3


def test_policy_bulletin_bands_and_fonts():
    from zsyz.errors import InvalidDataError
    from zsyz.policy.load import parse_policy, preset_source

    text = preset_source("zhenping-2020").text
    assert parse_policy(text).bulletin.good == 1  # the default bands: 100%, 80%
    policy = parse_policy(text + '\n[bulletin]\ngood = 1.2\nfair = 0.9\ntitle_font = "黑体"\n')
    assert (policy.bulletin.good, policy.bulletin.fair) == (Decimal("1.2"), Decimal("0.9"))
    assert policy.bulletin.title_font == "黑体" and policy.bulletin.body_font == "仿宋"
    with pytest.raises(InvalidDataError) as err:
        parse_policy(text + "\n[bulletin]\ngood = 0.8\nfair = 0.9\n")
    assert "bulletin" in str(err.value.problems if hasattr(err.value, "problems") else err.value)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_any_template_text_fills_or_refuses_in_chinese(tmp_path, body):
    from zsyz.errors import BadInputError
    from zsyz.io.tongbao import DEFAULT_TEMPLATE, Words, load_template

    path = tmp_path / "t.txt"
    path.write_text(
        DEFAULT_TEMPLATE.read_text(encoding="utf-8") + f"\n[title]\n{body}\n", encoding="utf-8"
    )
    try:
        words = Words(load_template(path))
        text = words("title", place="镇平县")
    except BadInputError as exc:
        assert "通报模板" in str(exc)
    else:
        assert isinstance(text, str)


@pytest.mark.parametrize(
    ("scores", "want"),
    [
        ([100, 100, 100, 100], "乡镇（街道）（4个单位）：各单位得分相同，均为100分。"),
        (
            [90, 80, 70, 60],
            "乡镇（街道）（4个单位）：红榜：甲（90分）、乙（80分）；黑榜：丙（70分）、丁（60分）。",
        ),
        # 乙 ties the lowest: it is not on 红榜 (it did no better than 丁)
        (
            [90, 60, 60, 60],
            "乡镇（街道）（4个单位）：红榜：甲（90分）；黑榜：丙（60分）、丁（60分）。",
        ),
        ([90], "乡镇（街道）（1个单位）：甲（90分）。"),
    ],
)
def test_boards_name_only_units_that_differ(scores, want):
    from types import SimpleNamespace

    from zsyz.domain.policy import Policy, Ranking
    from zsyz.io.tongbao import Words, _boards, load_template

    rows = [
        SimpleNamespace(group="township", unit=SimpleNamespace(name=n), score=Decimal(s))
        for n, s in zip("甲乙丙丁", scores, strict=False)
    ]
    policy = Policy("p", "t", 2020, ranking=Ranking(groups={"township": "乡镇（街道）"}))
    data = SimpleNamespace(rows=rows, policy=policy)
    assert _boards(data, Words(load_template())) == [want]
