"""Policy file sections `[[rewards]]` and `[[flags]]`: one model per kind, each building
its own domain rule (`zsyz.domain.rules`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, model_validator

from zsyz.domain import rules as r
from zsyz.domain.metrics import Metric
from zsyz.policy.fields import Percent, Permille, Ratio, Wan
from zsyz.policy.model_targets import Base, ClassId, FilterFields

ClassList = list[ClassId]


class RewardBase(Base):
    label: str
    classes: ClassList = Field(default_factory=list)
    exclude_classes: ClassList = Field(default_factory=list)


class FixedOnCompletion(RewardBase):
    kind: Literal["fixed_on_completion"]
    amount: Wan
    min_completion: Ratio = Decimal(1)

    def rule(self) -> r.Reward:
        return r.FixedOnCompletion(
            label=self.label,
            classes=tuple(self.classes),
            exclude_classes=tuple(self.exclude_classes),
            amount=self.amount,
            min_completion=self.min_completion,
        )


class PerProjectReward(RewardBase, FilterFields):
    kind: Literal["per_project"]
    amount: Wan
    metric: Metric = Metric.STARTED
    to: r.Payee  # who earns it: the policy must say (one project must not pay twice unsaid)

    def rule(self) -> r.Reward:
        return r.PerProjectReward(
            label=self.label,
            classes=tuple(self.classes),
            exclude_classes=tuple(self.exclude_classes),
            amount=self.amount,
            metric=self.metric,
            filters=self.filters(),
            to=self.to,
        )


class PermilleOfFunds(RewardBase):
    kind: Literal["permille_of_funds"]
    permille: Permille
    min_completion: Ratio

    def rule(self) -> r.Reward:
        return r.PermilleOfFunds(
            label=self.label,
            classes=tuple(self.classes),
            exclude_classes=tuple(self.exclude_classes),
            permille=self.permille,
            min_completion=self.min_completion,
        )


class PermilleAbove(RewardBase):
    kind: Literal["permille_above"]
    permille: Permille
    min_amount: Wan

    def rule(self) -> r.Reward:
        return r.PermilleAbove(
            label=self.label,
            classes=tuple(self.classes),
            exclude_classes=tuple(self.exclude_classes),
            permille=self.permille,
            min_amount=self.min_amount,
        )


class CompiledStarted(RewardBase):
    kind: Literal["compiled_started"]
    percent: Percent
    basis: Literal["planned_investment_year", "completed_investment_year", "total_investment"] = (
        "planned_investment_year"
    )

    def rule(self) -> r.Reward:
        return r.CompiledStarted(
            label=self.label,
            classes=tuple(self.classes),
            exclude_classes=tuple(self.exclude_classes),
            percent=self.percent,
            basis=self.basis,
        )


class RateTierModel(Base):
    up_to: Wan | None = None
    permille: Permille


class TieredPermille(RewardBase):
    kind: Literal["tiered_permille"]
    tiers: list[RateTierModel] = Field(min_length=1)
    progressive: StrictBool = True
    cap_per_project: Wan | None = None
    basis: Literal["funds", "fai", "total_investment"] = "funds"

    @model_validator(mode="after")
    def _ordered(self) -> TieredPermille:
        bounds = [t.up_to for t in self.tiers]
        if any(b is None for b in bounds[:-1]):
            raise ValueError("只有最后一档可以不写 up_to（无上限）")
        known = [b for b in bounds if b is not None]
        if known != sorted(known) or len(set(known)) != len(known):
            raise ValueError("各档 up_to 应从小到大排列")
        return self

    def rule(self) -> r.Reward:
        return r.TieredPermille(
            label=self.label,
            classes=tuple(self.classes),
            exclude_classes=tuple(self.exclude_classes),
            tiers=tuple(r.RateTier(t.up_to, t.permille) for t in self.tiers),
            progressive=self.progressive,
            cap_per_project=self.cap_per_project,
            basis=self.basis,
        )


Reward = Annotated[
    FixedOnCompletion
    | PerProjectReward
    | PermilleOfFunds
    | PermilleAbove
    | CompiledStarted
    | TieredPermille,
    Field(discriminator="kind"),
]


class FlagBase(Base):
    classes: ClassList = Field(default_factory=list)


class NotExcellentBelow(FlagBase):
    kind: Literal["not_excellent_below"]
    label: str = "不能评为优秀"
    below: Ratio

    def rule(self) -> r.Flag:
        return r.NotExcellentBelow(label=self.label, classes=tuple(self.classes), below=self.below)


class VoteExcellent(FlagBase, FilterFields):
    kind: Literal["vote_excellent"]
    label: str = "一票评优"
    metric: Metric = Metric.STARTED

    def rule(self) -> r.Flag:
        return r.VoteExcellent(
            label=self.label,
            classes=tuple(self.classes),
            metric=self.metric,
            filters=self.filters(),
        )


class VetoExcellent(FlagBase):
    kind: Literal["veto_excellent"]
    label: str = "一票否优"
    units: list[str] = Field(default_factory=list)
    flag: str = Field("一票否优", min_length=1)

    def rule(self) -> r.Flag:
        return r.VetoExcellent(
            label=self.label, classes=tuple(self.classes), units=tuple(self.units), flag=self.flag
        )


class BottomOfRanking(FlagBase):
    kind: Literal["bottom_of_ranking"]
    label: str
    flag: str
    bottom: Annotated[StrictInt, Field(ge=1)] | None = None
    share: Annotated[Ratio, Field(gt=0, le=1)] | None = None
    period: Literal["month", "quarter", "half", "year"] = "year"

    @model_validator(mode="after")
    def _how_many(self) -> BottomOfRanking:
        if (self.bottom is None) == (self.share is None):
            raise ValueError("写且只写 bottom（末位个数）或 share（末位比例，如 0.1）之一")
        return self

    def rule(self) -> r.Flag:
        return r.BottomOfRanking(
            label=self.label,
            classes=tuple(self.classes),
            flag=self.flag,
            bottom=self.bottom,
            share=self.share,
            period=self.period,
        )


Flag = Annotated[
    NotExcellentBelow | VoteExcellent | VetoExcellent | BottomOfRanking,
    Field(discriminator="kind"),
]

TAGS = frozenset(
    {
        "fixed_on_completion",
        "per_project",
        "permille_of_funds",
        "permille_above",
        "compiled_started",
        "tiered_permille",
        "not_excellent_below",
        "vote_excellent",
        "veto_excellent",
        "bottom_of_ranking",
    }
)
