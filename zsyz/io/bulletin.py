"""The bulletin workbook (通报) and the ranking workbook, written with openpyxl.

The pages leaders read come first: 概况 (signed/started/producing and funds this period
and year to date against the county's targets), 排名 (each group on one page: rank, unit,
score, the components, 上期名次 and movement), 完成情况 (综合完成率 and 最低单项完成率
per unit), 完成率图 (a bar per unit coloured at the policy's bands), 预警汇总 (counts
per unit by kind and level, the worst item). Then the appendix sheets: 计分说明, the
project lists (签约/开工/在谈项目) and 预警清单 (every alert). Tables are laid out by
`zsyz.io.gbt`; every cell goes through the sanitiser in `zsyz.io.cells`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zsyz.domain.groups import group_labels
from zsyz.domain.ranking import RankRow
from zsyz.io.sheets import (
    AMOUNT_FORMAT,
    COUNT_FORMAT,
    POINTS_FORMAT,
    RATIO_FORMAT,
    Col,
    new_workbook,
    save,
    table_sheet,
)
from zsyz.render.explain import detail_text, short_rule, tie_rule


def ranking_rows(
    rows: list[RankRow], labels: dict[str, str]
) -> tuple[list[Col], list[dict[str, Any]]]:
    """Columns (one per score component) and rows of the ranking sheet."""
    names: list[str] = []
    for r in rows:
        for c in r.components:
            if short_rule(c) not in names:
                names.append(short_rule(c))
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
            "previous": NO_RANK if r.previous_rank is None else r.previous_rank,
            "change": change_text(r),
            "detail": "\n".join(f"{short_rule(c)}：{detail_text(c)}" for c in r.components),
        }
        for c in r.components:
            row[f"c{names.index(short_rule(c))}"] = c.points
        out.append(row)
    return cols, out


NO_RANK = "—"  # no previous rank: the period before the ledger's first report, or unranked


def change_text(r: RankRow, *, new: str = NO_RANK) -> str:
    """Movement since the previous period; an arrow only where both ranks exist."""
    if r.previous_rank is None:
        return new
    moved = r.previous_rank - r.rank
    return "持平" if moved == 0 else (f"↑{moved}" if moved > 0 else f"↓{-moved}")


def write_ranking(path: Path, title: str, rows: list[RankRow], policy: Any) -> None:
    """`zsyz rank --format xlsx`: the ranking sheet alone."""
    wb = new_workbook()
    labels = group_labels(policy)
    cols, data = ranking_rows(rows, labels)
    table_sheet(wb, "排名", title, cols, data, note=tie_rule(policy))
    save(wb, path)


def write_bulletin(path: Path, data: Any, region: str) -> None:
    """The whole bulletin (`data` is a `app.scoring.BulletinData`)."""
    from zsyz.io.bulletin_sheets import (
        alert_list,
        alert_summary,
        completion_chart,
        completion_table,
        project_list,
        scoring_notes,
    )
    from zsyz.io.gbt import Fonts, write_table

    policy, period = data.policy, data.period
    fonts = Fonts(policy.bulletin.title_font, policy.bulletin.body_font)
    wb = new_workbook()
    write_table(wb, summary_table(data, region), fonts)
    for table in ranking_tables(data):
        write_table(wb, table, fonts)
    write_table(wb, completion_table(data), fonts)
    completion_chart(wb, data, fonts)
    write_table(wb, alert_summary(data), fonts)
    write_table(wb, scoring_notes(data), fonts)
    for name, projects in data.lists.items():
        write_table(wb, project_list(name, projects, period), fonts)
    write_table(wb, alert_list(data), fonts)
    save(wb, path)


def group_label(policy: Any, group: str) -> str:
    """A group's Chinese name: the ranking's label, else its class label (never the id)."""
    labels = policy.ranking.groups if policy.ranking else {}
    if group in labels:
        return str(labels[group])
    cls = policy.classes.get(group)
    if cls is not None and cls.label:
        return str(cls.label)
    from zsyz.domain.units import UNIT_CLASSES

    return UNIT_CLASSES.get(group, "其他单位")


PAGE_ROWS = 45  # ranking rows (with group lines) that print legibly on one A4 page


def ranking_tables(data: Any) -> list[Any]:
    """The ranking, packed into sheets of whole groups that each fit one page."""
    from zsyz.io.gbt import Table

    policy, period = data.policy, data.period
    groups: dict[str, list[RankRow]] = {}
    for r in data.rows:
        groups.setdefault(r.group, []).append(r)
    names = list(dict.fromkeys(short_rule(c) for r in data.rows for c in r.components))
    cols = [
        Col("rank", "名次", COUNT_FORMAT),
        Col("unit", "单位"),
        Col("score", "得分", POINTS_FORMAT),
        *(Col(f"c{i}", n, POINTS_FORMAT) for i, n in enumerate(names)),
        Col("composite", "综合完成率", RATIO_FORMAT),
        Col("previous", "上期名次", COUNT_FORMAT),
        Col("change", "升降"),
    ]
    pages: list[list[dict[str, Any]]] = [[]]
    for group, members in groups.items():
        block = [{"_section": f"{group_label(policy, group)}（{len(members)}个单位）"}]
        block += [_rank_row(r, names) for r in members]
        if pages[-1] and len(pages[-1]) + len(block) > PAGE_ROWS:
            pages.append([])
        pages[-1].extend(block)
    notes = [
        f"说明：各组分别排名；{tie_rule(policy)}。综合完成率为各项目标完成率按权重的平均"
        "（每项按计分办法封顶）；上期名次为空表示上期无可比数据。各单位得分的计算见「计分说明」表。"
        if data.rows
        else "本期没有单位参加排名：政策未设目标或没有单位。"
    ]
    return [
        Table(
            sheet="排名" if len(pages) == 1 else f"排名（{_numeral(i + 1)}）",
            title=f"{period.label_zh}各单位招商引资工作排名",
            cols=cols,
            rows=rows,
            unit="分",
            numbered=False,
            notes=notes,
            portrait=True,
            one_page=True,
        )
        for i, rows in enumerate(pages)
    ]


def _rank_row(r: RankRow, names: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "rank": r.rank,
        "unit": r.unit.name,
        "score": r.score,
        "composite": r.completion,
        "previous": r.previous_rank,
        "change": change_text(r, new=""),  # blank: no previous data to compare
    }
    for c in r.components:
        row[f"c{names.index(short_rule(c))}"] = c.points
    return row


def _numeral(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def summary_table(data: Any, region: str) -> Any:
    """概况: this period and the year to date against the county's yearly targets."""
    from zsyz.io.gbt import Table

    policy, period = data.policy, data.period
    cols = [
        Col("label", "指标"),
        Col("p_count", "本期个数（个）", COUNT_FORMAT),
        Col("p_total", "本期总投资", AMOUNT_FORMAT),
        Col("p_fai", "本期固定资产投资", AMOUNT_FORMAT),
        Col("y_count", "年累计个数（个）", COUNT_FORMAT),
        Col("y_total", "年累计总投资", AMOUNT_FORMAT),
        Col("y_fai", "年累计固定资产投资", AMOUNT_FORMAT),
        Col("target", "全县年度目标"),
        Col("completion", "完成率", RATIO_FORMAT),
    ]
    rows = []
    for f in data.figures:
        funds = f.ytd_count is None
        target = _target_text(f.target, funds)
        rows.append(
            {
                "label": "到位资金（本期、年累计为到位金额）" if funds else f.label,
                "p_count": f.period_count,
                "p_total": f.period_total,
                "p_fai": f.period_fai,
                "y_count": f.ytd_count,
                "y_total": f.ytd_total,
                "y_fai": f.ytd_fai,
                "target": target,
                "completion": f.completion,
            }
        )
    notes = [
        f"统计截至{_day_zh(period.end)}，各单位报表截至{_day_zh(data.read_on)}（本期报送截止日）；"
        f"依据：{policy.title}。"
    ]
    if any(f.target is not None for f in data.figures):
        notes.append(
            "全县完成数按全县所有项目统计；全县年度目标为县区级单位的目标，完成率＝年累计÷目标。"
        )
    else:
        notes.append("台账中没有全县（县区级单位）的年度目标，“全县年度目标”与“完成率”两栏空缺。")
    return Table(
        sheet="概况",
        title=f"{region}招商引资工作通报（{period.label_zh}）",
        cols=cols,
        rows=rows,
        notes=notes,
        one_page=True,
    )


def _target_text(target: Any, funds: bool) -> str | None:
    if target is None:
        return None
    from zsyz.domain.ranking import num

    return f"{num(target)}万元" if funds else f"{num(target)}个"


def _day_zh(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
