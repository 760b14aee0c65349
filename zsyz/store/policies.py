"""The ledger's policy: installing one (text kept whole) with its roster, and reading it back."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from zsyz.domain.groups import default_group
from zsyz.domain.policy import Filters, Policy
from zsyz.errors import LedgerStateError
from zsyz.policy.load import PolicySource, parse_policy
from zsyz.store.engine import Ledger
from zsyz.store.tables import Policy as PolicyRow
from zsyz.store.targets import TargetInput, _upsert
from zsyz.store.units import NewUnit, UnitIndex, add_units, group_vocabulary


def filters_dict(f: Filters) -> dict[str, Any]:
    """A domain filter as the `target.filters` JSON (the shape `targets set` writes)."""
    out: dict[str, Any] = {}
    if f.min_fai is not None:
        out["min_fai"] = f.min_fai
    if f.min_total is not None:
        out["min_total"] = f.min_total
    if f.strict:
        out["strict"] = True
    for key, values in (("category", f.categories), ("chain", f.chains), ("level", f.levels)):
        if values:
            out[key] = values[0] if len(values) == 1 else list(values)
    if f.new_only:
        out["new_only"] = True
    return out


def install_policy(ledger: Ledger, source: PolicySource, year: int | None = None) -> str:
    """Store the policy (full text) as the active one and add its roster and unit targets.

    Roster units already in the ledger (same name) are kept; their aliases are added.
    Returns a one-line summary for the operator.
    """
    policy = parse_policy(source.text, source.origin)
    y = year or policy.year
    with ledger.write() as session:
        for old in session.exec(select(PolicyRow).where(PolicyRow.active == True)).all():  # noqa: E712
            old.active = False
            session.add(old)
        session.add(
            PolicyRow(name=policy.name, year=y, source=source.origin, text=source.text, active=True)
        )
        index = UnitIndex.load(session)
        fresh = []
        for u in policy.roster:
            cls = policy.classes.get(u.unit_class)
            group = u.group or (cls.group if cls and cls.group else default_group(u.unit_class))
            nu = NewUnit(u.name, u.unit_class, group, u.parent, u.aliases)
            if index.find(u.name) is None:
                fresh.append(nu)
        groups = group_vocabulary(dict(policy.ranking.groups) if policy.ranking else {})
        added = add_units(session, fresh, index=index, groups=groups)
        targets = 0
        for u in policy.roster:
            unit = index.resolve(u.name)
            for t in u.targets:
                _upsert(
                    session,
                    unit,
                    TargetInput(u.name, y, t.metric, t.required, filters_dict(t.filters), t.label),
                    "policy",
                )
                targets += 1
    examples = sum(1 for u in policy.roster if u.example)
    note = f"（其中示例单位 {examples} 个）" if examples else ""
    return (
        f"载入政策 {policy.name}（{policy.title}，{y} 年），"
        f"新增单位 {len(added)} 个{note}，单位目标 {targets} 项"
    )


def active_policy_row(session: Session) -> PolicyRow | None:
    return session.exec(
        select(PolicyRow)
        .where(PolicyRow.active == True)  # noqa: E712
        .order_by(col(PolicyRow.id).desc())
    ).first()


def active_policy(session: Session) -> tuple[Policy, int]:
    """The ledger's active policy and its year; a clear error when none was loaded."""
    row = active_policy_row(session)
    if row is None:
        raise LedgerStateError(
            "台账中没有政策；新建台账时用 zsyz init --preset 名称（或 --policy 文件）载入"
        )
    return parse_policy(row.text, f"台账中的政策 {row.name}"), row.year
