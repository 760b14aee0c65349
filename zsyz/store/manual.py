"""Manual changes as batches: one `import_batch` of kind "manual" per operator action
(手工更正, with the reason and $USER), each changed field in history, undone like an import.

Project fields go to project_update (the history contract of store/history.py, so
`projects show`, as-of replay and `imports undo` read them as any import's). Units,
aliases and targets go to ledger_change: one row per changed field, values as tagged
JSON; a row added or removed whole is field `*row*` with every column.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlmodel import Session

from zsyz.store.history import to_text
from zsyz.store.intervals import relink
from zsyz.store.tables import ImportBatch, LedgerChange, ProjectUpdate, table_of

MANUAL = "manual"
MANUAL_PERIOD = "手工更正"  # what `imports list` shows in the period column
ROW = "*row*"  # a row added or removed whole
CHANGES = table_of("ledger_change")
UPDATES = table_of("project_update")
BATCHES = table_of("import_batch")


def operator_name() -> str:
    """Who made the change: $USER, else the login name, else 未知."""
    try:
        return os.environ.get("USER") or getpass.getuser() or "未知"
    except Exception:  # no passwd entry in a container
        return "未知"


def start(session: Session, what: str, reason: str | None, on: date) -> ImportBatch:
    """A new live manual batch effective `on` (its report date)."""
    batch = ImportBatch(
        file_name=f"手工更正：{what}"[:400],
        sha256="",
        period=MANUAL_PERIOD,
        report_date=on,
        kind=MANUAL,
        reason=(reason or "").strip() or None,
        operator=operator_name(),
    )
    session.add(batch)
    session.flush()
    return batch


def project_change(
    session: Session, batch: ImportBatch, project_id: int, field: str, old: Any, new: Any
) -> None:
    """One changed project field, as project_update stores an import's."""
    session.add(
        ProjectUpdate(
            project_id=project_id,
            batch_id=batch.id or 0,
            field=field,
            old_value=to_text(old),
            new_value=to_text(new),
            effective_on=batch.report_date,
        )
    )


def entity_change(
    session: Session,
    batch: ImportBatch,
    entity: str,
    entity_id: int,
    field: str,
    old: Any,
    new: Any,
) -> None:
    """One changed unit/alias/target field (or a whole row: field ROW, a dict)."""
    session.add(
        LedgerChange(
            batch_id=batch.id or 0,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old_value=None if old is None else json.dumps(_tag(old), ensure_ascii=False),
            new_value=None if new is None else json.dumps(_tag(new), ensure_ascii=False),
            effective_on=batch.report_date,
        )
    )


def row_values(table: Table, row: Any) -> dict[str, Any]:
    """Every column of a model instance, for a ROW change."""
    return {c.name: getattr(row, c.name) for c in table.columns}


def _tag(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _tag(v) for k, v in value.items()} if "$" not in value else value
    if isinstance(value, datetime):
        return {"$": "t", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$": "d", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$": "n", "v": format(value, "f")}
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        kind = value.get("$")
        if kind == "t":
            return datetime.fromisoformat(value["v"])
        if kind == "d":
            return date.fromisoformat(value["v"])
        if kind == "n":
            return Decimal(value["v"])
        return {k: _untag(v) for k, v in value.items()}
    return value


def _loaded(text: str | None) -> Any:
    return None if text is None else _untag(json.loads(text))


def revert_changes(session: Session, batch_id: int) -> None:
    """Replay a manual batch's ledger_change rows backwards, then delete them."""
    rows = session.execute(
        select(
            CHANGES.c.entity,
            CHANGES.c.entity_id,
            CHANGES.c.field,
            CHANGES.c.old_value,
            CHANGES.c.new_value,
        )
        .where(CHANGES.c.batch_id == batch_id)
        .order_by(CHANGES.c.id.desc())
    ).all()
    for entity, entity_id, field, old, new in rows:
        table = table_of(entity)
        if field != ROW:
            session.execute(
                update(table).where(table.c.id == entity_id).values({field: _loaded(old)})
            )
        elif old is None:  # added whole: remove it
            session.execute(delete(table).where(table.c.id == entity_id))
        elif new is None:  # removed whole: put it back with its id
            session.execute(insert(table).values(_loaded(old)))
    session.execute(delete(CHANGES).where(CHANGES.c.batch_id == batch_id))


