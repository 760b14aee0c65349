"""Opening spreadsheets safely with python-calamine.

The format is recognised by the file's first bytes, never by its name (WPS .et files
are old-style .xls inside; a CSV renamed .xlsx is refused). Hostile files are refused
before any parsing: size caps, and for zip containers the uncompressed size and the
compression ratio read from the central directory, which costs no inflation.
"""

from __future__ import annotations

import errno
import re
import stat
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zsyz.errors import BadInputError
from zsyz.io.guards import (
    MAX_FILE_BYTES,
    Extent,
    check_shared_strings,
    check_zip_entries,
    scan_ods,
    scan_xls,
    scan_xlsb,
)

SAVE_AS = "请用 Excel/WPS 另存为 .xlsx 后重新导入"

MAX_UNCOMPRESSED_BYTES = 96 * 1024 * 1024  # text read in is held twice (calamine, Python)
MAX_RATIO = 200  # uncompressed/compressed per zip entry; real sheets stay well below
MAX_ROWS = 200_000
MAX_COLS = 200

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Any]]  # calamine values: str, int, float, bool, date, datetime, "" empty


def refuse_oversized(path: Path, size: int | None = None) -> None:
    """The size cap, checked before anything reads the file (hashing an 8 GB sparse file
    would take minutes)."""
    if size is None:
        st = path.stat()
        refuse_not_regular(path, st.st_mode)
        size = st.st_size
    if size > MAX_FILE_BYTES:
        raise BadInputError(
            f"{path.name} 有 {size // (1024 * 1024)} MB，超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限；"
            "请拆分后导入"
        )


def refuse_not_regular(path: Path, mode: int) -> None:
    """A folder, pipe or device is refused by its stat: reading a pipe would block."""
    if stat.S_ISDIR(mode):
        raise BadInputError(f"{path} 是文件夹，不是表格文件；请指定其中的表格文件")
    if not stat.S_ISREG(mode):
        raise BadInputError(f"{path} 不是普通文件（管道或设备）；{SAVE_AS}")


