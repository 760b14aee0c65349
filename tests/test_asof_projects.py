"""`store.asof.projects_on` (what progress, rank and rewards read for a past day) equals
the replay of every change (`domain.history.project_as_of`) for each project changed
after the day, and today's row for every other one; projects created later are absent.
`store.asof.projects_as_of` (what alerts read) equals the replay for every project of a
ledger whose rows are their history's latest values. Random histories from
tests/test_asof_history.py; both databases (ZSYZ_TEST_PG)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, update

from tests.test_asof_history import DAYS, _ledger, histories, write_histories
from zsyz.domain.facts import Role
from zsyz.domain.history import FieldChange, project_as_of
from zsyz.domain.stages import Stage
from zsyz.store.asof import projects_as_of, projects_on, projects_replayed
from zsyz.store.asof_history import histories_as_of
from zsyz.store.facts import project_facts
from zsyz.store.history import PROJECT, ROLES, UPDATES, expand
from zsyz.store.tables import Unit

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


_END = date(2099, 12, 31)


def _settle(ledger: Any, count: int) -> bool:
    """Each project row set to its history replayed to the end (name, stage, amounts,
    dates, landing units): the ledger's invariant, which random histories lack. False
    when a history ends in a value no row can hold (a project without a name)."""
    with ledger.write() as session:
        conn = session.connection()
        if not conn.execute(Unit.__table__.select()).first():  # type: ignore[attr-defined]
            for i, code in enumerate(("U1", "U2"), start=1):
                row = {"id": i, "code": code, "name": f"单位{i}", "unit_class": "township"}
                conn.execute(insert(Unit.__table__), row)  # type: ignore[attr-defined]
        conn.execute(delete(ROLES))
        stored = conn.execute(UPDATES.select().order_by(UPDATES.c.effective_on, UPDATES.c.id))
        changes: dict[int, list[FieldChange]] = {n: [] for n in range(1, count + 1)}
        for r in stored.all():
            changes[r.project_id] += [
                FieldChange(f, o, v, r.effective_on)
                for f, o, v in expand(r.field, r.old_value, r.new_value)
            ]
        for p in project_facts(session):
            n = int(p.code[1:])
            end = project_as_of(p, changes[n], _END)
            assert end is not None
            if end.name is None:
                return False
            columns = {"name": end.name, "stage": end.stage.value}
            columns |= {"funds_in_place": end.funds_in_place, "compiled_on": end.compiled_on}
            columns["signed_on"] = end.stage_dates.get(Stage.SIGNED)
            conn.execute(update(PROJECT).where(PROJECT.c.id == n).values(**columns))
            for role, code in end.roles:
                row = {"project_id": n, "unit_id": int(code[1:]), "role": role.value}
                conn.execute(insert(ROLES), row)
    return True


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(projects=histories, undo=st.booleans())
def test_projects_as_of_equals_the_replay(ledger_db: str, projects: list[Any], undo: bool) -> None:
    """Rows dated after the day, projects without a creation snapshot or with no history,
    rows changed after the day: every path of `projects_as_of` against the full replay."""
    ledger = _cache.get(ledger_db) or _cache.setdefault(ledger_db, _ledger(ledger_db))
    write_histories(ledger, projects, undo, last_reported_on=date(2022, 3, 2))
    assume(_settle(ledger, len(projects)))
    with ledger.read() as session:
        for day in (date(2022, 2, 28), *DAYS, date(2022, 3, 31)):
            assert projects_as_of(session, day) == projects_replayed(session, day)


def test_projects_as_of_reads_the_last_report_and_role_order_from_the_history(
    ledger_db: str,
) -> None:
    """What tells `projects_as_of` (alerts) from `projects_on` (completion): a report
    row left out of the history, roles stored out of the history's order."""
    ledger = _cache.get(ledger_db) or _cache.setdefault(ledger_db, _ledger(ledger_db))
    created = ("*created*", None, '{"name": "甲", "stage": "signed", "roles:landing": "U1,U2"}')
    write_histories(ledger, [[(1, 0, created)]], False, last_reported_on=date(2022, 3, 4))
    assert _settle(ledger, 1)
    with ledger.write() as session:  # the landing units stored in reverse order
        session.execute(delete(ROLES))
        for unit in (2, 1):
            session.execute(insert(ROLES), {"project_id": 1, "unit_id": unit, "role": "landing"})
    with ledger.read() as session:
        now = projects_on(session, date(2022, 3, 31))[0]
        then = projects_as_of(session, date(2022, 3, 31))[0]
    assert (now.last_reported_on, now.roles) == (
        date(2022, 3, 4),
        ((Role.LANDING, "U2"), (Role.LANDING, "U1")),
    )
    assert (then.last_reported_on, then.roles) == (
        DAYS[0],
        ((Role.LANDING, "U1"), (Role.LANDING, "U2")),
    )
