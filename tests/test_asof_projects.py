"""`store.asof.projects_on` (what progress, rank and rewards read for a past day) equals
the replay of every change (`domain.history.project_as_of`) for each project changed
after the day, and today's row for every other one; projects created later are absent.
Random histories from tests/test_asof_history.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_asof_history import DAYS, _ledger, histories, write_histories
from zsyz.domain.history import FieldChange, project_as_of
from zsyz.store.asof import projects_on
from zsyz.store.asof_history import histories_as_of
from zsyz.store.facts import project_facts
from zsyz.store.history import UPDATES, expand

_cache: dict[str, Any] = {}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(projects=histories, undo=st.booleans())
def test_projects_on_equals_replay(ledger_db: str, projects: list[Any], undo: bool) -> None:
    ledger = _cache.get(ledger_db) or _cache.setdefault(ledger_db, _ledger(ledger_db))
    write_histories(ledger, projects, undo, fai=4000, last_reported_on=date(2022, 3, 4))
    with ledger.read() as session:
        conn = session.connection()
        stored = conn.execute(UPDATES.select().order_by(UPDATES.c.effective_on, UPDATES.c.id)).all()
        current = {p.code: p for p in project_facts(session)}
        for day in (date(2022, 2, 28), *DAYS, date(2022, 3, 31)):
            expected = []
            for n in range(1, len(projects) + 1):
                mine = [r for r in stored if r.project_id == n]
                changes = [
                    FieldChange(f, o, v, r.effective_on)
                    for r in mine
                    for f, o, v in expand(r.field, r.old_value, r.new_value)
                ]
                if any(r.effective_on > day for r in mine):
                    then = project_as_of(current[f"P{n}"], changes, day)
                    if then is not None:
                        expected.append(then)
                else:  # nothing changed since: the rows as they stand (rules read dates)
                    expected.append(current[f"P{n}"])
            assert projects_on(session, day) == expected
            later = {r.project_id for r in stored if r.effective_on > day}
            every = histories_as_of(conn, day)
            assert histories_as_of(conn, day, later_only=True) == {
                n: h for n, h in every.items() if n in later
            }
