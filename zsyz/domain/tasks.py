"""Whether a unit "has" the task a rule names, by meaning rather than by text.

A rule (一票评优's "7亿元以上制造业项目", a target scored with its own points) names a
metric and filters. A unit has that task when any of its targets — the class's, the
roster's, `targets set`, a decomposition table — asks for the same metric and the same
thresholds with categories (chains, levels) inside the rule's: a task set with
`--category 制造业` is the rule's ["制造业", "工业"] task; one without a category is not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from zsyz.domain.facts import ExplicitTarget, UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import ANY_CATEGORY, Filters, Policy, TargetRule
from zsyz.domain.progress import rules_for


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _inside(task: tuple[str, ...], rule: tuple[str, ...]) -> bool:
    """Every project the task's list admits, the rule's admits too."""
    if not rule:
        return True  # the rule takes any
    if not task:
        return False  # the task takes any: broader than the rule
    if ANY_CATEGORY in rule:
        return True  # the rule takes any named value; the task names some
    if ANY_CATEGORY in task:
        return False
    wanted = {_norm(r) for r in rule}
    return all(_norm(t) in wanted for t in task)


def _bounds(f: Filters) -> tuple[object, ...]:
    low = f.min_fai is not None or f.min_total is not None
    high = f.max_fai is not None or f.max_total is not None
    return (
        f.min_fai,
        f.min_total,
        f.strict and low,
        f.max_fai,
        f.max_total,
        f.max_inclusive and high,
    )


def covers(rule: Filters, task: Filters) -> bool:
    """Is a target with `task` filters the task a rule with `rule` filters names?"""
    return (
        _bounds(rule) == _bounds(task)
        and _inside(task.categories, rule.categories)
        and _inside(task.chains, rule.chains)
        and _inside(task.levels, rule.levels)
        and (task.new_only or not rule.new_only)
    )


def _simple(rules: Sequence[TargetRule]) -> list[TargetRule]:
    out: list[TargetRule] = []
    for r in rules:
        out.extend(_simple((*r.any_of, *r.all_of)) if not r.is_simple else [r])
    return out


def tasks_of(
    unit: UnitFact,
    policy: Policy,
    explicit: Sequence[ExplicitTarget],
    metric: Metric,
    filters: Filters,
) -> list[TargetRule]:
    """The unit's targets (parts of combinations included) that are the rule's task:
    same metric, thresholds and a category inside the rule's, with a positive amount (or
    a growth over the prior year's)."""
    return [
        r
        for r in _simple(rules_for(unit, policy, explicit))
        if r.metric is metric
        and ((r.required is not None and r.required > Decimal(0)) or r.growth is not None)
        and covers(filters, r.filters)
    ]
