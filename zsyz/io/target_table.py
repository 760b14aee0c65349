"""Target decomposition tables (目标任务分解表): one row per unit, one column per indicator.

Every heading is read exactly or named: an indicator (metric, threshold 7亿元以上 / 5000万元以上,
basis 固投/总投资, category 制造业, stage 签约/开工/落地, unit of the value 亿元/万元/个), a
label of the active policy's targets (which imports back to that very target), a column
known to hold no target (序号, 备注, and the 完成值/完成进度 columns of a 目标值/完成值 layout:
ignored and said so), or an unreadable heading, which refuses the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from zsyz.domain.metrics import Metric, target_key
from zsyz.errors import InvalidDataError, Problem
from zsyz.io.columns import Column, find_header, heading_key, unit_note
from zsyz.io.values import SCALE_TO_WAN, USD_IN_WAN, ValueProblem, scale_of, to_decimal
from zsyz.io.workbook import blank, read_workbook

_SKIP_ROW = re.compile(r"^(合计|总计|小计|全县合计|填表说明|说明|备注|注)")
# "单位：亿元" (or 金额单位：万元) on a line above the headings: the unit of unit-less amounts.
_UNIT_LINE = re.compile(r"单位[:：]\s*(亿元|万元|千元|元)")


def _cell(row: list[Any], idx: int | None) -> Any:
    return row[idx] if idx is not None and idx < len(row) else None


def _text(row: list[Any], idx: int | None) -> str:
    value = _cell(row, idx)
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


UNIT_COLUMN = Column(
    "unit",
    ("单位", "单位名称", "责任单位", "承担单位", "乡镇", "部门", "乡镇（部门）", "产业链", "链条"),
    required=True,
)

_METRIC_WORDS: tuple[tuple[str, Metric], ...] = (
    ("省外", Metric.OUT_OF_PROVINCE_FUNDS),
    ("利用外资", Metric.FOREIGN_FUNDS),
    ("外资", Metric.FOREIGN_FUNDS),
    ("到位资金", Metric.FUNDS),
    ("到位", Metric.FUNDS),
    ("编制", Metric.COMPILED),
    ("策划生成", Metric.COMPILED),
    ("谋划", Metric.COMPILED),
    ("策划", Metric.COMPILED),
    ("投产", Metric.PRODUCING),
    ("开工", Metric.STARTED),
    ("落地", Metric.STARTED),
    ("签约", Metric.SIGNED),
    ("线索", Metric.LEADS),
    ("项目信息", Metric.LEADS),
    ("外出", Metric.TRIPS),
    ("招商活动", Metric.TRIPS),
    ("固定资产投资", Metric.FAI_COMPLETED),
    ("完成投资", Metric.FAI_COMPLETED),
    ("百大", Metric.STARTED),
    ("产业项目", Metric.STARTED),
)
_THRESHOLD = re.compile(r"(超|过)?(\d+(?:\.\d+)?)?\s*(亿元|万元|亿|万)(以上|及以上)?")


_CATEGORY = re.compile(
    r"(制造业|工业|农业产业化|农业|文化旅游|文旅|康养|服务业|现代服务业|商贸|城镇建设|高新技术|数字经济)"
    r"(?:类)?项目"
)


@dataclass(frozen=True)
class Indicator:
    """What one column of a decomposition table asks for."""

    heading: str
    metric: Metric
    filters: dict[str, Any]
    scale: Decimal  # multiply a cell by this to get the required value (万元 or count)


Known = dict[str, tuple[Metric, dict[str, Any]]]  # folded policy label → metric, filters


def read_indicator(heading: str, known: Known | None = None) -> Indicator | None:
    """Read a heading such as '签约总投资5000万元以上项目（个）'; None when it is not an indicator.
    A label of the policy's targets (`known`) reads as that target."""
    key = heading_key(heading)
    raw = heading.replace(" ", "")
    if known and key in known:
        found, given = known[key]
        scale = SCALE_TO_WAN.get(unit_note(heading) or "万元", Decimal(1))
        return Indicator(heading, found, dict(given), scale if found.is_amount else Decimal(1))
    metric = next((m for word, m in _METRIC_WORDS if word in key), None)
    if metric is None:
        return None
    if metric.is_amount and "项目" in key:
        # "固定资产投资超5000万元项目（个）" counts projects; it is not an amount.
        metric = Metric.STARTED if ("开工" in key or "落地" in key) else Metric.SIGNED
    filters: dict[str, Any] = {}
    if not metric.is_amount:
        m = next(
            (m for m in _THRESHOLD.finditer(raw) if m.group(2) or m.group(1) or m.group(4)), None
        )
        if m is not None:
            # "超亿元" reads inclusive (domain.md), the policy default; so no strict flag.
            field = "min_fai" if ("固定资产" in raw or "固投" in raw) else "min_total"
            filters[field] = Decimal(m.group(2) or 1) * SCALE_TO_WAN[m.group(3)]
        if "省级百大" in key:
            filters["level"] = "省级百大"
        elif "市级百大" in key:
            filters["level"] = "市级百大"
        if "新建" in key or "新签" in key:
            filters["new_only"] = True
        if c := _CATEGORY.search(key):
            filters["category"] = c.group(1)
        return Indicator(heading, metric, filters, Decimal(1))
    hint = unit_note(heading) or ("亿元" if "亿元" in raw else "万元")
    return Indicator(heading, metric, filters, SCALE_TO_WAN.get(hint, Decimal(1)))


