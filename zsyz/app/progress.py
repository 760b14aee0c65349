"""Use case: target completion as of a date (`zsyz progress`). Loads facts, calls the
pure rule, returns the typed rows (`domain.progress.UnitProgress`); `zsyz.render.progress`
shapes them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from zsyz.domain.progress import (
    Facts,
    UnitProgress,
    funds_days,
    progress,
    reads_amounts,
)
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
        # observations only when a target reads amounts over time (see reads_amounts)
        days = funds_days(year, as_of) if reads_amounts(policy, explicit) else frozenset()
        facts = Facts(
            units=units,
            projects=projects_on(session, as_of),
            observations=funds_observations(session, as_of, days) if days else (),
            activities=activity_facts(session),
            explicit=explicit,
            days=days,
        )
    rows = progress(policy, facts, year, as_of)
    return [
        r
        for r in rows
        if (only is None or r.unit.code == only)
        and (unit_class is None or r.unit.unit_class == unit_class)
    ]