def later_dependents(session: Session, batch_id: int) -> set[int]:
    """Later live batches that changed a unit/alias/target field this batch changed."""
    mine = {
        (e, i, f)
        for e, i, f in session.execute(
            select(CHANGES.c.entity, CHANGES.c.entity_id, CHANGES.c.field).where(
                CHANGES.c.batch_id == batch_id
            )
        )
    }
    if not mine:
        return set()
    entities = {(e, i) for e, i, _ in mine}
    later = session.execute(
        select(CHANGES.c.batch_id, CHANGES.c.entity, CHANGES.c.entity_id, CHANGES.c.field)
        .join(BATCHES, BATCHES.c.id == CHANGES.c.batch_id)
        .where(CHANGES.c.batch_id > batch_id, BATCHES.c.status == "imported")
    ).all()
    return {
        b
        for b, e, i, f in later
        if (e, i, f) in mine or ((e, i) in entities and (f == ROW or (e, i, ROW) in mine))
    }


def touched_projects(session: Session, batch: ImportBatch) -> int:
    """Projects this batch changed (its `updated` count, which `db check` verifies)."""
    ids = session.execute(
        select(UPDATES.c.project_id).where(UPDATES.c.batch_id == batch.id).distinct()
    ).all()
    return len(ids)


def finish(session: Session, batch: ImportBatch, rows: int) -> ImportBatch:
    """Counts of a manual batch: `rows` changes, the projects it touched as updated."""
    batch.rows = rows
    session.flush()  # history intervals of the projects it changed (store/intervals.py)
    mine = session.execute(select(UPDATES.c.project_id).where(UPDATES.c.batch_id == batch.id))
    relink(session, mine.scalars())
    batch.updated = touched_projects(session, batch)
    session.add(batch)
    session.flush()
    return batch


ENTITY_LABELS = {
    "unit": "单位",
    "unit_alias": "单位别名",
    "target": "目标",
    "project": "项目",
    "activity": "招商活动",
}
FIELD_LABELS = {
    "name": "单位名称",
    "unit_class": "类别",
    "group_name": "分组",
    "parent_id": "上级单位",
    "retired_on": "撤并日期",
    "merged_into_id": "并入项目",
}


def change_rows(session: Session, batch_id: int) -> list[dict[str, Any]]:
    """The unit/alias/target changes of a manual batch, as `imports show` lists them."""
    from zsyz.domain.groups import DEFAULT_GROUPS
    from zsyz.domain.units import UNIT_CLASSES

    names = dict(session.execute(select(table_of("unit").c.id, table_of("unit").c.name)).all())
    words: dict[str, Any] = {"group_name": DEFAULT_GROUPS, "unit_class": UNIT_CLASSES}
    words["parent_id"] = names
    out = []
    for entity, eid, field, old, new in session.execute(
        select(
            CHANGES.c.entity,
            CHANGES.c.entity_id,
            CHANGES.c.field,
            CHANGES.c.old_value,
            CHANGES.c.new_value,
        )
        .where(CHANGES.c.batch_id == batch_id)
        .order_by(CHANGES.c.id)
    ):
        what = ENTITY_LABELS.get(entity, entity)
        pair: tuple[str | None, str | None]
        if field == ROW:
            values = _loaded(old if new is None else new) or {}
            label = f"{'删除' if new is None else '新增'}{what}"
            shown = values.get("alias") or values.get("metric") or values.get("note") or ""
            pair = (shown, None) if new is None else (None, shown)
        else:
            label = FIELD_LABELS.get(field, field)
            shown = words.get(field, {})
            pair = tuple(  # type: ignore[assignment]
                _text(shown.get(v, v)) if v is not None else None
                for v in (_loaded(old), _loaded(new))
            )
        out.append(
            {
                "row": None,
                "code": f"{what}#{eid}",
                "project": None,
                "field": label,
                "old": pair[0],
                "new": pair[1],
            }
        )
    return out


def _text(value: Any) -> str | None:
    return None if value is None else to_text(value)
