"""The entry point's two early answers (cli/entry.py): root help and the unchanged
re-import, both without importing Typer — and both the same as the full CLI's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES, write_xlsx
from zsyz.cli.app import build, command_named
from zsyz.cli.entry import fast, parse_import
from zsyz.cli.root_help import ROOT_HELP, render

PROBE = """
import sys
from zsyz.cli.entry import fast
code = fast(sys.argv[1:])
print("\\n@@", code, "typer" in sys.modules, "sqlalchemy" in sys.modules, file=sys.stderr)
"""


def probe(*argv: str, env: dict[str, str] | None = None) -> tuple[str, str, bool, bool]:
    """(stdout, exit code, typer imported, sqlalchemy imported) of fast(argv) in a fresh
    interpreter."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        timeout=60,
    )
    tail = run.stderr.decode().rsplit("@@", 1)[1].split()
    return run.stdout.decode(), tail[0], tail[1] == "True", tail[2] == "True"


def test_stored_root_help_is_what_typer_prints():
    # Fails when a command or the root's options change: run `python -m zsyz.cli.root_help`.
    assert render() == ROOT_HELP


def test_root_help_is_answered_without_typer():
    out, code, typer_loaded, _ = probe("--help")
    assert (out, code, typer_loaded) == (ROOT_HELP, "0", False)


def test_narrow_terminal_goes_to_typer_which_wraps():
    assert fast(["--help"]) is not None  # pytest's terminal is wide enough
    _, code, _, _ = probe("--help", env={"COLUMNS": "60"})
    assert code == "None"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import", "a.xlsx"], (["a.xlsx"], None, "table")),
        (["import", "a.xlsx", "b.xls", "-f", "json"], (["a.xlsx", "b.xls"], None, "json")),
        (["--db", "x.db", "import", "a.xlsx"], (["a.xlsx"], "x.db", "table")),
        (["import", "--db=x.db", "a.xlsx", "--format=csv"], (["a.xlsx"], "x.db", "csv")),
        (["import", "a.xlsx", "--dry-run"], None),
        (["import", "a.xlsx", "--unit", "石佛寺镇"], None),
        (["import", "a.xlsx", "-f", "xml"], None),
        (["-f", "json", "import", "a.xlsx"], None),  # not a root option
        (["import"], None),
        (["import", "a.xlsx", "--db"], None),
        (["imports", "list"], None),
        (["progress", "import"], None),
        (["import", "--", "-a.xlsx"], None),
    ],
)
def test_only_plain_import_calls_are_parsed(argv, expected):
    assert parse_import(argv) == expected


@pytest.mark.sqlite_only(reason="the early answer reads a SQLite file with the stdlib")
def test_unchanged_import_is_answered_without_typer_and_says_the_same(ledger_db, cli, tmp_path):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    lines = [
        ["项目周报"],
        ["填报单位：石佛寺镇", None, None, "填报日期：2022-03-11"],
        ["项目名称", "投资方", "总投资（万元）", "项目阶段", "签约日期"],
        ["玉雕产业园", "玉都实业", 26000, "已签约", "2022-03-08"],
    ]
    book = write_xlsx(tmp_path / "周报.xlsx", lines)
    assert cli("import", str(book)).code == 0
    for fmt in ("json", "table", "csv"):
        full = cli("import", str(book), "--db", ledger_db, "-f", fmt)
        out, code, typer_loaded, sa_loaded = probe(
            "import", str(book), "--db", ledger_db, "-f", fmt
        )
        assert (code, typer_loaded, sa_loaded) == ("0", False, False)
        assert out == full.out
    assert '"status": "unchanged"' in out or "未变化" in out


@pytest.mark.sqlite_only(reason="the early answer reads a SQLite file with the stdlib")
def test_a_new_or_changed_file_goes_to_the_full_import(ledger_db, cli, tmp_path):
    book = write_xlsx(tmp_path / "新.xlsx", [["项目名称"], ["甲"]])
    assert fast(["import", str(book), "--db", ledger_db]) is None
    assert fast(["import", str(tmp_path / "missing.xlsx"), "--db", ledger_db]) is None
    assert fast(["import", str(tmp_path), "--db", ledger_db]) is None  # a folder


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["rank", "--quarter", "2022-Q2"], "rank"),
        (["--db", "x.db", "alerts", "--db", "y.db"], "alerts"),
        (["--db=x.db", "units", "list"], "units"),
        (["--db"], None),
        (["--version"], None),
        (["--help", "rank"], None),
        (["-x", "rank"], None),
        ([], None),
    ],
)
def test_the_invoked_command_is_found_past_the_root_options(argv, expected):
    assert command_named(argv) == expected


def test_a_partial_build_holds_the_same_commands_as_the_full_one():
    import typer
    from typer.testing import CliRunner

    for names in (["rank", "rewards", "report"], ["units"], ["db", "init", "demo"]):
        part = build(names[0])
        assert sorted(typer.main.get_command(part).commands) == sorted(names)  # type: ignore[attr-defined]
        for argv in ([name, "--help"] for name in names):
            mine = CliRunner().invoke(part, argv, prog_name="zsyz")
            assert (mine.exit_code, mine.output) == (
                0,
                CliRunner().invoke(build(), argv, prog_name="zsyz").output,
            )
