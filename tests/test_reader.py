"""Read commands open the ledger on the bare driver (store/reader.py): the same addresses,
the same refusals and the same facts as the engine, one snapshot per read, and no ORM,
SQLAlchemy, Alembic, pydantic or openpyxl imported to answer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from zsyz.errors import LedgerBusyError, LedgerStateError, UsageError
from zsyz.store import facts
from zsyz.store.engine import open_ledger
from zsyz.store.reader import Reader, open_reader, pg_sql
from zsyz.store.schema import HEAD_REVISION

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
HEAVY = ("alembic", "pydantic", "sqlmodel", "sqlalchemy", "openpyxl")


def _message(opener, db: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises((LedgerStateError, UsageError)) as caught:
        opener(db)
    return caught.value.message


def _spoilt(tmp_path: Path, how: str) -> str:
    path = tmp_path / "ledger.db"
    if how == "folder":
        path.mkdir()
    elif how == "empty":
        path.touch()
    elif how == "garbage":
        path.write_bytes(b"this is not a database at all" * 200)
    elif how in ("foreign", "unversioned", "older", "newer"):
        con = sqlite3.connect(path)
        if how == "foreign":
            con.execute("CREATE TABLE customers (id INTEGER)")
        else:
            con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            rev = {"older": "0001_initial", "newer": "9999_from_the_future"}.get(how)
            if rev:
                con.execute("INSERT INTO alembic_version VALUES (?)", (rev,))
        con.commit()
        con.close()
    return str(path)


@pytest.mark.sqlite_only(reason="files the engine refuses")
@pytest.mark.parametrize(
    "how", ["missing", "folder", "empty", "garbage", "foreign", "unversioned", "older", "newer"]
)
def test_the_reader_refuses_what_the_engine_refuses_in_the_same_words(tmp_path, how):
    db = _spoilt(tmp_path, how)
    said = _message(open_reader, db)
    assert said == _message(open_ledger, db)
    assert said and "Traceback" not in said


@pytest.mark.sqlite_only(reason="SQLite addresses")
def test_every_sqlite_address_the_engine_takes(ledger_db, monkeypatch, tmp_path):
    monkeypatch.chdir(Path(ledger_db).parent)
    for db in (ledger_db, f"sqlite:///{ledger_db}", Path(ledger_db).name, None):
        reader = open_reader(db)
        assert isinstance(reader, Reader)
        assert reader.where == open_ledger(db).where
        with reader.read() as r:
            assert r.rows("SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
        reader.close()
    # an address only SQLAlchemy knows is the engine's to open or refuse
    assert _message(open_reader, "mysql://nobody@nowhere/x") == _message(
        open_ledger, "mysql://nobody@nowhere/x"
    )


def test_postgres_parameters_and_casts():
    assert pg_sql("SELECT :a, x::date, '5%' FROM t WHERE b = :b_2") == (
        "SELECT %(a)s, x::date, '5%%' FROM t WHERE b = %(b_2)s"
    )


def _hold_every_lock(url: str):  # type: ignore[no-untyped-def]
    """Another client holding a lock even readers wait for."""
    if "://" not in url:
        con = sqlite3.connect(url, isolation_level=None)
        con.execute("PRAGMA locking_mode = EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        return con
    import psycopg

    con = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    con.execute("LOCK TABLE project IN ACCESS EXCLUSIVE MODE")
    return con


def test_a_read_that_waits_past_the_busy_timeout_is_busy(ledger_db, monkeypatch):
    monkeypatch.setenv("ZSYZ_BUSY_TIMEOUT_MS", "200")
    holder = _hold_every_lock(ledger_db)
    try:
        with pytest.raises(LedgerBusyError) as caught:
            reader = open_reader(ledger_db)
            with reader.read() as r:
                r.rows("SELECT count(*) FROM project")
    finally:
        holder.rollback()
        holder.close()
    assert "正被其他进程写入" in caught.value.message


def test_a_read_sees_one_snapshot(ledger_db, cli):
    from zsyz.app.units import NewUnit, add_unit

    assert cli("units", "add", "商务局", "--class", "dept_a").code == 0
    reader = open_reader(ledger_db)
    try:
        with reader.read() as r:
            before = r.rows("SELECT count(*) FROM unit")
            add_unit(open_ledger(ledger_db), NewUnit("发改委", "dept_a"))  # committed meanwhile
            assert r.rows("SELECT count(*) FROM unit") == before
        with reader.read() as r:
            assert r.rows("SELECT count(*) FROM unit")[0][0] == before[0][0] + 1
    finally:
        reader.close()


@pytest.fixture
def demo(db, cli):  # type: ignore[no-untyped-def]
    """The demo ledger: preset, roster, targets and the sample weekly reports."""
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    assert cli("targets", "import", str(SAMPLES / "目标任务分解表.xlsx")).code == 0
    weekly = sorted(p for p in (SAMPLES / "weekly").iterdir() if p.suffix in (".xlsx", ".xls"))
    assert cli("import", *[str(p) for p in weekly]).code == 0
    return db


def test_the_reader_loads_the_facts_the_orm_session_loads(demo):
    from datetime import date

    from zsyz.store.asof import facts_as_of, report_facts

    day = date(2022, 6, 30)
    reader = open_reader(demo)
    try:
        with open_ledger(demo).read() as session, reader.read() as bare:
            for load in (
                facts.project_facts,
                facts.unit_facts,
                facts.activity_facts,
                facts.adjustment_facts,
                lambda c: facts.explicit_targets(c, 2022),
                lambda c: facts.funds_observations(c, day),
                lambda c: facts.active_policy(c, 2022),
                lambda c: facts_as_of(c, day),
                lambda c: report_facts(c, day, facts.active_policy(c, 2022)[0].reporting),
            ):
                assert load(bare) == load(session)
    finally:
        reader.close()


@pytest.mark.slow
@pytest.mark.sqlite_only(reason="what a county office runs: a SQLite file")
@pytest.mark.parametrize(
    "argv",
    [
        ["rank", "--quarter", "2022-Q2"],
        ["rank", "--quarter", "2022-Q2", "--explain", "商务局"],
        ["rank", "--quarter", "2022-Q2", "--group", "乡镇"],
        ["progress", "--year", "2022", "--as-of", "2022-12-31"],
        ["progress", "--year", "2022", "--class", "township", "--unit", "石佛寺镇"],
        ["rewards", "--year", "2022"],
        ["alerts", "--as-of", "2022-06-30"],
        ["projects", "list", "--unit", "石佛寺镇"],
    ],
)
def test_a_read_command_imports_no_orm_nor_validation_nor_spreadsheet(demo, cli, argv):
    """With the policy cache warm (`init` filled it), a read command in a fresh process
    imports none of the heavy libraries writes need."""
    assert cli(*argv, "-f", "json").code in (0, 3)  # warm: same code, same cache folder
    probe = (
        "import sys, atexit\n"
        f"heavy = {HEAVY!r}\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} "
        "& set(heavy)), file=sys.stderr))\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules "
        "if m.startswith('zsyz.cli.') and m.endswith('_cmds')), file=sys.stderr))\n"
        "from zsyz.cli.entry import main\n"
        f"sys.argv = ['zsyz', *{argv!r}, '-f', 'json']\n"
        "main()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ, timeout=120
    )
    assert run.returncode in (0, 3), run.stderr
    assert run.stderr.strip().splitlines()[-1] == "[]", run.stderr
    # only the invoked command's module is imported and built (`cli/app.py:build`)
    assert run.stderr.strip().splitlines()[-2] == repr(_COMMAND_MODULES[argv[0]]), run.stderr


_COMMAND_MODULES = {
    "rank": ["zsyz.cli.rank_cmds"],
    "rewards": ["zsyz.cli.rank_cmds"],
    "progress": ["zsyz.cli.progress_cmds"],
    "alerts": ["zsyz.cli.alerts_cmds"],
    "projects": ["zsyz.cli.project_fix_cmds", "zsyz.cli.projects_cmds"],
}


def test_the_reader_names_the_ledger_as_the_engine_does(ledger_db):
    reader = open_reader(ledger_db)
    try:
        assert reader.where == open_ledger(ledger_db).where
    finally:
        reader.close()
