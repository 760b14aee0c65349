"""The project_update log: how values are written into it, and undoing a batch from it.

Contract (shared with every branch): one row per changed field per import row; `field`
is the project column or `roles:<role>` (value = sorted unit codes joined by ","),
values are text (Decimal plain "1234.5", dates ISO, bools "true"/"false", None NULL),
`effective_on` is the batch's report date. Creating a project writes one row per
non-null cumulative amount (`OWN_ROWS`: the observations funds are measured from, read by
SQL) with old_value NULL, and ONE row with field `*created*` (`CREATED`), old_value NULL,
new_value a JSON object of every other non-null field (text as above, in plan order,
roles as `roles:<role>`). The `*created*` row stands for one row per field with old_value
NULL; readers see it so through `expand`. (Two to five rows instead of ~23 per created
project keep a 50,000-row import from writing a million history rows.) Undo replays a batch's rows backwards; the
rows of an undone or superseded batch are then deleted, so "value as of a date" never
needs to know about batch status.

Intervals (`store/intervals.py`): each row also carries `valid_to`, the `effective_on` of
the next row of the same (project, field) by (effective_on, id), NULL while it is the
latest; its value holds on days `effective_on <= d < valid_to`. The `*created*` row is
its own field `*created*`, so its `valid_to` is NULL (a project has one snapshot). Per
field, the snapshot's value of field f holds from the snapshot's `effective_on` until
the first plain row of (project, f) ordered after the snapshot by (effective_on, id); a
plain row of f in force on a day wins over the snapshot only when it is ordered after
it (`store/asof_history.py` compares the two). Every writer keeps the intervals with
`intervals.relink(session, project_ids)`: the import's writer, `revert_batch` (undo and
supersede) and manual corrections (`store.manual.finish`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring as _json_string
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from zsyz.domain.fields import (
    AMOUNT_FIELDS,
    COLUMNS,
    CUMULATIVE,
    DATE_FIELDS,
    EXTRA,
    FLAG_FIELDS,
    ROLE_KEYS,
)
from zsyz.domain.history import same as same  # one definition, re-exported
from zsyz.domain.history import to_text as to_text
from zsyz.domain.ledger_views import STATUS_LABELS
from zsyz.errors import LedgerStateError
from zsyz.store.history_codec import CREATED as CREATED  # re-exported: the contract is here
from zsyz.store.history_codec import Change, expand
from zsyz.store.history_codec import created_values as created_values
from zsyz.store.intervals import relink
from zsyz.store.tables import ImportBatch, Project, ProjectRole, ProjectUpdate, Unit

PROJECT = Project.__table__  # type: ignore[attr-defined]
UPDATES = ProjectUpdate.__table__  # type: ignore[attr-defined]
ROLES = ProjectRole.__table__  # type: ignore[attr-defined]

# The project columns a report may set, in the order history is written.
TRACKED: tuple[str, ...] = COLUMNS
ROLE_NAMES = tuple(role.value for role in ROLE_KEYS)


# Cumulative amounts keep one row each even for a created project: funds arriving in a
# period are read from these rows in SQL (store/facts.py), never from JSON.
OWN_ROWS = frozenset(CUMULATIVE)


def creation_rows(
    new: Mapping[str, Any], text_of: Callable[[Any], str | None] | None = None
) -> list[Change]:
    """The rows creating a project writes, from its field → value: one per non-null
    `OWN_ROWS` field, then the `*created*` snapshot {field: text} of every other non-null
    value (the JSON text `json.dumps(…, ensure_ascii=False, separators=(",", ":"))`
    writes, built here directly: field names need no escaping). `text_of`: `to_text`, or
    a remembered one (`driver.remembered`) when many projects are created at once."""
    text_of = text_of or to_text
    rows: list[Change] = []
    parts = []
    for k, value in new.items():
        kind = type(value)
        text: str
        if kind is str:
            text = value
        elif kind is Decimal:
            text = format(value.normalize(), "f")  # as to_text
        elif (other := text_of(value)) is not None:
            text = other
        else:
            continue
        if k in OWN_ROWS:
            rows.append((k, None, text))
        else:
            parts.append(f'"{k}":{_json_string(text)}')
    rows.append((CREATED, None, "{" + ",".join(parts) + "}"))
    return rows


@dataclass(frozen=True)
class StoredChange:
    """One field's change as `project_update` holds it, with its project and batch."""

    row: int | None  # the report's sheet row
    project_code: str
    project_name: str
    batch_id: int
    file_name: str
    period: str
    field: str  # a project column or roles:<role>, never `*created*`
    old: str | None
    new: str | None
    effective_on: date


