"""Policy file section `[ranking]`: how units score, one model per component kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from zsyz.domain import policy as d
from zsyz.domain import rules as r
from zsyz.domain.metrics import Metric
from zsyz.policy.fields import Points, Ratio, Wan
from zsyz.policy.model_targets import Base, FilterFields, Value, label_of


class TierModel(Base):
    min: Wan
    points: Points


class CompletionComponent(Base):
    kind: Literal["completion"]
    label: str = "目标完成"
    points: Points
    cap: Ratio | None = None

    def rule(self) -> r.Component:
        return r.Completion(label=self.label, points=self.points, cap=self.cap)


class PerProjectComponent(Base):
    kind: Literal["per_project"]
    label: str = "项目规模分"
    metric: Metric = Metric.SIGNED
    amount: Literal["fai", "total"] = "fai"
    strict: StrictBool = False
    tiers: list[TierModel] = Field(min_length=1)
    cap: Points | None = None

    def rule(self) -> r.Component:
        tiers = tuple(r.Tier(t.min, t.points) for t in sorted(self.tiers, key=lambda t: t.min))
        return r.PerProject(
            label=self.label,
            metric=self.metric,
            amount=self.amount,
            strict=self.strict,
            tiers=tiers,
            cap=self.cap,
        )


class BonusComponent(FilterFields):
    kind: Literal["bonus"]
    label: str = "加分"
    metric: Metric = Metric.STARTED
    points: Points
    cap: Points | None = None
    per: Annotated[Value, Field(gt=0)] | None = None

    def rule(self) -> r.Component:
        return r.Bonus(
            label=self.label,
            metric=self.metric,
            filters=self.filters(),
            points=self.points,
            cap=self.cap,
            per=self.per,
        )


class StepModel(Base):
    min: Ratio
    points: Points


class TargetComponent(FilterFields):
    kind: Literal["target"]
    label: str | None = None
    metric: Metric
    value: Value | None = None
    points: Points = Decimal(0)
    cap: Ratio | None = None
    steps: list[StepModel] = Field(default_factory=list)
    over_points: Points | None = None
    over_cap: Points | None = None

    @model_validator(mode="after")
    def _scored(self) -> TargetComponent:
        if not self.steps and not self.points:
            raise ValueError("写 points（完成率 × 分值）或 steps（按完成率分档）")
        if self.steps and (self.points or self.cap is not None):
            raise ValueError("steps 与 points、cap 不能同时写")
        return self

    def rule(self) -> r.Component:
        f = self.filters()
        return r.TargetScore(
            label=self.label or label_of(self.metric, f, self.value),
            metric=self.metric,
            filters=f,
            required=self.value,
            points=self.points,
            cap=self.cap,
            steps=tuple(r.Step(x.min, x.points) for x in self.steps),
            over_points=self.over_points,
            over_cap=self.over_cap,
        )


class RequirementModel(FilterFields):
    metric: Metric
    value: Value


class ShortfallComponent(Base):
    kind: Literal["shortfall"]
    label: str | None = None
    require: list[RequirementModel] = Field(min_length=1)
    base: Points
    per_missing: Points
    floor: StrictBool = True

    def rule(self) -> r.Component:
        needs = tuple(r.Requirement(n.metric, n.value, n.filters()) for n in self.require)
        label = self.label or "、".join(label_of(n.metric, n.filters, n.required) for n in needs)
        return r.Shortfall(
            label=label,
            require=needs,
            base=self.base,
            per_missing=self.per_missing,
            floor=self.floor,
        )


class DeductionComponent(Base):
    kind: Literal["deduction"]
    label: str = "扣分"
    event: r.DeductionEvent
    points: Points
    cap: Points | None = None
    base: Points = Decimal(0)
    floor: StrictBool = True

    def rule(self) -> r.Component:
        return r.Deduction(
            label=self.label,
            event=self.event,
            points=self.points,
            cap=self.cap,
            base=self.base,
            floor=self.floor,
        )


class EfficacyComponent(FilterFields):
    kind: Literal["efficacy"]
    label: str | None = None
    metric: Metric
    points: Points
    floor: Points = Decimal(60)
    span: Annotated[Points, Field(gt=0)] = Decimal(40)

    def rule(self) -> r.Component:
        f = self.filters()
        return r.Efficacy(
            label=self.label or label_of(self.metric, f, None),
            metric=self.metric,
            filters=f,
            points=self.points,
            floor=self.floor,
            span=self.span,
        )


class RankPointsComponent(FilterFields):
    kind: Literal["rank_points"]
    label: str | None = None
    metric: Metric
    first: Points
    step: Points

    def rule(self) -> r.Component:
        f = self.filters()
        return r.RankPoints(
            label=self.label or label_of(self.metric, f, None),
            metric=self.metric,
            filters=f,
            first=self.first,
            step=self.step,
        )


class MeasureModel(FilterFields):
    metric: Metric

    def measure(self) -> r.Measure:
        return r.Measure(self.metric, self.filters())


class ShareComponent(Base):
    kind: Literal["share"]
    label: str
    numerator: MeasureModel
    denominator: MeasureModel
    points: Points
    cap: Ratio | None = None

    def rule(self) -> r.Component:
        return r.Share(
            label=self.label,
            numerator=self.numerator.measure(),
            denominator=self.denominator.measure(),
            points=self.points,
            cap=self.cap,
        )


class AdjustmentComponent(Base):
    kind: Literal["adjustment"]
    label: str = "手工加减分"
    cap: Points | None = None

    def rule(self) -> r.Component:
        return r.Adjustment(label=self.label, cap=self.cap)


Item = Annotated[
    CompletionComponent
    | ShareComponent
    | PerProjectComponent
    | BonusComponent
    | TargetComponent
    | ShortfallComponent
    | DeductionComponent
    | AdjustmentComponent,
    Field(discriminator="kind"),
]


class CeilingComponent(Base):
    kind: Literal["ceiling"]
    label: str
    cap: Points
    items: list[Item] = Field(min_length=1)

    def rule(self) -> r.Component:
        return r.Ceiling(label=self.label, cap=self.cap, parts=tuple(i.rule() for i in self.items))


Component = Annotated[
    CompletionComponent
    | PerProjectComponent
    | BonusComponent
    | TargetComponent
    | ShortfallComponent
    | DeductionComponent
    | AdjustmentComponent
    | CeilingComponent
    | EfficacyComponent
    | RankPointsComponent
    | ShareComponent,
    Field(discriminator="kind"),
]
PeriodName = Literal["week", "month", "quarter", "half", "year"]
TieKey = Literal["completion", "amount", "count", "code", "name"]


class RankingModel(Base):
    periods: list[PeriodName] = Field(default_factory=lambda: list[PeriodName](["quarter"]))
    form: d.ScoreForm = d.ScoreForm.POINTS
    efficacy_floor: Points = Decimal(60)
    efficacy_span: Points = Decimal(40)
    tie_break: list[TieKey] = Field(
        default_factory=lambda: list[TieKey](["completion", "amount", "name"])
    )
    groups: dict[str, str] = Field(default_factory=dict)
    components: list[Component] = Field(min_length=1)

    def ranking(self) -> d.Ranking:
        return d.Ranking(
            periods=tuple(self.periods),
            form=self.form,
            efficacy_floor=self.efficacy_floor,
            efficacy_span=self.efficacy_span,
            components=tuple(c.rule() for c in self.components),
            tie_break=tuple(self.tie_break),
            groups=dict(self.groups),
        )


TAGS = frozenset(
    {
        "completion",
        "per_project",
        "bonus",
        "target",
        "shortfall",
        "deduction",
        "adjustment",
        "ceiling",
        "efficacy",
        "rank_points",
        "share",
    }
)
