"""Explicit targets: one per (unit, year, metric+filters); setting again replaces it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from zsyz.domain.metrics import Metric, target_key
from zsyz.store.engine import Ledger
from zsyz.store.facts import explicit_targets as explicit_targets  # read side: plain SQL
from zsyz.store.tables import Target, Unit, table_of
from zsyz.store.units import UnitIndex
from zsyz.store.upsert import upsert


@dataclass(frozen=True)
class TargetInput:
    unit: str  # name, code or alias
    year: int
    metric: Metric
    required: Decimal
    filters: dict[str, Any] = field(default_factory=dict)
    label: str | None = None
    row: int | None = None  # sheet row, for error messages


def _upsert(session: Session, unit: Unit, t: TargetInput, origin: str) -> bool:
    """Set one target; True when it is new, False when it replaced one."""
    filters = {
        k: (format(v.normalize(), "f") if isinstance(v, Decimal) else v)
        for k, v in t.filters.items()
        if v not in (None, False, "")
    }
    key = target_key(t.metric.value, filters)
    existed = session.exec(
        select(Target.id).where(Target.unit_id == unit.id, Target.year == t.year, Target.key == key)
    ).first()
    upsert(
        session,
        table_of("target"),
        {
            "unit_id": unit.id,
            "year": t.year,
            "metric": t.metric.value,
            "required": t.required,
            "filters": filters,
            "key": key,
            "label": t.label or None,
            "origin": origin,
        },
        keys=("unit_id", "year", "key"),
        update=("required", "label", "origin"),
        keep_when_null=("label",),
    )
    return existed is None


def set_targets(
    ledger: Ledger, inputs: Sequence[TargetInput], origin: str = "explicit"
) -> tuple[int, int]:
    """Set every target in one transaction; returns (created, replaced)."""

    def work(session: Session) -> tuple[int, int]:
        index = UnitIndex.load(session)
        resolved = [(index.resolve(t.unit), t) for t in inputs]  # all names checked first
        fresh = sum(_upsert(session, unit, t, origin) for unit, t in resolved)
        return fresh, len(resolved) - fresh

    return ledger.run_write(work)


def target_rows(
    ledger: Ledger, year: int | None = None, unit: str | None = None
) -> list[dict[str, Any]]:
    with ledger.read() as session:
        index = UnitIndex.load(session)
        query = select(Target, Unit).join(Unit).order_by(Target.year, Unit.code, Target.key)  # type: ignore[arg-type]
        if year is not None:
            query = query.where(Target.year == year)
        if unit is not None:
            query = query.where(Target.unit_id == index.resolve(unit).id)
        out = []
        for t, u in session.exec(query).all():
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
