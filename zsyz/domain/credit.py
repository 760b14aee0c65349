"""Which units a project counts for, and whether it passes a target's filters.

Credit is policy: the roles a unit class counts (sourcing, landing, leader, compiling,
chain) and whether each credited unit takes the whole project or a 1/n share.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from zsyz.domain.facts import ProjectFact, Role, UnitFact
from zsyz.domain.policy import ANY_CATEGORY, CreditRole, Filters, Policy, Share


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def chain_key(text: str) -> str:
    key = _norm(text)
    for suffix in ("产业链", "链"):
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def chain_names(project_chain: str | None) -> list[str]:
    """The chains a project's 产业链 cell names (offices list several with 、 or ,)."""
    if not project_chain:
        return []
    for sep in ("，", ",", "；", ";", "/"):
        project_chain = project_chain.replace(sep, "、")
    return [chain_key(c) for c in project_chain.split("、") if c.strip()]


def names_chain(unit: UnitFact, project: ProjectFact) -> bool:
    wanted = {chain_key(n) for n in (unit.name, *unit.aliases)}
    return any(c in wanted for c in chain_names(project.chain))


def credited(project: ProjectFact, unit: UnitFact, roles: tuple[CreditRole, ...]) -> bool:
    """Does `project` count for `unit` through any of `roles`?"""
    for role in roles:
        if role is CreditRole.CHAIN:
            if names_chain(unit, project):
                return True
        elif unit.code in project.units(Role(role.value)):
            return True
    return False


def credited_units(project: ProjectFact, units: list[UnitFact], policy: Policy) -> list[UnitFact]:
    """Every unit the project counts for under the policy (each class's own roles)."""
    return [u for u in units if credited(project, u, policy.credit_roles(u.unit_class))]


def share_of(project: ProjectFact, units: list[UnitFact], policy: Policy) -> Decimal:
    """The part of the project one credited unit takes: 1, or 1/n when credit is split."""
    if policy.credit.share is Share.FULL:
        return Decimal(1)
    n = len(credited_units(project, units, policy))
    return Decimal(1) / n if n > 1 else Decimal(1)


def _matches(wanted: tuple[str, ...], value: str | None) -> bool:
    if not wanted:
        return True
    if not value or not value.strip():
        return False
    if ANY_CATEGORY in wanted:
        return True
    have = _norm(value)
    for w in wanted:
        if w == ANY_CATEGORY:
            return True
        key = _norm(w)
        if key == have or key in have or (len(have) >= 2 and have in key):
            return True
    return False


def _at_least(amount: Decimal | None, bound: Decimal | None, strict: bool) -> bool:
    if bound is None:
        return True
    if amount is None:
        return False
    return amount > bound if strict else amount >= bound


def _below(amount: Decimal | None, bound: Decimal | None, inclusive: bool) -> bool:
    if bound is None:
        return True
    if amount is None:
        return False
    return amount <= bound if inclusive else amount < bound


def passes(project: ProjectFact, f: Filters) -> bool:
    """Does the project meet the filters? A bound on a missing amount fails."""
    return (
        _at_least(project.fai, f.min_fai, f.strict)
        and _at_least(project.total_investment, f.min_total, f.strict)
        and _below(project.fai, f.max_fai, f.max_inclusive)
        and _below(project.total_investment, f.max_total, f.max_inclusive)
        and _matches(f.categories, project.category)
        and (not f.chains or any(chain_key(c) in chain_names(project.chain) for c in f.chains))
        and _matches(f.levels, project.level)
        and (not f.new_only or project.is_new is True)
    )
