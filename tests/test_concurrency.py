"""Many writers at once, a lock held too long, and PostgreSQL's serialization retry.

Runs on SQLite, and on PostgreSQL in the PG run (`db` is then a PG URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from zsyz.errors import LedgerConflictError
from zsyz.store.retry import retrying

WRITER = textwrap.dedent(
    """
    import contextlib, io, json, sys
    from zsyz.cli.app import run

    worker, count = sys.argv[1], int(sys.argv[2])
    for i in range(count):
        name = f"第{worker}组单位{i:02d}"
        args = (
            ["units", "add", name, "--class", "township"]
            if i % 2 == 0
            else ["targets", "set", f"第{worker}组单位{i - 1:02d}", "--year", "2022",
                  "--metric", "signed", "--value", str(i)]
        )
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = run(args)
        print(json.dumps({"args": args, "code": code, "err": err.getvalue()}), flush=True)
    """
)


def test_four_processes_writing_twenty_times_each_lose_nothing(ledger_db, cli):
    env = {**os.environ, "ZSYZ_DB": ledger_db}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), "20"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, err
        results += [json.loads(line) for line in out.splitlines()]
    assert len(results) == 80
    for r in results:
        assert r["code"] in (0, 75), r
        assert "Traceback" not in r["err"] and len(r["err"].strip().splitlines()) == 1, r
    added = {r["args"][2] for r in results if r["args"][0] == "units" and r["code"] == 0}
    units = {u["name"] for u in cli("units", "list", "--format", "json").json()}
    assert units == added  # every success is there, nothing else
    targets = cli("targets", "list", "--format", "json").json()
    set_ok = {r["args"][2] for r in results if r["args"][0] == "targets" and r["code"] == 0}
    assert {t["unit"] for t in targets} == set_ok
    busy = [r for r in results if r["code"] == 75]
    assert len(busy) <= 8, busy  # the default 5 s busy timeout should almost never expire


def _hold_write_lock(url: str):  # type: ignore[no-untyped-def]
    """Another client holding the ledger's write lock (returns something to close)."""
    if "://" not in url:
        import sqlite3

        con = sqlite3.connect(url, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        return con
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    con = psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database)
    con.execute("LOCK TABLE unit IN ACCESS EXCLUSIVE MODE")
    return con


def test_a_lock_held_past_the_busy_timeout_exits_75_with_one_line(ledger_db):
    holder = _hold_write_lock(ledger_db)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "zsyz", "units", "add", "商务局", "--class", "dept_a"],
            env={**os.environ, "ZSYZ_DB": ledger_db, "ZSYZ_BUSY_TIMEOUT_MS": "300"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 75, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "正被其他进程写入" in result.stderr and "稍后重试" in result.stderr


# ------------------------------------------------------------------ retry


def test_retrying_runs_again_after_conflicts_then_returns():
    calls = []

    def once():
        calls.append(1)
        if len(calls) < 3:
            raise LedgerConflictError("台账 x 上的写入与其他进程冲突，已放弃；请稍后重试")
        return "done"

    assert retrying(once, sleep=lambda _s: None) == "done"
    assert len(calls) == 3


def test_retrying_gives_up_after_attempts_with_a_busy_error():
    calls = []

    def once():
        calls.append(1)
        raise LedgerConflictError("台账 x 上的写入与其他进程冲突，已放弃；请稍后重试")

    with pytest.raises(LedgerConflictError, match="已重试 4 次") as info:
        retrying(once, attempts=4, sleep=lambda _s: None)
    assert len(calls) == 4 and info.value.exit_code == 75


def test_retrying_leaves_other_errors_alone():
    calls = []

    def once():
        calls.append(1)
        raise ValueError("not a conflict")

    with pytest.raises(ValueError):
        retrying(once, sleep=lambda _s: None)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("state", "conflict"), [("40001", True), ("40P01", True), ("23505", False)]
)
def test_conflict_states(state, conflict):
    from zsyz.store.engine import is_conflict_error

    class Orig(Exception):
        sqlstate = state

    class Wrapped(Exception):
        orig = Orig()

    assert is_conflict_error(Wrapped()) is conflict


def test_run_write_retries_a_real_serialization_failure(pg_url):
    """Two SERIALIZABLE writers read and extend the unit table at once: PostgreSQL aborts
    one (40001) and run_write runs it again from the start."""
    from sqlmodel import func, select

    from zsyz.app.units import NewUnit, add_unit
    from zsyz.store.lifecycle import create_ledger
    from zsyz.store.tables import Unit

    ledger = create_ledger(pg_url)
    other = create_ledger.__globals__["open_ledger"](pg_url)
    calls = []

    def work(session):
        calls.append(1)
        n = session.exec(select(func.count()).select_from(Unit)).one()
        if len(calls) == 1:  # meanwhile another writer commits a unit of its own
            add_unit(other, NewUnit("乙镇", "township"))
        session.add(Unit(code=f"u{n}", name=f"第{n}个单位", unit_class="township"))
        return n

    assert ledger.run_write(work) == 1
    assert len(calls) == 2
    with ledger.read() as s:
        assert sorted(s.exec(select(Unit.name)).all()) == ["乙镇", "第1个单位"]
    ledger.engine.dispose()
    other.engine.dispose()


# ------------------------------------------------------------------ upsert


def test_upsert_inserts_then_updates_on_the_key(ledger_db):
    from decimal import Decimal

    from sqlmodel import select

    from zsyz.app.units import NewUnit, add_unit
    from zsyz.store.engine import open_ledger
    from zsyz.store.tables import Target, table_of
    from zsyz.store.upsert import upsert

    ledger = open_ledger(ledger_db)
    unit = add_unit(ledger, NewUnit("石佛寺镇", "township"))
    row = {"unit_id": unit.id, "year": 2022, "metric": "signed", "key": "signed"}
    keys, update = ("unit_id", "year", "key"), ("required", "label")
    with ledger.write() as s:
        upsert(
            s,
            table_of("target"),
            {**row, "required": Decimal(1), "label": "签约"},
            keys=keys,
            update=update,
            keep_when_null=("label",),
        )
    fields = (Target.id, Target.required, Target.label, Target.created_at, Target.filters)
    with ledger.read() as s:
        first = s.exec(select(*fields)).one()
    with ledger.write() as s:
        upsert(
            s,
            table_of("target"),
            [{**row, "required": Decimal("2.5"), "label": None}],
            keys=keys,
            update=update,
            keep_when_null=("label",),
        )
    with ledger.read() as s:
        (second,) = s.exec(select(*fields)).all()
    assert (first.required, second.required) == (Decimal(1), Decimal("2.5"))
    assert second.label == "签约" and second.id == first.id
    assert second.created_at == first.created_at and second.filters == {}
    ledger.engine.dispose()
