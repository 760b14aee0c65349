"""Unit classes (县领导, 乡镇, 县直部门……): the one list of ids and Chinese labels, and
reading a class as offices write it. Groups are resolved elsewhere."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from zsyz.domain.names import normalize

UNIT_CLASSES: dict[str, str] = {
    "leader": "县领导",
    "township": "乡镇（街道）",
    "dept_a": "县直部门（一类）",
    "dept_b": "县直部门（二类）",
    "dept_c": "县直部门（其他）",
    "chamber": "工商联/商会",
    "squad": "招商小分队",
    "dept": "部门",
    "county": "县区",
    "park": "园区",
    "office": "驻外办事处",
    "block": "区块",
    "chain": "产业链",
}
_CLASS_BY_LABEL = {normalize(v): k for k, v in UNIT_CLASSES.items()}
_CLASS_BY_LABEL.update(
    {
        "乡镇": "township",
        "街道": "township",
        "部门": "dept",
        "县直部门": "dept",
        "领导": "leader",
        "县级领导": "leader",
        "小分队": "squad",
        "商会": "chamber",
        "工商联": "chamber",
        "园区": "park",
        "开发区": "park",
        "办事处": "office",
        "驻外分局": "office",
        "县区": "county",
        "区块": "block",
        "产业链": "chain",
        "县直单位": "dept",
        "县直机关": "dept",
        "职能部门": "dept",
        "委办局": "dept",
        "市直部门": "dept",
        "市直单位": "dept",
        "县级干部": "leader",
        "市级领导": "leader",
        "乡镇街道": "township",
        "镇街": "township",
        "县市区": "county",
        "区县": "county",
        "产业集聚区": "park",
        "经开区": "park",
        "高新区": "park",
        "工业园区": "park",
        "驻外招商机构": "office",
        "驻外机构": "office",
        "驻外招商分局": "office",
        "招商分局": "office",
        "驻外联络处": "office",
        "招商专班": "squad",
        "招商组": "squad",
        "产业链专班": "chain",
        "链长单位": "chain",
    }
)

# Every wording of a class → its id (ranking groups read the same words: domain/groups.py)
CLASS_WORDS: dict[str, str] = _CLASS_BY_LABEL

# Class words offices put around a class: 一类/A类 tiers of departments.
_TIERS = {"一类": "dept_a", "a类": "dept_a", "二类": "dept_b", "b类": "dept_b", "c类": "dept_c"}


def unit_class_of(text: str) -> str | None:
    """The class id `text` names (an id, a label or a common wording), or None."""
    key = normalize(text)
    if key in UNIT_CLASSES:
        return key
    if key in _CLASS_BY_LABEL:
        return _CLASS_BY_LABEL[key]
    tier = next((c for t, c in _TIERS.items() if t in key), None)
    if tier is not None and (key in _TIERS or "部门" in key or "单位" in key):
        return tier  # 县直部门（A类）, 一类单位
    bare = re.sub(r"[（(][^)）]*[)）]", "", key)  # 乡镇（街道）written 乡镇(含街道)
    return _CLASS_BY_LABEL.get(bare)


def unknown_class_message(text: str) -> str:
    names = "、".join(f"{k}（{v}）" for k, v in UNIT_CLASSES.items())
    return f"未知单位类别「{text}」；可用：{names}"


@dataclass(frozen=True)
class ListedUnit:
    """A unit as `zsyz units list` reports it (`zsyz.render.units` shapes it); `group`
    is the stored group id, None for the class's default group."""

    code: str
    name: str
    unit_class: str
    group: str | None
    parent: str | None
    aliases: tuple[str, ...]
    active: bool
    retired_on: date | None


@dataclass(frozen=True)
class RosterImported:
    """What a roster import did: units added, and rows naming units already present
    (those only add aliases)."""

    added: int
    present: int
