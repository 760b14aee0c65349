"""Mark cells of an .xlsx by patching its zip: the annotated copy without loading the book.

Only the parts that change are rewritten: the sheets holding bad cells (streamed, their
bad cells restyled, a comment drawing attached), styles.xml (one red style per original
style of a bad cell, plus the summary's styles), workbook.xml and its relationships (the
summary sheet first), the content types. Every other part is copied as it is, so a 50,000
row report is refused in about the time it takes to read it. A book this code does not
understand (no r attributes, prefixed XML, existing comments, ...) raises `Unpatchable`
and the caller falls back to openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.sax.saxutils import unescape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = RELS + "/worksheet"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
SUMMARY_PART = "xl/worksheets/sheet_zsyz_errors.xml"
CHUNK = 1 << 20

ROW_START = re.compile(rb"<row\b([^>]*?)(/?)>")
CELL_START = re.compile(rb"<c\b([^>]*?)(/?)>")
R_ATTR = re.compile(rb'\sr="([A-Z]*)(\d+)"')
S_ATTR = re.compile(rb'\ss="(\d+)"')


class Unpatchable(Exception):
    """The workbook has a shape the zip patcher does not handle: use openpyxl instead."""


@dataclass
class Sheet:
    title: str
    part: str  # e.g. xl/worksheets/sheet1.xml
    rels_part: str  # e.g. xl/worksheets/_rels/sheet1.xml.rels
    notes: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # (row, col) 1-based


def col_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _rels_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _attrs(tag: str) -> dict[str, str]:
    return {k: unescape(v, {"&quot;": '"'}) for k, v in re.findall(r'([\w:]+)="([^"]*)"', tag)}


def worksheets(zf: zipfile.ZipFile) -> list[Sheet]:
    """The book's worksheets in tab order (chart sheets left out)."""
    book = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    if f'xmlns="{MAIN}"' not in book:
        raise Unpatchable("workbook.xml is not plain transitional SpreadsheetML")
    targets = {}
    for tag in re.findall(r"<Relationship\b[^>]*>", rels):
        a = _attrs(tag)
        if a.get("Type") == WORKSHEET_TYPE:
            targets[a["Id"]] = _resolve("xl/workbook.xml", a["Target"])
    prefix = _rel_prefix(book)
    out = []
    for tag in re.findall(r"<sheet\b[^>]*>", book):
        a = _attrs(tag)
        part = targets.get(a.get(f"{prefix}:id", ""))
        if part:
            out.append(Sheet(a["name"], part, _rels_of(part)))
    if not out:
        raise Unpatchable("no worksheet found")
    return out


def _rel_prefix(xml: str) -> str:
    m = re.search(rf'xmlns:(\w+)="{re.escape(RELS)}"', xml)
    if m is None:
        raise Unpatchable("no relationships namespace")
    return m.group(1)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


