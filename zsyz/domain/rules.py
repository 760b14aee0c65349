"""The rule kinds of a policy: one frozen dataclass per kind, each holding only its own
fields. Ranking, rewards and flags evaluate a rule by matching on its class.

Ranking components add points to a unit's score; rewards pay 万元; flags mark units
(一票评优, 一票否优, 通报批评). `zsyz.policy.model` builds these from TOML.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zsyz.domain.metrics import Metric
from zsyz.domain.policy import Filters

ANY = Filters()  # no filter: every project counts


class DeductionEvent(StrEnum):
    """What the ledger knows happened, counted once per occurrence in the period."""

    MISSED_REPORT = "missed_report"  # a reporting slot without the unit's report
    LATE_REPORT = "late_report"  # reported after the due day
    STALE_PROJECT = "stale_project"  # a credited project not updated for too long
    SIGNED_NOT_STARTED = "signed_not_started"  # signed, not started past the limit


EVENT_WORDS: dict[DeductionEvent, str] = {
    DeductionEvent.MISSED_REPORT: "未报送",
    DeductionEvent.LATE_REPORT: "迟报",
    DeductionEvent.STALE_PROJECT: "项目未及时更新",
    DeductionEvent.SIGNED_NOT_STARTED: "签约超期未开工",
}


@dataclass(frozen=True)
class Tier:
    min_amount: Decimal  # this tier starts at this amount (inclusive unless strict)
    points: Decimal


# ---- ranking components -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Completion:
    """Weighted completion of the unit's targets × points; each ratio capped at `cap`."""

    label: str = "目标完成"
    points: Decimal
    cap: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class PerProject:
    """Points per project reaching `metric`'s stage, by the tier its amount falls in."""

    label: str = "项目规模分"
    metric: Metric = Metric.SIGNED
    amount: str = "fai"  # "fai" (固投) or "total" (总投资)
    strict: bool = False
    tiers: tuple[Tier, ...]
    cap: Decimal | None = None  # most points in total


@dataclass(frozen=True, kw_only=True)
class Bonus:
    """`points` per project meeting filters; with `per`, per each whole `per` of what the
    metric measures instead (每 1 亿元签约额 0.2 分: metric signed_total, per 10000)."""

    label: str = "加分"
    metric: Metric = Metric.STARTED
    filters: Filters = ANY
    points: Decimal
    cap: Decimal | None = None
    per: Decimal | None = None


@dataclass(frozen=True)
class Step:
    """At a completion ratio of at least `min_ratio`, `points` (the highest step met)."""

    min_ratio: Decimal
    points: Decimal


@dataclass(frozen=True, kw_only=True)
class TargetScore:
    """A target with its own points: points × min(achieved ÷ required, cap); or, with
    `steps`, the points of the highest step the ratio reaches (完成100%得100分、80%以上
    75分…). `over_points` adds that many points per percentage point above 100% (the
    proportional part then stops at 100%), at most `over_cap` in total.

    `required` None: the unit's own task for this metric and filters (`targets set`, a
    roster or a decomposition table), found by meaning; a unit without one scores 0."""

    label: str
    metric: Metric
    filters: Filters = ANY
    required: Decimal | None = None
    points: Decimal = Decimal(0)
    cap: Decimal | None = None  # ratio, e.g. 1.2
    steps: tuple[Step, ...] = ()
    over_points: Decimal | None = None
    over_cap: Decimal | None = None


@dataclass(frozen=True)
class Requirement:
    """At least `required` of `metric` over projects meeting `filters` (a band, a kind)."""

    metric: Metric
    required: Decimal
    filters: Filters = ANY


@dataclass(frozen=True, kw_only=True)
class Shortfall:
    """`base` points less `per_missing` for each unit short of any requirement; not below
    0 when `floor` (不少于 7、4、1 个，每少 1 个扣 0.1 分)."""

    label: str
    require: tuple[Requirement, ...]
    base: Decimal
    per_missing: Decimal
    floor: bool = True


@dataclass(frozen=True, kw_only=True)
class Deduction:
    """`base` points less `points` per event the ledger records in the period; total
    deducted capped at `cap`; never below 0 when `floor` and a base is given."""

    label: str = "扣分"
    event: DeductionEvent
    points: Decimal
    cap: Decimal | None = None
    base: Decimal = Decimal(0)
    floor: bool = True


@dataclass(frozen=True, kw_only=True)
class Efficacy:
    """An item scored by the efficacy coefficient within the unit's group: the unit's value
    v of `metric` becomes (v − min)/(max − min) × span + floor (all equal: floor + span),
    and the item earns points × that ÷ (floor + span) (最大的计100分，最小的计60分)."""

    label: str
    metric: Metric
    filters: Filters = ANY
    points: Decimal
    floor: Decimal = Decimal(60)
    span: Decimal = Decimal(40)


