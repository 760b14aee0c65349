"""The SQL reduction of project history (store/asof_history.py) gives exactly what the
replay of every change (domain/history.py) gives, on random histories: same-day rows,
ids out of date order, `*created*` snapshots before and after the day, rows of undone
batches deleted, plain name/stage rows that imports never write."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from zsyz.domain.facts import ProjectFact
from zsyz.domain.history import NO_HISTORY, FieldChange, apply_history, reduce_history
from zsyz.domain.stages import Stage
from zsyz.store.asof_history import histories_as_of
from zsyz.store.engine import open_ledger
from zsyz.store.history import CREATED, PROJECT, UPDATES, expand
from zsyz.store.intervals import relink, stale_intervals
from zsyz.store.tables import ImportBatch

DAYS = [date(2022, 3, d) for d in (1, 2, 3, 4)]
FIELDS = ["stage", "name", "funds_in_place", "signed_on", "roles:landing", "compiled_on"]
VALUES: dict[str, list[str | None]] = {
    "stage": [None, "signed", "started", "lead"],
    "name": [None, "甲", "乙"],
    "funds_in_place": [None, "10", "12.5"],
    "signed_on": [None, "2022-03-02", "2022-03-04"],
    "roles:landing": [None, "U1", "U1,U2"],
    "compiled_on": [None, "2022-03-01", "2022-03-03"],
}


@st.composite
def plain_row(draw: st.DrawFn) -> tuple[str, str | None, str | None]:
    fld = draw(st.sampled_from(FIELDS))
    return fld, draw(st.sampled_from(VALUES[fld])), draw(st.sampled_from(VALUES[fld]))


@st.composite
def created_row(draw: st.DrawFn) -> tuple[str, str | None, str | None]:
    keys = draw(st.lists(st.sampled_from(FIELDS), unique=True))
    snap = {k: draw(st.sampled_from([v for v in VALUES[k] if v is not None])) for k in keys}
    return CREATED, None, json.dumps(snap, ensure_ascii=False)


# one project's rows: (batch 1 or 2, day index, row); batch 2 may be undone (rows deleted).
# At most one `*created*` row per project: the history contract (store/history.py).
_batch_day = (st.sampled_from([1, 2]), st.integers(0, len(DAYS) - 1))
project_rows = st.tuples(
    st.lists(st.tuples(*_batch_day, plain_row()), max_size=6),
    st.lists(st.tuples(*_batch_day, created_row()), max_size=1),
    st.randoms(use_true_random=False),
).map(lambda t: t[2].sample(t[0] + t[1], len(t[0]) + len(t[1])))  # ids in any date order
histories = st.lists(project_rows, min_size=1, max_size=3)


def _ledger(db: str) -> Any:
    ledger = open_ledger(db)
    with ledger.write() as session:
        for i in (1, 2):
            session.execute(
                insert(ImportBatch.__table__),  # type: ignore[attr-defined]
                {"id": i, "file_name": f"{i}.xlsx", "sha256": str(i), "period": "2022-W09"}
                | {"report_date": DAYS[0], "status": "imported"},
            )
    return ledger


def write_histories(ledger: Any, projects: list[Any], undo: bool, **columns: Any) -> None:
    """The drawn histories as project rows (signed on 03-02, plus `columns`) and their
    history rows; with `undo`, batch 2's rows removed as an undo would."""
    now = datetime(2022, 5, 1, tzinfo=UTC)
    with ledger.write() as session:
        session.execute(delete(UPDATES))
        session.execute(delete(PROJECT))
        for n, rows in enumerate(projects, start=1):
            session.execute(
                insert(PROJECT),
                {"id": n, "code": f"P{n}", "name": "甲", "norm_name": "甲", "stage": "signed"}
                | {"created_at": now, "updated_at": now, "signed_on": date(2022, 3, 2)}
                | columns,
            )
            for batch, d, (fld, old, new) in rows:
                session.execute(
                    insert(UPDATES),
                    {"project_id": n, "batch_id": batch, "field": fld, "old_value": old}
                    | {"new_value": new, "effective_on": DAYS[d], "created_at": now},
                )
        if undo:
            session.execute(delete(UPDATES).where(UPDATES.c.batch_id == 2))
        relink(session, range(1, len(projects) + 1))
        assert stale_intervals(session.connection()) == []


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(projects=histories, undo=st.booleans())
def test_reduction_equals_replay(ledger_db: str, projects: list[Any], undo: bool) -> None:
    ledger = _ledger_cache.get(ledger_db) or _ledger_cache.setdefault(ledger_db, _ledger(ledger_db))
    write_histories(ledger, projects, undo)
    with ledger.read() as session:
        conn = session.connection()
        stored = conn.execute(UPDATES.select().order_by(UPDATES.c.effective_on, UPDATES.c.id)).all()
        for day in (date(2022, 2, 28), *DAYS, date(2022, 3, 31)):
            reduced = histories_as_of(conn, day)
            for n in range(1, len(projects) + 1):
                changes = [
                    FieldChange(f, o, v, r.effective_on)
                    for r in stored
                    if r.project_id == n
                    for f, o, v in expand(r.field, r.old_value, r.new_value)
                ]
                now_fact = ProjectFact(
                    f"P{n}", "甲", Stage.SIGNED, stage_dates={Stage.SIGNED: date(2022, 3, 2)}
                )
                replay = reduce_history(changes, day)
                mine = reduced.get(n, NO_HISTORY)
                assert mine.existed == replay.existed
                if replay.existed:
                    assert mine == replay
                assert apply_history(now_fact, mine, day) == apply_history(now_fact, replay, day)


_ledger_cache: dict[str, Any] = {}


def test_fast_replace_is_dataclasses_replace() -> None:
    """apply_history builds facts without dataclasses.replace; that is only sound while
    ProjectFact has no __post_init__ to run."""
    from dataclasses import replace

    from zsyz.domain.history import _replace

    assert not hasattr(ProjectFact, "__post_init__")
    p = ProjectFact("P1", "甲", Stage.SIGNED, stage_dates={Stage.SIGNED: date(2022, 3, 2)})
    changes: dict[str, object] = {"stage": Stage.STARTED, "name": "乙", "stage_dates": {}}
    assert _replace(p, changes) == replace(p, **changes)  # type: ignore[arg-type]
    assert p.stage is Stage.SIGNED  # the original is untouched