@dataclass(frozen=True)
class TargetCell:
    row: int
    unit: str
    indicator: Indicator
    required: Decimal


@dataclass
class TargetTable:
    cells: list[TargetCell]
    year: int | None
    ignored: list[str]  # headings that hold no target (序号, 完成值 …), named to the operator


# Sub-headings of a 目标值/完成值/完成进度% layout: the target is read from the group above.
_TARGET_SUB = frozenset(
    {"目标值", "目标", "目标任务", "任务", "任务数", "计划", "年度目标", "全年目标"}
)
_DONE_SUB = re.compile(
    r"^(完成值|完成|完成数|实际完成|已完成|完成进度|完成率|进度|差额|差距|排名|%|％|完成比例|完成情况|序时进度)"
)
_NOT_TARGETS = frozenset(
    {"序号", "备注", "说明", "单位类别", "类别", "分组", "考核分组", "组别", "联系人", "联系电话"}
)


def read_target_table(
    path: Path, known: Known | None = None, usd_rate: Decimal | None = None
) -> TargetTable:
    """Every (unit, indicator, value) of a decomposition table, the year its title names
    and the headings it ignored; an unreadable heading refuses the whole table."""
    sheets = read_workbook(path)
    for sheet in sheets:
        try:
            header = find_header(sheet.rows, (UNIT_COLUMN,), what="目标任务分解表")
        except Exception:
            continue
        return _read_sheet(path, sheet.rows, header.row, header.columns["unit"], known, usd_rate)
    find_header(
        sheets[0].rows if sheets else [], (UNIT_COLUMN,), what=f"{path.name} 目标任务分解表"
    )
    return TargetTable([], None, [])


def _read_sheet(
    path: Path,
    rows: list[list[Any]],
    head_at: int,
    unit_idx: int,
    known: Known | None,
    usd_rate: Decimal | None,
) -> TargetTable:
    problems: list[Problem] = []
    year = _title_year(rows[: head_at + 1])
    head_row = rows[head_at]
    upper: list[Any] = []
    first_data = head_at + 1
    below = rows[first_data] if first_data < len(rows) else []
    if (
        below
        and blank(_cell(below, unit_idx))
        and sum(not blank(c) for c in below) >= 1
        and not any(isinstance(c, int | float) and not isinstance(c, bool) for c in below)
    ):
        # two-row heading, unit name merged down: group cells above, sub-headings below
        upper, head_row, first_data = head_row, below, first_data + 1
    line_unit = _unit_line(rows[:head_at])
    indicators, ignored = _indicators(
        head_row, upper, unit_idx, known, usd_rate, problems, line_unit
    )
    seen: dict[str, str] = {}
    for ind in indicators.values():
        key = target_key(ind.metric.value, ind.filters)
        if key in seen:
            problems.append(
                Problem(f"与「{seen[key]}」是同一指标，请合并或改写表头", column=ind.heading)
            )
        seen[key] = ind.heading
    if not indicators and not problems:
        raise InvalidDataError(
            f"{path.name} 没有可识别的指标列",
            [
                Problem(
                    "表头应写明指标，如「签约项目（个）」「到位资金（万元）」",
                    column="、".join(str(c) for c in head_row if not blank(c)),
                )
            ],
        )
    out = _values(rows, first_data, unit_idx, indicators, problems)
    if problems:
        raise InvalidDataError(f"{path.name} 有 {len(problems)} 处问题，未导入", problems)
    return TargetTable(out, year, ignored)


