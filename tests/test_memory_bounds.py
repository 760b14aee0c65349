"""Memory bounded for every reader and format: hostile files built here, each refused by
the one guarded loader before calamine allocates, in a child process whose peak RSS is
measured (goal: ≤300 MB and ≤30 s each)."""

from __future__ import annotations

import struct
import time
import zipfile
from pathlib import Path

import pytest

from tests.test_hostile_inputs import ROW, report, run_measured, with_sheet_xml
from zsyz.errors import BadInputError
from zsyz.io.guards import MAX_ZIP_ENTRIES, scan_xlsb
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


def _rec(kind: int, body: bytes = b"") -> bytes:
    """One BIFF12 record: type and size as 7-bit varints, then the body."""
    head = bytes([kind]) if kind < 128 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, out = len(body), b""
    while True:
        low, size = size & 0x7F, size >> 7
        out += bytes([low | (0x80 if size else 0)])
        if not size:
            return head + out + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


XLSB_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="bin" ContentType='
    '"application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>'
)
XLSB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.bin"/></Relationships>'
)


def xlsb_sheet(cells: list[tuple[int, int, float]], dim: tuple[int, int] | None = None) -> bytes:
    """A worksheet part: BrtWsDim (the used range, or `dim` as a lying one), then a
    BrtRowHdr and a BrtCellReal per cell; rows and columns 0-based."""
    last = dim or (max(r for r, _, _ in cells), max(c for _, c, _ in cells))
    part = _rec(129) + _rec(148, struct.pack("<4I", 0, last[0], 0, last[1])) + _rec(145)
    for row, col, value in cells:
        part += _rec(0, struct.pack("<IIHBBI", row, 0, 300, 0, 0, 0))
        part += _rec(5, struct.pack("<II", col, 0) + struct.pack("<d", value))
    return part + _rec(146) + _rec(130)


def xlsb(folder: Path, cells: list[tuple[int, int, float]], **kw: tuple[int, int]) -> Path:
    """A minimal .xlsb built by hand: one sheet 周报 holding `cells`."""
    book = _rec(131) + _rec(143)
    book += _rec(156, struct.pack("<II", 0, 1) + _wide("rId1") + _wide("周报"))
    path = folder / "二进制.xlsb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", XLSB_TYPES)
        zf.writestr("xl/workbook.bin", book + _rec(144) + _rec(132))
        zf.writestr("xl/_rels/workbook.bin.rels", XLSB_RELS)
        zf.writestr("xl/worksheets/sheet1.bin", xlsb_sheet(cells, **kw))
    return path


def far_xlsb(folder: Path) -> Path:
    """< 1 KB: one cell at row 1,000,000, column 201."""
    return xlsb(folder, [(0, 0, 1.0), (999_999, 200, 7.0)])


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


def test_far_xlsb_cell_is_refused_before_calamine_opens_it(tmp_path, monkeypatch):
    def never(path: Path) -> None:
        raise AssertionError("calamine opened a hostile .xlsb")

    monkeypatch.setattr("zsyz.io.workbook.open_calamine", never)
    with pytest.raises(BadInputError, match="第 1000000 行、第 201 列，超过上限"):
        Book(far_xlsb(tmp_path))
    # inside the row and column caps, but a 20 M-cell rectangle; and a BrtWsDim that
    # understates where the cells reach does not hide them
    with pytest.raises(BadInputError, match="个单元格，超过上限"):
        read_workbook(xlsb(tmp_path, [(0, 0, 1.0), (99_998, 199, 7.0)], dim=(0, 0)))
    # a BrtWsDim claiming the whole grid is refused on its own
    with pytest.raises(BadInputError, match="超过上限"):
        read_workbook(xlsb(tmp_path, [(0, 0, 1.0)], dim=(1_048_575, 16_383)))


def test_a_sound_xlsb_still_reads(tmp_path):
    path = xlsb(tmp_path, [(0, 0, 1.5), (2, 1, 7.0)])
    extent = scan_xlsb(path, 1 << 20)["周报"]
    assert (extent.rows, extent.cols) == (3, 2)
    assert read_workbook(path)[0].rows == [[1.5, ""], ["", ""], ["", 7.0]]


def test_an_xlsb_sheet_is_read_only_up_to_the_byte_cap(tmp_path):
    path = xlsb(tmp_path, [(r, 0, 1.0) for r in range(100)])
    with pytest.raises(BadInputError, match="解压后超过"):
        scan_xlsb(path, 1 << 10)


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
        (["import"], far_xlsb),
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
