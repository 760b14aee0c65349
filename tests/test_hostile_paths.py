"""Second hostile round: odd paths as input files and as the ledger.

Folders, pipes, devices, dangling and looping symlinks and empty files are refused by
their stat, with one Chinese line and no traceback; a pipe is never opened (it would
block), and an empty file named as the ledger is left empty.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

READERS = [("units", "import"), ("targets", "import"), ("activities", "import")]


def _odd_inputs(tmp_path: Path) -> dict[str, Path]:
    made = {
        "folder": tmp_path / "文件夹.xlsx",
        "fifo": tmp_path / "管道.xlsx",
        "dangling": tmp_path / "悬空.xlsx",
        "loop": tmp_path / "循环.xlsx",
        "device": tmp_path / "设备.xlsx",
    }
    made["folder"].mkdir()
    os.mkfifo(made["fifo"])
    os.symlink(tmp_path / "nowhere", made["dangling"])
    os.symlink(made["loop"].name, made["loop"])
    os.symlink("/dev/zero", made["device"])
    return made


def _one_chinese_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "内部错误" not in err and "Errno" not in err, err


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_readers_refuse_odd_paths(command, cli, ledger_db, tmp_path: Path) -> None:
    for kind, path in _odd_inputs(tmp_path).items():
        result = cli(*command, path)
        assert result.code == 65, (kind, result.err)
        _one_chinese_line(result.err)
        want = {
            "folder": "是文件夹",
            "fifo": "不是普通文件",
            "device": "不是普通文件",
            "dangling": "文件不存在",
            "loop": "符号链接循环",
        }[kind]
        assert want in result.err, (kind, result.err)


def test_import_of_a_pipe_does_not_block(ledger_db, tmp_path: Path) -> None:
    """A real process: hashing or sniffing a FIFO would wait forever for a writer."""
    fifo = tmp_path / "周报.xlsx"
    os.mkfifo(fifo)
    for args in (["units", "import", str(fifo)], ["import", "--format", "json", str(fifo)]):
        done = subprocess.run(
            [sys.executable, "-m", "zsyz", "--db", ledger_db, *args],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode in (2, 65), done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "empty"])
def test_odd_ledger_paths_refused_one_line(kind, cli, tmp_path: Path) -> None:
    place = tmp_path / "台账.db"
    if kind == "folder":
        place.mkdir()
    elif kind == "fifo":
        os.mkfifo(place)
    elif kind == "device":
        place.symlink_to("/dev/null")
    else:
        place.write_bytes(b"")
    checks = (["progress"], ["imports", "list"], ["db", "current"])
    for args in checks[:2] if kind == "empty" else checks:  # db upgrade builds on an empty file
        result = cli("--db", place, *args)
        assert result.code == 1, (kind, args, result.err)
        _one_chinese_line(result.err)
        assert "台账" in result.err
    if kind == "empty":
        assert place.stat().st_size == 0  # never turned into a database
        assert not Path(f"{place}-wal").exists()


# --- text floods: the cell and inflated-size caps are set so that what passes them fits
# in 300 MB (a text cell costs ~140 B across calamine and Python; its text is held twice)

_XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
    '"worksheets/sheet1.xml"/></Relationships>',
}


def inline_flood(path: Path, rows: int, cols: int, text: Callable[[int], str]) -> Path:
    """An .xlsx of `rows` × `cols` inline-string cells, each text distinct."""
    letters = [chr(ord("A") + c) for c in range(cols)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in _XLSX_PARTS.items():
            z.writestr(name, body)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            fh.write(b"<sheetData>")
            n = 0
            for r in range(1, rows + 1):
                cells = []
                for col in letters:
                    n += 1
                    cells.append(f'<c r="{col}{r}" t="inlineStr"><is><t>{text(n)}</t></is></c>')
                fh.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            fh.write(b"</sheetData></worksheet>")
    return path


def test_a_rectangle_past_the_cell_cap_is_refused(tmp_path: Path) -> None:
    from zsyz.errors import BadInputError
    from zsyz.io.workbook import read_workbook

    path = inline_flood(tmp_path / "稀疏.xlsx", 1, 26, str)
    sparse = tmp_path / "远行.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(sparse, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                data = data.replace(
                    b"</sheetData>", b'<row r="47000"><c r="Z47000"><v>1</v></c></row></sheetData>'
                )
            z.writestr(info.filename, data)
    with pytest.raises(BadInputError, match="1,200,000"):
        read_workbook(sparse)  # 47,000 rows × 26 columns = 1.22 M cells


def test_cells_naming_no_column_count_as_26_columns(tmp_path: Path) -> None:
    """`<c>` without `r` is allowed: the sheet's width is then unknown, and the cap reckons
    with all of A–Z (47,000 rows × 26 columns), as when the cells do name a column."""
    from zsyz.errors import BadInputError
    from zsyz.io.workbook import read_workbook

    path = inline_flood(tmp_path / "稀疏.xlsx", 1, 1, str)
    bare = tmp_path / "无列号.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                data = data.replace(b' r="A1"', b"").replace(
                    b"</sheetData>", b'<row r="47000"><c><v>1</v></c></row></sheetData>'
                )
            z.writestr(info.filename, data)
    with pytest.raises(BadInputError, match="1,200,000"):
        read_workbook(bare)


def test_more_than_96_mb_of_sheet_text_is_refused_unread(tmp_path: Path) -> None:
    from zsyz.errors import BadInputError
    from zsyz.io.workbook import read_workbook

    long_text = "".join(f"{i:x}" for i in range(60))  # compresses ~100×, under the ratio cap
    path = inline_flood(tmp_path / "长文字.xlsx", 27_000, 26, lambda n: f"{n:x}{long_text}")
    with pytest.raises(BadInputError, match="解压后超过 96 MB"):
        read_workbook(path)


@pytest.mark.slow
def test_text_cells_up_to_the_cap_stay_within_300_mb(ledger_db, tmp_path: Path) -> None:
    """Just under the cell cap, every cell a distinct string: the roster reader (the
    hungriest) refuses it for its header, in a child process, within the bound."""
    from tests.test_hostile_inputs import run_measured

    path = inline_flood(tmp_path / "内联文字.xlsx", 46_000, 26, lambda n: f"{n * 2654435761:x}")
    started = time.monotonic()
    code, err, peak_mb = run_measured(["units", "import", str(path)], ledger_db, tmp_path)
    assert code == 65 and "缺少必需的列" in err, err
    assert peak_mb < 300, f"peak {peak_mb:.0f} MB"
    assert time.monotonic() - started < 30


def test_a_newline_in_a_file_name_never_splits_a_message(cli, ledger_db, tmp_path: Path) -> None:
    path = tmp_path / "周报\n第二行😀.xlsx"
    path.write_text("a,b\n1,2\n")  # a CSV named .xlsx: refused
    result = cli("units", "import", path)
    assert result.code == 65
    _one_chinese_line(result.err)
    assert "周报\\n第二行😀.xlsx" in result.err
    result = cli("import", "--unit", "石佛寺镇", path)
    assert result.code == 65
    assert all("第二行" not in line or "周报\\n" in line for line in result.err.splitlines())


def test_undoing_an_undone_batch_names_its_state_in_chinese(cli, ledger_db) -> None:
    from tests.conftest import SAMPLES

    assert cli("units", "import", SAMPLES / "单位名册.xlsx").code == 0
    weekly = SAMPLES / "weekly" / "2022-W10-商务局.xlsx"
    assert cli("import", "--unit", "商务局", weekly).code == 0, "import"
    assert cli("imports", "undo", "1").code == 0
    again = cli("imports", "undo", "1")
    assert again.code == 1
    _one_chinese_line(again.err)
    assert "已撤销" in again.err and "undone" not in again.err


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "--year", "-1"],
        ["progress", "--as-of", "0001-01-01"],
        ["alerts", "--as-of", "0001-01-01"],
        ["targets", "import", "--year", "99999999999", "分解表.xlsx"],
        ["projects", "list", "--year", "1"],
    ],
)
def test_years_out_of_range_are_usage_errors(args, cli, ledger_db) -> None:
    result = cli(*args)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and "内部错误" not in result.err


def test_import_of_a_pipe_says_it_is_not_a_file(cli, ledger_db, tmp_path: Path) -> None:
    """The pipe exists: 「找不到文件」 would send the operator looking for the wrong thing."""
    fifo = tmp_path / "周报.xlsx"
    os.mkfifo(fifo)
    result = cli("--db", ledger_db, "import", str(fifo))
    assert result.code == 2
    assert "不是普通文件" in result.err and "找不到" not in result.err


@pytest.mark.parametrize(
    ("rows", "cols", "refused"), [(45, 20, False), (45, 26, True), (60, 20, True)]
)
def test_the_cell_cap_counts_the_columns_a_sheet_really_has(
    rows: int, cols: int, refused: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Columns within A–Z are counted too, not taken as all 26: a 50,000 × 20 report
    (1.0 M cells) passes a 1.2 M cap that 50,000 × 26 would pass."""
    from zsyz.errors import BadInputError
    from zsyz.io import guards
    from zsyz.io.workbook import read_workbook

    monkeypatch.setattr(guards, "MAX_CELLS", 1_000)
    path = inline_flood(tmp_path / "窄表.xlsx", rows, cols, str)
    if refused:
        with pytest.raises(BadInputError, match="超过上限"):
            read_workbook(path)
    else:
        (sheet,) = read_workbook(path)
        assert len(sheet.rows) == rows
