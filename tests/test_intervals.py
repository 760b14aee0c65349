"""History intervals (store/intervals.py): every writer keeps `valid_to` equal to the next
change's day, and the range query over them (store/asof_history.py) equals the replay of
every change (domain/history.py) after random imports, same-day and late reports,
supersedes, undo and manual corrections — on SQLite, and on PostgreSQL with ZSYZ_TEST_PG.
The migration fills the intervals of an existing ledger."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.conftest import SAMPLES, write_xlsx
from zsyz.domain.history import FieldChange, reduce_history
from zsyz.store import migrate
from zsyz.store.asof_history import histories_as_of
from zsyz.store.engine import open_ledger
from zsyz.store.history import UPDATES, expand
from zsyz.store.intervals import relink_all, stale_intervals
from zsyz.store.schema import HEAD_REVISION
from zsyz.store.sqltext import as_date, rows

HEAD = ["项目名称", "投资方", "总投资", "到位资金", "项目阶段", "签约日期", "招引单位"]
NAMES = ["玉雕产业园", "光伏组件厂", "冷链物流园"]
# Friday report days: two in one week (the later supersedes), one reported late
REPORT_DAYS = [date(2022, 3, 4), date(2022, 3, 11), date(2022, 3, 10), date(2022, 3, 18)]
UNITS = ["石佛寺镇", "贾宋镇"]
ASKED = [date(2022, 3, 1), *REPORT_DAYS, date(2022, 3, 31)]

report_row = st.tuples(
    st.sampled_from(NAMES),
    st.sampled_from(["在谈", "已签约"]),
    st.sampled_from([None, 100, 250, 400]),
)
an_import = st.tuples(
    st.just("import"),
    st.sampled_from(UNITS),
    st.sampled_from(REPORT_DAYS),
    st.lists(report_row, min_size=1, max_size=3, unique_by=lambda r: r[0]),
)
step = st.one_of(  # imports four times as often as an undo or a correction
    an_import,
    an_import,
    an_import,
    an_import,
    st.tuples(st.just("undo"), st.integers(0, 5)),
    st.tuples(st.just("edit"), st.sampled_from(REPORT_DAYS), st.sampled_from([300, 500])),
)
COUNTER = itertools.count()


def _report(tmp: Any, unit: str, on: date, body: list[Any]) -> str:
    lines = [[f"填报单位：{unit}"], [f"填报日期：{on.isoformat()}"], HEAD]
    for name, stage, funds in body:
        signed = on.isoformat() if stage == "已签约" else None
        lines.append([name, "某公司", 5000, funds, stage, signed, unit])
    return str(write_xlsx(tmp / f"r{next(COUNTER)}.xlsx", lines))


def assert_reduction_equals_replay(conn: Any) -> None:
    """For each asked day, the range query's reduced histories equal the replay."""
    stored = conn.execute(UPDATES.select().order_by(UPDATES.c.effective_on, UPDATES.c.id)).all()
    ids = {r.project_id for r in stored}
    for day in ASKED:
        reduced = histories_as_of(conn, day)
        later = histories_as_of(conn, day, later_only=True)
        for pid in ids:
            changes = [
                FieldChange(f, o, v, r.effective_on)
                for r in stored
                if r.project_id == pid
                for f, o, v in expand(r.field, r.old_value, r.new_value)
            ]
            replay = reduce_history(changes, day)
            assert reduced[pid].existed == replay.existed
            if replay.existed:
                assert reduced[pid] == replay
            if any(r.effective_on > day for r in stored if r.project_id == pid):
                assert later[pid] == reduced[pid]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, min_size=3, max_size=8))
def test_writers_keep_intervals(ledger_db: str, cli: Any, tmp_path: Any, steps: Any) -> None:
    ledger = open_ledger(ledger_db)
    with ledger.write() as session:  # a fresh history for each example
        for table in ("project_update", "project_role", "ledger_change", "project"):
            session.execute(text(f"DELETE FROM {table}"))
        session.execute(text("DELETE FROM import_batch"))
    if not cli("units", "list", "-f", "json").json():
        assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    run_steps(cli, tmp_path, steps)
    with ledger.read() as session:
        conn = session.connection()
        assert stale_intervals(conn) == []
        assert_reduction_equals_replay(conn)
    ledger.engine.dispose()


def run_steps(cli: Any, tmp_path: Any, steps: Any) -> list[int]:
    """Run the steps; the exit code of each."""
    codes = []
    for kind, *args in steps:
        if kind == "import":
            unit, on, body = args
            result = cli("import", _report(tmp_path, unit, on, body), "-f", "json")
            assert result.code in (0, 65), result.err
            codes.append(result.code)
        elif kind == "undo":
            batches = [b["id"] for b in cli("imports", "list", "-f", "json").json()]
            if batches:
                undone = cli("imports", "undo", str(batches[args[0] % len(batches)]), "--cascade")
                codes.append(undone.code)
        else:
            on, fai = args
            listed = cli("projects", "list", "-f", "json").json()
            if listed:
                code = listed[0]["code"]
                result = cli(
                    "projects", "edit", code, "--fai", str(fai), "--effective", on.isoformat()
                )
                assert result.code in (0, 1, 2, 65), result.err
                codes.append(result.code)
    return codes


