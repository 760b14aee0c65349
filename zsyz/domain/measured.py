"""STUB (lead's branch only; replaced by the `sqlm` branch's module at merge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zsyz.domain.facts import Role, UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import CreditRole, Filters, Policy, Share


@dataclass(frozen=True)
class Question:
    metric: Metric
    filters: Filters
    start: date
    end: date
    roles: frozenset[Role]


Answer = tuple[Decimal, tuple[str, ...]]


def sql_question(
    metric: Metric, filters: Filters, unit: UnitFact, policy: Policy, start: date, end: date
) -> Question | None:
    if metric in (Metric.LEADS, Metric.TRIPS) or end < start or filters.chains:
        return None
    credit = policy.credit_roles(unit.unit_class)
    if CreditRole.CHAIN in credit or policy.credit.share is not Share.FULL:
        return None
    roles = {Role(c.value) for c in credit}
    if metric is Metric.COMPILED:
        roles.add(Role.COMPILING)
    return Question(metric, filters, start, end, frozenset(roles))
