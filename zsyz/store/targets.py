"""Explicit targets: one per (unit, year, metric+filters); setting again replaces it.
Setting and listing them are use cases (`zsyz/app/targets.py`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from zsyz.domain.metrics import Metric, target_key
from zsyz.store.facts import explicit_targets as explicit_targets  # read side: plain SQL
from zsyz.store.tables import Target, Unit, table_of
from zsyz.store.upsert import upsert


def upsert_target(
    session: Session,
    unit: Unit,
    year: int,
    metric: Metric,
    required: Decimal,
    filters: dict[str, Any],
    label: str | None,
    origin: str,
) -> bool:
    """Set one target (unit, year, metric+filters); True when it is new, False when it
    replaced one. Unset filters (None, False, "") are not stored; amounts as plain text."""
    filters = {
        k: (format(v.normalize(), "f") if isinstance(v, Decimal) else v)
        for k, v in filters.items()
        if v not in (None, False, "")
    }
    key = target_key(metric.value, filters)
    existed = session.exec(
        select(Target.id).where(Target.unit_id == unit.id, Target.year == year, Target.key == key)
    ).first()
    upsert(
        session,
        table_of("target"),
        {
            "unit_id": unit.id,
            "year": year,
            "metric": metric.value,
            "required": required,
            "filters": filters,
            "key": key,
            "label": label or None,
            "origin": origin,
        },
        keys=("unit_id", "year", "key"),
        update=("required", "label", "origin"),
        keep_when_null=("label",),
    )
    return existed is None


def targets_listed(
    session: Session, year: int | None = None, unit_id: int | None = None
) -> list[tuple[Target, Unit]]:
    """Targets with their unit, by year, unit code and key; of one year or unit if given."""
    query = select(Target, Unit).join(Unit).order_by(Target.year, Unit.code, Target.key)  # type: ignore[arg-type]
    if year is not None:
        query = query.where(Target.year == year)
    if unit_id is not None:
        query = query.where(Target.unit_id == unit_id)
    return list(session.exec(query).all())
