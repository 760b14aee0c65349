"""The bulletin's completion, chart, alert and appendix sheets (see `io/bulletin.py`)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from zsyz.domain.bulletin import band, true_label
from zsyz.io.gbt import Fonts, Table
from zsyz.io.sheets import AMOUNT_FORMAT, COUNT_FORMAT, POINTS_FORMAT, RATIO_FORMAT, Col
from zsyz.render.alerts import alert_rows

LEVEL_ZH = {"red": "红色", "yellow": "黄色"}
WORST_ITEMS = 2  # the worst items named per unit in 预警汇总
BAND_COLOURS = {"good": "2E7D32", "fair": "F9A825", "poor": "C62828"}

PROJECT_COLS = [
    Col("code", "项目编号"),
    Col("name", "项目名称", wrap=True),
    Col("investor", "投资方", wrap=True),
    Col("category", "产业类别"),
    Col("total", "总投资", AMOUNT_FORMAT),
    Col("fai", "固定资产投资", AMOUNT_FORMAT),
    Col("funds", "到位资金", AMOUNT_FORMAT),
    Col("sourcing", "招引单位"),
    Col("landing", "落地单位"),
    Col("signed", "签约日期"),
    Col("started", "开工日期"),
    Col("progress", "本期进展", wrap=True),
    Col("problems", "存在问题", wrap=True),
]


def _ratio_text(value: Any) -> str:
    return f"{value * 100:.1f}%"


def completion_table(data: Any) -> Table:
    """完成情况: every ranked unit's targets (done / required, in their true units) and
    both completion figures, named."""
    from zsyz.io.bulletin import group_label

    rows = []
    for r in data.rows:
        up = r.progress
        targets = up.targets if up else ()
        rows.append(
            {
                "unit": r.unit.name,
                "group": group_label(data.policy, r.group),
                "targets": "\n".join(
                    f"{true_label(t.label, t.metric)} {_num(t.achieved)}/{_num(t.required)}"
                    for t in targets
                )
                or "未设目标",
                "composite": r.completion,
                "least": up.completion if up and up.targets else None,
            }
        )
    return Table(
        sheet="完成情况",
        title=f"各单位年度目标完成情况（{data.period.label_zh}，年累计）",
        cols=[
            Col("unit", "单位"),
            Col("group", "组别"),
            Col("targets", "各项目标（完成/目标）", wrap=True),
            Col("composite", "综合完成率", RATIO_FORMAT),
            Col("least", "最低单项完成率", RATIO_FORMAT),
        ],
        rows=rows,
        unit="个、万元（按各项目标所注）",
        notes=[
            "综合完成率：各项目标完成率按权重平均（每项按计分办法封顶），排名按此计分；"
            "最低单项完成率：各项目标中最低的完成率，达到100%即完成全部目标任务。"
        ],
        portrait=True,
        one_page=True,
    )


def _num(value: Any) -> str:
    from zsyz.domain.ranking import num

    return num(value)


def completion_chart(wb: Any, data: Any, fonts: Fonts) -> None:
    """完成率图: one horizontal bar per unit (every name shown), coloured by band, on a
    portrait page whose height grows with the number of units."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.marker import DataPoint
    from openpyxl.chart.shapes import GraphicalProperties

    from zsyz.io.cells import put
    from zsyz.io.gbt import print_setup

    bands = data.policy.bulletin
    good, fair = f"{_num(bands.good * 100)}%", f"{_num(bands.fair * 100)}%"
    ws = wb.create_sheet("完成率图")
    title = f"各单位综合完成率（{data.period.label_zh}）"
    legend = f"绿色≥{good}，黄色{fair}～{good}，红色<{fair}"
    print_setup(ws, 0, portrait=True, one_page=True)
    ws.print_title_rows = None
    if not data.rows:
        put(ws, 1, 1, f"{title}：本期没有单位参加排名")
        return
    table = wb["完成情况"]  # the chart reads the table's 单位 (B) and 综合完成率 (E)
    n = len(data.rows)
    chart = BarChart()
    chart.type = "bar"  # horizontal: unit names stay readable
    chart.title = f"{title}\n{legend}"
    chart.title.tx.rich.p[0].pPr = _paragraph(1400, fonts.title)
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    chart.legend = None
    chart.add_data(Reference(table, min_col=5, min_row=4, max_row=3 + n))
    chart.set_categories(Reference(table, min_col=2, min_row=4, max_row=3 + n))
    series = chart.series[0]
    for i, r in enumerate(data.rows):
        colour = BAND_COLOURS[band(r.completion, bands)]
        series.dPt.append(
            DataPoint(idx=i, invertIfNegative=False, spPr=GraphicalProperties(solidFill=colour))
        )
    chart.x_axis.scaling.orientation = "maxMin"  # first unit on top, like the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.gapWidth = 30
    chart.x_axis.tickLblSkip = 1  # every unit's name, not every other one
    chart.x_axis.tickMarkSkip = 1
    chart.width = 16  # cm: a portrait A4 page inside its margins
    chart.height = min(24.5, 3.5 + 0.45 * n)  # grows with the units, up to one page
    # each name as tall as its bar allows (80% of it; 1 cm = 28.35 pt), 4 to 10 pt
    per_bar = (chart.height - 3.5) / n
    size = max(400, min(1000, int(per_bar * 28.35 * 0.8 * 100)))
    chart.x_axis.txPr = _text(size, fonts.body)
    chart.y_axis.txPr = _text(900, fonts.body)
    ws.add_chart(chart, "A1")


