"""The ledger's policy: installing one (text kept whole) with its roster, and reading it back."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from zsyz.domain.groups import default_group
from zsyz.domain.policy import Filters
from zsyz.policy.cache import stored_policy
from zsyz.policy.load import PolicySource
from zsyz.store.engine import Ledger
from zsyz.store.facts import active_policy as active_policy  # the read side lives there
from zsyz.store.facts import in_force
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


def install_policy(
    ledger: Ledger,
    source: PolicySource,
    year: int | None = None,
    *,
    with_examples: bool = False,
    keep_old: bool = False,
) -> str:
    """Store the policy (full text) as the one in force from `year` and add its roster
    and unit targets. Units a preset invents (`example = true`) and their figures are
    added only `with_examples`. `keep_old`: earlier policies stay in force for the years
    before (`policy apply`); otherwise (init) they are retired.

    Roster units already in the ledger (same name) are kept; their aliases are added.
    Returns a one-line summary for the operator.
    """
    policy = stored_policy(source.text, source.origin)  # validated, and kept for reads
    y = year or policy.year
    roster = [u for u in policy.roster if with_examples or not u.example]
    with ledger.write() as session:
        if not keep_old:
            for old in session.exec(select(PolicyRow).where(PolicyRow.active == True)).all():  # noqa: E712
                old.active = False
                session.add(old)
        session.add(
            PolicyRow(name=policy.name, year=y, source=source.origin, text=source.text, active=True)
        )
        index = UnitIndex.load(session)
        fresh = []
        for u in roster:
            cls = policy.classes.get(u.unit_class)
            group = u.group or (cls.group if cls and cls.group else default_group(u.unit_class))
            nu = NewUnit(u.name, u.unit_class, group, u.parent, u.aliases)
            if index.find(u.name) is None:
                fresh.append(nu)
        groups = group_vocabulary(dict(policy.ranking.groups) if policy.ranking else {})
        added = add_units(session, fresh, index=index, groups=groups)
        targets = 0
        for u in roster:
            unit = index.resolve(u.name)
            for t in u.targets:
                _upsert(
                    session,
                    unit,
                    TargetInput(u.name, y, t.metric, t.required, filters_dict(t.filters), t.label),
                    "policy",
                )
                targets += 1
    examples = sum(1 for u in roster if u.example)
    left = sum(1 for u in policy.roster if u.example) - examples
    note = f"（其中示例单位 {examples} 个）" if examples else ""
    if left:
        note += f"；政策中的示例单位 {left} 个未载入（需要时加 --with-examples）"
    return (
        f"载入政策 {policy.name}（{policy.title}，{y} 年起），"
        f"新增单位 {len(added)} 个，单位目标 {targets} 项{note}"
    )


def active_policy_row(session: Session, year: int | None = None) -> PolicyRow | None:
    """The policy in force for `year` (`facts.in_force`) as its row."""
    rows = session.exec(
        select(PolicyRow)
        .where(PolicyRow.active == True)  # noqa: E712
        .order_by(col(PolicyRow.year).desc(), col(PolicyRow.id).desc())
    ).all()
    return in_force(rows, year, lambda r: r.year)
