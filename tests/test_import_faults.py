"""Imports under faults: four importing processes at once, and SIGKILL at random moments.

Both run on SQLite and, in the PostgreSQL run, on PostgreSQL (`db` is then a PG URL).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import logical_dump, query

HEAD = ["项目编号", "项目名称", "投资方", "总投资（万元）", "到位资金", "项目阶段", "签约日期"]
UNITS = ("石佛寺镇", "晁陂镇", "商务局", "发改委")
FIRST_FRIDAY = date(2022, 1, 7)


NAMES = {  # distinct enough that no unit's project looks like another unit's duplicate
    "石佛寺镇": ("玉雕产业园", "珠宝检测中心", "玉料交易市场", "文创街区"),
    "晁陂镇": ("农机装配厂", "面粉深加工", "冷链物流园", "光伏电站"),
    "商务局": ("跨境电商基地", "汽车配件城", "直播孵化器", "保税仓库"),
    "发改委": ("污水处理厂", "生物质热电", "职业技术学院", "县医院新院区"),
}


def weekly(folder: Path, unit: str, week: int, n_projects: int) -> Path:
    """Week `week` (0-based) of a unit: n projects whose funds in place grow weekly."""
    day = FIRST_FRIDAY + timedelta(weeks=week)
    names = NAMES[unit] if n_projects <= 4 else [f"{unit}项目{i:04d}" for i in range(n_projects)]
    rows = [
        [None, names[i], f"{names[i]}投资公司", 1000 + i, 10 * week + i % 7, "签约", "2022-01-03"]
        for i in range(n_projects)
    ]
    lines = [["项目周报"], [f"填报单位：{unit}", None, None, f"填报日期：{day}"], HEAD, *rows]
    return write_xlsx(folder / f"{unit}-{day}.xlsx", lines)


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def assert_checks_clean(cli, db: str) -> None:
    """`zsyz db check` clean, and on SQLite the file's own checks too."""
    result = cli("db", "check", "--format", "json")
    assert result.code == 0, result.out + result.err
    if "://" not in db:
        import sqlite3

        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            con.close()


# ------------------------------------------------------------------ four importers at once

IMPORTER = textwrap.dedent(
    """
    import contextlib, io, json, sys
    from zsyz.cli.app import run

    for path in sys.argv[1:]:
        for attempt in range(5):  # as cron would: a file left busy (75) is tried again
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = run(["import", path])
            print(json.dumps({"file": path, "code": code, "err": err.getvalue()}), flush=True)
            if code != 75:
                break
    """
)


@pytest.mark.slow
def test_four_processes_importing_twenty_files_each_import_each_once(ledger, cli, tmp_path):
    files = {unit: [weekly(tmp_path, unit, week, 4) for week in range(20)] for unit in UNITS}
    env = {**os.environ, "ZSYZ_DB": ledger}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORTER, *map(str, paths)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for paths in files.values()
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and "Traceback" not in err, err
        results += [json.loads(line) for line in out.splitlines()]
    for r in results:
        assert r["code"] in (0, 75), r
        assert "Traceback" not in r["err"], r
        if r["code"] == 75:  # busy past the timeout: one line saying to try again
            assert len(r["err"].strip().splitlines()) == 1 and "稍后重试" in r["err"], r
    final = {r["file"]: r["code"] for r in results}  # the last attempt at each file
    assert len(final) == 80 and set(final.values()) == {0}
    batches = query(ledger, "SELECT sha256, status FROM import_batch")
    assert len(batches) == 80
    assert len({sha for sha, _ in batches}) == 80  # each file exactly once
    assert {status for _, status in batches} == {"imported"}
    assert query(ledger, "SELECT count(*) FROM project") == [(16,)]
    funds = dict(query(ledger, "SELECT name, funds_in_place FROM project"))
    week19 = {name: (190 + i) * 10_000 for names in NAMES.values() for i, name in enumerate(names)}
    assert funds == week19
    assert_checks_clean(cli, ledger)


# ------------------------------------------------------------------ SIGKILL at random moments


@contextmanager
def twin_ledger(db: str, tmp_path: Path) -> Iterator[str]:
    """An empty second ledger of the same kind as `db` (a file, or a PostgreSQL database)."""
    if "://" not in db:
        yield str(tmp_path / "reference.db")
        return
    from tests.pg import admin_url, fresh_database

    admin = admin_url()
    assert admin is not None
    with fresh_database(admin) as url:
        yield url


def _start_import(db: str, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "zsyz", "import", str(path)],
        env={**os.environ, "ZSYZ_DB": db},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _timed_import(db: str, path: Path) -> float:
    started = time.monotonic()
    assert _start_import(db, path).wait(timeout=300) == 0
    return time.monotonic() - started


@pytest.mark.slow
def test_sigkill_mid_import_leaves_the_state_before_or_after_never_between(ledger, cli, tmp_path):
    rng = random.Random(int(os.environ.get("ZSYZ_CRASH_SEED", "7")))
    n_files, rows, kills_wanted = 10, 1500, 20
    files = [weekly(tmp_path, "石佛寺镇", week, rows) for week in range(n_files)]
    with twin_ledger(ledger, tmp_path) as ref:
        # The reference: the same files imported cleanly, the state after each one.
        assert cli("init", "--db", ref).code == 0
        assert cli("units", "import", str(SAMPLES / "单位名册.xlsx"), "--db", ref).code == 0
        states = [logical_dump(ref)]
        for path in files:
            assert cli("import", str(path), "--db", ref).code == 0
            states.append(logical_dump(ref))
    assert logical_dump(ledger) == states[0]

    span = _timed_import(ledger, files[0])  # how long one import takes here, to aim kills
    assert logical_dump(ledger) == states[1]

    kills = outcomes_before = outcomes_after = 0
    for i, path in enumerate(files[1:], start=1):
        if kills >= kills_wanted:
            break
        for _ in range(3):
            proc = _start_import(ledger, path)
            time.sleep(rng.uniform(0.2 * span, 1.0 * span))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            kills += 1
            assert_checks_clean(cli, ledger)
            now = logical_dump(ledger)
            assert now in (states[i], states[i + 1]), f"kill {kills}: a state between"
            if now == states[i + 1]:
                outcomes_after += 1
                break
            outcomes_before += 1
        else:
            span = _timed_import(ledger, path)
        assert logical_dump(ledger) == states[i + 1]
    summary = f"{kills} kills: {outcomes_before} before the commit, {outcomes_after} after"
    Path(os.environ.get("ZSYZ_CRASH_LOG", os.devnull)).write_text(summary)
    assert kills >= 15, summary
    assert outcomes_before >= 1, summary  # some kills did land before the commit
    assert_checks_clean(cli, ledger)
