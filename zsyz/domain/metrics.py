"""What a target measures (issue: policy language). Counts are 个; amounts are 万元."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Metric(StrEnum):
    SIGNED = "signed"
    STARTED = "started"
    PRODUCING = "producing"
    FUNDS = "funds"
    FOREIGN_FUNDS = "foreign_funds"
    OUT_OF_PROVINCE_FUNDS = "out_of_province_funds"
    FAI_COMPLETED = "fai_completed"
    COMPILED = "compiled"
    LEADS = "leads"
    TRIPS = "trips"
    # amounts over projects: the summed 总投资 or 固投 of projects reaching the stage
    SIGNED_TOTAL = "signed_total"
    SIGNED_FAI = "signed_fai"
    STARTED_TOTAL = "started_total"
    STARTED_FAI = "started_fai"

    @property
    def label(self) -> str:
        return METRIC_LABELS[self]

    @property
    def is_amount(self) -> bool:
        return self in AMOUNT_METRICS

    @property
    def unit_label(self) -> str:
        return "万元" if self.is_amount else "个"


METRIC_LABELS: dict[Metric, str] = {
    Metric.SIGNED: "签约项目",
    Metric.STARTED: "开工项目",
    Metric.PRODUCING: "投产项目",
    Metric.FUNDS: "到位资金",
    Metric.FOREIGN_FUNDS: "利用外资",
    Metric.OUT_OF_PROVINCE_FUNDS: "省外资金",
    Metric.FAI_COMPLETED: "完成固定资产投资",
    Metric.COMPILED: "新编制项目",
    Metric.LEADS: "有效项目信息",
    Metric.TRIPS: "外出招商",
    Metric.SIGNED_TOTAL: "签约项目总投资",
    Metric.SIGNED_FAI: "签约项目固投",
    Metric.STARTED_TOTAL: "开工项目总投资",
    Metric.STARTED_FAI: "开工项目固投",
}

# Amount metrics over projects: (the stage metric whose projects count, the amount summed)
PROJECT_SUMS: dict[Metric, tuple[Metric, str]] = {
    Metric.SIGNED_TOTAL: (Metric.SIGNED, "total_investment"),
    Metric.SIGNED_FAI: (Metric.SIGNED, "fai"),
    Metric.STARTED_TOTAL: (Metric.STARTED, "total_investment"),
    Metric.STARTED_FAI: (Metric.STARTED, "fai"),
}

AMOUNT_METRICS = frozenset(
    {
        Metric.FUNDS,
        Metric.FOREIGN_FUNDS,
        Metric.OUT_OF_PROVINCE_FUNDS,
        Metric.FAI_COMPLETED,
        *PROJECT_SUMS,
    }
)

# The filters a simple target may carry, and what each means.
FILTER_KEYS: dict[str, str] = {
    "min_fai": "固定资产投资下限（万元）",
    "min_total": "总投资下限（万元）",
    "strict": "下限不含等于（超过而非达到）",
    "max_fai": "固定资产投资上限（万元，不含等于）",
    "max_total": "总投资上限（万元，不含等于）",
    "max_inclusive": "上限含等于",
    "category": "产业类别",
    "chain": "产业链",
    "level": "项目级别",
    "new_only": "仅新建项目",
}


def parse_metric(text: str) -> Metric:
    key = text.strip()
    for m in Metric:
        if key in (m.value, m.label):
            return m
    names = "、".join(f"{m.value}（{m.label}）" for m in Metric)
    raise ValueError(f"未知指标「{text}」；可用：{names}")


def target_key(metric: str, filters: dict[str, Any]) -> str:
    """The identity of a target within a unit's year: the metric and its set filters."""
    clean = {k: v for k, v in sorted(filters.items()) if v not in (None, False, "")}
    return (
        metric
        if not clean
        else f"{metric}:{json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str)}"
    )


@dataclass(frozen=True)
class ListedTarget:
    """An explicit target as `zsyz targets list` reports it (`zsyz.render.targets`
    shapes it): `origin` is "explicit" (set one by one) or "policy" (a policy's table)."""

    id: int | None  # None only before the row is saved
    unit: str
    unit_code: str
    year: int
    metric: Metric
    required: Decimal
    filters: dict[str, Any]
    label: str | None
    origin: str
