"""Installing a policy: its text kept whole as the one in force from a year, with its
roster and unit targets, in one transaction (`init --preset/--policy`, `policy apply`)."""

from __future__ import annotations

from zsyz.app.units import NewUnit, add_units, group_vocabulary
from zsyz.domain.groups import default_group
from zsyz.domain.policy import PolicyInstalled
from zsyz.policy.cache import stored_policy
from zsyz.policy.load import PolicySource
from zsyz.store.engine import Ledger
from zsyz.store.policies import filters_dict, retire_policies
from zsyz.store.tables import Policy as PolicyRow
from zsyz.store.targets import upsert_target
from zsyz.store.units import UnitIndex


def install_policy(
    ledger: Ledger,
    source: PolicySource,
    year: int | None = None,
    *,
    with_examples: bool = False,
    keep_old: bool = False,
) -> PolicyInstalled:
    """Store the policy (full text) as the one in force from `year` and add its roster
    and unit targets. Units a preset invents (`example = true`) and their figures are
    added only `with_examples`. `keep_old`: earlier policies stay in force for the years
    before (`policy apply`); otherwise (init) they are retired.

    Roster units already in the ledger (same name) are kept; their aliases are added.
    Returns what was installed (render/policies words it).
    """
    policy = stored_policy(source.text, source.origin)  # validated, and kept for reads
    y = year or policy.year
    roster = [u for u in policy.roster if with_examples or not u.example]
    with ledger.write() as session:
        if not keep_old:
            retire_policies(session)
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
                filters = filters_dict(t.filters)
                upsert_target(session, unit, y, t.metric, t.required, filters, t.label, "policy")
                targets += 1
    examples = sum(1 for u in roster if u.example)
    left = sum(1 for u in policy.roster if u.example) - examples
    return PolicyInstalled(policy.name, policy.title, y, len(added), targets, examples, left)
