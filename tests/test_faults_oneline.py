"""Faults of the machine, the file or the input: one Chinese line and the right exit code,
never an internal error."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import dump, query

HEAD = ["项目编号", "项目名称", "投资方", "总投资（万元）", "项目阶段"]
TOP = ["填报单位：石佛寺镇", None, None, "填报日期：2022-03-11"]


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def one_line(result, code: int) -> None:  # type: ignore[no-untyped-def]
    assert result.code == code, result.out + result.err
    assert "内部错误" not in result.err and "Traceback" not in result.err
    assert result.err.startswith("zsyz: ") and result.err.count("\n") == 1, result.err


def sheets(path: Path, named: list[tuple[str, list[list[object]]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for i, (title, rows) in enumerate(named):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        for r in [TOP, HEAD, *rows]:
            ws.append(r)
    wb.save(path)
    return path


def test_busy_timeout_that_is_not_a_number(ledger, cli, monkeypatch):
    monkeypatch.setenv("ZSYZ_BUSY_TIMEOUT_MS", "abc")
    result = cli("units", "list")
    one_line(result, 2)
    assert "ZSYZ_BUSY_TIMEOUT_MS" in result.err


def test_busy_timeout_abc_in_a_real_process(tmp_path):
    env = {**os.environ, "ZSYZ_BUSY_TIMEOUT_MS": "abc", "ZSYZ_DB": str(tmp_path / "l.db")}
    result = subprocess.run(
        [sys.executable, "-m", "zsyz", "units", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["undo", "show"])
def test_a_batch_number_past_any_integer(ledger, cli, command):
    result = cli("imports", command, "99999999999999999999")
    one_line(result, 1)
    assert "没有编号为 99999999999999999999 的导入批次" in result.err


def test_a_policy_nested_50000_deep(cli, tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text('[policy]\nname = "x"\nvalue = ' + "[" * 50_000 + "]" * 50_000 + "\n")
    result = cli("policy", "check", str(deep))
    assert result.code == 65 and "嵌套过深" in result.err and "内部错误" not in result.err


def test_duplicate_new_codes_across_sheets(ledger, cli, tmp_path):
    path = sheets(
        tmp_path / "two.xlsx",
        [
            ("签约项目", [["ZS20229001", "甲", "甲公司", 100, "签约"]]),
            ("开工项目", [["ZS20229001", "乙", "乙公司", 100, "开工"]]),
        ],
    )
    before = dump(ledger)
    result = cli("import", str(path))
    assert result.code == 65 and "内部错误" not in result.err
    assert "项目编号与工作表「签约项目」第3行的新项目相同" in result.err
    assert dump(ledger) == before


def test_a_row_without_code_never_gets_the_code_a_later_row_states(ledger, cli, tmp_path):
    rows = [[None, "甲", "甲公司", 100, "签约"], ["ZS20220001", "乙", "乙公司", 100, "签约"]]
    path = sheets(tmp_path / "auto.xlsx", [("Sheet1", rows)])
    result = cli("import", str(path), "--format", "json")
    assert result.code == 0, result.err
    codes = dict(query(ledger, "SELECT name, code FROM project"))
    assert codes["乙"] == "ZS20220001" and codes["甲"] == "ZS20220002"


def test_a_file_name_that_is_not_utf8_with_json(ledger, cli, tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/\xff\xfe\xe5\x91\xa8.xlsx"
    name = os.fsdecode(raw)
    write_xlsx(Path(name), [TOP, HEAD, [None, "甲", "甲公司", 100, "签约"]])
    result = cli("import", name, "--format", "json")
    assert result.code == 0, result.err
    (out,) = result.json()
    assert out["file"] == name and out["status"] == "imported"
    (batch,) = cli("imports", "list", "--format", "json").json()
    assert batch["file"] == "\ufffd\ufffd周.xlsx"  # stored readable
    again = cli("import", name, "--format", "csv")  # the CSV path: no encoding error
    assert again.code == 0 and "Error" not in again.err


@pytest.mark.sqlite_only(reason="SQLite ledger files")
def test_a_file_that_is_not_sqlite_is_listed_by_db_check(cli, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database at all\n" * 100)
    result = cli("db", "check", "--db", str(path), "--format", "json")
    assert result.code == 1
    (finding,) = result.json()
    assert finding["check"] == "integrity" and "不是 SQLite" in finding["message"]
    one_line(cli("units", "list", "--db", str(path)), 1)


@pytest.mark.sqlite_only(reason="SQLite ledger files")
def test_corrupt_pages_are_listed_by_db_check(ledger, cli, tmp_path):
    size = os.path.getsize(ledger)
    with open(ledger, "r+b") as fh:
        for offset in range(4096 * 2, size, 4096):
            fh.seek(offset + 8)
            fh.write(b"\xff" * 300)
    result = cli("db", "check", "--format", "json")
    assert result.code == 1 and "内部错误" not in result.err
    assert any(f["check"] == "integrity" for f in result.json())
    listed = cli("projects", "list")
    assert listed.code == 1 and "内部错误" not in listed.err


@pytest.mark.sqlite_only(reason="another program's SQLite file")
def test_another_programs_sqlite_file_is_not_touched(cli, tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    for args in (["units", "list"], ["db", "upgrade"], ["projects", "list"]):
        result = cli(*args, "--db", str(path))
        one_line(result, 1)
        assert "其他程序的 SQLite 数据库" in result.err
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("delete",)


@pytest.mark.sqlite_only(reason="schema revision written by hand")
def test_a_ledger_newer_than_the_program(ledger, cli):
    con = sqlite3.connect(ledger)
    con.execute("UPDATE alembic_version SET version_num = '0999_future'")
    con.commit()
    con.close()
    for args in (["units", "list"], ["db", "upgrade"]):
        result = cli(*args)
        one_line(result, 1)
        assert "0999_future" in result.err and "比本程序新" in result.err
        assert "升级 zsyz" in result.err


@pytest.mark.parametrize(
    "exc",
    [
        sqlite3.OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_disk_full_during_an_import(ledger, cli, tmp_path, monkeypatch, exc):
    import zsyz.app.imports as imports

    def full(*_a, **_k):  # type: ignore[no-untyped-def]
        raise exc

    monkeypatch.setattr(imports, "_write", full)
    path = sheets(tmp_path / "a.xlsx", [("Sheet1", [[None, "甲", "甲公司", 100, "签约"]])])
    before = dump(ledger)
    result = cli("import", str(path))
    one_line(result, 1)
    assert "磁盘空间已满" in result.err
    assert dump(ledger) == before


def test_control_characters_in_names_are_escaped_in_tables(ledger, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # one line per row, whatever runs the tests
    from sqlalchemy import text

    from tests.ledger_state import connect

    path = sheets(tmp_path / "a.xlsx", [("Sheet1", [[None, "甲", "[red]x", 100, "签约"]])])
    assert cli("import", str(path)).code == 0
    name = "恶意\x1b[2J\x1b]0;title\x07项目\u202e"  # as another tool might have written it
    with connect(ledger) as conn:
        conn.execute(text("UPDATE project SET name = :n"), {"n": name})
        conn.commit()
    shown = cli("projects", "list")
    assert shown.code == 0 and "\x1b" not in shown.out and "\x07" not in shown.out
    assert "\\x1b[2J" in shown.out and "\\u202e" in shown.out
