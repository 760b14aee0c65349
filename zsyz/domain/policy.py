"""A policy as plain frozen data: what the pure rules (progress, ranking, rewards, alerts,
approval, admission) compute over. `zsyz.policy.model` validates TOML and builds these.

Amounts are Decimal 万元; land is Decimal 亩; ratios are plain Decimals (0.8 = 80%).
Every section that a document may not have is optional (None or empty), so a rule that
finds its section missing simply does not apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from zsyz.domain.metrics import Metric
from zsyz.domain.stages import Stage

if TYPE_CHECKING:
    from zsyz.domain.rules import Component, Flag, Reward

ANY_CATEGORY = "*"  # a category filter entry meaning "any project that has a category"


class Share(StrEnum):
    FULL = "full"  # each credited unit counts the whole project
    SPLIT = "split"  # n credited units each count 1/n of it


class CreditRole(StrEnum):
    SOURCING = "sourcing"
    LANDING = "landing"
    LEADER = "leader"
    COMPILING = "compiling"
    CHAIN = "chain"  # a chain unit: projects whose 产业链 names it


@dataclass(frozen=True)
class Filters:
    """Which projects a target counts. Lower bounds compare inclusively unless `strict`;
    upper bounds (bands: 3–10亿, 10–20亿) exclusively unless `max_inclusive`."""

    min_fai: Decimal | None = None  # 固定资产投资 ≥ (or > when strict)
    min_total: Decimal | None = None  # 总投资 ≥ (or >)
    strict: bool = False
    max_fai: Decimal | None = None  # 固定资产投资 < (or ≤ when max_inclusive)
    max_total: Decimal | None = None  # 总投资 < (or ≤)
    max_inclusive: bool = False
    categories: tuple[str, ...] = ()  # empty: any; "*": any categorised project
    chains: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    new_only: bool = False

    @property
    def empty(self) -> bool:
        return self == Filters()

    def conditions(self) -> list[str]:
        """The filters in words, as labels show them (固投≥5000万, 总投资3亿–10亿 …)."""
        out = []
        for what, low, high in (
            ("固投", self.min_fai, self.max_fai),
            ("总投资", self.min_total, self.max_total),
        ):
            if low is not None:
                out.append(f"{what}{'>' if self.strict else '≥'}{_plain(low)}万")
            if high is not None:
                out.append(f"{what}{'≤' if self.max_inclusive else '<'}{_plain(high)}万")
        if self.categories and self.categories != (ANY_CATEGORY,):
            out.append("/".join(c for c in self.categories if c != ANY_CATEGORY))
        for values in (self.chains, self.levels):
            if values:
                out.append("/".join(values))
        if self.new_only:
            out.append("新建")
        return out

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> Filters:
        """Filters from the `target.filters` JSON (amounts as text or numbers)."""
        return cls(
            min_fai=_amount(raw.get("min_fai")),
            min_total=_amount(raw.get("min_total")),
            strict=bool(raw.get("strict", False)),
            max_fai=_amount(raw.get("max_fai")),
            max_total=_amount(raw.get("max_total")),
            max_inclusive=bool(raw.get("max_inclusive", False)),
            categories=_texts(raw.get("category")),
            chains=_texts(raw.get("chain")),
            levels=_texts(raw.get("level")),
            new_only=bool(raw.get("new_only", False)),
        )


def target_label(metric: Metric, f: Filters, value: Decimal | None) -> str:
    """How a target reads when nobody named it: 2个 签约（固投≥5000万，制造业/现代农业）.
    The one wording for policy targets and explicit ones alike."""
    cond = f.conditions()
    head = f"{_plain(value)}{metric.unit_label} " if value is not None else ""
    return f"{head}{metric.label}" + (f"（{'，'.join(cond)}）" if cond else "")


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _amount(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    return Decimal(str(value))


def _texts(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)


@dataclass(frozen=True)
class TargetRule:
    """One annual target of a unit class.

    Simple: `metric` + `required` (+ `filters`). `growth` makes required the prior
    year's actual × (1 + growth/100). `per_unit` means each unit's amount is set in the
    roster or the `target` table (001's squads); without one the target is left out.
    Combinators: `any_of` (best alternative counts), `all_of` (weighted parts).
    """

    label: str
    metric: Metric | None = None
    required: Decimal | None = None
    filters: Filters = Filters()
    growth: Decimal | None = None  # percent over the prior year's actual
    per_unit: bool = False
    weight: Decimal = Decimal(1)
    any_of: tuple[TargetRule, ...] = ()
    all_of: tuple[TargetRule, ...] = ()

    @property
    def is_simple(self) -> bool:
        return not self.any_of and not self.all_of

    @property
    def metrics(self) -> frozenset[Metric]:
        """Every metric this rule measures (an explicit target with one replaces it)."""
        if self.is_simple:
            return frozenset({self.metric}) if self.metric else frozenset()
        out: frozenset[Metric] = frozenset()
        for part in (*self.any_of, *self.all_of):
            out |= part.metrics
        return out


@dataclass(frozen=True)
class UnitClass:
    id: str
    label: str
    targets: tuple[TargetRule, ...] = ()
    credit_roles: tuple[CreditRole, ...] | None = None  # None: the policy's credit roles
    group: str | None = None


@dataclass(frozen=True)
class RosterTarget:
    metric: Metric
    required: Decimal
    filters: Filters = Filters()
    label: str | None = None


@dataclass(frozen=True)
class RosterUnit:
    name: str
    unit_class: str
    aliases: tuple[str, ...] = ()
    group: str | None = None
    parent: str | None = None
    example: bool = False  # the document names no such unit: an example of ours
    targets: tuple[RosterTarget, ...] = ()


@dataclass(frozen=True)
class Credit:
    roles: tuple[CreditRole, ...] = (CreditRole.SOURCING,)
    share: Share = Share.FULL


@dataclass(frozen=True)
class Reporting:
    cadence: str = "weekly"  # weekly | monthly
    due_weekday: int = 1  # ISO weekday the weekly report is due by (1 = Monday)
    due_day: int = 25  # monthly: due by this day of the month
    due_next_month: bool = False  # monthly: the due day falls in the next month (次月5日前)
    classes: tuple[str, ...] = ()  # classes that must report; empty: every class
    # a county summary (import --all-units) also fills the duty of each unit it mentions
    summaries: bool = False
    # [calendar]: a due day on a holiday moves to the next working day (国务院放假安排)
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # make-up working days (调休上班) on weekends


@dataclass(frozen=True)
class Alerts:
    """Thresholds of the early-warning rules (issue 6)."""

    stale_days: dict[Stage, int] = field(default_factory=dict)  # no update for N days
    red_factor: Decimal = Decimal(2)  # red at red_factor × the yellow threshold
    signed_not_started_months: int = 6
    start_late_red_months: int = 3
    behind_yellow: Decimal = Decimal(10)  # points behind the time-proportional target
    behind_red: Decimal = Decimal(30)
    monthly_leads: int = 0  # leads each unit must record per month (000: 1)
    monthly_trips: int = 0
    activity_classes: tuple[str, ...] = ()
    # How far along a unit should be: "time" = share of the year elapsed (序时进度);
    # "monthly_plan" = the year's target counted back into whole months (003 倒排月度计划).
    schedule: str = "time"


class ScoreForm(StrEnum):
    POINTS = "points"  # sum of components
    EFFICACY = "efficacy"  # (v − min)/(max − min) × span + floor within the group


@dataclass(frozen=True)
class Ranking:
    periods: tuple[str, ...] = ("quarter",)
    form: ScoreForm = ScoreForm.POINTS
    efficacy_floor: Decimal = Decimal(60)
    efficacy_span: Decimal = Decimal(40)
    components: tuple[Component, ...] = ()
    tie_break: tuple[str, ...] = ("completion", "amount", "name")
    groups: dict[str, str] = field(default_factory=dict)  # group id → label


@dataclass(frozen=True)
class LandBound:
    max_land: Decimal | None  # inclusive upper bound (亩); None: no bound
    level: str


@dataclass(frozen=True)
class ApprovalRoute:
    label: str
    categories: tuple[str, ...]  # empty: the fallback route for other categories
    bounds: tuple[LandBound, ...]


@dataclass(frozen=True)
class ParkApproval:
    unit: str  # park name
    max_land: Decimal
    level: str = "park"


@dataclass(frozen=True)
class Approval:
    levels: tuple[str, ...] = ("deputy", "mayor_office", "standing_committee")
    no_land: str = "deputy"
    routes: tuple[ApprovalRoute, ...] = ()
    fiscal_support_raises: bool = True  # 一事一议 raises one level
    parks: tuple[ParkApproval, ...] = ()


@dataclass(frozen=True)
class Admission:
    categories: tuple[str, ...] = ("制造业", "工业")
    min_fai_per_mu: Decimal | None = None  # 万元/亩
    min_tax_per_mu: Decimal | None = None  # 万元/亩/年
    stage: Stage = Stage.ADMITTED


@dataclass(frozen=True)
class Bulletin:
    """How the bulletin colours completion: ≥ `good` (100%), ≥ `fair` (80%), below."""

    good: Decimal = Decimal(1)
    fair: Decimal = Decimal("0.8")
    title_font: str = "方正小标宋简体"  # where it is not installed: 黑体
    body_font: str = "仿宋"


@dataclass(frozen=True)
class Policy:
    name: str
    title: str
    year: int
    document: str = ""
    region: str = ""
    classes: dict[str, UnitClass] = field(default_factory=dict)
    credit: Credit = Credit()
    reporting: Reporting = Reporting()
    alerts: Alerts = Alerts()
    ranking: Ranking | None = None
    rewards: tuple[Reward, ...] = ()
    flags: tuple[Flag, ...] = ()
    approval: Approval | None = None
    admission: Admission | None = None
    roster: tuple[RosterUnit, ...] = ()
    bulletin: Bulletin = Bulletin()

    def credit_roles(self, unit_class: str) -> tuple[CreditRole, ...]:
        cls = self.classes.get(unit_class)
        if cls is not None and cls.credit_roles is not None:
            return cls.credit_roles
        return self.credit.roles

    def targets_of(self, unit_class: str) -> tuple[TargetRule, ...]:
        cls = self.classes.get(unit_class)
        return cls.targets if cls else ()


@dataclass(frozen=True)
class PolicyInstalled:
    """What installing a policy did: the policy, from which year, the units and unit
    targets it added, the example units loaded and those left out (no --with-examples)."""

    name: str
    title: str
    year: int
    units_added: int
    targets: int
    examples: int
    examples_left: int
