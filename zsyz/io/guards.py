"""Bounds checked before calamine allocates anything, for every format it reads.

calamine holds each sheet as a dense rectangle from A1 to the farthest cell, so a 5 KB
file naming one far cell asks for gigabytes. What the file really holds is counted first,
from its own structure and without inflating it into objects: the zip's central directory
(entry count), the cells of an .xlsx sheet and its shared strings, an .ods sheet's rows
and columns with their `number-rows-repeated`/`number-columns-repeated`, the cell records
of an .xls (BIFF8 inside the OLE2 compound file), the row headers, cell records and
stated dimension of an .xlsb sheet (BIFF12, streamed). A sheet whose rectangle passes
`MAX_CELLS` is refused with one line naming it.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from zsyz.errors import BadInputError

MAX_FILE_BYTES = 64 * 1024 * 1024  # checked before a file is hashed or opened
# rows × columns of one sheet: a text cell costs ~200 B across calamine and Python, so a flood
# at the cap stays under 250 MB, while a 50,000-project × 20-column report with its headings
# (the size issue 17 benchmarks) passes.
MAX_CELLS = 1_200_000
MAX_ZIP_ENTRIES = 20_000  # a workbook has tens of parts; 400k entries cost 400 MB to list
MAX_SHARED_STRINGS = 2_000_000
SPLIT = "请删除多余的行列（或拆分为几个文件）后另存再导入"


@dataclass
class Extent:
    """The farthest row and column (1-based) a sheet's cells reach."""

    rows: int = 0
    cols: int = 0

    def reach(self, row: int, col: int) -> None:
        if row > self.rows:
            self.rows = row
        if col > self.cols:
            self.cols = col

    def refuse_beyond(self, path: Path, sheet: str, max_rows: int, max_cols: int) -> None:
        far = [
            *([f"第 {self.rows} 行"] if self.rows > max_rows else []),
            *([f"第 {self.cols} 列"] if self.cols > max_cols else []),
        ]
        if far:
            raise BadInputError(
                f"{path.name} 的工作表「{sheet}」有内容到{'、'.join(far)}，"
                f"超过上限（{max_rows} 行 × {max_cols} 列）；{SPLIT}"
            )
        if self.rows * self.cols > MAX_CELLS:
            raise BadInputError(
                f"{path.name} 的工作表「{sheet}」有内容到第 {self.rows} 行、第 {self.cols} 列，"
                f"读入需 {self.rows * self.cols:,} 个单元格，超过上限 {MAX_CELLS:,}；{SPLIT}"
            )


def zip_entry_count(path: Path) -> int | None:
    """Entries the zip's end record declares, read from the file's tail (no listing)."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65_557))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    (count,) = struct.unpack_from("<H", tail, at + 10)
    if count == 0xFFFF:  # zip64: the count is in the zip64 end record
        z64 = tail.rfind(b"PK\x06\x06", 0, at)
        if z64 >= 0 and z64 + 40 <= len(tail):
            (count,) = struct.unpack_from("<Q", tail, z64 + 32)
    return int(count)


def check_zip_entries(path: Path) -> None:
    count = zip_entry_count(path)
    if count is not None and count > MAX_ZIP_ENTRIES:
        raise BadInputError(
            f"{path.name} 内含 {count:,} 个部件（正常表格只有几十个），疑似恶意文件，已拒绝"
        )


_SI = re.compile(rb"<(?:\w+:)?si[\s>/]")


def check_shared_strings(path: Path, zf: zipfile.ZipFile, names: set[str]) -> None:
    """Count an .xlsx's shared strings by streaming; calamine keeps every one in memory."""
    part = next((n for n in names if n.lower() == "xl/sharedstrings.xml"), None)
    if part is None:
        return
    count = 0
    carry = b""
    with zf.open(part) as fh:
        while chunk := fh.read(1 << 20):
            buf = carry + chunk
            count += len(_SI.findall(buf, 0, max(0, len(buf) - 8)))
            carry = buf[max(0, len(buf) - 8) :]
            if count > MAX_SHARED_STRINGS:
                raise BadInputError(
                    f"{path.name} 有超过 {MAX_SHARED_STRINGS:,} 个不同的文本，超过上限，疑似异常文件；"
                    f"{SPLIT}"
                )


# ------------------------------------------------------------------ .ods

_ODS_TAG = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>|</table:(table-row|table)>"
)
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS_REP = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS_REP = re.compile(rb'table:number-columns-repeated="(\d+)"')


def scan_ods(path: Path) -> dict[str, Extent]:
    """Each sheet's extent as calamine will lay it out: repeated rows and cells count
    as many times as they repeat, but only up to the last row and cell that hold data."""
    from html import unescape

    out: dict[str, Extent] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            for name, extent in _ods_tables(fh):
                out[unescape(name.decode("utf-8", "replace"))] = extent
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BadInputError(
            f"{path.name} 已损坏或不完整；请用 Excel/WPS 另存为 .xlsx 后重新导入"
        ) from exc
    return out