def test_scripted_history_intervals(ledger_db: str, cli: Any, tmp_path: Any) -> None:
    """Worked by hand: funds changed on two days (a late report leaves them alone), a
    same-week correction (supersede), manual corrections dated out of order and twice on
    one day, then an undo."""
    a, b = NAMES[0], NAMES[1]
    steps = [
        ("import", "石佛寺镇", REPORT_DAYS[0], [(a, "在谈", 100), (b, "在谈", None)]),
        ("import", "石佛寺镇", REPORT_DAYS[3], [(a, "在谈", 400)]),
        ("import", "石佛寺镇", REPORT_DAYS[1], [(a, "在谈", 250)]),  # late: not applied
        ("import", "石佛寺镇", REPORT_DAYS[2], [(a, "在谈", 100)]),  # 03-10 replaces 03-11
        ("edit", REPORT_DAYS[3], 300),  # fai on 03-18 …
        ("edit", REPORT_DAYS[1], 500),  # … then dated earlier, 03-11
        ("edit", REPORT_DAYS[1], 300),  # … and again on 03-11: the later row wins that day
    ]
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    assert run_steps(cli, tmp_path, steps) == [0] * len(steps)
    ledger = open_ledger(ledger_db)
    query = (
        "SELECT u.effective_on, u.valid_to, u.new_value FROM project_update u"
        " JOIN project p ON p.id = u.project_id"
        " WHERE p.name = :a AND u.field = :f ORDER BY u.effective_on, u.id"
    )
    with ledger.read() as session:
        conn = session.connection()
        assert stale_intervals(conn) == []

        def history(field: str) -> list[tuple[Any, ...]]:
            got = rows(conn, query, {"a": a, "f": field})
            return [(as_date(on), as_date(to), v) for on, to, v in got]

        assert history("funds_in_place") == [
            (date(2022, 3, 4), date(2022, 3, 18), "100"),
            (date(2022, 3, 18), None, "400"),
        ]
        assert history("fai") == [
            (date(2022, 3, 11), date(2022, 3, 11), "500"),  # empty: same day, lower id
            (date(2022, 3, 11), date(2022, 3, 18), "300"),
            (date(2022, 3, 18), None, "300"),
        ]
        assert_reduction_equals_replay(conn)
    batches = [x["id"] for x in cli("imports", "list", "-f", "json").json()]
    assert cli("imports", "undo", str(batches[-2]), "--cascade").code == 0
    with ledger.read() as session:
        conn = session.connection()
        assert stale_intervals(conn) == []
        assert history("fai") == [(date(2022, 3, 18), None, "300")]
        assert_reduction_equals_replay(conn)
    ledger.engine.dispose()


def test_migration_fills_intervals(db: str) -> None:
    """An existing ledger's history gets its intervals from one window query: same-day
    rows by id, fields and projects apart, the snapshot its own field."""
    ledger = open_ledger(db, must_exist=False, check_schema=False)
    migrate.upgrade(ledger, "0003_r13_adjustments")
    with ledger.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO import_batch (id, file_name, sha256, all_units, period, kind,"
                " report_date, imported_at, status, rows, created, updated, warnings,"
                " period_named) VALUES (1, 'a.xlsx', 'x', false, '2022-W10', 'import',"
                " '2022-03-11', '2022-03-11 00:00:00', 'imported', 1, 1, 0, '[]', false)"
            )
        )
        for pid in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO project (id, code, name, norm_name, stage, created_at,"
                    " updated_at) VALUES (:id, :code, '项目', '项目', 'signed',"
                    " '2022-03-11 00:00:00', '2022-03-11 00:00:00')"
                ),
                {"id": pid, "code": f"P{pid}"},
            )
        history = [  # (id, project, field, effective_on) → expected valid_to
            (1, 1, "*created*", "2022-03-04", None),
            (2, 1, "fai", "2022-03-11", "2022-03-11"),  # same day, lower id: empty
            (3, 1, "fai", "2022-03-11", "2022-03-18"),
            (4, 1, "fai", "2022-03-18", None),
            (5, 2, "fai", "2022-03-04", None),  # another project
            (6, 1, "stage", "2022-03-25", None),  # another field
            (7, 1, "stage", "2022-03-11", "2022-03-25"),  # written later, dated earlier
        ]
        for uid, pid, field, on, _ in history:
            conn.execute(
                text(
                    "INSERT INTO project_update (id, project_id, batch_id, field, new_value,"
                    " effective_on, created_at) VALUES (:id, :pid, 1, :field, '1', :on,"
                    " '2022-03-11 00:00:00')"
                ),
                {"id": uid, "pid": pid, "field": field, "on": date.fromisoformat(on)},
            )
    migrate.upgrade(ledger)
    assert migrate.current(ledger) == HEAD_REVISION
    with ledger.engine.connect() as conn:
        got = rows(conn, "SELECT id, valid_to FROM project_update ORDER BY id")
        assert [(uid, as_date(to)) for uid, to in got] == [
            (uid, date.fromisoformat(to) if to else None) for uid, _, _, _, to in history
        ]
        assert stale_intervals(conn) == []
    with ledger.engine.begin() as conn:  # the same window recomputes them: a fixed point
        conn.execute(text("UPDATE project_update SET valid_to = NULL"))
        relink_all(conn)
        assert stale_intervals(conn) == []
    ledger.engine.dispose()
