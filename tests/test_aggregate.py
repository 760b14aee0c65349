"""Aggregation in SQL (store/aggregate.py) equals the pure domain on generated ledgers:
`report_statuses` is `domain.reporting.statuses` and `earliest_reports` is
`domain.reporting.earliest` over `store.asof.report_facts`, for
weekly and monthly calendars, named and unnamed periods (and a name that is no period),
county summaries with and without `summaries`, superseded, undone and manual batches —
on SQLite, and on PostgreSQL with ZSYZ_TEST_PG. Plus a case worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, text

from zsyz.domain.policy import Reporting
from zsyz.domain.reporting import ReportStatus, earliest, statuses
from zsyz.store.aggregate import earliest_reports, report_statuses
from zsyz.store.asof import first_report_on, report_facts
from zsyz.store.engine import open_ledger
from zsyz.store.tables import ImportBatch, Project, ProjectRole, ProjectUpdate, Unit

NOW = datetime(2022, 5, 1, tzinfo=UTC)
UNITS = [  # (id, code, class)
    (1, "t1", "township"),
    (2, "t2", "township"),
    (3, "d1", "dept_a"),
    (4, "cty", "county"),
]
START = date(2022, 1, 3)
LABELS = ["2022-W02", "2022-W05", "2022-W06", "2022-01", "2022-02", "第几周", "2022-W09"]

batch = st.fixed_dictionaries(
    {
        "unit": st.sampled_from([1, 2, 3, 4, None]),
        "all_units": st.booleans(),
        "day": st.integers(0, 70),
        "named": st.booleans(),
        "label": st.sampled_from(LABELS),
        "status": st.sampled_from(["imported", "imported", "superseded", "undone"]),
        "kind": st.sampled_from(["import", "import", "import", "manual"]),
        "touches": st.lists(st.sampled_from([1, 2, 3]), max_size=2),  # projects it changed
    }
)
calendars = st.sampled_from(
    [
        Reporting(),
        Reporting(due_weekday=3, summaries=True),
        Reporting(cadence="monthly", due_day=25),
        Reporting(cadence="monthly", due_day=5, due_next_month=True, summaries=True),
        Reporting(holidays=frozenset({date(2022, 1, 31), date(2022, 2, 1)})),
    ]
)


def _ledger(db: str) -> Any:
    ledger = open_ledger(db)
    with ledger.write() as session:
        session.execute(
            insert(Unit.__table__),  # type: ignore[attr-defined]
            [
                {"id": i, "code": c, "name": f"单位{i}", "unit_class": k, "created_at": NOW}
                for i, c, k in UNITS
            ],
        )
        session.execute(
            insert(Project.__table__),  # type: ignore[attr-defined]
            [
                {"id": n, "code": f"P{n}", "name": f"项目{n}", "norm_name": f"项目{n}"}
                | {"stage": "signed", "created_at": NOW, "updated_at": NOW}
                for n in (1, 2, 3)
            ],
        )
        session.execute(
            insert(ProjectRole.__table__),  # type: ignore[attr-defined]
            [  # P1 t1, P2 t2 and the county, P3 d1 and t1
                {"project_id": p, "unit_id": u, "role": r}
                for p, u, r in [
                    (1, 1, "sourcing"),
                    (2, 2, "landing"),
                    (2, 4, "sourcing"),
                    (3, 3, "sourcing"),
                    (3, 1, "landing"),
                ]
            ],
        )
    return ledger


def write_batches(ledger: Any, batches: list[dict[str, Any]]) -> None:
    with ledger.write() as session:
        session.execute(text("DELETE FROM project_update"))
        session.execute(text("DELETE FROM import_batch"))
        for n, b in enumerate(batches, start=1):
            on = START + timedelta(days=b["day"])
            session.execute(
                insert(ImportBatch.__table__),  # type: ignore[attr-defined]
                {"id": n, "file_name": f"{n}.xlsx", "sha256": str(n), "unit_id": b["unit"]}
                | {"all_units": b["all_units"], "period": b["label"], "report_date": on}
                | {"period_named": b["named"], "status": b["status"], "kind": b["kind"]}
                | {"imported_at": NOW, "warnings": []},
            )
            for p in b["touches"]:
                session.execute(
                    insert(ProjectUpdate.__table__),  # type: ignore[attr-defined]
                    {"project_id": p, "batch_id": n, "field": "remarks", "new_value": "x"}
                    | {"effective_on": on, "created_at": NOW},
                )


_cache: dict[str, Any] = {}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(batch, max_size=8),
    reporting=calendars,
    days=st.lists(st.integers(0, 90), min_size=1, max_size=3),
)
def test_report_statuses_equal_the_domain(
    ledger_db: str, batches: list[dict[str, Any]], reporting: Reporting, days: list[int]
) -> None:
    ledger = _cache.get(ledger_db) or _cache.setdefault(ledger_db, _ledger(ledger_db))
    write_batches(ledger, batches)
    codes = [c for _, c, _ in UNITS]
    with ledger.read() as session:
        for d in days:
            as_of = START + timedelta(days=d)
            since = first_report_on(session, as_of)
            if since is None:
                continue
            reports = report_facts(session, as_of, reporting)
            conn = session.connection()
            firsts = earliest(reports, reporting, as_of)
            assert earliest_reports(conn, reporting, as_of) == firsts
            want = statuses(codes, reports, reporting, as_of, since)
            assert report_statuses(conn, codes, reporting, as_of, since) == want


def _by_hand_ledger(ledger_db: str) -> Any:
    """The reports worked by hand below (weekly, 2022-01)."""
    ledger = _ledger(ledger_db)
    rows = [
        {"unit": 1, "day": 7, "label": "2022-W01"},
        {"unit": 1, "day": 16, "label": "2022-W02", "named": True},
        {"unit": 2, "day": 11, "label": "2022-W02", "named": True},
        {"unit": None, "all_units": True, "day": 21, "label": "2022-W03", "touches": [2]},
    ]
    base = {"all_units": False, "named": False, "status": "imported", "kind": "import"}
    write_batches(ledger, [base | {"touches": []} | r for r in rows])
    return ledger


def test_report_statuses_by_hand(ledger_db: str) -> None:
    """Weekly, due Monday. t1 reports W01 on Mon 01-10 (on time) and names W02 on Wed
    01-19 (late: due 01-17); t2 names W02 itself on 01-14 (on time); a county summary on 01-24 covers W03
    for the county and, with `summaries`, for t2 (its project P2). As of Tue 01-25 the
    owed weeks are W01–W03 (the first report came 01-10, W01's due day)."""
    ledger = _by_hand_ledger(ledger_db)
    as_of, since = date(2022, 1, 25), date(2022, 1, 10)
    codes = [c for _, c, _ in UNITS]
    with ledger.read() as session:
        conn = session.connection()
        plain = report_statuses(conn, codes, Reporting(), as_of, since)
        summed = report_statuses(conn, codes, Reporting(summaries=True), as_of, since)
    w03 = plain["t1"].period
    assert w03.label == "2022-W03"
    # t1: W01 on time, W02 late, W03 missed (as of its due day) → 2 not on time
    assert plain["t1"] == ReportStatus(w03, False, 2, False)
    assert plain["t2"] == ReportStatus(w03, False, 2, False)  # W01 and W03 missing
    assert plain["cty"] == ReportStatus(w03, True, 2, True)  # only W03, by the summary
    assert plain["d1"] == ReportStatus(w03, False, 3, True)
    assert summed["t2"] == ReportStatus(w03, True, 1, False)  # the summary covers W03
    assert summed["t1"] == plain["t1"]  # P1 was not in the summary


def test_report_statuses_on_the_bare_reader(ledger_db: str) -> None:
    """Read commands run these on the bare driver (store/reader.py), not on SQLAlchemy:
    the same answers there, on SQLite and PostgreSQL alike (its dates typed in VALUES)."""
    from zsyz.store.reader import close_all, open_reader

    ledger = _by_hand_ledger(ledger_db)
    as_of, since = date(2022, 1, 25), date(2022, 1, 10)
    codes = [c for _, c, _ in UNITS]
    with ledger.read() as session:
        conn = session.connection()
        want = report_statuses(conn, codes, Reporting(summaries=True), as_of, since)
        firsts = earliest_reports(conn, Reporting(), as_of)
    try:
        with open_reader(ledger_db).read() as reader:
            assert report_statuses(reader, codes, Reporting(summaries=True), as_of, since) == want
            assert earliest_reports(reader, Reporting(), as_of) == firsts
    finally:
        close_all()
