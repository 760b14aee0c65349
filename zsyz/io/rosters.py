"""Roster sheets (单位名称, 单位类别, 分组, 上级单位, 别名) and target decomposition tables
(目标任务分解表: one row per unit, one column per indicator, as 004's attachments)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from zsyz.domain.groups import GroupVocabulary
from zsyz.domain.metrics import Metric, target_key
from zsyz.domain.units import unit_class_of, unknown_class_message
from zsyz.errors import InvalidDataError, Problem
from zsyz.io.columns import Column, find_header, heading_key, unit_hint
from zsyz.io.values import SCALE_TO_WAN, ValueProblem, to_decimal
from zsyz.io.workbook import blank, read_workbook

ROSTER_COLUMNS = (
    Column("name", ("单位名称", "单位", "名称", "责任单位", "责任主体", "考核单位"), required=True),
    Column(
        "class", ("单位类别", "类别", "单位类型", "类型", "单位性质", "考核类别"), required=True
    ),
    Column("group", ("分组", "考核分组", "组别", "所属组别", "所在组", "考核组别", "排名分组")),
    Column("parent", ("上级单位", "所属单位", "上级")),
    Column("aliases", ("别名", "简称", "其他名称")),
    Column("code", ("单位编码", "编码", "代码")),
)

_SKIP_ROW = re.compile(r"^(合计|总计|小计|全县合计|填表说明|说明|备注|注)")


@dataclass(frozen=True)
class RosterRow:
    row: int
    name: str
    unit_class: str
    group: str | None
    parent: str | None
    aliases: tuple[str, ...]
    code: str | None


def _cell(row: list[Any], idx: int | None) -> Any:
    return row[idx] if idx is not None and idx < len(row) else None


def _text(row: list[Any], idx: int | None) -> str:
    v = _cell(row, idx)
    if blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_roster(path: Path, groups: GroupVocabulary | None = None) -> list[RosterRow]:
    """The roster's rows; with `groups`, each 分组 is resolved to a group id (an unknown
    group is a row problem, never a new group)."""
    sheets = read_workbook(path)
    problems: list[Problem] = []
    for sheet in sheets:
        try:
            header = find_header(sheet.rows, ROSTER_COLUMNS, what="单位名册")
        except Exception:
            continue
        out: list[RosterRow] = []
        cols = header.columns
        for i, row in enumerate(sheet.rows[header.row + 1 :], start=header.row + 2):
            name = _text(row, cols["name"])
            if not name or _SKIP_ROW.match(name):
                continue
            raw_class = _text(row, cols["class"])
            unit_class = unit_class_of(raw_class)
            if unit_class is None:
                problems.append(
                    Problem(
                        unknown_class_message(raw_class),
                        row=i,
                        column=header.headings["class"],
                        value=raw_class,
                    )
                )
                continue
            aliases = tuple(
                a for a in re.split(r"[,，、;；/\s]+", _text(row, cols.get("aliases"))) if a
            )
            group = _text(row, cols.get("group")) or None
            if group and groups is not None:
                gid = groups.resolve(group)
                if gid is None:
                    problems.append(
                        Problem(
                            f"未知分组「{group}」；可用：{groups.known()}"
                            "（新分组请在政策 [ranking] groups 中定义）",
                            row=i,
                            column=header.headings["group"],
                            value=group,
                        )
                    )
                    continue
                group = gid
            out.append(
                RosterRow(
                    i,
                    name,
                    unit_class,
                    group,
                    _text(row, cols.get("parent")) or None,
                    aliases,
                    _text(row, cols.get("code")) or None,
                )
            )
        if problems:
            raise InvalidDataError(f"{path.name} 有 {len(problems)} 处问题，未导入", problems)
        return out
    # No sheet matched: report against the first sheet for the headings found.
    find_header(sheets[0].rows if sheets else [], ROSTER_COLUMNS, what=f"{path.name} 单位名册")
    return []


# --- target decomposition tables -------------------------------------------------

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


@dataclass(frozen=True)
class Indicator:
    """What one column of a decomposition table asks for."""

    heading: str
    metric: Metric
    filters: dict[str, Any]
    scale: Decimal  # multiply a cell by this to get the required value (万元 or count)


def read_indicator(heading: str) -> Indicator | None:
    """Read a heading such as '签约总投资5000万元以上项目（个）'; None when it is not an indicator."""
    key = heading_key(heading)
    raw = heading.replace(" ", "")
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
        return Indicator(heading, metric, filters, Decimal(1))
    hint = unit_hint(heading) or ("亿元" if "亿元" in raw else "万元")
    return Indicator(heading, metric, filters, SCALE_TO_WAN.get(hint, Decimal(1)))


@dataclass(frozen=True)
class TargetCell:
    row: int
    unit: str
    indicator: Indicator
    required: Decimal


def read_target_table(path: Path) -> tuple[list[TargetCell], int | None]:
    """Every (unit, indicator, value) of a decomposition table, and the year its title names."""
    sheets = read_workbook(path)
    problems: list[Problem] = []
    for sheet in sheets:
        try:
            header = find_header(sheet.rows, (UNIT_COLUMN,), what="目标任务分解表")
        except Exception:
            continue
        year = _title_year(sheet.rows[: header.row + 1])
        unit_idx = header.columns["unit"]
        head_row = sheet.rows[header.row]
        upper: list[Any] = []
        first_data = header.row + 1
        below = sheet.rows[first_data] if first_data < len(sheet.rows) else []
        if (
            below
            and blank(_cell(below, unit_idx))
            and sum(not blank(c) for c in below) >= 1
            and not any(isinstance(c, int | float) and not isinstance(c, bool) for c in below)
        ):
            # two-row heading, unit name merged down: group cells above, sub-headings below
            upper, head_row, first_data = head_row, below, first_data + 1
        indicators: dict[int, Indicator] = {}
        for idx in range(max(len(head_row), len(upper))):
            cell = _cell(head_row, idx)
            if idx == unit_idx:
                continue
            text = "" if blank(cell) else str(cell).strip()
            above = _group_above(upper, idx) if upper else ""
            if not text and not above:
                continue
            ind = (read_indicator(text) if text else None) or (
                read_indicator(f"{above}{text}") if above else None
            )
            if ind is not None:
                indicators[idx] = ind
        seen: dict[str, str] = {}
        for ind in indicators.values():
            key = target_key(ind.metric.value, ind.filters)
            if key in seen:
                problems.append(
                    Problem(f"与「{seen[key]}」是同一指标，请合并或改写表头", column=ind.heading)
                )
            seen[key] = ind.heading
        if not indicators:
            raise InvalidDataError(
                f"{path.name} 没有可识别的指标列",
                [
                    Problem(
                        "表头应写明指标，如「签约项目（个）」「到位资金（万元）」",
                        column="、".join(header.found),
                    )
                ],
            )
        out: list[TargetCell] = []
        for i, row in enumerate(sheet.rows[first_data:], start=first_data + 1):
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
                out.append(
                    TargetCell(i, unit, ind, (number * ind.scale).quantize(Decimal("0.0001")))
                )
        if problems:
            raise InvalidDataError(f"{path.name} 有 {len(problems)} 处问题，未导入", problems)
        return out, year
    find_header(
        sheets[0].rows if sheets else [], (UNIT_COLUMN,), what=f"{path.name} 目标任务分解表"
    )
    return [], None


def _group_above(upper: list[Any], idx: int) -> str:
    """The group heading over column `idx`: merged cells leave it in the leftmost column."""
    for j in range(min(idx, len(upper) - 1), -1, -1):
        if not blank(upper[j]):
            return str(upper[j]).strip()
    return ""


def _title_year(rows: list[list[Any]]) -> int | None:
    for row in rows:
        for cell in row:
            m = re.search(r"(20\d\d)\s*年", str(cell or ""))
            if m:
                return int(m.group(1))
    return None
