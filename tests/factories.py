"""Rows for tests that need projects in a ledger (the import path is another branch's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import select

from zsyz.domain.names import norm_project_name
from zsyz.store.engine import open_ledger
from zsyz.store.tables import Activity, ImportBatch, Project, ProjectRole, ProjectUpdate
from zsyz.store.units import UnitIndex


def add_project(
    db: str,
    code: str,
    *,
    stage: str,
    roles: dict[str, list[str]] | None = None,
    history: list[tuple[str, Any, date]] = (),  # type: ignore[assignment]
    **fields: Any,
) -> None:
    """A project with its roles (unit names) and optional `project_update` history rows."""
    ledger = open_ledger(db)
    with ledger.write() as session:
        index = UnitIndex.load(session)
        batch = ImportBatch(
            file_name="test.xlsx", sha256=code, period="test", report_date=date(2000, 1, 1)
        )
        session.add(batch)
        for k, v in fields.items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                fields[k] = Decimal(str(v))
        project = Project(
            code=code,
            name=fields.pop("name", code),
            norm_name=norm_project_name(code),
            stage=stage,
            **fields,
        )
        session.add(project)
        session.flush()
        for role, names in (roles or {}).items():
            for name in names:
                session.add(
                    ProjectRole(project_id=project.id, unit_id=index.resolve(name).id, role=role)
                )
        for field, value, on in history:
            session.add(
                ProjectUpdate(
                    project_id=project.id,
                    batch_id=batch.id,
                    field=field,
                    new_value=None if value is None else str(value),
                    effective_on=on,
                )
            )
    ledger.engine.dispose()


def add_activity(db: str, unit: str, on: date, kind: str) -> None:
    ledger = open_ledger(db)
    with ledger.write() as session:
        uid = UnitIndex.load(session).resolve(unit).id
        session.add(Activity(unit_id=uid, happened_on=on, kind=kind))
    ledger.engine.dispose()


def project_count(db: str) -> int:
    ledger = open_ledger(db)
    with ledger.read() as session:
        n = len(session.exec(select(Project)).all())
    ledger.engine.dispose()
    return n
