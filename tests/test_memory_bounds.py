"""Memory bounded for every reader and format: hostile files built here, each refused by
the one guarded loader before calamine allocates, in a child process whose peak RSS is
measured (goal: ≤300 MB and ≤30 s each)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from tests.test_hostile_inputs import ROW, report, run_measured, with_sheet_xml
from zsyz.errors import BadInputError
from zsyz.io.guards import MAX_ZIP_ENTRIES
from zsyz.io.workbook import Book, read_workbook

BOUND_MB = 300
BOUND_S = 30


def far_cell(folder: Path, name: str = "远角.xlsx") -> Path:
    """5 KB: one cell at GR99999, inside the row and column caps, a 20 M-cell rectangle."""
    template = report(folder / "template.xlsx", [ROW])
    return with_sheet_xml(
        folder / name,
        template,
        lambda d: d.replace(
            b"</sheetData>", b'<row r="99999"><c r="GR99999"><v>1</v></c></row></sheetData>'
        ),
    )


def far_xls(folder: Path) -> Path:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("周报")
    ws.write(0, 0, "项目名称")
    ws.write(65535, 255, 1)  # the far corner of an .xls: 16.7 M cells
    path = folder / "远角.xls"
    wb.save(str(path))
    return path


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
    'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def repeated_ods(folder: Path, *, rows: int, cols: int) -> Path:
    """1 KB: one row holding a value, repeated `rows` times, its cell `cols` times."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="周报">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>项目名称</text:p>'
        "</table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = folder / f"重复{rows}x{cols}.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        z.writestr("content.xml", content)
    return path


def many_entries(folder: Path) -> Path:
    template = report(folder / "template.xlsx", [ROW])
    path = folder / "部件很多.xlsx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(path, "w") as z:
        for info in zin.infolist():
            z.writestr(info.filename, zin.read(info.filename))
        for i in range(MAX_ZIP_ENTRIES + 10):
            z.writestr(f"xl/media/x{i}.bin", b"")
    return path


def many_strings(folder: Path, count: int) -> Path:
    template = report(folder / "template.xlsx", [ROW])
    path = folder / "文本很多.xlsx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            z.writestr(info.filename, zin.read(info.filename))
        # streamed in pieces: this (parent) process stays small, so the child's peak is its own
        with z.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for start in range(0, count, 100_000):
                stop = min(count, start + 100_000)
                fh.write(b"".join(b"<si><t>%d</t></si>" % i for i in range(start, stop)))
            fh.write(b"</sst>")
    return path


def test_far_cell_xlsx_is_refused_by_every_reader_in_process(tmp_path):
    path = far_cell(tmp_path)
    with pytest.raises(BadInputError, match="超过上限"):
        list(Book(path).rows("Sheet1"))
    with pytest.raises(BadInputError, match="超过上限"):
        read_workbook(path)


def test_repeated_ods_rows_are_counted_before_loading(tmp_path):
    with pytest.raises(BadInputError, match="超过上限"):
        read_workbook(repeated_ods(tmp_path, rows=5_000_000, cols=1))
    with pytest.raises(BadInputError, match="超过上限"):
        read_workbook(repeated_ods(tmp_path, rows=100_000, cols=150))
    fine = read_workbook(repeated_ods(tmp_path, rows=3, cols=2))
    assert [r[:2] for r in fine[0].rows] == [["项目名称", ""], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]


def test_xls_far_corner_is_counted_from_its_records(tmp_path):
    with pytest.raises(BadInputError, match="超过上限"):
        read_workbook(far_xls(tmp_path))


def test_a_zip_of_many_entries_is_refused_from_its_end_record(tmp_path):
    with pytest.raises(BadInputError, match="部件"):
        Book(many_entries(tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "build"),
    [
        (["import"], far_cell),
        (["units", "import"], far_cell),
        (["targets", "import"], far_cell),
        (["activities", "import"], far_cell),
        (["import"], far_xls),
        (["import"], lambda f: repeated_ods(f, rows=50_000_000, cols=1)),
        (["units", "import"], lambda f: repeated_ods(f, rows=1_000_000, cols=1000)),
        (["import"], many_entries),
        (["import"], lambda f: many_strings(f, 2_100_000)),
    ],
)
def test_hostile_files_stay_within_the_bounds(ledger_db, tmp_path, command, build):
    path = build(tmp_path)
    started = time.monotonic()
    code, err, peak_mb = run_measured([*command, str(path)], ledger_db, tmp_path)
    took = time.monotonic() - started
    assert code == 65, err
    assert "Traceback" not in err and "内部错误" not in err, err
    assert peak_mb < BOUND_MB, f"{path.name}: peak {peak_mb:.0f} MB"
    assert took < BOUND_S, f"{path.name}: {took:.0f} s"


@pytest.mark.slow
def test_the_size_cap_comes_before_hashing(ledger_db, tmp_path):
    huge = tmp_path / "巨大.xlsx"
    with open(huge, "wb") as fh:  # sparse: 8 GB that take no disk
        fh.write(b"PK\x03\x04")
        fh.truncate(8 * 1024**3)
    started = time.monotonic()
    code, err, _peak = run_measured(["import", str(huge)], ledger_db, tmp_path)
    assert code == 65 and "超过" in err, err
    assert time.monotonic() - started < 10  # hashing 8 GB would take far longer
