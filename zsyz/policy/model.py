"""The policy file's schema (pydantic v2). `PolicyFile.to_domain()` gives the frozen
`zsyz.domain.policy.Policy` the rules compute over. Unknown keys are errors, so a typo
never silently drops a rule.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from zsyz.domain import policy as d
from zsyz.domain.metrics import Metric
from zsyz.domain.stages import Stage
from zsyz.policy.fields import (
    Mu,
    Percent,
    Permille,
    Points,
    Ratio,
    TextList,
    Wan,
    WanPerMu,
    Weight,
    number_of,
)

APPROVAL_LEVELS = ("deputy", "mayor_office", "standing_committee", "park")
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
CLASS_IDS: tuple[str, ...] = get_args(ClassId)
Value = Annotated[Decimal, number_of("个（金额指标为万元）")]
Year = Annotated[StrictInt, Field(ge=1990, le=2100)]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilterFields(Base):
    min_fai: Wan | None = None
    min_total: Wan | None = None
    strict: StrictBool = False
    category: TextList | None = None
    chain: TextList | None = None
    level: TextList | None = None
    new_only: StrictBool = False

    def filters(self) -> d.Filters:
        return d.Filters(
            min_fai=self.min_fai,
            min_total=self.min_total,
            strict=self.strict,
            categories=tuple(self.category or ()),
            chains=tuple(self.chain or ()),
            levels=tuple(self.level or ()),
            new_only=self.new_only,
        )


def _label(metric: Metric | None, f: d.Filters, value: Decimal | None) -> str:
    return d.target_label(metric, f, value) if metric is not None else ""


def _num(value: Decimal) -> str:
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
        kinds = [k for k in ("metric", "any_of", "all_of") if getattr(self, k) is not None]
        if len(kinds) != 1:
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
            label = _label(self.metric, f, self.value)
            if self.growth is not None:
                label = f"{label}比上年增长{_num(self.growth)}%"
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


class PolicyHeader(Base):
    name: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1)
    year: Year
    document: str = ""
    region: str = ""
    note: str = ""


class ClassModel(Base):
    label: str
    group: str | None = None
    credit: list[d.CreditRole] | None = None


class CreditModel(Base):
    roles: list[d.CreditRole] = Field(default_factory=lambda: [d.CreditRole.SOURCING], min_length=1)
    share: d.Share = d.Share.FULL


class ReportingModel(Base):
    cadence: Literal["weekly", "monthly"] = "weekly"
    due_weekday: Annotated[StrictInt, Field(ge=1, le=7)] = 1
    due_day: Annotated[StrictInt, Field(ge=1, le=31)] = 25
    due_next_month: StrictBool = False
    classes: list[ClassId] = Field(default_factory=list)
    summaries: StrictBool = False


class CalendarModel(Base):
    """国务院放假安排: holidays move a due day on to the next working day."""

    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list)  # make-up working days (调休上班)

    @model_validator(mode="after")
    def _disjoint(self) -> CalendarModel:
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            days = "、".join(d.isoformat() for d in both)
            raise ValueError(f"这些日期既是节假日又是调休上班日：{days}")
        return self


class AlertsModel(Base):
    stale_days: dict[Stage, Annotated[StrictInt, Field(ge=1)]] = Field(default_factory=dict)
    red_factor: Annotated[Decimal, number_of("倍数", minimum=Decimal(1))] = Decimal(2)
    signed_not_started_months: Annotated[StrictInt, Field(ge=1)] = 6
    start_late_red_months: Annotated[StrictInt, Field(ge=1)] = 3
    behind_yellow: Points = Decimal(10)
    behind_red: Points = Decimal(30)
    monthly_leads: Annotated[StrictInt, Field(ge=0)] = 0
    monthly_trips: Annotated[StrictInt, Field(ge=0)] = 0
    activity_classes: list[ClassId] = Field(default_factory=list)
    schedule: Literal["time", "monthly_plan"] = "time"


class BulletinModel(Base):
    """`[bulletin]`: the completion bands the bulletin's chart is coloured by."""

    good: Ratio = Decimal(1)
    fair: Ratio = Decimal("0.8")
    title_font: str = Field(default="方正小标宋简体", min_length=1)  # or 黑体
    body_font: str = Field(default="仿宋", min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> BulletinModel:
        if self.fair > self.good:
            raise ValueError("bulletin.fair 应不大于 bulletin.good（如 0.8 与 1）")
        return self


class TierModel(Base):
    min: Wan
    points: Points


class CompletionComponent(Base):
    kind: Literal["completion"]
    label: str = "目标完成"
    points: Points
    cap: Ratio | None = None


class PerProjectComponent(Base):
    kind: Literal["per_project"]
    label: str = "项目规模分"
    metric: Metric = Metric.SIGNED
    amount: Literal["fai", "total"] = "fai"
    strict: StrictBool = False
    tiers: list[TierModel] = Field(min_length=1)
    cap: Points | None = None


class BonusComponent(FilterFields):
    kind: Literal["bonus"]
    label: str = "加分"
    metric: Metric = Metric.STARTED
    points: Points
    cap: Points | None = None


class DeductionComponent(Base):
    kind: Literal["deduction"]
    label: str = "扣分"
    event: d.DeductionEvent
    points: Points
    cap: Points | None = None


Component = Annotated[
    CompletionComponent | PerProjectComponent | BonusComponent | DeductionComponent,
    Field(discriminator="kind"),
]


class RankingModel(Base):
    periods: list[Literal["week", "month", "quarter", "half", "year"]] = Field(
        default_factory=lambda: ["quarter"]  # type: ignore[arg-type]
    )
    form: d.ScoreForm = d.ScoreForm.POINTS
    efficacy_floor: Points = Decimal(60)
    efficacy_span: Points = Decimal(40)
    tie_break: list[Literal["completion", "amount", "count", "code", "name"]] = Field(
        default_factory=lambda: ["completion", "amount", "name"]  # type: ignore[arg-type]
    )
    groups: dict[str, str] = Field(default_factory=dict)
    components: list[Component] = Field(min_length=1)

    def ranking(self) -> d.Ranking:
        comps = []
        for c in self.components:
            match c:
                case CompletionComponent():
                    comps.append(
                        d.ScoreComponent(d.ComponentKind.COMPLETION, c.label, c.points, c.cap)
                    )
                case PerProjectComponent():
                    tiers = tuple(
                        d.Tier(t.min, t.points) for t in sorted(c.tiers, key=lambda t: t.min)
                    )
                    comps.append(
                        d.ScoreComponent(
                            d.ComponentKind.PER_PROJECT,
                            c.label,
                            cap=c.cap,
                            metric=c.metric,
                            amount=c.amount,
                            tiers=tiers,
                            filters=d.Filters(strict=c.strict),
                        )
                    )
                case BonusComponent():
                    comps.append(
                        d.ScoreComponent(
                            d.ComponentKind.BONUS,
                            c.label,
                            c.points,
                            c.cap,
                            metric=c.metric,
                            filters=c.filters(),
                        )
                    )
                case DeductionComponent():
                    comps.append(
                        d.ScoreComponent(
                            d.ComponentKind.DEDUCTION, c.label, c.points, c.cap, event=c.event
                        )
                    )
        return d.Ranking(
            periods=tuple(self.periods),
            form=self.form,
            efficacy_floor=self.efficacy_floor,
            efficacy_span=self.efficacy_span,
            components=tuple(comps),
            tie_break=tuple(self.tie_break),
            groups=dict(self.groups),
        )


class RewardBase(Base):
    label: str
    classes: list[ClassId] = Field(default_factory=list)
    exclude_classes: list[ClassId] = Field(default_factory=list)


class FixedOnCompletion(RewardBase):
    kind: Literal["fixed_on_completion"]
    amount: Wan
    min_completion: Ratio = Decimal(1)


class PerProjectReward(RewardBase, FilterFields):
    kind: Literal["per_project"]
    amount: Wan
    metric: Metric = Metric.STARTED


class PermilleOfFunds(RewardBase):
    kind: Literal["permille_of_funds"]
    permille: Permille
    min_completion: Ratio


class PermilleAbove(RewardBase):
    kind: Literal["permille_above"]
    permille: Permille
    min_amount: Wan


class CompiledStarted(RewardBase):
    kind: Literal["compiled_started"]
    percent: Percent
    basis: Literal["planned_investment_year", "completed_investment_year", "total_investment"] = (
        "planned_investment_year"
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


Reward = Annotated[
    FixedOnCompletion
    | PerProjectReward
    | PermilleOfFunds
    | PermilleAbove
    | CompiledStarted
    | TieredPermille,
    Field(discriminator="kind"),
]


class NotExcellentBelow(Base):
    kind: Literal["not_excellent_below"]
    label: str = "不能评为优秀"
    classes: list[ClassId] = Field(default_factory=list)
    below: Ratio


class VoteExcellent(FilterFields):
    kind: Literal["vote_excellent"]
    label: str = "一票评优"
    classes: list[ClassId] = Field(default_factory=list)
    metric: Metric = Metric.STARTED


class VetoExcellent(Base):
    kind: Literal["veto_excellent"]
    label: str = "一票否优"
    classes: list[ClassId] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)


class BottomOfRanking(Base):
    kind: Literal["bottom_of_ranking"]
    label: str
    flag: str
    classes: list[ClassId] = Field(default_factory=list)
    bottom: Annotated[StrictInt, Field(ge=1)]
    period: Literal["month", "quarter", "half", "year"] = "year"


Flag = Annotated[
    NotExcellentBelow | VoteExcellent | VetoExcellent | BottomOfRanking,
    Field(discriminator="kind"),
]


class LandBoundModel(Base):
    max_land: Mu | None = None
    level: Literal["deputy", "mayor_office", "standing_committee", "park"]


class RouteModel(Base):
    label: str
    categories: list[str] = Field(default_factory=list)
    bounds: list[LandBoundModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> RouteModel:
        lands = [b.max_land for b in self.bounds]
        if any(x is None for x in lands[:-1]):
            raise ValueError("只有最后一档可以不写 max_land（无上限）")
        known = [x for x in lands if x is not None]
        if known != sorted(known):
            raise ValueError("各档 max_land 应从小到大排列")
        return self


class ParkModel(Base):
    unit: str
    max_land: Mu
    level: Literal["park"] = "park"


class ApprovalModel(Base):
    levels: list[Literal["deputy", "mayor_office", "standing_committee"]] = Field(
        default_factory=lambda: ["deputy", "mayor_office", "standing_committee"]  # type: ignore[arg-type]
    )
    no_land: Literal["deputy", "mayor_office", "standing_committee"] = "deputy"
    fiscal_support_raises: StrictBool = True
    routes: list[RouteModel] = Field(min_length=1)
    parks: list[ParkModel] = Field(default_factory=list)


class AdmissionModel(Base):
    categories: list[str] = Field(default_factory=lambda: ["制造业", "工业"])
    min_fai_per_mu: WanPerMu | None = None
    min_tax_per_mu: WanPerMu | None = None
    stage: Stage = Stage.ADMITTED


class RosterTargetModel(FilterFields):
    metric: Metric
    value: Value
    label: str | None = None


class UnitModel(Base):
    name: str = Field(min_length=1, max_length=200)
    class_: ClassId = Field(alias="class")
    aliases: list[str] = Field(default_factory=list)
    group: str | None = None
    parent: str | None = None
    example: StrictBool = False
    targets: list[RosterTargetModel] = Field(default_factory=list)


class RosterModel(Base):
    note: str = ""
    units: list[UnitModel] = Field(default_factory=list)


class PolicyFile(Base):
    policy: PolicyHeader
    classes: dict[ClassId, ClassModel] = Field(default_factory=dict)
    targets: dict[ClassId, list[TargetModel]] = Field(default_factory=dict)
    credit: CreditModel = CreditModel()
    reporting: ReportingModel = ReportingModel()
    calendar: CalendarModel = CalendarModel()
    alerts: AlertsModel = AlertsModel()
    ranking: RankingModel | None = None
    rewards: list[Reward] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    approval: ApprovalModel | None = None
    admission: AdmissionModel | None = None
    roster: RosterModel = RosterModel()
    bulletin: BulletinModel = BulletinModel()

    @model_validator(mode="after")
    def _consistent(self) -> PolicyFile:
        missing = sorted(set(self.targets) - set(self.classes))
        if missing:
            raise ValueError(f"targets 用到的单位类别未在 [classes] 中定义：{'、'.join(missing)}")
        seen: set[str] = set()
        for u in self.roster.units:
            for name in (u.name, *u.aliases):
                if name in seen:
                    raise ValueError(f"roster.units 中名称或别名「{name}」重复")
                seen.add(name)
        undefined = sorted({u.class_ for u in self.roster.units} - set(self.classes))
        if undefined:
            raise ValueError(
                f"roster.units 用到的单位类别未在 [classes] 中定义：{'、'.join(undefined)}"
            )
        return self

    def to_domain(self) -> d.Policy:
        classes: dict[str, d.UnitClass] = {
            cid: d.UnitClass(
                id=cid,
                label=c.label,
                targets=tuple(t.rule() for t in self.targets.get(cid, ())),
                credit_roles=tuple(c.credit) if c.credit is not None else None,
                group=c.group,
            )
            for cid, c in self.classes.items()
        }
        return d.Policy(
            name=self.policy.name,
            title=self.policy.title,
            year=self.policy.year,
            document=self.policy.document,
            region=self.policy.region,
            classes=classes,
            credit=d.Credit(tuple(self.credit.roles), self.credit.share),
            reporting=d.Reporting(
                self.reporting.cadence,
                self.reporting.due_weekday,
                self.reporting.due_day,
                self.reporting.due_next_month,
                tuple(self.reporting.classes),
                self.reporting.summaries,
                frozenset(self.calendar.holidays),
                frozenset(self.calendar.workdays),
            ),
            alerts=_alerts(self.alerts),
            ranking=self.ranking.ranking() if self.ranking else None,
            rewards=tuple(_reward(r) for r in self.rewards),
            flags=tuple(_flag(f) for f in self.flags),
            approval=_approval(self.approval) if self.approval else None,
            admission=_admission(self.admission) if self.admission else None,
            roster=tuple(_unit(u) for u in self.roster.units),
            bulletin=d.Bulletin(
                self.bulletin.good,
                self.bulletin.fair,
                self.bulletin.title_font,
                self.bulletin.body_font,
            ),
        )


def _alerts(a: AlertsModel) -> d.Alerts:
    return d.Alerts(
        stale_days=dict(a.stale_days),
        red_factor=a.red_factor,
        signed_not_started_months=a.signed_not_started_months,
        start_late_red_months=a.start_late_red_months,
        behind_yellow=a.behind_yellow,
        behind_red=a.behind_red,
        monthly_leads=a.monthly_leads,
        monthly_trips=a.monthly_trips,
        activity_classes=tuple(a.activity_classes),
        schedule=a.schedule,
    )


def _reward(r: Reward) -> d.RewardRule:
    common = {
        "label": r.label,
        "classes": tuple(r.classes),
        "exclude_classes": tuple(r.exclude_classes),
    }
    match r:
        case FixedOnCompletion():
            return d.RewardRule(
                d.RewardKind.FIXED_ON_COMPLETION,
                amount=r.amount,
                min_completion=r.min_completion,
                **common,  # type: ignore[arg-type]
            )
        case PerProjectReward():
            return d.RewardRule(
                d.RewardKind.PER_PROJECT,
                amount=r.amount,
                metric=r.metric,
                filters=r.filters(),
                **common,  # type: ignore[arg-type]
            )
        case PermilleOfFunds():
            return d.RewardRule(
                d.RewardKind.PERMILLE_OF_FUNDS,
                permille=r.permille,
                min_completion=r.min_completion,
                **common,  # type: ignore[arg-type]
            )
        case PermilleAbove():
            return d.RewardRule(
                d.RewardKind.PERMILLE_ABOVE,
                permille=r.permille,
                min_amount=r.min_amount,
                **common,  # type: ignore[arg-type]
            )
        case CompiledStarted():
            return d.RewardRule(
                d.RewardKind.COMPILED_STARTED,
                percent=r.percent,
                basis=r.basis,
                **common,  # type: ignore[arg-type]
            )
        case TieredPermille():
            return d.RewardRule(
                d.RewardKind.TIERED_PERMILLE,
                tiers=tuple(d.RateTier(t.up_to, t.permille) for t in r.tiers),
                progressive=r.progressive,
                cap_per_project=r.cap_per_project,
                basis=r.basis,
                **common,  # type: ignore[arg-type]
            )
    raise AssertionError(r)


def _flag(f: Flag) -> d.FlagRule:
    match f:
        case NotExcellentBelow():
            return d.FlagRule(
                d.FlagKind.NOT_EXCELLENT_BELOW, f.label, tuple(f.classes), below=f.below
            )
        case VoteExcellent():
            return d.FlagRule(
                d.FlagKind.VOTE_EXCELLENT,
                f.label,
                tuple(f.classes),
                metric=f.metric,
                filters=f.filters(),
                flag="一票评优",
            )
        case VetoExcellent():
            return d.FlagRule(
                d.FlagKind.VETO_EXCELLENT,
                f.label,
                tuple(f.classes),
                units=tuple(f.units),
                flag="一票否优",
            )
        case BottomOfRanking():
            return d.FlagRule(
                d.FlagKind.BOTTOM_OF_RANKING,
                f.label,
                tuple(f.classes),
                bottom=f.bottom,
                period=f.period,
                flag=f.flag,
            )
    raise AssertionError(f)


def _approval(a: ApprovalModel) -> d.Approval:
    return d.Approval(
        levels=tuple(a.levels),
        no_land=a.no_land,
        routes=tuple(
            d.ApprovalRoute(
                r.label,
                tuple(r.categories),
                tuple(d.LandBound(b.max_land, b.level) for b in r.bounds),
            )
            for r in a.routes
        ),
        fiscal_support_raises=a.fiscal_support_raises,
        parks=tuple(d.ParkApproval(p.unit, p.max_land, p.level) for p in a.parks),
    )


def _admission(a: AdmissionModel) -> d.Admission:
    return d.Admission(tuple(a.categories), a.min_fai_per_mu, a.min_tax_per_mu, a.stage)


def _unit(u: UnitModel) -> d.RosterUnit:
    return d.RosterUnit(
        name=u.name,
        unit_class=u.class_,
        aliases=tuple(u.aliases),
        group=u.group,
        parent=u.parent,
        example=u.example,
        targets=tuple(d.RosterTarget(t.metric, t.value, t.filters(), t.label) for t in u.targets),
    )


# Union tags pydantic puts into error locations; the key path shown leaves them out.
UNION_TAGS = frozenset(
    {
        "completion",
        "per_project",
        "bonus",
        "deduction",
        "fixed_on_completion",
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
