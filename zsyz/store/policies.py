"""The ledger's policy read back (the one in force for a year), and a domain filter as the
`target.filters` JSON. Installing one is a use case (`zsyz/app/policies.py`)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from zsyz.domain.policy import Filters
from zsyz.store.facts import active_policy as active_policy  # the read side lives there
from zsyz.store.facts import in_force
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
    """The policy in force for `year` (`facts.in_force`) as its row."""
    rows = session.exec(
        select(PolicyRow)
        .where(PolicyRow.active == True)  # noqa: E712
        .order_by(col(PolicyRow.year).desc(), col(PolicyRow.id).desc())
    ).all()
    return in_force(rows, year, lambda r: r.year)
