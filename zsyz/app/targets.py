"""Targets use cases: set explicit targets (one command or a whole 分解表) in one
transaction, and list them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session

from zsyz.domain.metrics import ListedTarget, Metric
from zsyz.store.engine import Ledger
from zsyz.store.tables import Unit
from zsyz.store.targets import targets_listed, upsert_target
from zsyz.store.units import UnitIndex


@dataclass(frozen=True)
class TargetInput:
    unit: str  # name, code or alias
    year: int
    metric: Metric
    required: Decimal
    filters: dict[str, Any] = field(default_factory=dict)
    label: str | None = None
    row: int | None = None  # sheet row, for error messages


def _set(session: Session, unit: Unit, t: TargetInput, origin: str) -> bool:
    return upsert_target(session, unit, t.year, t.metric, t.required, t.filters, t.label, origin)


@dataclass(frozen=True)
class TargetTableImported:
    """`targets import`: the year the table set, what it created and replaced, and the
    columns it did not take as targets (named to the operator, never dropped silently)."""

    year: int
    created: int
    replaced: int
    ignored: tuple[str, ...]


def import_target_table(
    ledger: Ledger, path: Path, year: int | None, usd_rate: Decimal | None, default_year: int
) -> TargetTableImported:
    """Read a 目标任务分解表 and set its targets in one transaction. The year is `year`,
    else the table title's, else `default_year`; amounts in 美元 use `usd_rate`, else the
    policy's rate."""
    from zsyz.app.import_unit import policy_target_labels, policy_usd_rate
    from zsyz.io.target_table import read_target_table

    rate = usd_rate or policy_usd_rate(ledger)
    table = read_target_table(path, policy_target_labels(ledger), rate)
    y = year or table.year or default_year
    inputs = [
        TargetInput(
            c.unit,
            y,
            c.indicator.metric,
            c.required,
            c.indicator.filters,
            c.indicator.heading,
            c.row,
        )
        for c in table.cells
    ]
    created, replaced = set_targets(ledger, inputs)
    return TargetTableImported(y, created, replaced, tuple(table.ignored))


def set_targets(
    ledger: Ledger, inputs: Sequence[TargetInput], origin: str = "explicit"
) -> tuple[int, int]:
    """Set every target in one transaction; returns (created, replaced)."""

    def work(session: Session) -> tuple[int, int]:
        index = UnitIndex.load(session)
        resolved = [(index.resolve(t.unit), t) for t in inputs]  # all names checked first
        fresh = sum(_set(session, unit, t, origin) for unit, t in resolved)
        return fresh, len(resolved) - fresh

    return ledger.run_write(work)


def target_rows(
    ledger: Ledger, year: int | None = None, unit: str | None = None
) -> list[ListedTarget]:
    with ledger.read() as session:
        unit_id = UnitIndex.load(session).resolve(unit).id if unit is not None else None
        return [
            ListedTarget(
                id=t.id,
                unit=u.name,
                unit_code=u.code,
                year=t.year,
                metric=Metric(t.metric),
                required=t.required,
                filters=t.filters,
                label=t.label,
                origin=t.origin,
            )
            for t, u in targets_listed(session, year, unit_id)
        ]