def _ods_tables(fh: object) -> Iterator[tuple[bytes, Extent]]:
    extent, name = Extent(), b""
    row = col = 0  # rows done, cells done in the current row
    row_rep, row_max = 1, 0
    carry = b""
    read = fh.read  # type: ignore[attr-defined]
    while chunk := read(1 << 20):
        buf = carry + chunk
        cut = buf.rfind(b">") + 1
        buf, carry = buf[:cut], buf[cut:]
        for m in _ODS_TAG.finditer(buf):
            tag, attrs, empty, end = m.group(1), m.group(2), m.group(3), m.group(4)
            if end == b"table-row":
                if row_max:
                    extent.reach(row + row_rep, row_max)
                row += row_rep
            elif end == b"table":
                yield name, extent
            elif tag == b"table":
                extent, row = Extent(), 0
                found = _ODS_NAME.search(attrs)
                name = found.group(1) if found else b""
            elif tag == b"table-row":
                rep = _ROWS_REP.search(attrs)
                row_rep, col, row_max = int(rep.group(1)) if rep else 1, 0, 0
                if empty:
                    row += row_rep
            else:  # a cell: it holds data unless it is an empty element without a value
                rep = _COLS_REP.search(attrs)
                n = int(rep.group(1)) if rep else 1
                col += n
                if not empty or b"value" in attrs:
                    row_max = col
        if len(carry) > 1 << 20:  # one tag cannot be a megabyte long
            carry = b""


# ------------------------------------------------------------------ .xls (BIFF8 in OLE2)

_CELL_RECORDS = frozenset({0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0204, 0x0205, 0x00D6})
_MULTI_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first col … last col
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_END = 0xFFFFFFFE


def scan_xls(path: Path) -> dict[str, Extent]:
    """Each sheet's extent from the cell records of the Workbook stream; a file whose
    compound structure cannot be followed is left to calamine (it refuses it itself)."""
    data = path.read_bytes()  # the file is size-capped already
    try:
        stream = _workbook_stream(data)
    except (struct.error, IndexError, ValueError):
        return {}
    if stream is None:
        return {}
    names: dict[int, str] = {}
    extents: dict[int, Extent] = {}
    pos, current = 0, None
    size = len(stream)
    while pos + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if kind == _BOF:
            current = extents.setdefault(pos, Extent())
        elif kind == _BOUNDSHEET and length >= 8:
            offset = struct.unpack_from("<I", stream, body)[0]
            names[offset] = _sheet_name(stream[body + 6 : body + length])
        elif current is not None and length >= 4:
            if kind in _CELL_RECORDS:
                row, col = struct.unpack_from("<HH", stream, body)
                current.reach(row + 1, col + 1)
            elif kind in _MULTI_RECORDS and length >= 6:
                row = struct.unpack_from("<H", stream, body)[0]
                last = struct.unpack_from("<H", stream, body + length - 2)[0]
                current.reach(row + 1, last + 1)
        pos = body + length
    return {names.get(at, f"#{i}"): e for i, (at, e) in enumerate(extents.items()) if at in names}


def _sheet_name(raw: bytes) -> str:
    if len(raw) < 2:
        return ""
    count, flags = raw[0], raw[1]
    if flags & 1:
        return raw[2 : 2 + 2 * count].decode("utf-16-le", "replace")
    return raw[2 : 2 + count].decode("latin-1")


def _workbook_stream(data: bytes) -> bytes | None:
    """The 'Workbook' (or 'Book') stream of an OLE2 compound file, following its FAT."""
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", data, 0x20)[0]
    first_dir, cutoff, first_minifat = struct.unpack_from("<I4xII", data, 0x30)
    difat_first, difat_count = struct.unpack_from("<II", data, 0x44)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END - 2]
    seen = 0
    while difat_first < _END - 2 and seen < difat_count:
        at = 512 + difat_first * sector
        entries = struct.unpack_from(f"<{sector // 4}I", data, at)
        fat_sectors += [s for s in entries[:-1] if s < _END - 2]
        difat_first, seen = entries[-1], seen + 1
    fat: list[int] = []
    for s in fat_sectors:
        fat += struct.unpack_from(f"<{sector // 4}I", data, 512 + s * sector)

    def chain(start: int, limit: int) -> bytes:
        out: list[bytes] = []
        s, hops = start, 0
        while s < len(fat) and hops <= len(fat) and len(out) * sector < limit:
            out.append(data[512 + s * sector : 512 + (s + 1) * sector])
            s, hops = fat[s], hops + 1
        return b"".join(out)[:limit]

    directory = chain(first_dir, len(data))
    root_start = root_size = 0
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at : at + 128]
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(0, length - 2)].decode("utf-16-le", "replace")
        kind = entry[66]
        start, size = struct.unpack_from("<II", entry, 116)
        if kind == 5:
            root_start, root_size = start, size
        elif kind == 2 and name in ("Workbook", "Book"):
            if size >= cutoff:
                return chain(start, size)
            ministream = chain(root_start, root_size)
            minifat_raw = chain(first_minifat, len(data))
            minifat = struct.unpack(f"<{len(minifat_raw) // 4}I", minifat_raw)
            out: list[bytes] = []
            s = start
            while s < len(minifat) and len(out) * mini < size:
                out.append(ministream[s * mini : (s + 1) * mini])
                s = minifat[s]
            return b"".join(out)[:size]
    return None


