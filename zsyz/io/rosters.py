"""Roster sheets (单位名称, 单位类别, 分组, 上级单位, 别名) and target decomposition tables
(目标任务分解表: one row per unit, one column per indicator, as 004's attachments)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zsyz.domain.groups import GroupVocabulary
from zsyz.domain.units import unit_class_of, unknown_class_message
from zsyz.errors import InvalidDataError, Problem
from zsyz.io.columns import Column, find_header
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
        for i, row in enumerate(sheet.rows[header.row + 1 :], start=header.row + 2):
            found = _roster_row(row, i, header, groups, problems)
            if found is not None:
                out.append(found)
        if problems:
            raise InvalidDataError(f"{path.name} 有 {len(problems)} 处问题，未导入", problems)
        return out
    # No sheet matched: report against the first sheet for the headings found.
    find_header(sheets[0].rows if sheets else [], ROSTER_COLUMNS, what=f"{path.name} 单位名册")
    return []


def _roster_row(
    row: Any, i: int, header: Any, groups: GroupVocabulary | None, problems: list[Problem]
) -> RosterRow | None:
    """One roster row (sheet row `i`), or None for a blank/skipped row or one with a
    problem (added to `problems`)."""
    cols = header.columns
    name = _text(row, cols["name"])
    if not name or _SKIP_ROW.match(name):
        return None
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
        return None
    aliases = tuple(a for a in re.split(r"[,，、;；/\s]+", _text(row, cols.get("aliases"))) if a)
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
            return None
        group = gid
    return RosterRow(
        i,
        name,
        unit_class,
        group,
        _text(row, cols.get("parent")) or None,
        aliases,
        _text(row, cols.get("code")) or None,
    )


# Target decomposition tables live in io/target_table.py (re-exported for callers).
from zsyz.io.target_table import (  # noqa: E402
    Indicator,
    TargetCell,
    read_indicator,
    read_target_table,
)

__all__ = ["Indicator", "TargetCell", "read_indicator", "read_target_table"]
