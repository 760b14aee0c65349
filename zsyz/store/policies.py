"""The ledger's policy read back (the one in force for a year), and a domain filter as the
`target.filters` JSON. Installing one is a use case (`zsyz/app/policies.py`)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from zsyz.domain.policy import Filters, Policy
from zsyz.errors import LedgerStateError
from zsyz.policy.cache import stored_policy
from zsyz.store.tables import Policy as PolicyRow


def filters_dict(f: Filters) -> dict[str, Any]:
    """A domain filter as the `target.filters` JSON (the shape `targets set` writes)."""
    out: dict[str, Any] = {}
    if f.min_fai is not None:
        out["min_fai"] = f.min_fai
    if f.min_total is not None:
        out["min_total"] = f.min_total
    if f.strict:
        out["strict"] = True
    if f.max_fai is not None:
        out["max_fai"] = f.max_fai
    if f.max_total is not None:
        out["max_total"] = f.max_total
    if f.max_inclusive:
        out["max_inclusive"] = True
    for key, values in (("category", f.categories), ("chain", f.chains), ("level", f.levels)):
        if values:
            out[key] = values[0] if len(values) == 1 else list(values)
    if f.new_only:
        out["new_only"] = True
    return out


def retire_policies(session: Session) -> None:
    """Every policy in force stops being so (a new ledger's policy replaces them)."""
    for old in session.exec(select(PolicyRow).where(PolicyRow.active == True)).all():  # noqa: E712
        old.active = False
        session.add(old)


def active_policy_row(session: Session, year: int | None = None) -> PolicyRow | None:
    """The policy in force for `year`: the one applied from the latest year not after
    it (the latest applied for equal years); before any, the earliest. None: the one
    in force from the latest year."""
    rows = session.exec(
        select(PolicyRow)
        .where(PolicyRow.active == True)  # noqa: E712
        .order_by(col(PolicyRow.year).desc(), col(PolicyRow.id).desc())
    ).all()
    if year is None or not rows:
        return rows[0] if rows else None
    earliest = next(r for r in rows if r.year == rows[-1].year)  # the latest applied of them
    return next((r for r in rows if r.year <= year), earliest)


def active_policy(session: Session, year: int | None = None) -> tuple[Policy, int]:
    """The ledger's policy in force for `year` and the year it applies from; a clear
    error when none was loaded."""
    row = active_policy_row(session, year)
    if row is None:
        raise LedgerStateError(
            "台账中没有政策；新建台账时用 zsyz init --preset 名称（或 --policy 文件）载入"
        )
    return stored_policy(row.text, f"台账中的政策 {row.name}"), row.year
