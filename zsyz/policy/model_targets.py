"""Policy file sections: what projects a rule counts (filters) and the targets of a class."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, model_validator

from zsyz.domain import policy as d
from zsyz.domain.metrics import Metric
from zsyz.policy.fields import Percent, TextList, Wan, Weight, number_of

ClassId = Literal[
    "leader",
    "township",
    "dept_a",
    "dept_b",
    "dept_c",
    "chamber",
    "squad",
    "dept",
    "county",
    "park",
    "office",
    "block",
    "chain",
]
Value = Annotated[Decimal, number_of("个（金额指标为万元）")]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilterFields(Base):
    """Which projects count: lower bounds (inclusive unless `strict`), upper bounds for
    bands (exclusive unless `max_inclusive`), category, chain, level, new projects only."""

    min_fai: Wan | None = None
    min_total: Wan | None = None
    strict: StrictBool = False
    max_fai: Wan | None = None
    max_total: Wan | None = None
    max_inclusive: StrictBool = False
    category: TextList | None = None
    chain: TextList | None = None
    level: TextList | None = None
    new_only: StrictBool = False

    @model_validator(mode="after")
    def _band(self) -> FilterFields:
        for low, high in ((self.min_fai, self.max_fai), (self.min_total, self.max_total)):
            if low is not None and high is not None and high <= low:
                raise ValueError("上限（max_fai / max_total）应大于下限（min_fai / min_total）")
        return self

    def filters(self) -> d.Filters:
        return d.Filters(
            min_fai=self.min_fai,
            min_total=self.min_total,
            strict=self.strict,
            max_fai=self.max_fai,
            max_total=self.max_total,
            max_inclusive=self.max_inclusive,
            categories=tuple(self.category or ()),
            chains=tuple(self.chain or ()),
            levels=tuple(self.level or ()),
            new_only=self.new_only,
        )


def label_of(metric: Metric | None, f: d.Filters, value: Decimal | None) -> str:
    """A rule's label when the policy gives none (`domain.policy.target_label`)."""
    return d.target_label(metric, f, value) if metric is not None else ""


def num(value: Decimal) -> str:
    return format(value.normalize(), "f")


class TargetModel(FilterFields):
    """A simple target (metric + value + filters) or a combinator (any_of / all_of)."""

    label: str | None = None
    metric: Metric | None = None
    value: Value | None = None
    growth: Percent | None = None
    per_unit: StrictBool = False
    weight: Weight = Decimal(1)
    any_of: list[TargetModel] | None = None
    all_of: list[TargetModel] | None = None

    @model_validator(mode="after")
    def _shape(self) -> TargetModel:
        given = [self.metric is not None, self.any_of is not None, self.all_of is not None]
        if sum(given) != 1:
            raise ValueError("一项目标应写且只写 metric、any_of、all_of 之一")
        if self.metric is None:
            parts = self.any_of or self.all_of or []
            if len(parts) < 1:
                raise ValueError("any_of / all_of 至少要有一项")
            if any(p.metric is None for p in parts):
                raise ValueError("any_of / all_of 的每一项应为简单目标（写 metric 与 value）")
            if self.value is not None or self.growth is not None or not self.filters().empty:
                raise ValueError("组合目标本身不写 value、growth 或筛选条件，写在各项里")
            return self
        if self.growth is not None and (self.value is not None or self.per_unit):
            raise ValueError("growth 与 value、per_unit 不能同时写")
        if self.value is None and self.growth is None and not self.per_unit:
            raise ValueError(
                "缺少 value（目标值），或写 growth（比上年增长百分数）、per_unit = true"
            )
        return self

    def rule(self) -> d.TargetRule:
        f = self.filters()
        parts_any = tuple(p.rule() for p in self.any_of or ())
        parts_all = tuple(p.rule() for p in self.all_of or ())
        if self.label:
            label = self.label
        elif self.metric is not None:
            label = label_of(self.metric, f, self.value)
            if self.growth is not None:
                label = f"{label}比上年增长{num(self.growth)}%"
        else:
            sep = " 或 " if parts_any else " 且 "
            label = sep.join(p.label for p in (*parts_any, *parts_all))
        return d.TargetRule(
            label=label,
            metric=self.metric,
            required=self.value,
            filters=f,
            growth=self.growth,
            per_unit=self.per_unit,
            weight=self.weight,
            any_of=parts_any,
            all_of=parts_all,
        )


class RosterTargetModel(FilterFields):
    metric: Metric
    value: Value
    label: str | None = None
