"""Use cases correcting units and targets by hand: each a manual batch (store/manual.py),
every changed field recorded, undone with `imports undo`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from zsyz.app.units import ledger_groups, parse_group, parse_unit_class
from zsyz.domain.groups import default_group
from zsyz.domain.metrics import Metric
from zsyz.domain.names import normalize
from zsyz.errors import BadInputError, NotFoundError, UsageError
from zsyz.store import manual
from zsyz.store.engine import Ledger
from zsyz.store.tables import Target, Unit, UnitAlias, table_of
from zsyz.store.units import UnitIndex

NO_PARENT = ("无", "none", "-", "")


@dataclass(frozen=True)
class UnitEdit:
    name: str | None = None
    unit_class: str | None = None
    group: str | None = None
    parent: str | None = None  # 无 removes the parent
    aliases: tuple[str, ...] = ()
    remove_aliases: tuple[str, ...] = ()
    reason: str | None = None


def _set(session: Session, batch: Any, unit: Unit, field: str, value: Any) -> int:
    old = getattr(unit, field)
    if old == value:
        return 0
    manual.entity_change(session, batch, "unit", unit.id or 0, field, old, value)
    setattr(unit, field, value)
    session.add(unit)
    return 1


def _add_alias(
    session: Session, batch: Any, index: UnitIndex, unit: Unit, alias: str, *, old: bool = False
) -> int:
    """Add an alias (`old`: the unit's former name, which the index still knows)."""
    alias = alias.strip()
    owner = index.keys.get(normalize(alias))
    if not alias or (owner == unit.code and not old):
        return 0
    if owner is not None and owner != unit.code:
        raise BadInputError(f"别名「{alias}」已属于单位 {index.by_code[owner].name}")
    row = UnitAlias(unit_id=unit.id or 0, alias=alias)
    session.add(row)
    session.flush()
    values = manual.row_values(table_of("unit_alias"), row)
    manual.entity_change(session, batch, "unit_alias", row.id or 0, manual.ROW, None, values)
    index.add(alias, unit.code)
    return 1


def _remove_alias(session: Session, batch: Any, unit: Unit, alias: str) -> int:
    rows = session.exec(select(UnitAlias).where(col(UnitAlias.unit_id) == unit.id)).all()
    row = next((a for a in rows if normalize(a.alias) == normalize(alias)), None)
    if row is None:
        have = "、".join(a.alias for a in rows) or "无"
        raise NotFoundError(f"单位 {unit.name} 没有别名「{alias}」；现有别名：{have}")
    values = manual.row_values(table_of("unit_alias"), row)
    manual.entity_change(session, batch, "unit_alias", row.id or 0, manual.ROW, values, None)
    session.delete(row)
    return 1


def _parent_id(index: UnitIndex, session: Session, unit: Unit, text: str) -> int | None:
    if text.strip().lower() in NO_PARENT:
        return None
    parent = index.resolve(text, "上级单位")
    by_id = {u.id: u for u in index.by_code.values()}
    seen: Unit | None = parent
    while seen is not None:  # no unit may be its own ancestor
        if seen.id == unit.id:
            raise BadInputError(f"「{parent.name}」是 {unit.name} 本身或其下级，不能作为上级单位")
        seen = by_id.get(seen.parent_id) if seen.parent_id else None
    return parent.id


def edit_unit(ledger: Ledger, name: str, edit: UnitEdit, today: date) -> tuple[Unit, int, int]:
    """Apply an edit as one manual batch; returns (unit, fields changed, batch id)."""

    def work(session: Session) -> tuple[Unit, int, int]:
        index = UnitIndex.load(session)
        unit = index.resolve(name)
        batch = manual.start(session, f"修改单位 {unit.name}", edit.reason, today)
        n = 0
        if edit.name is not None and edit.name.strip() != unit.name:
            new = edit.name.strip()
            owner = index.keys.get(normalize(new))
            if owner is not None and owner != unit.code:
                raise BadInputError(f"单位「{new}」已存在（编码 {owner}）")
            old = unit.name
            n += _set(session, batch, unit, "name", new)
            session.flush()
            n += _add_alias(session, batch, index, unit, old, old=True)  # old reports still resolve
        if edit.unit_class is not None:
            cls = parse_unit_class(edit.unit_class)
            if edit.group is None and unit.group_name == default_group(unit.unit_class):
                n += _set(session, batch, unit, "group_name", default_group(cls))
            n += _set(session, batch, unit, "unit_class", cls)
        if edit.group is not None:
            n += _set(
                session, batch, unit, "group_name", parse_group(edit.group, ledger_groups(session))
            )
        if edit.parent is not None:
            n += _set(
                session, batch, unit, "parent_id", _parent_id(index, session, unit, edit.parent)
            )
        for alias in edit.remove_aliases:
            n += _remove_alias(session, batch, unit, alias)
        session.flush()
        for alias in edit.aliases:
            n += _add_alias(session, batch, index, unit, alias)
        if n == 0:
            raise UsageError(f"没有要修改的内容：{unit.name} 已是所给的值")
        manual.finish(session, batch, n)
        return unit, n, batch.id or 0

    return ledger.run_write(work)


def retire_unit(
    ledger: Ledger, name: str, on: date, reason: str | None, today: date
) -> tuple[Unit, int]:
    """Retire a unit from `on`: it stays in history and in periods before that day."""

    def work(session: Session) -> tuple[Unit, int]:
        unit = UnitIndex.load(session).resolve(name)
        if unit.retired_on is not None:
            raise BadInputError(
                f"单位 {unit.name} 已于 {unit.retired_on.isoformat()} 撤并；"
                "如需更改，请先用 zsyz imports undo 撤销那次更正"
            )
        batch = manual.start(session, f"撤并单位 {unit.name}", reason, today)
        _set(session, batch, unit, "retired_on", on)
        manual.finish(session, batch, 1)
        return unit, batch.id or 0

    return ledger.run_write(work)


def remove_targets(
    ledger: Ledger,
    *,
    ids: Sequence[int] = (),
    unit: str | None = None,
    year: int | None = None,
    metric: Metric | None = None,
    reason: str | None = None,
    today: date,
) -> tuple[list[dict[str, Any]], int]:
    """Remove targets by id, or the unit's targets of a year and metric (every variant
    of filters). Returns (removed rows, batch id)."""

    def work(session: Session) -> tuple[list[dict[str, Any]], int]:
        found = _targets(session, ids, unit, year, metric)
        names = {u.id: u.name for u in session.exec(select(Unit)).all()}
        batch = manual.start(
            session, f"删除目标 {'、'.join(f'#{t.id}' for t in found)}", reason, today
        )
        out = []
        for t in found:
            values = manual.row_values(table_of("target"), t)
            manual.entity_change(session, batch, "target", t.id or 0, manual.ROW, values, None)
            out.append(
                {
                    "id": t.id,
                    "unit": names.get(t.unit_id),
                    "year": t.year,
                    "metric": Metric(t.metric).label,
                }
            )
            session.delete(t)
        manual.finish(session, batch, len(found))
        return out, batch.id or 0

    return ledger.run_write(work)


def _targets(
    session: Session,
    ids: Sequence[int],
    unit: str | None,
    year: int | None,
    metric: Metric | None,
) -> list[Target]:
    if ids:
        rows = session.exec(select(Target).where(col(Target.id).in_(list(ids)))).all()
        missing = sorted(set(ids) - {t.id for t in rows})
        if missing:
            shown = "、".join(f"#{i}" for i in missing)
            raise NotFoundError(f"没有编号为 {shown} 的目标；请用 zsyz targets list 查看编号")
        return list(rows)
    if unit is None or year is None or metric is None:
        raise UsageError("请给出目标编号（--id），或单位、--year 与 --metric")
    u = UnitIndex.load(session).resolve(unit)
    rows = session.exec(
        select(Target).where(
            col(Target.unit_id) == u.id,
            col(Target.year) == year,
            col(Target.metric) == metric.value,
        )
    ).all()
    if not rows:
        raise NotFoundError(
            f"{u.name} 没有 {year} 年的「{metric.label}」目标（政策按类别规定的目标不在此列，"
            "请改政策）；请用 zsyz targets list 查看"
        )
    return list(rows)