MERGE_REF = re.compile(rb'<mergeCell\b[^>]*?\sref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def merged_ranges(src: IO[bytes]) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (min_row, min_col, max_row, max_col), read by streaming
    (mergeCells follows sheetData, so the whole part is scanned)."""
    found, carry = [], b""
    for chunk in _chunks(src):
        buf = carry + chunk
        last = 0
        for m in MERGE_REF.finditer(buf):
            a, r1, b, r2 = m.groups()
            found.append((int(r1), col_number(a), int(r2), col_number(b)))
            last = m.end()
        carry = buf[max(last, len(buf) - 200) :]
    return found


def anchor(ranges: list[tuple[int, int, int, int]], row: int, col: int) -> tuple[int, int]:
    """The top-left cell of the merged range holding (row, col), else the cell itself."""
    for r1, c1, r2, c2 in ranges:
        if r1 <= row <= r2 and c1 <= col <= c2:
            return r1, c1
    return row, col


def _head(chunks: Iterator[bytes]) -> tuple[bytes, bytes]:
    """Everything before <sheetData (the head) and what follows, read as far as needed."""
    buf = b""
    for chunk in chunks:
        buf += chunk
        at = buf.find(b"<sheetData")
        if at != -1:
            return buf[:at], buf[at:]
    raise Unpatchable("no sheetData")


def _set_attr(tag: bytes, name: bytes, value: bytes) -> bytes:
    """`tag` (a start tag like b'<c r="A1" s="3">') with attribute name=value."""
    pattern = re.compile(rb"\s" + name + rb'="[^"]*"')
    new = b" " + name + b'="' + value + b'"'
    if pattern.search(tag):
        return pattern.sub(lambda _: new, tag, count=1)
    end = -2 if tag.endswith(b"/>") else -1
    return tag[:end] + new + tag[end:]


class SheetEditor:
    """Streams one sheet's XML, restyling marked cells (adding missing ones and rows)."""

    def __init__(self, marks: dict[int, dict[int, int]], style: StyleMap) -> None:
        self.marks = marks  # row -> {col -> original style (filled in)}
        self.style = style
        self.pending = sorted(marks)

    def _cell(self, row: int, col: int, tag: bytes | None) -> bytes:
        if tag is None:
            ref = f"{col_letter(col)}{row}".encode()
            return b'<c r="' + ref + b'" s="' + str(self.style.bad(0)).encode() + b'"/>'
        m = S_ATTR.search(tag)
        original = int(m.group(1)) if m else 0
        return _set_attr(tag, b"s", str(self.style.bad(original)).encode())

    def _new_row(self, row: int) -> bytes:
        cells = b"".join(self._cell(row, c, None) for c in sorted(self.marks[row]))
        return f'<row r="{row}">'.encode() + cells + b"</row>"

    def _edit_row(self, row: int, start: bytes, inner: bytes) -> bytes:
        wanted = sorted(self.marks[row])
        out, pos = [], 0
        for m in CELL_START.finditer(inner):
            r = R_ATTR.search(m.group(1))
            if r is None:
                raise Unpatchable("a cell without r")
            col = col_number(r.group(1))
            while wanted and wanted[0] < col:
                out += [inner[pos : m.start()], self._cell(row, wanted.pop(0), None)]
                pos = m.start()
            if wanted and wanted[0] == col:
                wanted.pop(0)
                out += [inner[pos : m.start()], self._cell(row, col, m.group(0))]
                pos = m.end()
        out.append(inner[pos:])
        out += [self._cell(row, c, None) for c in wanted]
        return start + b"".join(out)

    def rows(self, chunks: Iterator[bytes], buf: bytes, write: IO[bytes]) -> bytes:
        """Copy sheetData from `buf` + `chunks` to `write`; return what follows it."""
        while True:
            end = buf.find(b"</sheetData>")
            limit = end if end != -1 else buf.rfind(b"<")
            pos, cut = 0, None
            for m in ROW_START.finditer(buf, 0, max(limit, 0)):
                r = R_ATTR.search(m.group(1))
                if r is None:
                    raise Unpatchable("a row without r")
                row = int(r.group(2))
                while self.pending and self.pending[0] < row:
                    write.write(buf[pos : m.start()] + self._new_row(self.pending.pop(0)))
                    pos = m.start()
                if not self.pending or self.pending[0] != row:
                    continue
                if m.group(2):  # <row .../>: no cells yet
                    start, inner, close = m.group(0)[:-2] + b">", b"", m.end()
                else:
                    stop = buf.find(b"</row>", m.end())
                    if stop == -1:
                        cut = m.start()
                        break
                    start, inner, close = m.group(0), buf[m.end() : stop], stop + 6
                write.write(buf[pos : m.start()] + self._edit_row(row, start, inner) + b"</row>")
                pos = close
                self.pending.pop(0)
            if cut is None and end != -1:
                write.write(buf[pos:end])
                for row in self.pending:
                    write.write(self._new_row(row))
                return buf[end:]
            keep = cut if cut is not None else max(limit, pos)
            write.write(buf[pos:keep])
            more = next(chunks, b"")
            if not more:
                raise Unpatchable("sheet ends inside sheetData")
            buf = buf[keep:] + more


def edit_sheet(
    src: IO[bytes], dst: IO[bytes], editor: SheetEditor | None, legacy: str | None
) -> None:
    """Copy a sheet, clearing its tab selection; with an editor, mark its cells and link
    the comment drawing `legacy` (a relationship id)."""
    chunks = _chunks(src)
    head, rest = _head(chunks)
    head = re.sub(rb'\stabSelected="(1|true)"', b"", head)
    dst.write(head)
    if rest.startswith(b"<sheetData/>"):
        if editor is not None and editor.pending:
            raise Unpatchable("empty sheetData")
    elif editor is not None:
        rest = editor.rows(chunks, rest, dst)
    tail = rest + b"".join(chunks)
    if legacy is not None:
        if b"<legacyDrawing " in tail:
            raise Unpatchable("the sheet already has a comment drawing")
        element = f'<legacyDrawing xmlns:r="{RELS}" r:id="{legacy}"/>'.encode()
        at = len(tail)
        for name in (b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls"):
            found = tail.find(b"<" + name)
            at = found if found != -1 and found < at else at
        for name in (b"webPublishItems", b"tableParts", b"extLst", b"/worksheet"):
            found = tail.find(b"<" + name)
            at = found if found != -1 and found < at else at
        tail = tail[:at] + element + tail[at:]
    dst.write(tail)


def _children(section: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}(?=[\s/>])[^>]*?(?:/>|>.*?</{tag}>)", section, re.S)


class StyleMap:
    """styles.xml with the styles the annotated copy adds (appended, indices stable)."""

    def __init__(self, xml: str) -> None:
        self.xml = xml
        self.fonts = self._section("fonts", "font")
        self.fills = self._section("fills", "fill")
        self.xfs = self._section("cellXfs", "xf")
        self.new_fonts: list[str] = []
        self.new_fills: list[str] = []
        self.new_xfs: list[str] = []
        self.bad_fill = self.fill("FFFFC7CE")
        self._bad: dict[int, int] = {}

    def _section(self, name: str, child: str) -> list[str]:
        m = re.search(rf"<{name}\b[^>]*?(?:/>|>(.*?)</{name}>)", self.xml, re.S)
        if m is None:
            raise Unpatchable(f"styles.xml has no {name}")
        return _children(m.group(1) or "", child)

    def font(self, base: int, *, size: str | None = None, color: str, u: bool = False) -> int:
        xml = self.fonts[base] if base < len(self.fonts) else "<font/>"
        inner = "" if xml.endswith("/>") else xml[xml.index(">") + 1 : xml.rindex("<")]
        drop = ["b", "color", "u", *(["sz"] if size else [])]
        for tag in drop:
            inner = re.sub(rf"<{tag}\b[^>]*?(?:/>|>.*?</{tag}>)", "", inner, flags=re.S)
        extra = f'<b/><color rgb="{color}"/>' + (f'<sz val="{size}"/>' if size else "")
        self.new_fonts.append(f"<font>{extra}{'<u/>' if u else ''}{inner}</font>")
        return len(self.fonts) + len(self.new_fonts) - 1

    def fill(self, rgb: str) -> int:
        self.new_fills.append(
            f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
        )
        return len(self.fills) + len(self.new_fills) - 1

    def xf(self, xml: str) -> int:
        self.new_xfs.append(xml)
        return len(self.xfs) + len(self.new_xfs) - 1

    def bad(self, original: int) -> int:
        """The red, bold, commented look of a cell whose style was `original`."""
        if original not in self._bad:
            base = self.xfs[original] if original < len(self.xfs) else '<xf fontId="0"/>'
            font_id = int(_attrs(base[: base.index(">") + 1]).get("fontId", "0"))
            start = base[: base.index(">") + 1].encode()
            for name, value in (
                (b"fontId", str(self.font(font_id, color="FF9C0006")).encode()),
                (b"fillId", str(self.bad_fill).encode()),
                (b"applyFont", b"1"),
                (b"applyFill", b"1"),
            ):
                start = _set_attr(start, name, value)
            self._bad[original] = self.xf(start.decode() + base[base.index(">") + 1 :])
        return self._bad[original]

    def render(self) -> bytes:
        xml = self.xml
        for name, child, old, new in (
            ("fonts", "font", self.fonts, self.new_fonts),
            ("fills", "fill", self.fills, self.new_fills),
            ("cellXfs", "xf", self.xfs, self.new_xfs),
        ):
            xml = _append(xml, name, child, len(old) + len(new), "".join(new))
        return xml.encode("utf-8")


def _append(xml: str, name: str, child: str, count: int, new: str) -> str:
    m = re.search(rf"<{name}\b([^>]*?)(/?)>", xml)
    assert m is not None  # StyleMap checked it
    start = _set_attr(m.group(0).encode(), b"count", str(count).encode()).decode()
    if m.group(2):  # <fonts/>
        start = start[:-2].rstrip() + ">"
        return xml[: m.start()] + start + new + f"</{name}>" + xml[m.end() :]
    close = xml.index(f"</{name}>", m.end())
    return xml[: m.start()] + start + xml[m.end() : close] + new + xml[close:]
