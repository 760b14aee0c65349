"""The one way report cells are written: text that a spreadsheet could run is kept text.

A string beginning with = + - @ (or a tab, CR or LF, which some programs strip first)
is written as a string cell with Excel's quote prefix, never as a formula; characters
XML cannot hold are dropped. Numbers (int, Decimal) and dates stay numbers and dates.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(text: str) -> str:
    """The text without characters an xlsx file cannot contain."""
    return _ILLEGAL.sub("", text)


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write `value` into ws[row, column] safely and return the cell."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "是" if value else "否"
    elif isinstance(value, int | Decimal | float | datetime | date):
        cell.value = value
    else:
        text = clean_text(str(value))
        cell.value = text
        if is_dangerous(text):
            cell.data_type = "s"  # openpyxl made it a formula: force a plain string
            cell.quotePrefix = True  # and Excel/LibreOffice keep it text when edited
    return cell


def append(ws: Any, values: list[Any]) -> None:
    """`ws.append(values)` with every text made safe (openpyxl would turn "=…" into a
    formula); other values are written as they are."""
    row = ws._current_row + 1  # where ws.append would write
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            put(ws, row, column, value)
        else:
            ws.cell(row=row, column=column).value = value
