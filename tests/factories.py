"""Rows for tests that need projects in a ledger (the import path is another branch's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import select

from zsyz.domain.names import norm_project_name
from zsyz.store.engine import open_ledger
from zsyz.store.intervals import relink
from zsyz.store.tables import Activity, ImportBatch, Project, ProjectRole, ProjectUpdate
from zsyz.store.units import UnitIndex


def add_project(
    db: str,
    code: str,
    *,
    stage: str,
    roles: dict[str, list[str]] | None = None,
    history: list[tuple[str, Any, date]] = (),  # type: ignore[assignment]
    created_on: date | None = None,
    **fields: Any,
) -> None:
    """A project with its roles (unit names) and optional `project_update` history rows.

    `created_on`: write the creation history the weekly import writes (one row per
    non-null field, old value NULL) effective that day, so as-of views see it appear then.
    """
    ledger = open_ledger(db)
    with ledger.write() as session:
        index = UnitIndex.load(session)
        batch = ImportBatch(
            file_name="test.xlsx",
            sha256=code,
            period="test",
            report_date=created_on or date(2000, 1, 1),
            status="undone",  # holds the history; not a unit's report (no reporting duty)
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
        if created_on is not None:
            for column in Project.__table__.columns:  # type: ignore[attr-defined]
                value = getattr(project, column.name)
                if column.name in ("id", "norm_name", "created_at", "updated_at") or value is None:
                    continue
                history = [(column.name, value, created_on), *history]
            for role, names in (roles or {}).items():
                codes = sorted(index.resolve(n).code for n in names)
                history = [(f"roles:{role}", ",".join(codes), created_on), *history]
        for field, value, on in history:
            session.add(
                ProjectUpdate(
                    project_id=project.id,
                    batch_id=batch.id,
                    field=field,
                    new_value=_text(value),
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


def add_batch(
    db: str,
    unit: str | None,
    period: str,
    report_date: date,
    *,
    status: str = "imported",
    all_units: bool = False,
    named: bool = False,
) -> int:
    """An import batch as the weekly import writes it (a unit's report of `period`;
    `named`: the report named that period itself, 第10周)."""
    ledger = open_ledger(db)
    with ledger.write() as session:
        uid = UnitIndex.load(session).resolve(unit).id if unit else None
        batch = ImportBatch(
            file_name=f"{period}-{unit or '汇总'}.xlsx",
            sha256=f"{unit}-{period}-{report_date}",
            unit_id=uid,
            all_units=all_units,
            period=period,
            period_named=named,
            report_date=report_date,
            status=status,
        )
        session.add(batch)
        session.flush()
        bid = batch.id
    ledger.engine.dispose()
    assert bid is not None
    return bid


def add_update(
    db: str,
    code: str,
    changes: dict[str, Any],
    on: date,
    *,
    unit: str | None = None,
    period: str | None = None,
) -> int:
    """One import of `changes` (field → new value) to project `code`, effective `on`:
    updates the project's columns and writes `project_update` rows with the old values,
    as the weekly import does. Returns the batch id."""
    from zsyz.domain.periods import PeriodKind, period_containing

    bid = add_batch(db, unit, period or period_containing(PeriodKind.WEEK, on).label, on)
    ledger = open_ledger(db)
    with ledger.write() as session:
        project = session.exec(select(Project).where(Project.code == code)).one()
        for field, value in {**changes, "last_reported_on": on}.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = Decimal(str(value))
            old = getattr(project, field)
            setattr(project, field, value)
            session.add(
                ProjectUpdate(
                    project_id=project.id,
                    batch_id=bid,
                    field=field,
                    old_value=_text(old),
                    new_value=_text(value),
                    effective_on=on,
                )
            )
        session.add(project)
        relink(session, [project.id])  # as every writer keeps history intervals
    ledger.engine.dispose()
    return bid


def _text(value: Any) -> str | None:
    """A value as project_update stores it (the shared contract)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
