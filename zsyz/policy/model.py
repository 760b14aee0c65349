"""The policy file's schema (pydantic v2). `PolicyFile.to_domain()` gives the frozen
`zsyz.domain.policy.Policy` the rules compute over. Unknown keys are errors, so a typo
never silently drops a rule. Sections live by kind: targets and filters in
`model_targets`, `[ranking]` in `model_ranking`, `[[rewards]]`/`[[flags]]` in
`model_rewards`; this module holds the rest and the file as a whole.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import Field, StrictBool, StrictInt, model_validator

from zsyz.domain import policy as d
from zsyz.domain.stages import Stage
from zsyz.policy import model_ranking, model_rewards
from zsyz.policy.fields import Mu, Points, Ratio, WanPerMu, number_of
from zsyz.policy.model_ranking import RankingModel
from zsyz.policy.model_rewards import Flag, Reward
from zsyz.policy.model_targets import Base, ClassId, RosterTargetModel, TargetModel

APPROVAL_LEVELS = ("deputy", "mayor_office", "standing_committee", "park")
CLASS_IDS: tuple[str, ...] = get_args(ClassId)
Year = Annotated[StrictInt, Field(ge=1990, le=2100)]


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


class CurrencyModel(Base):
    """Exchange rates for amounts reported in foreign money: 元 per unit (usd = 7.1)."""

    usd: Decimal | None = Field(default=None, gt=0, le=1000)


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
    currency: CurrencyModel | None = None

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
            rewards=tuple(r.rule() for r in self.rewards),
            flags=tuple(f.rule() for f in self.flags),
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
UNION_TAGS = model_ranking.TAGS | model_rewards.TAGS