def field_changes(
    session: Session,
    *,
    project_id: int | None = None,
    batch_id: int | None = None,
    also: Iterable[int] = (),
) -> list[StoredChange]:
    """The history of a project (by date, then as written) or of a batch (as written),
    one change per field: a `*created*` snapshot row comes out as one change per field
    with old value None, so no reader has to know that encoding."""
    batches = ImportBatch.__table__  # type: ignore[attr-defined]
    query = (
        select(
            UPDATES.c.row,
            PROJECT.c.code,
            PROJECT.c.name,
            UPDATES.c.batch_id,
            batches.c.file_name,
            batches.c.period,
            UPDATES.c.field,
            UPDATES.c.old_value,
            UPDATES.c.new_value,
            UPDATES.c.effective_on,
        )
        .join(PROJECT, PROJECT.c.id == UPDATES.c.project_id)
        .join(batches, batches.c.id == UPDATES.c.batch_id)
    )
    if project_id is not None:  # `also`: records merged into it (projects merge)
        query = query.where(UPDATES.c.project_id.in_([project_id, *also]))
    if batch_id is not None:
        query = query.where(UPDATES.c.batch_id == batch_id)
    order = (UPDATES.c.id,) if project_id is None else (UPDATES.c.effective_on, UPDATES.c.id)
    return [
        StoredChange(row, code, name, batch, file, period, fld, old, new, on)
        for row, code, name, batch, file, period, stored, old_value, new_value, on in (
            session.execute(query.order_by(*order)).all()
        )
        for fld, old, new in expand(stored, old_value, new_value)
    ]


def from_text(field: str, text: str | None) -> Any:
    """The column value a stored text stands for (inverse of `to_text`)."""
    if text is None:
        return None
    if field.startswith("roles:"):
        return frozenset(text.split(","))
    if field == EXTRA:
        loaded = json.loads(text)
        return loaded if isinstance(loaded, dict) else None
    if field in AMOUNT_FIELDS:
        return Decimal(text)
    if field in DATE_FIELDS:
        return date.fromisoformat(text)
    if field in FLAG_FIELDS:
        return text == "true"
    return text


def dependents(session: Session, batch: ImportBatch) -> list[ImportBatch]:
    """Later live batches that changed a field this batch changed, or a project it created."""
    bid = batch.id
    mine = session.execute(
        select(UPDATES.c.project_id, UPDATES.c.field).where(UPDATES.c.batch_id == bid)
    ).all()
    created = set(
        session.execute(select(PROJECT.c.id).where(PROJECT.c.created_batch_id == bid)).scalars()
    )
    pairs = {(p, f) for p, f in mine}
    projects = {p for p, _ in mine} | created
    if not projects:
        return []
    later = session.execute(
        select(UPDATES.c.batch_id, UPDATES.c.project_id, UPDATES.c.field)
        .join(ImportBatch.__table__, ImportBatch.__table__.c.id == UPDATES.c.batch_id)  # type: ignore[attr-defined]
        .where(UPDATES.c.batch_id > bid, ImportBatch.__table__.c.status == "imported")  # type: ignore[attr-defined]
    ).all()
    ids = sorted(
        {b for b, p, f in later if (p, f) in pairs or p in created},
        reverse=True,
    )
    return [session.get(ImportBatch, i) for i in ids]  # type: ignore[misc]


