"""The ranking read lean (`app.measured`): every measure it asks answered in SQL, no
project loaded. `app.scoring.ranking` tries this first and falls back to the full read
when the policy reads projects themselves (per-project points, stale projects ...), when
SQL does not answer a measure, or when the rules reached for a project after all."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from zsyz.app.measured import answered, or_else, questions_for
from zsyz.app.scoring import explicit_of_years, refuse_incomplete, with_reports
from zsyz.domain.periods import Period
from zsyz.domain.policy import Policy
from zsyz.domain.progress import Facts
from zsyz.domain.questions import ranking_keys
from zsyz.domain.ranking import (
    DEFAULT_RANKING,
    RankRow,
    rank,
    scoring_day,
)
from zsyz.domain.reporting import reading_day
from zsyz.store.asof_history import changed_after
from zsyz.store.facts import (
    active_policy,
    activity_facts,
    unit_facts,
)


def lean_ranking(
    session: Any, period: Period, today: date, group: str | None
) -> tuple[Policy, list[RankRow]] | None:
    """`scoring.ranking`'s answer without loading a project, or None (see the module).
    Whether the read can be lean is settled before anything only it needs is read."""
    policy, _ = active_policy(session, period.end.year)
    rules = policy.ranking or DEFAULT_RANKING
    rep, before = policy.reporting, period.previous()
    explicit = explicit_of_years(session, [period.end.year, before.end.year])
    base = Facts(units=unit_facts(session), activities=activity_facts(session), explicit=explicit)
    now = ranking_keys(policy, rules, base, period, scoring_day(policy, period, today))
    then = ranking_keys(policy, rules, base, before, scoring_day(policy, before, today))
    if now is None or then is None:
        return None
    until, then_day = reading_day(period, rep, today), reading_day(before, rep, today)
    apart = changed_after(session, then_day, limit=1)  # the previous period read as of its day
    asked_now = questions_for(policy, base, now if apart else now | then)
    asked_then = questions_for(policy, base, then) if apart else {}
    if asked_now is None or asked_then is None:
        return None
    sf = with_reports(session, policy, base, today, ranks=True)
    refuse_incomplete(session, policy, sf, period, today)
    previous = replace(sf, facts=answered(session, base, asked_then, then_day)) if apart else None
    current = replace(sf, facts=answered(session, base, asked_now, until))
    rows = or_else(lambda: rank(policy, current, period, group, previous))
    return None if rows is None else (policy, rows)
