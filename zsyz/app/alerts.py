"""Use case: the alerts as of a date (`zsyz alerts`). One read transaction."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from zsyz.app.bulk import no_cyclic_gc
from zsyz.domain.alerts import Alert, AlertFacts, Level, alerts
from zsyz.store.aggregate import report_statuses
from zsyz.store.asof import facts_as_of, first_activity_on, first_report_on
from zsyz.store.facts import active_policy
from zsyz.store.units import UnitIndex

if TYPE_CHECKING:
    from zsyz.store.engine import Ledger
    from zsyz.store.reader import Reader


def alert_list(
    ledger: Ledger | Reader, as_of: date, unit: str | None = None, level: Level | None = None
) -> list[Alert]:
    with ledger.read() as session:
        return alerts_in(session, as_of, unit, level)


def alerts_in(
    session: Any, as_of: date, unit: str | None = None, level: Level | None = None
) -> list[Alert]:
    """The alerts as of `as_of`, read in the caller's transaction."""
    with no_cyclic_gc():
        policy, _ = active_policy(session, as_of.year)
        ledger = facts_as_of(session, as_of)
        only = UnitIndex.of_facts(ledger.units).resolve(unit).code if unit else None
        first_report = first_report_on(session, as_of)
        known = [d for d in (first_report, first_activity_on(session, as_of)) if d is not None]
        statuses = None  # no duty yet: missed_reports reads nothing
        if first_report is not None and first_report <= as_of:  # counted in SQL
            codes = [u.code for u in ledger.units]
            statuses = report_statuses(session, codes, policy.reporting, as_of, first_report)
        facts = AlertFacts(
            ledger=ledger,
            since=first_report,
            activities_since=min(known) if known else None,
            report_statuses=statuses,
        )
        found = alerts(policy, facts, as_of)
    return [
        a
        for a in found
        if (only is None or only in a.units) and (level is None or a.level is level)
    ]