def revert_batch(session: Session, batch: ImportBatch) -> dict[str, str]:
    """Restore every field this batch changed to its prior value; delete what it created.

    Returns {normalised name: code} of the projects it created, so a superseding batch
    can give the same projects the same codes again.
    """
    bid = batch.id
    created_rows = session.execute(
        select(PROJECT.c.id, PROJECT.c.norm_name, PROJECT.c.code).where(
            PROJECT.c.created_batch_id == bid
        )
    ).all()
    created = {r[0] for r in created_rows}
    changes = session.execute(
        select(UPDATES.c.project_id, UPDATES.c.field, UPDATES.c.old_value)
        .where(UPDATES.c.batch_id == bid)
        .order_by(UPDATES.c.id.desc())
    ).all()
    units: dict[str, int | None] = dict(session.execute(select(Unit.code, Unit.id)).all())  # type: ignore[call-overload]
    restore: dict[int, dict[str, Any]] = {}
    for project_id, field, old in changes:
        if project_id in created or field == CREATED:
            continue
        if field.startswith("roles:"):
            set_roles(session, project_id, field[6:], from_text(field, old) or frozenset(), units)
        else:
            restore.setdefault(project_id, {})[field] = from_text(field, old)
    for project_id, values in restore.items():
        session.execute(update(PROJECT).where(PROJECT.c.id == project_id).values(**values))
    session.execute(delete(UPDATES).where(UPDATES.c.batch_id == bid))
    relink(session, {project_id for project_id, _, _ in changes} - created)
    if created:
        ids = list(created)
        session.execute(delete(UPDATES).where(UPDATES.c.project_id.in_(ids)))
        session.execute(delete(ROLES).where(ROLES.c.project_id.in_(ids)))
        session.execute(delete(PROJECT).where(PROJECT.c.id.in_(ids)))
    return {r[1]: r[2] for r in created_rows}


def set_roles(
    session: Session,
    project_id: int,
    role: str,
    codes: Iterable[str],
    units: dict[str, int | None],
) -> None:
    """Make the units holding `role` on a project exactly `codes`."""
    session.execute(delete(ROLES).where(ROLES.c.project_id == project_id, ROLES.c.role == role))
    rows = [{"project_id": project_id, "unit_id": units[c], "role": role} for c in sorted(codes)]
    if rows:
        session.execute(insert(ROLES), rows)


def undo(session: Session, batch_id: int, *, cascade: bool) -> list[int]:
    """Undo a batch (and, with cascade, the later batches that depend on it)."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise LedgerStateError(f"没有编号为 {batch_id} 的导入批次；请用 zsyz imports list 查看")
    if batch.status != "imported":
        shown = STATUS_LABELS.get(batch.status, batch.status)
        raise LedgerStateError(f"导入批次 {batch_id} {shown}，无需撤销")
    later = dependents(session, batch)
    if batch.kind == "manual":
        from zsyz.store.manual import later_dependents

        extra = later_dependents(session, batch_id) - {b.id for b in later}
        later = sorted(
            [*later, *(session.get(ImportBatch, i) for i in extra)],  # type: ignore[list-item]
            key=lambda b: -(b.id or 0),
        )
    if later and not cascade:
        ids = "、".join(f"#{b.id}（{b.file_name}）" for b in later)
        raise LedgerStateError(
            f"之后的导入 {ids} 依赖批次 #{batch_id}；请先撤销它们，或加 --cascade 一并撤销"
        )
    undone: list[int] = []
    for dep in later:  # newest first
        if dep.status == "imported":
            undone += undo(session, dep.id or 0, cascade=True)
    revert_batch(session, batch)
    if batch.kind == "manual":
        from zsyz.store.manual import revert_changes

        revert_changes(session, batch_id)
    batch.status = "undone"
    session.add(batch)
    session.flush()
    return [*undone, batch_id]