def os_reason(exc: OSError) -> str:
    """The operator's words for why a file could not be read."""
    reasons = {
        errno.ENOENT: "文件不存在",
        errno.EACCES: "没有读取权限",
        errno.EPERM: "没有读取权限",
        errno.ELOOP: "符号链接循环",
        errno.EISDIR: "是文件夹",
        errno.ENAMETOOLONG: "文件名过长",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EIO: "磁盘读取错误",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def sniff(path: Path) -> str:
    """Return 'xlsx', 'xlsb', 'ods' or 'xls' from the file's bytes; refuse anything else."""
    try:
        st = path.stat()
    except OSError as exc:
        raise BadInputError(f"无法读取文件 {path}：{os_reason(exc)}") from exc
    refuse_not_regular(path, st.st_mode)
    size = st.st_size
    if size == 0:
        raise BadInputError(f"{path.name} 是空文件；{SAVE_AS}")
    refuse_oversized(path, size)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise BadInputError(f"无法读取文件 {path}：{os_reason(exc)}") from exc
    with fh:
        head = fh.read(8)
        if head.startswith(OLE2_MAGIC):
            fh.seek(0)
            if _ENCRYPTED_MARK in fh.read(min(size, 1 << 20)):
                raise BadInputError(
                    f"{path.name} 设有打开密码（已加密）；请取消密码后另存为 .xlsx 再导入"
                )
            return "xls"
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    raise BadInputError(f"{path.name} 不是 Excel/WPS 表格文件（可能是 CSV、网页或文本）；{SAVE_AS}")


def _sniff_zip(path: Path) -> str:
    check_zip_entries(path)  # from the end record: listing 400k entries costs 400 MB
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise BadInputError(
                        f"{path.name} 的压缩比异常（{info.filename}），疑似恶意文件，已拒绝"
                    )
            if total > MAX_UNCOMPRESSED_BYTES:
                raise BadInputError(
                    f"{path.name} 解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，已拒绝；请拆分后导入"
                )
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mimetype:
                    return "ods"
    except zipfile.BadZipFile as exc:
        raise BadInputError(f"{path.name} 已损坏或不完整（{exc}）；{SAVE_AS}") from exc
    raise BadInputError(f"{path.name} 是压缩包但不是表格文件；{SAVE_AS}")


def open_calamine(path: Path) -> Any:
    """calamine's workbook; a file name that is not valid UTF-8 (bytes from another
    system) is opened through a file object, which calamine reads whole (size-capped)."""
    from python_calamine import CalamineWorkbook

    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    return CalamineWorkbook.from_path(str(path))


def read_workbook(path: Path, *, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> list[Sheet]:
    """Every visible sheet's cells, through the one guarded loader (`Book`): rosters,
    targets and activities are bounded exactly as weekly reports are."""
    book = Book(Path(path))
    sheets: list[Sheet] = []
    try:
        for name in book.sheet_names():
            rows = book.rows(name, max_rows=max_rows, max_cols=max_cols)
            sheets.append(Sheet(name, [list(r) for r in rows]))
    except BadInputError:
        raise
    except Exception as exc:
        raise BadInputError(f"{book.path.name} 读取失败（{exc}）；{SAVE_AS}") from exc
    return sheets


def extents_of(path: Path, kind: str) -> dict[str, Extent]:
    """What each sheet really holds, for the formats `scan_xlsx` does not read."""
    if kind == "ods":
        return scan_ods(path)
    if kind == "xls":
        return scan_xls(path)
    if kind == "xlsb":
        return scan_xlsb(path, MAX_UNCOMPRESSED_BYTES)
    return {}


class Book:
    """An opened workbook whose sheets are read one at a time, row by row.

    Rows come as lists indexed from column A (calamine's own iterator starts at the first
    used column); row i of the iterator is sheet row i + 1.
    """

    def __init__(self, path: Path) -> None:

        self.path = Path(path)
        self.kind = sniff(self.path)
        # calamine reads every sheet of an .ods/.xls when it opens it: check them all first
        self._extents = extents_of(self.path, self.kind)
        for sheet, extent in self._extents.items():
            extent.refuse_beyond(self.path, sheet, MAX_ROWS, MAX_COLS)
        self._scans: dict[str, SheetScan] | None = None
        if self.kind == "xlsx":  # calamine reads the shared strings when it opens the file
            self._scan()
        try:
            self._wb = open_calamine(self.path)
        except Exception as exc:  # calamine raises its own error types for broken files
            raise BadInputError(f"{self.path.name} 无法解析（已损坏或不完整）；{SAVE_AS}") from exc

    def sheet_names(self) -> list[str]:
        names = []
        for meta in self._wb.sheets_metadata:
            if not str(getattr(meta, "visible", "Visible")).lower().endswith("hidden"):
                names.append(meta.name)
        return names

    def rows(
        self, name: str, *, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS
    ) -> Iterator[list[Any]]:
        if self.kind == "xlsx":
            scan = self._scan().get(name)
            if scan is not None:
                scan.refuse_beyond(self.path, name, max_rows, max_cols)
        elif (extent := self._extents.get(name)) is not None:
            extent.refuse_beyond(self.path, name, max_rows, max_cols)
        try:
            sheet = self._wb.get_sheet_by_name(name)
        except Exception as exc:
            raise BadInputError(f"{self.path.name} 的工作表「{name}」读取失败；{SAVE_AS}") from exc
        height, width = sheet.height, sheet.width
        if height > max_rows or width > max_cols:
            raise BadInputError(
                f"{self.path.name} 的工作表「{name}」有 {height} 行 × {width} 列，超过上限"
                f"（{max_rows} 行 × {max_cols} 列）；请删除多余行列后导入"
            )
        pad = [""] * (sheet.start[1] if sheet.start else 0)
        for row in sheet.iter_rows():
            yield [*pad, *row] if pad else row if type(row) is list else list(row)

    def formula_gaps(self, name: str) -> set[tuple[int, int]]:
        """(row, col), 0-based, of formula cells saved without a computed value.

        calamine reads them as blank; a blank where the sender sees a number must be an
        error, never a silent 0. Only OOXML keeps formulas without values (files written
        by scripts, never recalculated); .xls/.ods always store the result.
        """
        if self.kind != "xlsx":
            return set()
        scan = self._scan().get(name)
        return scan.gaps if scan is not None else set()

    def _scan(self) -> dict[str, SheetScan]:
        if self._scans is None:
            self._scans = scan_xlsx(self.path)
        return self._scans


@dataclass
class SheetScan:
    """What one streamed pass over a sheet's XML finds before calamine loads it: formula
    cells without a value, and the farthest row and column any cell or row names.
    calamine allocates the whole rectangle up to the farthest cell, so one cell at
    XFD1048576 in a 5 KB file would ask for half a terabyte: refuse such sheets first."""

    gaps: set[tuple[int, int]] = field(default_factory=set)
    max_row: int = 0  # only rows of 6+ digits are looked for (cheap): 0 means < 100,000
    max_col: int = 0  # columns past Z only (cheap)
    near_col: int = 0  # the farthest of A–Z any cell names
    size: int = 0  # bytes of the sheet's XML

    def refuse_beyond(self, path: Path, name: str, max_rows: int, max_cols: int) -> None:
        far = [
            *([f"第 {self.max_row} 行"] if self.max_row > max_rows else []),
            *([f"第 {self.max_col} 列"] if self.max_col > max_cols else []),
        ]
        if far:
            raise BadInputError(
                f"{path.name} 的工作表「{name}」有内容到{'、'.join(far)}，"
                f"超过上限（{max_rows} 行 × {max_cols} 列）；请删除多余行列后导入"
            )
        # A cell 100,000+ rows down in a sheet whose XML could not hold that many rows
        # (each row written costs ≥ 10 bytes): a near-empty rectangle calamine would
        # allocate whole (a 5 KB file asking for 1.3 GB).
        if self.max_row >= 100_000 and self.size < self.max_row * 10:
            raise BadInputError(
                f"{path.name} 的工作表「{name}」几乎是空的，却有内容远到第 {self.max_row} 行，"
                "疑似异常文件；请删除多余的行后另存再导入"
            )
        # rows × columns as calamine will lay them out (a cell at GR99999: 20 M cells)
        # no cell naming its column (the format allows it): reckon with all of A–Z
        cols = self.max_col or self.near_col or (26 if self.max_row else 0)
        Extent(self.max_row, cols).refuse_beyond(path, name, max_rows, max_cols)


_SHEET_REL = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_SHEET_REL_ALT = re.compile(rb'<sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"')
_REL = re.compile(
    rb'<Relationship\b[^>]*?(?:Id="([^"]*)"[^>]*?Target="([^"]*)"|Target="([^"]*)"[^>]*?Id="([^"]*)")'
)
_BARE_FORMULA = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


# A row number of 6+ digits or a column past GR (the 200th) in any r="…" reference:
# rare in real sheets, so these searches cost little on a 50,000-row report.
_FAR_ROW = re.compile(rb'r="[A-Z]{0,3}(\d{6,})"')
_FAR_COL = re.compile(rb'r="([A-Z]{2,})\d')
_ROW_NO = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
# A cell reference starting with a letter past the farthest seen so far (index: that
# column, 0–25): one pass of a piece per search, not one substring search per letter,
# and far cheaper than matching every cell of a 50,000-row sheet (a `<row r=` is
# followed by a digit).
_CELL_PAST = tuple(
    re.compile(b'r="([' + bytes(range(ord("A") + near, ord("Z") + 1)) + b"])") for near in range(26)
)


def scan_xlsx(path: Path) -> dict[str, SheetScan]:
    """Every sheet of an .xlsx, by name, scanned in one streamed pass each."""
    from html import unescape

    out: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            check_shared_strings(path, zf, names)
            book = zf.read("xl/workbook.xml")
            rels = (
                zf.read("xl/_rels/workbook.xml.rels")
                if "xl/_rels/workbook.xml.rels" in names
                else b""
            )
            targets: dict[bytes, str] = {}
            for m in _REL.finditer(rels):
                rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                t = target.decode()
                targets[rid] = t.lstrip("/") if t.startswith("/") else "xl/" + t
            pairs = [(m.group(1), m.group(2)) for m in _SHEET_REL.finditer(book)]
            pairs += [(m.group(2), m.group(1)) for m in _SHEET_REL_ALT.finditer(book)]
            for raw_name, rid in pairs:
                part = targets.get(rid)
                if part is None or part not in names:
                    continue
                out[unescape(raw_name.decode())] = _scan_part(zf, part)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BadInputError(f"{path.name} 已损坏或不完整；{SAVE_AS}") from exc
    return out


def _scan_part(zf: zipfile.ZipFile, part: str) -> SheetScan:
    """Stream one sheet's XML (bounded memory, capped size): bare formulas, far cells."""
    scan = SheetScan()
    carry = b""
    total = 0
    with zf.open(part) as fh:
        while chunk := fh.read(1 << 20):
            total += len(chunk)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise BadInputError(
                    f"工作表解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，已拒绝"
                )
            buf = carry + chunk
            cut = buf.rfind(b"</c>")
            if cut < 0:  # no cell ends here: keep a tail that may hold a split tag
                _far(scan, buf)
                carry = buf[-256:]
                continue
            head, carry = buf[: cut + 4], buf[cut + 4 :]
            _far(scan, head)
            if b"<f" in head:
                for m in _BARE_FORMULA.finditer(head):
                    scan.gaps.add((int(m.group(2)) - 1, _col_index(m.group(1))))
        _far(scan, carry)
    scan.size = total
    return scan


def _far(scan: SheetScan, data: bytes) -> None:
    """The farthest row (every <row r=…>, and cells of 6+ digit rows) and column (every
    cell past Z exactly; within A–Z by the letters cells start with) named in this piece
    of sheet XML."""
    for m in _FAR_ROW.finditer(data):
        scan.max_row = max(scan.max_row, int(m.group(1)))
    for m in _ROW_NO.finditer(data):
        if len(m.group(1)) > 9:
            scan.max_row = max(scan.max_row, 10**9)
        elif (n := int(m.group(1))) > scan.max_row:
            scan.max_row = n
    for m in _FAR_COL.finditer(data):
        scan.max_col = max(scan.max_col, _col_index(m.group(1)) + 1)
    at = 0
    while scan.near_col < 26 and (hit := _CELL_PAST[scan.near_col].search(data, at)):
        scan.near_col = hit.group(1)[0] - ord("A") + 1  # nothing past it lies before `at`
        at = hit.start()


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def row_texts(row: Sequence[Any]) -> list[str]:
    return ["" if blank(v) else str(v).strip() for v in row]
