"""Golden files for the JSON contracts and table output of the demo ledger.

The demo ledger is built once from samples/ (the steps of `zsyz demo`) and every report
command runs with a fixed --year/--as-of/--quarter, so the output is a pure function of
the code. A refactoring that changes one byte of a contract fails here.

Regenerate with ZSYZ_REGEN_GOLDEN=1 pytest tests/test_golden_contracts.py (then read the
diff: a changed golden file is a changed contract).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from zsyz.cli.app import run

GOLDEN = Path(__file__).resolve().parent / "golden" / "demo"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# (golden name, argv without --format/--db)
COMMANDS: list[tuple[str, list[str]]] = [
    ("progress_2022", ["progress", "--year", "2022", "--as-of", "2022-12-31"]),
    ("progress_2022-06-30", ["progress", "--year", "2022", "--as-of", "2022-06-30"]),
    ("rank_2022Q2", ["rank", "--quarter", "2022-Q2"]),
    ("rank_2022Q2_explain", ["rank", "--quarter", "2022-Q2", "--explain", "商务局"]),
    ("rewards_2022", ["rewards", "--year", "2022"]),
    ("alerts_2022-06-30", ["alerts", "--as-of", "2022-06-30"]),
    ("projects_list", ["projects", "list"]),
    ("projects_show", ["projects", "show", "ZS20220001"]),
    ("imports_list", ["imports", "list"]),
    ("imports_show", ["imports", "show", "3"]),
    ("targets_list", ["targets", "list", "--year", "2022"]),
    ("units_list", ["units", "list"]),
]

# The only wall-clock value in these outputs: when a batch was imported.
_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\+00:00)?")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo ledger: preset, roster, targets and every sample weekly report."""
    db = str(tmp_path_factory.mktemp("golden") / "demo.db")
    weekly = sorted(
        str(p)
        for p in (SAMPLES / "weekly").iterdir()
        if p.suffix in (".xlsx", ".xls", ".xlsb", ".ods")
    )
    preset = (SAMPLES / "preset.txt").read_text(encoding="utf-8").strip()
    for argv in (
        ["init", "--preset", preset, "--with-examples"],  # as `zsyz demo` does
        ["units", "import", str(SAMPLES / "单位名册.xlsx")],
        ["targets", "import", str(SAMPLES / "目标任务分解表.xlsx")],
        ["import", *weekly],
    ):
        assert (
            run(
                [*argv, "--db", db, "--format", "json"]
                if argv[0] == "import"
                else [*argv, "--db", db]
            )
            == 0
        ), argv
    return db


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ZSYZ_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))  # CSV keeps its CRLF
    assert path.exists(), f"缺少 {path}；用 ZSYZ_REGEN_GOLDEN=1 生成"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", ["json", "table", "csv"])
@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_golden(
    demo_db: str,
    name: str,
    argv: list[str],
    fmt: str,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if fmt == "csv" and name == "projects_show":
        pytest.skip("projects show has no CSV form")
    monkeypatch.delenv("COLUMNS", raising=False)
    capsysbinary.readouterr()
    code = run([*argv, "--format", fmt, "--db", demo_db])
    captured = capsysbinary.readouterr()
    out, err = captured.out.decode("utf-8"), captured.err.decode("utf-8")
    assert code == 0, err
    text = _STAMP.sub("<imported_at>", out)
    if err:
        text += "--- stderr ---\n" + err
    _check(f"{name}.{ {'json': 'json', 'table': 'txt', 'csv': 'csv'}[fmt] }", text)