def _paragraph(size: int, font: str) -> Any:
    from openpyxl.drawing.text import CharacterProperties, Font, ParagraphProperties

    props = CharacterProperties(sz=size, ea=Font(typeface=font), latin=Font(typeface=font))
    return ParagraphProperties(defRPr=props)


def _text(size: int, font: str) -> Any:
    """Axis text of `size` hundredths of a point in `font`."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import Paragraph

    pp = _paragraph(size, font)
    return RichText(p=[Paragraph(pPr=pp, endParaRPr=pp.defRPr)])


_OPERATOR = re.compile(r"[，,；;]?[^，,；;（(]*zsyz[^，,；;）)]*[）)]?|（[^）]*zsyz[^）]*）")


def for_leaders(text: str | None) -> str | None:
    """An alert's text without what is addressed to the ledger's operator (commands)."""
    if text is None:
        return None
    return _OPERATOR.sub("", text).strip("，,；; ") or None


def alert_summary(data: Any) -> Table:
    """预警汇总: per unit the number of alerts by level and kind and the worst item."""
    alerts = alert_rows(data.alerts)
    kinds = sorted({a["rule_label"] for a in alerts})
    per: dict[str, Counter[str]] = {}
    worst: dict[str, list[str]] = {}
    for a in sorted(alerts, key=lambda a: a["level"] != "red"):  # red first, stable
        for unit in a["units"] or [a["unit"]]:
            c = per.setdefault(unit, Counter())
            c[a["level"]] += 1
            c[a["rule_label"]] += 1
            item = f"{LEVEL_ZH.get(a['level'], a['level'])}：{a['rule_label']}"
            if a["project_name"]:
                item += f"（{a['project_name']}）"
            items = worst.setdefault(unit, [])
            if len(items) < WORST_ITEMS and item not in items:
                items.append(item)
    rows = []
    for unit, c in sorted(per.items(), key=lambda kv: (-kv[1]["red"], -kv[1]["yellow"], kv[0])):
        item = "；".join(worst[unit])
        row: dict[str, Any] = {"unit": unit, "red": c["red"], "yellow": c["yellow"], "worst": item}
        row.update({f"k{i}": c[k] for i, k in enumerate(kinds)})
        rows.append(row)
    kind_cols = [Col(f"k{i}", k, COUNT_FORMAT) for i, k in enumerate(kinds)]
    return Table(
        sheet="预警汇总",
        title=f"各单位预警情况汇总（统计截至{data.read_on.year}年"
        f"{data.read_on.month}月{data.read_on.day}日）",
        cols=[
            Col("unit", "单位"),
            Col("red", "红色", COUNT_FORMAT),
            Col("yellow", "黄色", COUNT_FORMAT),
            *kind_cols,
            Col("worst", "主要问题", wrap=True),
        ],
        rows=rows,
        unit="条",
        totals=("red", "yellow", *(f"k{i}" for i in range(len(kinds)))),
        portrait=len(kinds) <= 4,
        notes=["同一条预警涉及几个单位的，各单位分别计数；全部预警见「预警清单」表。"]
        if rows
        else ["本期没有预警。"],
        one_page=True,
    )


def scoring_notes(data: Any) -> Table:
    """计分说明 (appendix): every unit's score, component by component, with the sums."""
    from zsyz.io.bulletin import group_label
    from zsyz.render.explain import detail_text, rule_text, tie_rule

    rows = []
    for r in data.rows:
        for i, c in enumerate(r.components):
            rows.append(
                {
                    "group": group_label(data.policy, r.group) if i == 0 else None,
                    "unit": r.unit.name if i == 0 else None,
                    "rule": rule_text(c),
                    "points": c.points,
                    "detail": detail_text(c),
                }
            )
    return Table(
        sheet="计分说明",
        title=f"{data.period.label_zh}排名计分说明",
        cols=[
            Col("group", "组别"),
            Col("unit", "单位"),
            Col("rule", "计分项目", wrap=True),
            Col("points", "得分", POINTS_FORMAT),
            Col("detail", "计算过程", wrap=True),
        ],
        rows=rows,
        unit="分",
        numbered=False,
        notes=[f"{tie_rule(data.policy)}。"],
    )


def project_list(name: str, projects: list[Any], period: Any) -> Table:
    rows = [
        {
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
        for p in projects
    ]
    end = period.end
    return Table(
        sheet=name,
        title=f"{name}清单（截至{end.year}年{end.month}月{end.day}日，共{len(rows)}个）",
        cols=PROJECT_COLS,
        rows=rows,
        totals=("total", "fai", "funds"),
    )


def alert_list(data: Any) -> Table:
    """预警清单 (the last sheet): every alert as of the day the period's reports are due."""
    rows = [
        {
            "level": LEVEL_ZH.get(a["level"], a["level"]),
            "rule_label": a["rule_label"],
            "unit": a["unit"],
            "project": a["project"],
            "project_name": a["project_name"],
            "message": for_leaders(a["message"]),
            "action": for_leaders(a["action"]),
        }
        for a in alert_rows(data.alerts)
    ]
    end = data.read_on
    return Table(
        sheet="预警清单",
        title=f"预警清单（截至{end.year}年{end.month}月{end.day}日，共{len(rows)}条）",
        cols=[
            Col("level", "级别"),
            Col("rule_label", "类别"),
            Col("unit", "单位", wrap=True),
            Col("project", "项目编号"),
            Col("project_name", "项目名称", wrap=True),
            Col("message", "情况", wrap=True),
            Col("action", "处理建议", wrap=True),
        ],
        rows=rows,
        unit=None,
    )
