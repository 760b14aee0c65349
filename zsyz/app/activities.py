"""Activities (项目信息 leads, 外出招商 trips): adding, importing whole or not at all, listing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import col, select

from zsyz.domain.facts import ActivityKind
from zsyz.errors import InvalidDataError, NotFoundError, Problem
from zsyz.io.activities import ActivityRow
from zsyz.store.engine import Ledger
from zsyz.store.tables import Activity, Unit
from zsyz.store.units import UnitIndex

KIND_LABELS = {ActivityKind.LEAD: "项目信息", ActivityKind.TRIP: "外出招商"}


def add_activity(ledger: Ledger, unit: str, on: date, kind: ActivityKind, note: str) -> Unit:
    with ledger.write() as session:
        found = UnitIndex.load(session).resolve(unit)
        session.add(Activity(unit_id=found.id, happened_on=on, kind=kind.value, note=note))  # type: ignore[arg-type]
        return found


def import_activities(ledger: Ledger, rows: Sequence[ActivityRow], file_name: str) -> int:
    """Write every row, or none: every unknown unit is reported before anything is written."""
    with ledger.write() as session:
        index = UnitIndex.load(session)
        problems: list[Problem] = []
        resolved: list[tuple[Unit, ActivityRow]] = []
        for r in rows:
            try:
                resolved.append((index.resolve(r.unit), r))
            except NotFoundError as exc:
                problems.append(Problem(exc.message, row=r.row, column="单位", value=r.unit))
        if problems:
            raise InvalidDataError(f"{file_name} 有 {len(problems)} 处问题，未导入", problems)
        for unit, r in resolved:
            session.add(
                Activity(unit_id=unit.id, happened_on=r.on, kind=r.kind.value, note=r.note)  # type: ignore[arg-type]
            )
        return len(resolved)


def activity_rows(
    ledger: Ledger,
    unit: str | None = None,
    kind: ActivityKind | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    with ledger.read() as session:
        index = UnitIndex.load(session)
        query = (
            select(Activity, Unit)
            .join(Unit, col(Unit.id) == col(Activity.unit_id))
            .order_by(col(Activity.happened_on), col(Unit.code), col(Activity.id))
        )
        if unit:
            query = query.where(col(Activity.unit_id) == index.resolve(unit).id)
        if kind is not None:
            query = query.where(col(Activity.kind) == kind.value)
        if start is not None:
            query = query.where(col(Activity.happened_on) >= start)
        if end is not None:
            query = query.where(col(Activity.happened_on) <= end)
        return [
            {
                "id": a.id,
                "unit": u.name,
                "unit_code": u.code,
                "date": a.happened_on,
                "kind": a.kind,
                "kind_label": KIND_LABELS.get(ActivityKind(a.kind), a.kind)
                if a.kind in ActivityKind._value2member_map_
                else a.kind,
                "note": a.note,
            }
            for a, u in session.exec(query).all()
        ]
