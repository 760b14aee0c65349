"""Building ledger content the import branch will write, directly through the store
(units, targets, a batch, projects with roles and updates), for maintenance tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zsyz.app.targets import TargetInput, set_targets
from zsyz.app.units import NewUnit, add_unit
from zsyz.store.engine import open_ledger
from zsyz.store.lifecycle import create_ledger
from zsyz.store.tables import ImportBatch, Project, ProjectRole, ProjectUpdate, Unit


def seeded_ledger(where: str, *, projects: int = 2) -> str:
    """A new ledger at `where` with units, aliases, a target, one import batch that
    created `projects` consistent projects (roles and updates included)."""
    from zsyz.domain.metrics import Metric

    ledger = create_ledger(where)
    add_unit(ledger, NewUnit("商务局", "dept_a", aliases=("县商务局", "招商局")))
    add_unit(ledger, NewUnit("石佛寺镇", "township"))
    add_unit(ledger, NewUnit("石佛寺社区", "township", parent="石佛寺镇"))
    set_targets(
        ledger,
        [TargetInput("石佛寺镇", 2022, Metric.SIGNED, Decimal(1), {"min_fai": Decimal(5000)})],
    )
    with ledger.write() as s:
        town = s.exec(_unit("石佛寺镇")).one()
        bureau = s.exec(_unit("商务局")).one()
        batch = ImportBatch(
            file_name="石佛寺镇第10周.xlsx",
            sha256="0" * 64,
            unit_id=town.id,
            period="2022-W10",
            report_date=date(2022, 3, 11),
            rows=projects,
            created=projects,
        )
        s.add(batch)
        s.flush()
        for i in range(1, projects + 1):
            p = Project(
                code=f"P{i:03d}",
                name=f"玉雕产业园{i}期",
                norm_name=f"玉雕产业园{i}期",
                stage="signed",
                lead_on=date(2022, 1, 5),
                signed_on=date(2022, 3, 1),
                fai=Decimal("12000.5"),
                funds_in_place=Decimal("300"),
                created_batch_id=batch.id,
            )
            s.add(p)
            s.flush()
            s.add(ProjectRole(project_id=p.id, unit_id=bureau.id, role="sourcing"))
            s.add(ProjectRole(project_id=p.id, unit_id=town.id, role="landing"))
            for field, value in (("name", p.name), ("stage", "signed"), ("fai", "12000.5")):
                s.add(
                    ProjectUpdate(
                        project_id=p.id,
                        batch_id=batch.id,
                        row=4 + i,
                        field=field,
                        new_value=value,
                        effective_on=batch.report_date,
                    )
                )
    ledger.engine.dispose()
    return where


def _unit(name: str):  # type: ignore[no-untyped-def]
    from sqlmodel import select

    return select(Unit).where(Unit.name == name)


def table_rows(where: str) -> dict[str, list[dict[str, object]]]:
    """Every row of every ledger table, by id, for comparing two ledgers."""
    from sqlalchemy import select

    from zsyz.store.transfer import ledger_tables

    ledger = open_ledger(where)
    out = {}
    with ledger.read() as s:
        for t in ledger_tables():
            out[t.name] = [
                dict(r._mapping) for r in s.connection().execute(select(t).order_by(t.c.id))
            ]
    ledger.engine.dispose()
    return out
