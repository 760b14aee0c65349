"""The explicit targets' shapes: the JSON contract of `zsyz targets list` and its table."""

from __future__ import annotations

from typing import Any

from zsyz.domain.metrics import FILTER_KEYS, ListedTarget

TARGET_COLUMNS = [
    ("id", "编号"),
    ("unit", "单位"),
    ("year", "年度"),
    ("metric_label", "指标"),
    ("required", "目标值"),
    ("measure", "计量"),
    ("filters", "条件"),
    ("origin", "来源"),
]

# where a target came from, as operators read it (JSON keeps the key)
ORIGINS = {"explicit": "单独设定", "policy": "政策文件"}


def target_json(t: ListedTarget) -> dict[str, Any]:
    """One target as the JSON contract carries it."""
    return {
        "id": t.id,
        "unit": t.unit,
        "unit_code": t.unit_code,
        "year": t.year,
        "metric": t.metric.value,
        "metric_label": t.metric.label,
        "required": t.required,
        "measure": t.metric.unit_label,
        "filters": t.filters,
        "label": t.label,
        "origin": t.origin,
    }


def target_table(t: ListedTarget) -> dict[str, Any]:
    """One target as the table and CSV print it: conditions and origin in words."""
    return {
        **target_json(t),
        "filters": filters_text(t.filters),
        "origin": ORIGINS.get(t.origin, t.origin),
    }


def filters_text(filters: dict[str, object]) -> str:
    """A target's conditions in words: 固定资产投资下限=5000；产业类别=制造业/工业；
    仅新建项目 (a flag by its name alone, a list of values joined by /)."""
    out = []
    for key, value in filters.items():
        label = FILTER_KEYS.get(key, key)
        if isinstance(value, bool):
            if value:
                out.append(label)
        elif isinstance(value, list | tuple):
            out.append(f"{label}={'/'.join(str(v) for v in value)}")
        else:
            out.append(f"{label}={value}")
    return "；".join(out)
