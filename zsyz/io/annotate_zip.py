"""The annotated copy of a refused .xlsx, written by patching the workbook's zip.

`patch` writes the new package: the 错误清单 summary sheet first (inline strings, its
own styles), the bad cells red with comments (a comments part and its VML drawing per
sheet), every other part as it was. See `xlsx_patch` for the streaming sheet editor.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from zsyz.io.cells import clean_text, is_dangerous
from zsyz.io.xlsx_patch import (
    COMMENTS_CT,
    MAIN,
    PKG,
    RELS,
    SHEET_CT,
    SUMMARY_PART,
    VML_CT,
    Sheet,
    SheetEditor,
    StyleMap,
    Unpatchable,
    col_letter,
    edit_sheet,
)

SUMMARY_TITLE = "错误清单"
AUTHOR = "zsyz 导入检查"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EMPTY_RELS = f'{XML_HEAD}<Relationships xmlns="{PKG}"></Relationships>'
WIDTHS = (6, 12, 6, 16, 20, 90)

SummaryRow = tuple[list[Any], str | None]  # the cells, the link target ("'Sheet1'!D4")


class SummaryStyles:
    def __init__(self, styles: StyleMap) -> None:
        x = styles.xf
        bold = styles.font(0, color="FF000000")
        self.title = x(
            f'<xf numFmtId="0" fontId="{styles.font(0, size="13", color="FF9C0006")}" '
            'fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        )
        self.header = x(
            f'<xf numFmtId="0" fontId="{bold}" fillId="{styles.fill("FFDDEBF7")}" '
            'borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
        )
        link = styles.font(0, color="FF0563C1", u=True)
        self.link = x(f'<xf numFmtId="0" fontId="{link}" fillId="0" borderId="0" xfId="0"/>')
        wrap = '<alignment vertical="top" wrapText="1"/>'
        self.wrap = x(
            f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{wrap}</xf>'
        )
        quote = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"'
        self.quote = x(quote + "/>")
        self.wrap_quote = x(f'{quote} applyAlignment="1">{wrap}</xf>')


def _xml_text(text: str) -> str:
    """Element text for `text`, its carriage returns kept (XML would read them as LF)."""
    return escape(text).replace("\r", "&#13;")


def _cell(ref: str, value: Any, style: int | None, quote: int | None) -> str:
    s = f' s="{style}"' if style is not None else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style is not None else ""
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, int | Decimal | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime | date):
        value = value.isoformat()
    text = clean_text(str(value))
    if is_dangerous(text) and quote is not None:
        s = f' s="{quote}"'
    return (
        f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_xml_text(text)}</t></is></c>'
    )


def summary_sheet(heading: str, rows: list[SummaryRow], st: SummaryStyles) -> bytes:
    lines = [f'<row r="1">{_cell("A1", heading, st.title, None)}</row>', '<row r="2">']
    for col, name in enumerate(("序号", "位置", "行", "列", "填写的值", "问题及修改方法"), 1):
        lines.append(_cell(f"{col_letter(col)}2", name, st.header, None))
    lines.append("</row>")
    links = []
    for r, (values, link) in enumerate(rows, start=3):
        cells = []
        for col, value in enumerate(values, start=1):
            style, quote = (st.wrap, st.wrap_quote) if col == 6 else (None, st.quote)
            if col == 2 and link:
                style = st.link
                links.append(f'<hyperlink ref="B{r}" location={quoteattr(link)}/>')
            cells.append(_cell(f"{col_letter(col)}{r}", value, style, quote))
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(WIDTHS, 1)
    )
    view = (
        '<sheetView tabSelected="1" workbookViewId="0"><pane ySplit="2" topLeftCell="A3" '
        'activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A3" sqref="A3"/></sheetView>'
    )
    hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    return (
        f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
        f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>{''.join(lines)}</sheetData>"
        '<mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells>'
        f"{hyperlinks}"
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"
    ).encode()


def comments_xml(notes: dict[tuple[int, int], list[str]]) -> bytes:
    items = []
    for (row, col), messages in sorted(notes.items()):
        text = _xml_text(clean_text("\n".join(f"• {m}" for m in messages)))
        items.append(
            f'<comment ref="{col_letter(col)}{row}" authorId="0"><text>'
            f'<t xml:space="preserve">{text}</t></text></comment>'
        )
    return (
        f'{XML_HEAD}<comments xmlns="{MAIN}"><authors><author>{AUTHOR}</author></authors>'
        f"<commentList>{''.join(items)}</commentList></comments>"
    ).encode()


def vml_xml(notes: dict[tuple[int, int], list[str]], block: int) -> bytes:
    shapes = []
    for n, ((row, col), messages) in enumerate(sorted(notes.items()), start=2):
        height = 60 + 40 * len(messages)
        shapes.append(
            f'<v:shape id="_x0000_s{block * 1024 + n}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;'
            f'width:320px;height:{height}px;z-index:1;visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div>'
            '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row>"
            f"<x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
        )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f"{''.join(shapes)}</xml>"
    ).encode()


def _add_rel(rels: str, rel_type: str, target: str) -> tuple[str, str]:
    taken = set(re.findall(r'\bId="([^"]*)"', rels))
    n = 1
    while f"rIdZ{n}" in taken:
        n += 1
    rid = f"rIdZ{n}"
    rel = f'<Relationship Id="{rid}" Type="{RELS}/{rel_type}" Target="{target}"/>'
    return rels.replace("</Relationships>", rel + "</Relationships>", 1), rid


def _workbook(book: str, rid: str) -> str:
    ids = [int(i) for i in re.findall(r'<sheet\b[^>]*?\ssheetId="(\d+)"', book)]
    sheet = (
        f'<sheet xmlns:r="{RELS}" name="{SUMMARY_TITLE}" '
        f'sheetId="{max(ids, default=0) + 1}" r:id="{rid}"/>'
    )
    m = re.search(r"<sheets\b[^>]*>", book)
    if m is None or m.group(0).endswith("/>"):
        raise Unpatchable("no sheets element")
    book = book[: m.end()] + sheet + book[m.end() :]
    book = re.sub(r'\slocalSheetId="(\d+)"', lambda g: f' localSheetId="{int(g[1]) + 1}"', book)
    return re.sub(r'\s(activeTab|firstSheet)="\d+"', r' \1="0"', book)


def _content_types(ct: str, parts: dict[str, str]) -> str:
    extra = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in parts.items())
    if not re.search(r'<Default\b[^>]*Extension="vml"', ct, re.I):
        extra += f'<Default Extension="vml" ContentType="{VML_CT}"/>'
    if "</Types>" not in ct:
        raise Unpatchable("content types")
    return ct.replace("</Types>", extra + "</Types>", 1)


def patch(
    source: Path, target: Path, sheets: list[Sheet], heading: str, rows: list[SummaryRow]
) -> None:
    """Write the annotated copy of `source` to `target` (see module docstring)."""
    with zipfile.ZipFile(source) as zin:
        names = set(zin.namelist())
        book = zin.read("xl/workbook.xml").decode("utf-8")
        if SUMMARY_PART in names or f'name="{SUMMARY_TITLE}"' in book:
            raise Unpatchable("the book already has a summary sheet")
        styles = StyleMap(zin.read("xl/styles.xml").decode("utf-8"))
        summary_styles = SummaryStyles(styles)
        new: dict[str, bytes] = {}
        types: dict[str, str] = {SUMMARY_PART: SHEET_CT}
        legacy: dict[str, str] = {}
        for block, sheet in enumerate((s for s in sheets if s.notes), start=1):
            rels = zin.read(sheet.rels_part).decode() if sheet.rels_part in names else EMPTY_RELS
            if '/comments"' in rels or '/vmlDrawing"' in rels:
                raise Unpatchable("the sheet already has comments")
            comments, vml = (
                f"xl/comments_zsyz{block}.xml",
                f"xl/drawings/vmlDrawing_zsyz{block}.vml",
            )
            if comments in names or vml in names:
                raise Unpatchable("part names taken")
            rels, _ = _add_rel(rels, "comments", f"../comments_zsyz{block}.xml")
            rels, legacy[sheet.part] = _add_rel(
                rels, "vmlDrawing", f"../drawings/vmlDrawing_zsyz{block}.vml"
            )
            new[sheet.rels_part] = rels.encode("utf-8")
            new[comments] = comments_xml(sheet.notes)
            new[vml] = vml_xml(sheet.notes, block)
            types[comments] = COMMENTS_CT
        book_rels, rid = _add_rel(
            zin.read("xl/_rels/workbook.xml.rels").decode("utf-8"),
            "worksheet",
            SUMMARY_PART.removeprefix("xl/"),
        )
        new["xl/_rels/workbook.xml.rels"] = book_rels.encode("utf-8")
        new["xl/workbook.xml"] = _workbook(book, rid).encode("utf-8")
        ct = _content_types(zin.read("[Content_Types].xml").decode("utf-8"), types)
        new[SUMMARY_PART] = summary_sheet(heading, rows, summary_styles)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            zout.writestr("[Content_Types].xml", ct.encode("utf-8"))
            for sheet in sheets:
                marks: dict[int, dict[int, int]] = {}
                for row, col in sheet.notes:
                    marks.setdefault(row, {})[col] = 0
                editor = SheetEditor(marks, styles) if marks else None
                with zin.open(sheet.part) as src, zout.open(sheet.part, "w") as dst:
                    edit_sheet(src, dst, editor, legacy.get(sheet.part))
            new["xl/styles.xml"] = styles.render()
            done = {"[Content_Types].xml", *(s.part for s in sheets)}
            for info in zin.infolist():
                if info.filename in done:
                    continue
                if info.filename in new:
                    zout.writestr(info.filename, new.pop(info.filename))
                else:
                    with zin.open(info) as src, zout.open(info.filename, "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
            for name, data in new.items():
                zout.writestr(name, data)
