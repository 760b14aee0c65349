"""Points added or taken by hand (`zsyz adjust`): recording, listing, removing, and the
facts ranking and flags read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from zsyz.errors import NotFoundError
from zsyz.store.engine import Ledger
from zsyz.store.facts import adjustment_facts as adjustment_facts  # read side: plain SQL
from zsyz.store.tables import Adjustment, Unit
from zsyz.store.units import UnitIndex


def add_adjustment(
    ledger: Ledger,
    unit: str,
    year: int,
    points: Decimal,
    reason: str,
    evidence: str | None = None,
    flag: str | None = None,
) -> tuple[int, str]:
    """Record one adjustment; returns its id and the unit's name."""

    def work(session: Session) -> tuple[int, str]:
        found = UnitIndex.load(session).resolve(unit)
        row = Adjustment(
            unit_id=found.id or 0,
            year=year,
            points=points,
            reason=reason,
            evidence=evidence,
            flag=flag,
        )
        session.add(row)
        session.flush()
        return row.id or 0, found.name

    return ledger.run_write(work)


def remove_adjustment(ledger: Ledger, ident: int) -> dict[str, Any]:
    """Delete one adjustment by id; returns it as it was (NotFoundError when none)."""

    def work(session: Session) -> dict[str, Any]:
        row = session.get(Adjustment, ident)
        if row is None:
            raise NotFoundError(f"没有编号为 {ident} 的加减分记录；用 zsyz adjust list 查看编号")
        unit = session.get(Unit, row.unit_id)
        shown = _row(row, unit.name if unit else "")
        session.delete(row)
        return shown

    return ledger.run_write(work)


def adjustment_rows(ledger: Ledger, year: int | None, unit: str | None) -> list[dict[str, Any]]:
    with ledger.read() as session:
        query = select(Adjustment, Unit).where(Adjustment.unit_id == Unit.id)
        if year is not None:
            query = query.where(Adjustment.year == year)
        if unit is not None:
            found = UnitIndex.load(session).resolve(unit)
            query = query.where(Adjustment.unit_id == found.id)
        rows = session.exec(query.order_by(col(Adjustment.year), col(Adjustment.id))).all()
        return [_row(a, u.name) for a, u in rows]


def _row(a: Adjustment, unit: str) -> dict[str, Any]:
    return {
        "id": a.id,
        "unit": unit,
        "year": a.year,
        "points": a.points,
        "reason": a.reason,
        "evidence": a.evidence or "",
        "flag": a.flag or "",
    }