def _indicators(
    head_row: list[Any],
    upper: list[Any],
    unit_idx: int,
    known: Known | None,
    usd_rate: Decimal | None,
    problems: list[Problem],
    line_unit: str | None = None,
) -> tuple[dict[int, Indicator], list[str]]:
    indicators: dict[int, Indicator] = {}
    ignored: list[str] = []
    for idx in range(max(len(head_row), len(upper))):
        if idx == unit_idx:
            continue
        cell = _cell(head_row, idx)
        text = "" if blank(cell) else str(cell).strip()
        above = _group_above(upper, idx) if upper else ""
        if not text and not above:
            continue
        sub = heading_key(text or above)
        shown = f"{above}／{text}" if above and text else (text or above)
        if above and _DONE_SUB.match(sub):
            ignored.append(shown)
            continue
        if sub in _NOT_TARGETS or (not above and _DONE_SUB.match(sub)):
            ignored.append(shown)
            continue
        if above and sub in _TARGET_SUB:
            ind = read_indicator(above, known)
        else:
            ind = (read_indicator(text, known) if text else None) or (
                read_indicator(f"{above}{text}", known) if above else None
            )
        if ind is None:
            problems.append(
                Problem(
                    "无法识别的指标表头；应写明指标，如「签约项目（个）」「到位资金（万元）」"
                    "「签约总投资7亿元以上制造业项目（个）」",
                    column=shown,
                )
            )
            continue
        scaled = _scaled(ind, text, above, shown, usd_rate, line_unit, problems)
        if scaled is not None:
            indicators[idx] = scaled
    return indicators, ignored


def _scaled(
    ind: Indicator,
    text: str,
    above: str,
    shown: str,
    usd_rate: Decimal | None,
    line_unit: str | None,
    problems: list[Problem],
) -> Indicator | None:
    """The indicator with the scale its heading's unit (or the table's 单位 line) names;
    None, with a problem added, for a unit that cannot be converted."""
    unit = unit_note(text) or unit_note(above)
    if ind.metric.is_amount and unit is not None and unit in USD_IN_WAN:
        scale = scale_of(unit, usd_rate)
        if scale is None:
            problems.append(
                Problem(
                    f"目标值以{unit}计，没有汇率无法折算；请在政策 [currency] 设定 usd，"
                    "或用 --usd-rate 指定，或把目标值改为万元",
                    column=shown,
                )
            )
            return None
        ind = Indicator(ind.heading, ind.metric, ind.filters, scale)
    elif unit is not None and ind.metric.is_amount and unit not in SCALE_TO_WAN:
        problems.append(Problem(f"无法识别的单位「{unit}」；应写万元或亿元", column=shown))
        return None
    elif ind.metric.is_amount and unit is None and line_unit and "元" not in shown:
        # a plain 到位资金 under "单位：亿元" is in 亿元
        ind = Indicator(ind.heading, ind.metric, ind.filters, SCALE_TO_WAN[line_unit])
    return ind


def _values(
    rows: list[list[Any]],
    first_data: int,
    unit_idx: int,
    indicators: dict[int, Indicator],
    problems: list[Problem],
) -> list[TargetCell]:
    out: list[TargetCell] = []
    for i, row in enumerate(rows[first_data:], start=first_data + 1):
        unit = _text(row, unit_idx)
        if not unit or _SKIP_ROW.match(unit) or unit.isdigit():
            continue
        for idx, ind in indicators.items():
            value = _cell(row, idx)
            try:
                number = to_decimal(value)
            except ValueProblem as exc:
                problems.append(Problem(str(exc), row=i, column=ind.heading, value=str(value)))
                continue
            if number is None:
                continue
            if number < 0:
                problems.append(
                    Problem("目标值不能为负", row=i, column=ind.heading, value=str(value))
                )
                continue
            required = (number * ind.scale).quantize(Decimal("0.0001"))
            out.append(TargetCell(i, unit, ind, required))
    return out


def _unit_line(rows: list[list[Any]]) -> str | None:
    """The money unit a line above the headings states ("单位：亿元"), if any."""
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and (m := _UNIT_LINE.search(cell)):
                return m.group(1)
    return None


def _group_above(upper: list[Any], idx: int) -> str:
    """The group heading over column `idx`: merged cells leave it in the leftmost column."""
    for j in range(min(idx, len(upper) - 1), -1, -1):
        if not blank(upper[j]):
            return str(upper[j]).strip()
    return ""


def _title_year(rows: list[list[Any]]) -> int | None:
    """The year a title names: "2022年…", or a range "2016-04-01至2016-06-30…"."""
    for row in rows:
        for cell in row:
            text = str(cell or "")
            m = re.search(r"(20\d\d)\s*年", text) or re.search(
                r"(?<!\d)(20\d\d)[-./](\d{1,2})[-./](\d{1,2})", text
            )
            if m:
                return int(m.group(1))
    return None
