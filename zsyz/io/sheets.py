"""Printable report sheets with openpyxl: a title, a heading row, data, A4 landscape.

Every cell goes through `zsyz.io.cells.put` (the formula-injection sanitiser). Column
widths fit Chinese text (a CJK character counts as two), headings are frozen and repeat
on every printed page, amounts get a thousands format.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from zsyz.io.cells import put

AMOUNT_FORMAT = "#,##0.00"  # 万元
RATIO_FORMAT = "0.0%"
POINTS_FORMAT = "0.00"
COUNT_FORMAT = "0"
MAX_WIDTH = 48


@dataclass(frozen=True)
class Col:
    key: str
    heading: str
    fmt: str | None = None  # number format for numeric cells
    wrap: bool = False  # long text: wrap within MAX_WIDTH


def display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: wide (CJK) characters count as two."""
    # Ambiguous ones (≥, ×, ‰, …) print wide in Chinese fonts too.
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _shown(value: Any, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        if fmt == RATIO_FORMAT:
            return f"{Decimal(str(value)) * 100:.1f}%"
        if fmt == AMOUNT_FORMAT:
            return f"{Decimal(str(value)):,.2f}"
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _lines(text: str, width: int) -> int:
    """Printed lines of wrapped text in a column `width` characters wide."""
    # A wide character prints a little narrower than two '0's: 0.9 keeps the estimate
    # from leaving blank lines under every row.
    room = max(width, 1)
    return sum(max(1, -(-(display_width(part) * 9 // 10) // room)) for part in text.split("\n"))


def new_workbook() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def table_sheet(
    wb: Any,
    name: str,
    title: str,
    cols: Sequence[Col],
    rows: Sequence[dict[str, Any]],
    *,
    note: str | None = None,
) -> Any:
    """A sheet: title row, optional note row, heading row (frozen, printed on each page)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(cols), 1))
    ws.row_dimensions[1].height = 24
    head = 2
    if note:
        put(ws, 2, 1, note).font = Font(italic=True, color="555555")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(len(cols), 1))
        head = 3
    widths = [display_width(c.heading) for c in cols]
    for j, c in enumerate(cols, start=1):
        cell = put(ws, head, j, c.heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
    for i, row in enumerate(rows, start=head + 1):
        for j, c in enumerate(cols, start=1):
            value = row.get(c.key)
            cell = put(ws, i, j, value)
            cell.border = box
            numeric = isinstance(value, int | Decimal | float) and not isinstance(value, bool)
            if numeric and c.fmt:
                cell.number_format = c.fmt
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", wrap_text=c.wrap)
            widths[j - 1] = max(widths[j - 1], display_width(_shown(value, c.fmt)))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(w + 2, MAX_WIDTH)
    wrapped = [j for j, c in enumerate(cols) if c.wrap]
    for i, row in enumerate(rows, start=head + 1):
        # Spreadsheets do not grow a row for wrapped text when printing: size it here.
        lines = max(
            (
                _lines(_shown(row.get(cols[j].key), None), min(widths[j] + 2, MAX_WIDTH))
                for j in wrapped
            ),
            default=1,
        )
        if lines > 1:
            ws.row_dimensions[i].height = 16 * lines
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    printable(ws, head)
    return ws


def printable(ws: Any, heading_row: int) -> None:
    """A4 landscape, fit to page width, headings repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{heading_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def save(wb: Any, path: Any) -> None:
    """Write the workbook atomically (never a half-written file at `path`)."""
    from pathlib import Path

    from zsyz.io.files import atomic_write

    atomic_write(Path(path), lambda tmp: wb.save(tmp))
