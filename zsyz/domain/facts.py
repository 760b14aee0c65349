"""Plain frozen facts the rules compute over. The store builds them; the domain reads them.

Amounts are Decimal 万元; land is Decimal 亩. None means "not reported", never zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from zsyz.domain.stages import Stage


class Role(StrEnum):
    """How a unit is attached to a project; the policy's credit rule picks which count."""

    SOURCING = "sourcing"  # 招引单位
    LANDING = "landing"  # 落地单位
    LEADER = "leader"  # 责任领导/包保领导
    COMPILING = "compiling"  # 项目编制单位


class ActivityKind(StrEnum):
    LEAD = "lead"  # 有效项目信息
    TRIP = "trip"  # 外出招商


@dataclass(frozen=True)
class UnitFact:
    code: str
    name: str
    unit_class: str
    group: str | None = None
    parent: str | None = None  # parent unit code
    active: bool = True
    aliases: tuple[str, ...] = ()
    retired_on: date | None = None  # retired from this day: kept in the past, not after

    def active_on(self, day: date) -> bool:
        """Whether the unit takes part (rankings, alerts, rewards) on `day`."""
        return self.active and (self.retired_on is None or day < self.retired_on)


@dataclass(frozen=True, slots=True)  # slots: a province's 100,000 facts, several times
class ProjectFact:
    code: str
    name: str
    stage: Stage
    # date each stage was reached, keyed by stage (only those known)
    stage_dates: dict[Stage, date] = field(default_factory=dict)
    roles: tuple[tuple[Role, str], ...] = ()  # (role, unit code)
    investor: str | None = None
    investor_origin: str | None = None
    investor_type: str | None = None
    category: str | None = None
    chain: str | None = None
    level: str | None = None
    is_new: bool | None = None
    total_investment: Decimal | None = None
    fai: Decimal | None = None
    planned_investment_year: Decimal | None = None
    completed_investment_year: Decimal | None = None
    funds_in_place: Decimal | None = None
    foreign_funds: Decimal | None = None
    out_of_province_funds: Decimal | None = None
    land_area: Decimal | None = None
    needs_land: bool | None = None
    expected_tax: Decimal | None = None
    fiscal_support: bool | None = None
    compiled_on: date | None = None
    planned_start_on: date | None = None
    last_reported_on: date | None = None

    @classmethod
    def trusted(cls, fields: dict[str, object]) -> ProjectFact:
        """A fact from every field's value, already of its type (a store's loader): the
        same object as `ProjectFact(**fields)` without one frozen-dataclass check per
        field, which at 100,000 projects costs a quarter of a second."""
        fact = object.__new__(cls)
        for name, put, default in _SLOTS:
            put(fact, fields[name] if name in fields else default())
        return fact

    def replaced(self, values: dict[str, object]) -> ProjectFact:
        """`dataclasses.replace(self, **values)` without its per-call field introspection
        (100,000 calls at province scale; there is no __post_init__ to run)."""
        fact = object.__new__(ProjectFact)
        for name, put, _ in _SLOTS:
            put(fact, values[name] if name in values else getattr(self, name))
        return fact

    def units(self, *roles: Role) -> tuple[str, ...]:
        """Codes of the units holding any of `roles` (all roles when none given)."""
        return tuple(code for role, code in self.roles if not roles or role in roles)

    def reached_on(self, stage: Stage) -> date | None:
        """The date this project reached `stage` (or, lacking one, a later stage's date).

        A project recorded as started without a signing date did sign, at the latest
        when it started: the earliest known date at or after `stage` is the bound.
        """
        if not self.stage.at_least(stage) and self.stage is not Stage.DROPPED:
            return None
        if stage in self.stage_dates:
            return self.stage_dates[stage]
        later = [
            d
            for s, d in self.stage_dates.items()
            if s is not Stage.DROPPED and s.order >= stage.order
        ]
        if self.stage is Stage.DROPPED:
            return None if not later else min(later)
        return min(later) if later else None


def _default(f: Field[Any]) -> Callable[[], object]:
    if f.default_factory is not MISSING:
        return f.default_factory
    return lambda: f.default


# (name, the slot's setter, the default's maker) of every field, in order
_SLOTS = tuple(
    (f.name, getattr(ProjectFact, f.name).__set__, _default(f)) for f in fields(ProjectFact)
)


@dataclass(frozen=True, slots=True)
class FundsObservation:
    """A cumulative amount reported for a project on a date (to measure arrivals in a period)."""

    project: str
    field: str  # funds_in_place | foreign_funds | out_of_province_funds | completed_investment_year
    on: date
    value: Decimal


@dataclass(frozen=True)
class ActivityFact:
    unit: str  # unit code
    on: date
    kind: ActivityKind
    note: str = ""


@dataclass(frozen=True)
class ExplicitTarget:
    """A target set for one unit and year by `targets set` or a decomposition table."""

    unit: str
    year: int
    metric: str
    required: Decimal
    filters: dict[str, object] = field(default_factory=dict)
    label: str | None = None


@dataclass(frozen=True)
class AdjustmentFact:
    """Points added or taken by hand for a unit and year (`zsyz adjust add`), for what no
    spreadsheet shows (弄虚作假, 被通报批评); `flag` marks it for a flag rule (一票否优)."""

    id: int
    unit: str  # unit code
    year: int
    points: Decimal
    reason: str
    evidence: str | None = None
    flag: str | None = None