# BIFF12 (.xlsb): cell records carry their column in the first 4 bytes, the row comes
# from the BrtRowHdr before them; BrtWsDim states the used range, which calamine trusts.
_XLSB_CELLS = frozenset({*range(1, 20), 62})
_XLSB_ROW, _XLSB_DIM, _XLSB_SHEET = 0, 148, 156
_XLSB_REL = re.compile(
    rb'<Relationship\b[^>]*?(?:Id="([^"]*)"[^>]*?Target="([^"]*)"|Target="([^"]*)"[^>]*?Id="([^"]*)")'
)


def _varint(fh: IO[bytes], most: int) -> int | None:
    value = 0
    for i in range(most):
        raw = fh.read(1)
        if not raw:
            return None
        value |= (raw[0] & 0x7F) << (7 * i)
        if not raw[0] & 0x80:
            break
    return value


def _records(fh: IO[bytes], max_bytes: int, whole: int = -1) -> Iterator[tuple[int, bytes]]:
    """(type, first ≤ 16 bytes of the body) of each BIFF12 record; bodies are skipped,
    except a record of type `whole` of at most 4 KB, which is read whole."""
    read = 0
    while (kind := _varint(fh, 2)) is not None and (size := _varint(fh, 4)) is not None:
        read += size + 6
        if read > max_bytes:
            raise BadInputError(f"工作表解压后超过 {max_bytes // (1024 * 1024)} MB，已拒绝")
        keep = size if kind == whole and size <= 4096 else 16
        head = fh.read(min(size, keep))
        if size > keep:
            fh.read(size - keep)
        yield kind, head


def _xlsb_extent(fh: IO[bytes], max_bytes: int) -> Extent:
    extent, row = Extent(), 0
    for kind, head in _records(fh, max_bytes):
        if len(head) < 4:
            continue
        if kind == _XLSB_ROW:
            row = struct.unpack_from("<I", head)[0] + 1
            extent.reach(row, 0)
        elif kind in _XLSB_CELLS:
            extent.reach(row, struct.unpack_from("<I", head)[0] + 1)
        elif kind == _XLSB_DIM and len(head) >= 16:
            _, last_row, _, last_col = struct.unpack_from("<4I", head)
            extent.reach(last_row + 1, last_col + 1)
    return extent


def _bundle(body: bytes) -> tuple[str, str]:
    """(sheet name, relationship id) of a BrtBundleSh: state, tab id, then two strings."""
    strings, at = [], 8
    for _ in range(2):
        count = struct.unpack_from("<I", body, at)[0]
        count = 0 if count == 0xFFFFFFFF else count
        strings.append(body[at + 4 : at + 4 + 2 * count].decode("utf-16-le", "replace"))
        at += 4 + 2 * count
    return strings[1], strings[0]


def scan_xlsb(path: Path, max_bytes: int) -> dict[str, Extent]:
    """Each sheet's extent from its BIFF12 records (streamed, at most `max_bytes` each)."""
    out: dict[str, Extent] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            rels_part = "xl/_rels/workbook.bin.rels"
            rels = zf.read(rels_part) if rels_part in names else b""
            targets: dict[str, str] = {}
            for m in _XLSB_REL.finditer(rels):
                rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                t = target.decode()
                targets[rid.decode()] = t.lstrip("/") if t.startswith("/") else "xl/" + t
            with zf.open("xl/workbook.bin") as book:
                sheets = [
                    _bundle(body)
                    for kind, body in _records(book, max_bytes, _XLSB_SHEET)
                    if kind == _XLSB_SHEET
                ]
            for sheet, rid in sheets:
                part = targets.get(rid)
                if part in names:
                    with zf.open(part) as fh:
                        out[sheet] = _xlsb_extent(fh, max_bytes)
            for part in sorted(n for n in names if n.startswith("xl/worksheets/")):
                if part.endswith(".bin") and part not in targets.values():
                    with zf.open(part) as fh:  # unnamed parts: checked all the same
                        out[part] = _xlsb_extent(fh, max_bytes)
    except (zipfile.BadZipFile, KeyError, OSError, struct.error) as exc:
        raise BadInputError(
            f"{path.name} 已损坏或不完整；请用 Excel/WPS 另存为 .xlsx 后重新导入"
        ) from exc
    return out
