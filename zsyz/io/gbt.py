"""Statistical tables laid out as county offices print them (GB/T 9704 conventions for
tables in 公文): a title in 方正小标宋简体 (a policy may name 黑体 instead), the unit line
(「单位：万元」) above the table on the right, headings in 黑体, body cells in 仿宋, a
序号 column, a 合计 row equal to the column sums, amounts to two decimals, A4 with margins,
headings repeated on every page and the page number in the footer (「— 1 —」).

Font names are written as they are installed on Chinese office machines, so WPS and
Excel pick the installed ones (LibreOffice substitutes the nearest CJK font).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zsyz.io.cells import put
from zsyz.io.sheets import MAX_WIDTH, Col, _lines, _shown, display_width

TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"
BODY_FONT = "仿宋"
INCH = 2.54  # openpyxl margins are in inches
HEADING_WIDTH = 14  # characters of a heading before it wraps


@dataclass(frozen=True)
class Fonts:
    title: str = TITLE_FONT
    body: str = BODY_FONT
    head: str = HEAD_FONT


@dataclass(frozen=True)
class Table:
    """One printed table: a sheet of its own."""

    sheet: str
    title: str
    cols: Sequence[Col]
    rows: Sequence[dict[str, Any]]
    unit: str | None = "万元"  # the unit line; None: no amounts, no line
    numbered: bool = True  # a 序号 column first
    totals: Sequence[str] = ()  # keys summed in a 合计 row (empty: no 合计 row)
    notes: Sequence[str] = ()  # lines under the table
    portrait: bool = False
    one_page: bool = False  # shrink to a single page (a ranking group, a summary)


def column_sum(rows: Sequence[dict[str, Any]], key: str) -> Decimal:
    """The 合计 of a column: the exact sum of its numbers (blanks are not zeros)."""
    return sum(
        (Decimal(v) for r in rows if isinstance(v := r.get(key), int | Decimal)),
        Decimal(0),
    )


HEAD = 3  # the heading row: title (1), unit line (2), headings (3)


def write_table(wb: Any, t: Table, fonts: Fonts = Fonts()) -> Any:
    """Write `t` on a new sheet of `wb` and return the sheet."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(t.sheet)
    cols = [Col("no", "序号", "0"), *t.cols] if t.numbered else list(t.cols)
    rows = [{"no": i, **r} for i, r in enumerate(t.rows, start=1)] if t.numbered else list(t.rows)
    if t.totals:
        total: dict[str, Any] = {cols[0].key: "合计"}  # under 序号, as offices print it
        total.update({k: column_sum(t.rows, k) for k in t.totals})
        rows.append(total)
    widths = _top(ws, t, cols, fonts)
    _body(ws, rows, cols, widths, fonts, has_total=bool(t.totals))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(w + 2, MAX_WIDTH)
    _grow_wrapped(ws, cols, rows, widths, HEAD)
    _notes(ws, t.notes, HEAD + len(rows) + 1, len(cols), widths, fonts)
    ws.freeze_panes = ws.cell(row=HEAD + 1, column=1)
    print_setup(ws, HEAD, portrait=t.portrait, one_page=t.one_page)
    return ws


def _box() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _top(ws: Any, t: Table, cols: list[Col], fonts: Fonts) -> list[int]:
    """Title, unit line and headings; the columns' starting widths."""
    from openpyxl.styles import Alignment, Font

    width = max(len(cols), 1)
    cell = put(ws, 1, 1, t.title)
    cell.font = Font(name=fonts.title, size=18)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30 * max(1, -(-display_width(t.title) // 90))
    cell = put(ws, 2, 1, f"单位：{t.unit}" if t.unit else None)
    cell.font = Font(name=fonts.body, size=11)
    cell.alignment = Alignment(horizontal="right")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    # a long heading wraps (up to three lines) rather than widening its column
    longest = max((display_width(c.heading) for c in cols), default=0)
    ws.row_dimensions[HEAD].height = 16 * min(3, max(1, -(-longest // HEADING_WIDTH)))
    for j, c in enumerate(cols, start=1):
        cell = put(ws, HEAD, j, c.heading)
        cell.font = Font(name=fonts.head, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _box()
    return [min(display_width(c.heading), HEADING_WIDTH) for c in cols]


def _body(
    ws: Any,
    rows: list[dict[str, Any]],
    cols: list[Col],
    widths: list[int],
    fonts: Fonts,
    *,
    has_total: bool,
) -> None:
    """The data rows (a `_section` row is a group's line across the table), widening
    `widths` to fit."""
    from openpyxl.styles import Alignment, Font

    box = _box()
    body = Font(name=fonts.body, size=11)
    bold = Font(name=fonts.head, size=11)
    for i, row in enumerate(rows, start=HEAD + 1):
        if "_section" in row:
            cell = put(ws, i, 1, row["_section"])
            cell.font, cell.border = bold, box
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(cols))
            continue
        is_total = has_total and i == HEAD + len(rows)
        for j, c in enumerate(cols, start=1):
            value = row.get(c.key)
            cell = put(ws, i, j, value)
            cell.border = box
            cell.font = bold if is_total else body
            numeric = isinstance(value, int | Decimal) and not isinstance(value, bool)
            if numeric and c.fmt:
                cell.number_format = c.fmt
            cell.alignment = Alignment(
                horizontal="center" if c.key == "no" else ("right" if numeric else None),
                vertical="center",
                wrap_text=c.wrap,
            )
            widths[j - 1] = max(widths[j - 1], display_width(_shown(value, c.fmt)))


def _notes(
    ws: Any, notes: Sequence[str], at: int, span: int, widths: list[int], fonts: Fonts
) -> None:
    from openpyxl.styles import Alignment, Font

    room = sum(min(w + 2, MAX_WIDTH) for w in widths)
    for note in notes:
        cell = put(ws, at, 1, note)
        cell.font = Font(name=fonts.body, size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=max(span, 1))
        ws.row_dimensions[at].height = 15 * _lines(note, room)
        at += 1


def _grow_wrapped(
    ws: Any, cols: list[Col], rows: list[dict[str, Any]], widths: list[int], head: int
) -> None:
    """Spreadsheets do not grow a row for wrapped text when printing: size it here."""
    wrapped = [j for j, c in enumerate(cols) if c.wrap]
    for i, row in enumerate(rows, start=head + 1):
        lines = max(
            (
                _lines(_shown(row.get(cols[j].key), None), min(widths[j] + 2, MAX_WIDTH))
                for j in wrapped
            ),
            default=1,
        )
        ws.row_dimensions[i].height = 16 * max(lines, 1)


def print_setup(ws: Any, heading_row: int, *, portrait: bool, one_page: bool) -> None:
    """A4, margins of 2 cm (2.5 cm at the binding side), headings on every page, the page
    number centred in the footer as 公文 print it (— 1 —)."""
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if heading_row:
        ws.print_title_rows = f"1:{heading_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = 2.5 / INCH
    ws.page_margins.right = ws.page_margins.top = ws.page_margins.bottom = 2.0 / INCH
    ws.page_margins.header = ws.page_margins.footer = 0.8 / INCH
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.font = BODY_FONT
