"""Targets use cases: set explicit targets (one command or a whole 分解表) in one
transaction, and list them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from zsyz.domain.metrics import Metric
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
) -> list[dict[str, Any]]:
    with ledger.read() as session:
        unit_id = UnitIndex.load(session).resolve(unit).id if unit is not None else None
        out = []
        for t, u in targets_listed(session, year, unit_id):
            metric = Metric(t.metric)
            out.append(
                {
                    "id": t.id,
                    "unit": u.name,
                    "unit_code": u.code,
                    "year": t.year,
                    "metric": t.metric,
                    "metric_label": metric.label,
                    "required": t.required,
                    "measure": metric.unit_label,
                    "filters": t.filters,
                    "label": t.label,
                    "origin": t.origin,
                }
            )
        return out
