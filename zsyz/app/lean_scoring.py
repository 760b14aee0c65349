"""The ranking read lean (`app.measured`): every measure it asks answered in SQL, no
project loaded. `app.scoring.ranking` tries this first and falls back to the full read
when the policy reads projects themselves (per-project points, stale projects ...), when
SQL does not answer a measure, or when the rules reached for a project after all."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from zsyz.app.measured import answered, or_else
from zsyz.domain.periods import Period
from zsyz.domain.policy import Policy
from zsyz.domain.progress import Facts
from zsyz.domain.questions import ranking_keys
from zsyz.domain.ranking import (
    DEFAULT_RANKING,
    RankRow,
    ScoringFacts,
    rank,
    reads_reports,
    scoring_day,
)
from zsyz.domain.reporting import reading_day
from zsyz.store.aggregate import earliest_reports
from zsyz.store.asof import first_report_on
from zsyz.store.asof_history import changed_after
from zsyz.store.facts import (
    active_policy,
    activity_facts,
    adjustment_facts,
    explicit_targets,
    unit_facts,
)


def base_facts(session: Any, policy: Policy, period: Period, today: date) -> ScoringFacts:
    """What a ranking of `period` reads besides projects, as `scoring.load` reads it."""
    years = sorted({period.end.year, period.previous().end.year})
    explicit = [t for y in years for t in explicit_targets(session, y)]
    units = unit_facts(session)
    facts = Facts(units=units, activities=activity_facts(session), explicit=explicit)
    grouped = None
    if reads_reports(policy):
        grouped = (policy.reporting, earliest_reports(session, policy.reporting, today))
    return ScoringFacts(
        facts,
        None,
        None,
        since=first_report_on(session, today),
        as_of=today,
        adjustments=adjustment_facts(session),
        grouped=grouped,
    )


def lean_ranking(
    session: Any, period: Period, today: date, group: str | None, refuse: Any
) -> tuple[Policy, list[RankRow]] | None:
    """`scoring.ranking`'s answer without loading a project, or None (see the module).
    `refuse(session, policy, sf, period, today)` raises while reports are outstanding."""
    policy, _ = active_policy(session, period.end.year)
    rules = policy.ranking or DEFAULT_RANKING
    rep, before = policy.reporting, period.previous()
    until, then_day = reading_day(period, rep, today), reading_day(before, rep, today)
    sf = base_facts(session, policy, period, today)
    refuse(session, policy, sf, period, today)
    base = sf.facts
    now = ranking_keys(policy, rules, base, period, scoring_day(policy, period, today))
    then = ranking_keys(policy, rules, base, before, scoring_day(policy, before, today))
    if now is None or then is None:
        return None
    previous: ScoringFacts | None = None
    if changed_after(session, then_day, limit=1):  # the previous period read as of its day
        then_facts = answered(session, policy, base, then, then_day)
        if then_facts is None:
            return None
        previous = replace(sf, facts=then_facts)
    else:
        now = now | then
    facts = answered(session, policy, base, now, until)
    if facts is None:
        return None
    current = replace(sf, facts=facts)
    rows = or_else(lambda: rank(policy, current, period, group, previous))
    return None if rows is None else (policy, rows)
