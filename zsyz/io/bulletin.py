"""The monthly bulletin (月通报) and the ranking workbook, written with openpyxl.

Sheets: 概况 (signed/started/producing this period and year to date against the county's
targets), 排名 (score components), 完成情况 (completion per unit, with a bar chart),
完成率图 (the chart on its own page), 签约项目 / 开工项目 / 在谈项目 (the columns offices
use), 预警. All cells go through
the sanitiser in `zsyz.io.cells`; A4 landscape with frozen, repeated headings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zsyz.domain.ranking import RankRow, tie_rule
from zsyz.io.sheets import (
    AMOUNT_FORMAT,
    COUNT_FORMAT,
    POINTS_FORMAT,
    RATIO_FORMAT,
    Col,
    new_workbook,
    printable,
    save,
    table_sheet,
)

ALERT_COLS = [
    Col("no", "序号", COUNT_FORMAT),
    Col("level", "级别"),
    Col("rule_label", "规则"),
    Col("unit", "单位", wrap=True),
    Col("project", "项目编号"),
    Col("project_name", "项目名称", wrap=True),
    Col("message", "情况", wrap=True),
    Col("action", "处理建议", wrap=True),
]
LEVEL_ZH = {"red": "红色", "yellow": "黄色"}

PROJECT_COLS = [
    Col("no", "序号", COUNT_FORMAT),
    Col("code", "项目编号"),
    Col("name", "项目名称", wrap=True),
    Col("investor", "投资方", wrap=True),
    Col("category", "产业类别"),
    Col("total", "总投资（万元）", AMOUNT_FORMAT),
    Col("fai", "固投（万元）", AMOUNT_FORMAT),
    Col("funds", "到位资金（万元）", AMOUNT_FORMAT),
    Col("sourcing", "招引单位"),
    Col("landing", "落地单位"),
    Col("signed", "签约日期"),
    Col("started", "开工日期"),
    Col("progress", "本期进展", wrap=True),
    Col("problems", "存在问题", wrap=True),
]


def _short(rule: str) -> str:
    return rule.split("：", 1)[0]


def ranking_rows(
    rows: list[RankRow], labels: dict[str, str]
) -> tuple[list[Col], list[dict[str, Any]]]:
    """Columns (one per score component) and rows of the ranking sheet."""
    names: list[str] = []
    for r in rows:
        for c in r.components:
            if _short(c.rule) not in names:
                names.append(_short(c.rule))
    cols = [
        Col("group", "组别"),
        Col("rank", "名次", COUNT_FORMAT),
        Col("unit", "单位"),
        Col("score", "得分", POINTS_FORMAT),
        Col("completion", "完成率", RATIO_FORMAT),
        Col("previous", "上期名次", COUNT_FORMAT),
        Col("change", "变化"),
        *(Col(f"c{i}", n, POINTS_FORMAT) for i, n in enumerate(names)),
        Col("detail", "计分说明", wrap=True),
    ]
    out = []
    for r in rows:
        row: dict[str, Any] = {
            "group": labels.get(r.group, r.group),
            "rank": r.rank,
            "unit": r.unit.name,
            "score": r.score,
            "completion": r.completion,
            "previous": r.previous_rank,
            "change": change_text(r),
            "detail": "\n".join(f"{_short(c.rule)}：{c.detail}" for c in r.components),
        }
        for c in r.components:
            row[f"c{names.index(_short(c.rule))}"] = c.points
        out.append(row)
    return cols, out


def change_text(r: RankRow) -> str:
    if r.previous_rank is None:
        return "新进"
    moved = r.previous_rank - r.rank
    return "持平" if moved == 0 else (f"↑{moved}" if moved > 0 else f"↓{-moved}")


def write_ranking(path: Path, title: str, rows: list[RankRow], policy: Any) -> None:
    """`zsyz rank --format xlsx`: the ranking sheet alone."""
    wb = new_workbook()
    labels = policy.ranking.groups if policy.ranking else {}
    cols, data = ranking_rows(rows, labels)
    table_sheet(wb, "排名", title, cols, data, note=tie_rule(policy))
    save(wb, path)


def write_bulletin(path: Path, data: Any, region: str) -> None:
    """The whole monthly bulletin (`data` is a `app.scoring.BulletinData`)."""
    policy, period = data.policy, data.period
    wb = new_workbook()
    head = f"{region}招商引资工作通报（{period.label_zh}，截至 {period.end.isoformat()}）"
    _summary(wb, head, data)
    labels = policy.ranking.groups if policy.ranking else {}
    cols, rows = ranking_rows(data.rows, labels)
    table_sheet(wb, "排名", f"{period.label_zh}排名", cols, rows, note=tie_rule(policy))
    _completion(wb, period, data.rows, labels)
    for name, projects in data.lists.items():
        table_sheet(
            wb,
            name,
            f"{name}清单（截至 {period.end.isoformat()}，共 {len(projects)} 个）",
            PROJECT_COLS,
            [_project(i, p) for i, p in enumerate(projects, start=1)],
        )
    alerts = [
        {**a, "no": i, "level": LEVEL_ZH.get(a["level"], a["level"])}
        for i, a in enumerate(data.alerts, start=1)
    ]
    table_sheet(
        wb,
        "预警",
        f"截至 {period.end.isoformat()} 的预警（共 {len(alerts)} 条，同 zsyz alerts --as-of）",
        ALERT_COLS,
        alerts,
    )
    save(wb, path)


def _summary(wb: Any, head: str, data: Any) -> None:
    cols = [
        Col("label", "指标"),
        Col("p_count", "本期个数", COUNT_FORMAT),
        Col("p_total", "本期总投资（万元）", AMOUNT_FORMAT),
        Col("p_fai", "本期固投（万元）", AMOUNT_FORMAT),
        Col("y_count", "年累计个数", COUNT_FORMAT),
        Col("y_total", "年累计总投资（万元）", AMOUNT_FORMAT),
        Col("y_fai", "年累计固投（万元）", AMOUNT_FORMAT),
        Col("target", "全县目标", AMOUNT_FORMAT),
        Col("completion", "完成率", RATIO_FORMAT),
    ]
    rows = [
        {
            "label": f.label,
            "p_count": f.period_count,
            "p_total": f.period_total,
            "p_fai": f.period_fai,
            "y_count": f.ytd_count,
            "y_total": f.ytd_total,
            "y_fai": f.ytd_fai,
            "target": f.target if f.target is not None else "未设",
            "completion": f.completion,
        }
        for f in data.figures
    ]
    no_target = all(f.target is None for f in data.figures)
    note = f"依据：{data.policy.title}"
    if no_target:
        note += "；政策未设全县（county 类）单位目标，“全县目标”一栏为未设"
    ws = table_sheet(wb, "概况", head, cols, rows, note=note)
    ws.column_dimensions["H"].width = max(ws.column_dimensions["H"].width, 12)


def _completion(wb: Any, period: Any, rows: list[RankRow], labels: dict[str, str]) -> None:
    from openpyxl.chart import BarChart, Reference

    cols = [
        Col("unit", "单位"),
        Col("group", "组别"),
        Col("completion", "完成率", RATIO_FORMAT),
        Col("targets", "各项目标（完成/目标）", wrap=True),
    ]
    data = [
        {
            "unit": r.unit.name,
            "group": labels.get(r.group, r.group),
            "completion": r.completion,
            "targets": "；".join(
                f"{t.label} {t.achieved.normalize():f}/{t.required.normalize():f}"
                for t in (r.progress.targets if r.progress else ())
            ),
        }
        for r in rows
    ]
    title = f"各单位目标完成率（{period.label_zh}，年累计）"
    ws = table_sheet(wb, "完成情况", title, cols, data)
    if not data:
        return
    chart = BarChart()
    chart.type = "bar"  # horizontal: unit names stay readable
    chart.title = title
    chart.y_axis.title = "完成率"
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    chart.legend = None
    values = Reference(ws, min_col=3, min_row=2, max_row=2 + len(data))
    names = Reference(ws, min_col=1, min_row=3, max_row=2 + len(data))
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(names)
    chart.x_axis.scaling.orientation = "maxMin"  # first unit on top, like the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.gapWidth = 40
    chart.x_axis.tickLblSkip = 1  # every unit's name, not every other one
    chart.x_axis.txPr = _small_text(max(500, min(1000, 30000 // max(len(data), 1))))
    chart.width, chart.height = 25, 16  # cm: one landscape A4 page
    # A sheet of its own prints the chart whole on one page (LibreOffice leaves an
    # openpyxl chartsheet blank, so this is a worksheet holding only the chart).
    page = wb.create_sheet("完成率图")
    printable(page, 1)
    page.print_title_rows = None
    page.add_chart(chart, "A1")


def _small_text(size: int) -> Any:
    """Axis text of `size` hundredths of a point, so every unit's name fits."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    props = CharacterProperties(sz=size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _project(i: int, p: Any) -> dict[str, Any]:
    return {
        "no": i,
        "code": p.code,
        "name": p.name,
        "investor": p.investor,
        "category": p.category,
        "total": p.total_investment,
        "fai": p.fai,
        "funds": p.funds_in_place,
        "sourcing": p.sourcing,
        "landing": p.landing,
        "signed": p.signed_on,
        "started": p.started_on,
        "progress": p.progress,
        "problems": p.problems,
    }