@dataclass(frozen=True, kw_only=True)
class RankPoints:
    """An item scored by place within the unit's group on `metric`: the first `first`
    points, each place below `step` fewer, never below 0 (equal values share a place)."""

    label: str
    metric: Metric
    filters: Filters = ANY
    first: Decimal
    step: Decimal


@dataclass(frozen=True)
class Measure:
    """What a metric measures over the projects meeting `filters`."""

    metric: Metric
    filters: Filters = ANY


@dataclass(frozen=True, kw_only=True)
class Share:
    """points × numerator ÷ denominator, capped at `cap` (产业契合度 = 产业项目个数 ÷
    新引进项目个数 × 分值); 0 when the denominator is 0."""

    label: str
    numerator: Measure
    denominator: Measure
    points: Decimal
    cap: Decimal | None = None  # ratio


@dataclass(frozen=True, kw_only=True)
class Adjustment:
    """Points recorded by hand (`zsyz adjust add`) for the year, each with its reason."""

    label: str = "手工加减分"
    cap: Decimal | None = None  # most points either way in total


@dataclass(frozen=True, kw_only=True)
class Ceiling:
    """Several items whose points together are capped at `cap` (either way)."""

    label: str
    cap: Decimal
    parts: tuple[Component, ...]


Component = (
    Completion
    | PerProject
    | Bonus
    | TargetScore
    | Shortfall
    | Deduction
    | Adjustment
    | Ceiling
    | Efficacy
    | RankPoints
    | Share
)


def flat(components: tuple[Component, ...]) -> list[Component]:
    """Every component, the parts of ceilings included (for what a ranking reads)."""
    out: list[Component] = []
    for c in components:
        out.extend(flat(c.parts) if isinstance(c, Ceiling) else [c])
    return out


# ---- rewards ----------------------------------------------------------------------------


class Payee(StrEnum):
    """Who earns a per-project reward."""

    EACH_CREDITED = "each_credited"  # every unit the project counts for (class credit roles)
    SOURCING = "sourcing"  # the sourcing (招引) units only
    LANDING = "landing"  # the landing (落地) units only
    LEADER = "leader"  # the responsible (包保) leaders only


@dataclass(frozen=True, kw_only=True)
class RewardScope:
    label: str
    classes: tuple[str, ...] = ()  # empty: every class
    exclude_classes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class FixedOnCompletion(RewardScope):
    amount: Decimal
    min_completion: Decimal = Decimal(1)


@dataclass(frozen=True, kw_only=True)
class PerProjectReward(RewardScope):
    amount: Decimal
    metric: Metric = Metric.STARTED
    filters: Filters = ANY
    to: Payee = Payee.EACH_CREDITED


@dataclass(frozen=True, kw_only=True)
class PermilleOfFunds(RewardScope):
    permille: Decimal
    min_completion: Decimal


@dataclass(frozen=True, kw_only=True)
class PermilleAbove(RewardScope):
    permille: Decimal
    min_amount: Decimal


@dataclass(frozen=True, kw_only=True)
class CompiledStarted(RewardScope):
    percent: Decimal
    basis: str = "planned_investment_year"


@dataclass(frozen=True)
class RateTier:
    up_to: Decimal | None  # None: no upper bound
    permille: Decimal


@dataclass(frozen=True, kw_only=True)
class TieredPermille(RewardScope):
    tiers: tuple[RateTier, ...]
    progressive: bool = True  # tiers apply marginally (like income tax) or to the whole
    cap_per_project: Decimal | None = None
    basis: str = "funds"  # funds | fai | total_investment


Reward = (
    FixedOnCompletion
    | PerProjectReward
    | PermilleOfFunds
    | PermilleAbove
    | CompiledStarted
    | TieredPermille
)


# ---- flags ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NotExcellentBelow(RewardScope):
    below: Decimal  # completion ratio


@dataclass(frozen=True, kw_only=True)
class VoteExcellent(RewardScope):
    """一票评优: exceeding the task this rule names, or holding no such task and landing one."""

    metric: Metric = Metric.STARTED
    filters: Filters = ANY


@dataclass(frozen=True, kw_only=True)
class VetoExcellent(RewardScope):
    """一票否优: units named here, and units with a hand-recorded adjustment for the year
    marked with this flag (`zsyz adjust add … --flag 一票否优`)."""

    units: tuple[str, ...] = ()
    flag: str = "一票否优"


@dataclass(frozen=True, kw_only=True)
class BottomOfRanking(RewardScope):
    """The last `bottom` (or `share` of the group, rounded up) of each group's ranking,
    among units that had a task and did not complete it."""

    flag: str
    bottom: int | None = None
    share: Decimal | None = None
    period: str = "year"


Flag = NotExcellentBelow | VoteExcellent | VetoExcellent | BottomOfRanking
