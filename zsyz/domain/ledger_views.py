"""What the ledger's listings return before they are worded: import batches with their
changes (`imports list|show`) and projects (`projects list|show`). Render shapes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zsyz.domain.admission import AdmissionCheck
from zsyz.domain.approval import ApprovalDecision
from zsyz.domain.facts import Role
from zsyz.domain.stages import Stage

# a batch's status and kind as operators read them
STATUS_LABELS = {"imported": "有效", "superseded": "已被更正", "undone": "已撤销"}
KIND_LABELS = {"import": "导入", "manual": "手工更正"}


@dataclass(frozen=True)
class ListedBatch:
    """One import batch as `imports list` shows it (unit: its name, or the summary sheet)."""

    id: int | None
    file: str
    unit: str | None
    all_units: bool
    period: str | None
    report_date: date | None
    imported_at: datetime | None
    status: str
    rows: int
    created: int
    updated: int
    warnings: tuple[str, ...]
    superseded_by: int | None
    sha256: str | None
    kind: str
    reason: str | None
    operator: str | None


@dataclass(frozen=True)
class BatchChange:
    """One change a batch made; a manual batch's unit/alias/target changes carry their
    label in `field` and no `field_label`."""

    row: int | None
    code: str | None
    project: str | None
    field: str
    field_label: str | None
    old: Any
    new: Any


@dataclass(frozen=True)
class BatchDetail:
    batch: ListedBatch
    changes: tuple[BatchChange, ...]


@dataclass(frozen=True)
class ListedProject:
    """One project as `projects list` shows it (units by name)."""

    code: str
    name: str
    stage: Stage
    category: str | None
    total_investment: Decimal | None
    fai: Decimal | None
    land_area: Decimal | None
    sourcing: tuple[str, ...]
    landing: tuple[str, ...]
    approval: str | None
    admission: tuple[str, ...]
    last_reported_on: date | None


@dataclass(frozen=True)
class ProjectChange:
    """One line of a project's history (which import changed what, when)."""

    date: date | None
    record: str | None
    batch: int | None
    file: str | None
    period: str | None
    field: str
    field_label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ProjectDetail:
    """One project with its route, admission check, credited units and history.
    `fields`: the stored fields in their shown order (key, value)."""

    code: str
    fields: tuple[tuple[str, Any], ...]
    stage: Stage
    roles: tuple[tuple[Role, tuple[str, ...]], ...]
    credited: tuple[str, ...]
    approval: ApprovalDecision
    admission: AdmissionCheck
    history: tuple[ProjectChange, ...]
    merged_into: str | None
    merged: tuple[str, ...]
