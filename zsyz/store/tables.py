"""The ledger's schema. Alembic's initial revision creates exactly this.

Amounts are FixedDecimal 万元 (scale 4, so 元 are exact); land is FixedDecimal 亩.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Index, Table, UniqueConstraint
from sqlmodel import Field, SQLModel

from zsyz.store.types import FixedDecimal

WAN = FixedDecimal(4)  # 万元
MU = FixedDecimal(4)  # 亩
POINTS = FixedDecimal(4)  # 分


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Unit(SQLModel, table=True):
    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(index=True, unique=True, max_length=200)
    unit_class: str = Field(index=True, max_length=32)
    group_name: str | None = Field(default=None, index=True, max_length=64)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    active: bool = Field(default=True)
    retired_on: date | None = None  # out of rankings, alerts and templates from this day
    created_at: datetime = Field(default_factory=_now)


class UnitAlias(SQLModel, table=True):
    __tablename__ = "unit_alias"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True, ondelete="CASCADE")
    alias: str = Field(unique=True, max_length=200)


class Policy(SQLModel, table=True):
    __tablename__ = "policy"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=100)
    year: int
    source: str = Field(max_length=400)  # preset name or file path it came from
    text: str  # the full TOML, so the ledger is self-describing
    loaded_at: datetime = Field(default_factory=_now)
    active: bool = Field(default=True)


class Target(SQLModel, table=True):
    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("unit_id", "year", "key", name="uq_target_unit_year_key"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True, ondelete="CASCADE")
    year: int = Field(index=True)
    metric: str = Field(max_length=40)
    required: Decimal = Field(sa_type=WAN)
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    key: str = Field(max_length=400)  # canonical metric+filters, one target per key
    label: str | None = Field(default=None, max_length=200)
    origin: str = Field(default="explicit", max_length=16)  # explicit | policy
    created_at: datetime = Field(default_factory=_now)


class Project(SQLModel, table=True):
    __tablename__ = "project"
    # Indexed only where a query uses it (migration 0004_plan_drop_unused_indexes).

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=300)
    norm_name: str = Field(max_length=300)  # for identity without a code
    investor: str | None = Field(default=None, max_length=300)
    credit_code: str | None = Field(default=None, max_length=18)  # 统一社会信用代码
    investor_origin: str | None = Field(default=None, max_length=100)
    investor_type: str | None = Field(default=None, max_length=50)
    category: str | None = Field(default=None, max_length=50)
    chain: str | None = Field(default=None, max_length=100)
    level: str | None = Field(default=None, max_length=50)
    is_new: bool | None = Field(default=None)
    fiscal_support: bool | None = Field(default=None)  # 一事一议 fiscal support
    total_investment: Decimal | None = Field(default=None, sa_type=WAN)
    fai: Decimal | None = Field(default=None, sa_type=WAN)
    planned_investment_year: Decimal | None = Field(default=None, sa_type=WAN)
    completed_investment_year: Decimal | None = Field(default=None, sa_type=WAN)
    funds_in_place: Decimal | None = Field(default=None, sa_type=WAN)
    foreign_funds: Decimal | None = Field(default=None, sa_type=WAN)
    out_of_province_funds: Decimal | None = Field(default=None, sa_type=WAN)
    land_area: Decimal | None = Field(default=None, sa_type=MU)
    needs_land: bool | None = Field(default=None)
    expected_tax: Decimal | None = Field(default=None, sa_type=WAN)
    stage: str = Field(max_length=20)
    planned_on: date | None = None
    lead_on: date | None = None
    negotiating_on: date | None = None
    admitted_on: date | None = None
    approved_on: date | None = None
    signed_on: date | None = None
    started_on: date | None = None
    producing_on: date | None = None
    full_output_on: date | None = None
    dropped_on: date | None = None
    compiled_on: date | None = None  # newly compiled (001 项目编制)
    planned_start_on: date | None = None
    leader_name: str | None = Field(default=None, max_length=100)
    contact: str | None = Field(default=None, max_length=200)
    progress: str | None = None  # 本周进展
    problems: str | None = None  # 存在问题
    remarks: str | None = None  # 备注
    # Columns an office keeps that the ledger has no field for (研判结果, 填报人 …): label → text
    extra: dict[str, str] | None = Field(default=None, sa_type=JSON)
    last_reported_on: date | None = None
    created_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    # `projects merge`: this record was another record of that project (一炮数响)
    merged_into_id: int | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class ProjectRole(SQLModel, table=True):
    """A unit attached to a project: sourcing, landing, leader or compiling."""

    __tablename__ = "project_role"
    __table_args__ = (
        UniqueConstraint("project_id", "unit_id", "role", name="uq_project_role"),
        Index("ix_project_role_unit_role", "unit_id", "role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    role: str = Field(max_length=16)


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=400)
    sha256: str = Field(index=True, max_length=64)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    all_units: bool = Field(default=False)
    period: str = Field(index=True, max_length=20)  # the period it covers, e.g. 2022-W10
    # the report named that period itself (第10周); else it came from the report's date
    period_named: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # The form a county summary is (its title or sheet: 签约项目, 在谈项目 …): with the period
    # it tells which earlier batch a file resends.
    form: str | None = Field(default=None, max_length=200)
    report_date: date
    imported_at: datetime = Field(default_factory=_now)
    status: str = Field(default="imported", index=True, max_length=16)  # imported|superseded|undone
    rows: int = 0
    created: int = 0
    updated: int = 0
    warnings: list[str] = Field(default_factory=list, sa_type=JSON)
    superseded_by_id: int | None = Field(default=None, foreign_key="import_batch.id")
    kind: str = Field(default="import", max_length=16)  # import | manual (手工更正)
    reason: str | None = Field(default=None, max_length=400)  # an operator's reason
    operator: str | None = Field(default=None, max_length=100)  # $USER of a manual change


class ProjectUpdate(SQLModel, table=True):
    """One field of one project changed by one import row: the audit trail and undo log."""

    __tablename__ = "project_update"
    __table_args__ = (
        Index("ix_project_update_project_field", "project_id", "field", "effective_on"),
        # which projects changed after a day (`asof_history.changed_after`): a range scan
        Index("ix_project_update_effective_on", "effective_on", "project_id"),
        # the rows in force on a day (`store/intervals.py`): a range scan on valid_to
        Index("ix_project_update_valid_to", "valid_to", "effective_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    row: int | None = None
    field: str = Field(max_length=40)
    old_value: str | None = None
    new_value: str | None = None
    effective_on: date  # the report date of the batch: as-of queries read history by it
    # the next change of the same (project, field) took effect; NULL while current
    valid_to: date | None = None
    created_at: datetime = Field(default_factory=_now)


class Activity(SQLModel, table=True):
    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_unit_day", "unit_id", "happened_on"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    happened_on: date
    kind: str = Field(max_length=8)  # lead | trip
    note: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    created_at: datetime = Field(default_factory=_now)


class Adjustment(SQLModel, table=True):
    """Points added or taken by hand for a unit and year (`zsyz adjust`), with the reason
    and the evidence (document number); `flag` marks it for a flag rule (一票否优)."""

    __tablename__ = "adjustment"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True, ondelete="CASCADE")
    year: int = Field(index=True)
    points: Decimal = Field(sa_type=POINTS)
    reason: str = Field(max_length=400)
    evidence: str | None = Field(default=None, max_length=400)
    flag: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=_now)


class LedgerChange(SQLModel, table=True):
    """One field of a unit, alias or target changed by hand (project fields go to
    project_update): the audit trail and undo log of manual batches. A row created or
    removed whole has field `*row*` and its columns as JSON (old NULL when created,
    new NULL when removed)."""

    __tablename__ = "ledger_change"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    entity: str = Field(max_length=16)  # unit | unit_alias | target
    entity_id: int
    field: str = Field(max_length=40)
    old_value: str | None = None
    new_value: str | None = None
    effective_on: date
    created_at: datetime = Field(default_factory=_now)


class DupeDismissal(SQLModel, table=True):
    """A pair of projects reviewed as not the same: `projects dupes` lists it no more."""

    __tablename__ = "dupe_dismissal"
    __table_args__ = (UniqueConstraint("project_a_id", "project_b_id", name="uq_dupe_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    project_a_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    project_b_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    operator: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=_now)


def table_of(name: str) -> Table:
    """The Core table behind a model, typed (SQLModel leaves `__table__` untyped)."""
    return SQLModel.metadata.tables[name]
