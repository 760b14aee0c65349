"""Which measures the database can answer for every unit at once (issue 17, "aggregation in
the database"), stated as plain values: a `Question` is one metric, filters, period and set
of crediting roles; `store.measures.measured` answers a batch of them with GROUP BY queries
over the projects as the ledger knew them on a day. The pure `progress._measure` stays the
reference: `sql_question` returns a question only when its SQL answer for the unit is
exactly `_measure`'s (tests/test_measured_sql.py proves it on generated ledgers), and None
for everything else, which the caller measures in Python as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zsyz.domain.facts import Role, UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import ANY_CATEGORY, CreditRole, Filters, Policy, Share


@dataclass(frozen=True)
class Question:
    """One measure SQL can answer for every unit at once."""

    metric: Metric
    filters: Filters
    start: date
    end: date
    roles: frozenset[Role]  # the roles that credit a unit (chain credit is never here)


Answer = tuple[Decimal, tuple[str, ...]]  # (total, sorted project codes counted), as _measure

ACTIVITY_METRICS = frozenset({Metric.LEADS, Metric.TRIPS})


def sql_question(
    metric: Metric, filters: Filters, unit: UnitFact, policy: Policy, start: date, end: date
) -> Question | None:
    """The question whose SQL answer for `unit` equals `_measure(metric, filters, unit,
    policy, facts, start, end)`; None when SQL does not answer it."""
    if metric in ACTIVITY_METRICS:
        return None  # leads and trips count activities, not projects: nothing to group
    if end < start:
        return None  # an empty period: `_measure` answers 0 without reading anything
    if policy.credit.share is not Share.FULL:
        return None  # a split share is 1/n over every credited unit, chain ones included
    credit = policy.credit_roles(unit.unit_class)
    if CreditRole.CHAIN in credit:
        return None  # chain credit matches 产业链 text against unit names and aliases
    if not sql_filters(filters):
        return None
    roles = {Role(r.value) for r in credit}
    if metric is Metric.COMPILED:
        roles.add(Role.COMPILING)  # a compiling unit also counts what it compiled
    return Question(metric, filters, start, end, frozenset(roles))


def sql_filters(filters: Filters) -> bool:
    """Whether SQL can apply `filters` exactly as `credit.passes` does.

    Amount bounds are plain comparisons and `new_only` a flag. A chain filter compares
    normalised chain names (NFKC, suffixes 产业链/链, several per cell): not in SQL. A
    category or level filter matches loosely (NFKC, case, containment either way), which
    SQL cannot do exactly, except when it holds "*": then it means "has a non-blank value".
    """
    if filters.chains:
        return False
    return all(
        not wanted or ANY_CATEGORY in wanted for wanted in (filters.categories, filters.levels)
    )
