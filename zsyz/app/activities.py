"""Activities (项目信息 leads, 外出招商 trips): adding, importing whole or not at all,
listing, removing. The same unit, date, kind and note twice is one activity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from zsyz.domain.facts import ActivityKind
from zsyz.errors import InvalidDataError, NotFoundError, Problem, UsageError
from zsyz.io.activities import ActivityRow
from zsyz.store import manual
from zsyz.store.engine import Ledger
from zsyz.store.tables import Activity, Unit, table_of
from zsyz.store.units import UnitIndex

KIND_LABELS = {ActivityKind.LEAD: "项目信息", ActivityKind.TRIP: "外出招商"}

Key = tuple[int, date, str, str]  # unit id, day, kind, note


def _existing(session: Session, unit_ids: set[int]) -> set[Key]:
    if not unit_ids:
        return set()
    table = Activity.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(
        sa_select(table.c.unit_id, table.c.happened_on, table.c.kind, table.c.note).where(
            table.c.unit_id.in_(unit_ids)
        )
    )
    return {(u, d, k, n) for u, d, k, n in rows}


def _future(on: date, today: date) -> None:
    if on > today:
        raise UsageError(f"活动日期 {on.isoformat()} 晚于今天（{today.isoformat()}）；请核对")


def add_activity(
    ledger: Ledger, unit: str, on: date, kind: ActivityKind, note: str, today: date
) -> tuple[Unit, bool]:
    """(the unit, whether a new activity was written: False when it was already there)."""
    _future(on, today)

    def work(session: Session) -> tuple[Unit, bool]:
        found = UnitIndex.load(session).resolve(unit)
        assert found.id is not None
        if (found.id, on, kind.value, note) in _existing(session, {found.id}):
            return found, False
        session.add(Activity(unit_id=found.id, happened_on=on, kind=kind.value, note=note))
        return found, True

    return ledger.run_write(work)


def import_activities_file(ledger: Ledger, path: Path, today: date) -> tuple[int, int]:
    """`activities import`: read the register (dates up to `today`) and write it all or
    nothing; (written, already in the ledger or repeated)."""
    from zsyz.io.activities import read_activities

    rows, problems = read_activities(path, today)
    return import_activities(ledger, rows, problems, path.name)


def import_activities(
    ledger: Ledger, rows: Sequence[ActivityRow], problems: Sequence[Problem], file_name: str
) -> tuple[int, int]:
    """Write every row, or none: the file's own problems and every unknown unit are listed
    together before anything is written. (written, already in the ledger or repeated)."""

    def work(session: Session) -> tuple[int, int]:
        index = UnitIndex.load(session)
        found = list(problems)
        resolved: list[tuple[int, ActivityRow]] = []
        for r in rows:
            try:
                uid = index.resolve(r.unit).id
            except NotFoundError as exc:
                found.append(Problem(exc.message, row=r.row, column="单位", value=r.unit))
                continue
            assert uid is not None
            resolved.append((uid, r))
        if found:
            found.sort(key=lambda p: p.row or 0)
            raise InvalidDataError(f"{file_name} 有 {len(found)} 处问题，未导入", found)
        seen = _existing(session, {uid for uid, _ in resolved})
        written = 0
        for uid, r in resolved:
            key = (uid, r.on, r.kind.value, r.note)
            if key in seen:
                continue
            seen.add(key)
            session.add(Activity(unit_id=uid, happened_on=r.on, kind=r.kind.value, note=r.note))
            written += 1
        return written, len(resolved) - written

    return ledger.run_write(work)


def remove_activity(
    ledger: Ledger, activity_id: int, reason: str | None, today: date
) -> dict[str, Any]:
    """Delete one activity as a manual batch (手工更正, undone by `imports undo`); what
    it was and the batch id, for the confirmation line."""

    def work(session: Session) -> dict[str, Any]:
        a = session.get(Activity, activity_id)
        if a is None:
            raise NotFoundError(f"没有编号为 {activity_id} 的活动；请用 zsyz activities list 查看")
        unit = session.get(Unit, a.unit_id)
        out = {
            "id": a.id,
            "unit": unit.name if unit else "",
            "date": a.happened_on,
            "kind_label": _label(a.kind),
        }
        batch = manual.start(session, f"删除活动 #{a.id}", reason, today)
        values = manual.row_values(table_of("activity"), a)
        manual.entity_change(session, batch, "activity", a.id or 0, manual.ROW, values, None)
        session.delete(a)
        manual.finish(session, batch, 1)
        out["batch"] = batch.id
        return out

    return ledger.run_write(work)


def _label(kind: str) -> str:
    if kind in ActivityKind._value2member_map_:
        return KIND_LABELS[ActivityKind(kind)]
    return kind


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
                "kind_label": _label(a.kind),
                "note": a.note,
            }
            for a, u in session.exec(query).all()
        ]
