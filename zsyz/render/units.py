"""The units' shapes: the JSON contract of `zsyz units list`, its table, and what a
roster import says."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zsyz.domain.groups import default_group
from zsyz.domain.units import UNIT_CLASSES, ListedUnit, RosterImported

UNIT_COLUMNS = [
    ("code", "编码"),
    ("name", "单位名称"),
    ("class_label", "类别"),
    ("group", "分组"),
    ("parent", "上级单位"),
    ("aliases", "别名"),
    ("retired_on", "撤并日期"),
]


def unit_json(u: ListedUnit) -> dict[str, Any]:
    """One unit as the JSON contract carries it (the group as its id)."""
    return {
        "code": u.code,
        "name": u.name,
        "class": u.unit_class,
        "class_label": UNIT_CLASSES.get(u.unit_class, u.unit_class),
        "group": u.group,
        "parent": u.parent,
        "aliases": list(u.aliases),
        "active": u.active,
        "retired_on": u.retired_on,
    }


def unit_table(u: ListedUnit, labels: Mapping[str, str]) -> dict[str, Any]:
    """One unit as the table prints it: operators read the group's Chinese label."""
    group = u.group or default_group(u.unit_class)
    return {**unit_json(u), "group": labels.get(group, group)}


def roster_text(file_name: str, done: RosterImported) -> str:
    """What `zsyz units import` says when the roster is in."""
    return f"名册 {file_name}：新增 {done.added} 个单位，已有 {done.present} 个"
