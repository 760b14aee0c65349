"""Import batches after the fact: listing, showing what one changed, undoing, templates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from zsyz.app.import_plan import resolve_unit
from zsyz.domain.field_labels import field_label, shown
from zsyz.domain.ledger_views import BatchChange, BatchDetail, ListedBatch
from zsyz.domain.policy import Reporting
from zsyz.domain.stages import Stage
from zsyz.errors import LedgerStateError, NotFoundError
from zsyz.policy.load import parse_policy
from zsyz.store.engine import Ledger
from zsyz.store.history import PROJECT, ROLES, field_changes, undo
from zsyz.store.policies import active_policy_row
from zsyz.store.tables import ImportBatch, Unit
from zsyz.store.units import UnitIndex


def _listed(batch: ImportBatch, units: dict[int, str]) -> ListedBatch:
    return ListedBatch(
        id=batch.id,
        file=batch.file_name,
        unit=units.get(batch.unit_id or 0),
        all_units=batch.all_units,
        period=batch.period,
        report_date=batch.report_date,
        imported_at=batch.imported_at,
        status=batch.status,
        rows=batch.rows,
        created=batch.created,
        updated=batch.updated,
        warnings=tuple(batch.warnings or ()),
        superseded_by=batch.superseded_by_id,
        sha256=batch.sha256,
        kind=batch.kind,
        reason=batch.reason,
        operator=batch.operator,
    )


def batch_rows(
    ledger: Ledger, *, unit: str | None = None, period: str | None = None, status: str | None = None
) -> list[ListedBatch]:
    with ledger.read() as session:
        units = dict(session.execute(select(Unit.id, Unit.name)).all())  # type: ignore[call-overload]
        query = select(ImportBatch).order_by(col(ImportBatch.id))
        if unit:
            query = query.where(
                col(ImportBatch.unit_id) == resolve_unit(UnitIndex.load(session), unit).id
            )
        if period:
            query = query.where(col(ImportBatch.period) == period)
        if status:
            query = query.where(col(ImportBatch.status) == status)
        return [_listed(b, units) for b in session.execute(query).scalars()]


def batch_detail(ledger: Ledger, batch_id: int) -> BatchDetail:
    _existing_id(batch_id)
    with ledger.read() as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFoundError(f"没有编号为 {batch_id} 的导入批次；请用 zsyz imports list 查看")
        units = dict(session.execute(select(Unit.id, Unit.name)).all())  # type: ignore[call-overload]
        names = dict(session.execute(select(Unit.code, Unit.name)).all())  # type: ignore[call-overload]
        changes = [
            BatchChange(
                row=c.row,
                code=c.project_code,
                project=c.project_name,
                field=c.field,
                field_label=field_label(c.field),
                old=shown(c.field, c.old, names),
                new=shown(c.field, c.new, names),
            )
            for c in field_changes(session, batch_id=batch_id)
        ]
        if batch.kind == "manual":
            from zsyz.store.manual import change_rows

            changes += [BatchChange(**r, field_label=None) for r in change_rows(session, batch_id)]
        return BatchDetail(_listed(batch, units), tuple(changes))


def _existing_id(batch_id: int) -> None:
    """A batch number no database integer can hold names no batch (not an overflow)."""
    if not 0 < batch_id < 2**63:
        raise NotFoundError(f"没有编号为 {batch_id} 的导入批次；请用 zsyz imports list 查看")


def undo_batch(ledger: Ledger, batch_id: int, *, cascade: bool) -> list[int]:
    _existing_id(batch_id)
    return ledger.run_write(lambda session: undo(session, batch_id, cascade=cascade))


def template_projects(ledger: Ledger, unit_name: str) -> tuple[str, list[dict[str, Any]]]:
    """A unit's live projects (sourcing or landing, not dropped) with their unit names."""
    with ledger.read() as session:
        index = UnitIndex.load(session)
        unit = resolve_unit(index, unit_name)
        if unit.retired_on is not None and unit.retired_on <= date.today():
            raise LedgerStateError(
                f"单位 {unit.name} 已于 {unit.retired_on.isoformat()} 撤并，不再生成周报模板"
            )
        names = {u.code: u.name for u in index.by_code.values()}
        codes = {u.id: u.code for u in index.by_code.values()}
        roles: dict[int, dict[str, list[str]]] = {}
        for pid, uid, role in session.execute(
            select(ROLES.c.project_id, ROLES.c.unit_id, ROLES.c.role)
        ):
            roles.setdefault(pid, {}).setdefault(role, []).append(codes[uid])
        mine = [
            pid
            for pid, r in roles.items()
            if unit.code in r.get("sourcing", []) or unit.code in r.get("landing", [])
        ]
        projects = []
        if mine:
            for p in session.execute(
                select(PROJECT).where(PROJECT.c.id.in_(mine)).order_by(PROJECT.c.code)
            ):
                d = dict(p._mapping)
                if d["stage"] == Stage.DROPPED.value:
                    continue
                for role in ("sourcing", "landing", "compiling"):
                    d[f"roles:{role}"] = "、".join(
                        sorted(names[c] for c in roles[d["id"]].get(role, []))
                    )
                projects.append(d)
        return unit.name, projects


def reporting_of(ledger: Ledger) -> Reporting:
    """The active policy's reporting calendar (the default one when none is loaded), for
    the template's 报送时间."""
    with ledger.read() as session:
        row = active_policy_row(session)
        if row is None:
            return Reporting()
        return parse_policy(row.text, f"台账中的政策 {row.name}").reporting
