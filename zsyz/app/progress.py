"""Use case: target completion as of a date (`zsyz progress`). Loads facts, calls the
pure rule, returns the typed rows (`domain.progress.UnitProgress`); `zsyz.render.progress`
shapes them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from zsyz.app.measured import answered, or_else, questions_for
from zsyz.domain.progress import (
    Facts,
    UnitProgress,
    funds_days,
    progress,
    reads_amounts,
)
from zsyz.domain.questions import progress_keys
from zsyz.store.asof import projects_on
from zsyz.store.facts import (
    active_policy,
    activity_facts,
    explicit_targets,
    funds_observations,
    unit_facts,
)
from zsyz.store.units import UnitIndex

if TYPE_CHECKING:
    from zsyz.domain.policy import Policy
    from zsyz.store.engine import Ledger
    from zsyz.store.reader import Reader


def unit_progress(
    ledger: Ledger | Reader,
    year: int,
    as_of: date,
    unit: str | None = None,
    unit_class: str | None = None,
) -> list[UnitProgress]:
    with ledger.read() as session:
        policy, _ = active_policy(session, year)
        units = unit_facts(session)
        only = UnitIndex.of_facts(units).resolve(unit).code if unit else None
        explicit = explicit_targets(session, year)
        base = Facts(units=units, activities=activity_facts(session), explicit=explicit)
        rows = _lean_progress(session, policy, base, year, as_of)
        if rows is None:
            rows = progress(policy, _full(session, policy, base, year, as_of), year, as_of)
    return [
        r
        for r in rows
        if (only is None or r.unit.code == only)
        and (unit_class is None or r.unit.unit_class == unit_class)
    ]


def _lean_progress(
    session: Any, policy: Policy, base: Facts, year: int, as_of: date
) -> list[UnitProgress] | None:
    """Progress from measures answered in SQL (`app.measured`); None when SQL does not
    answer every one, or the rules reached for a project after all."""
    asked = questions_for(policy, base, progress_keys(policy, base, year, as_of))
    if asked is None:
        return None
    facts = answered(session, base, asked, as_of)
    return or_else(lambda: progress(policy, facts, year, as_of))


def _full(session: Any, policy: Policy, base: Facts, year: int, as_of: date) -> Facts:
    """Every project as of the day, and the amount observations when a target reads them."""
    days = funds_days(year, as_of) if reads_amounts(policy, base.explicit) else frozenset()
    return Facts(
        units=base.units,
        projects=projects_on(session, as_of),
        observations=funds_observations(session, as_of, days) if days else (),
        activities=base.activities,
        explicit=base.explicit,
        days=days,
    )
