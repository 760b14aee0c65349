"""Rendering report values as a rich table, JSON or CSV. Reports stay pure values.

A listing is a list of dicts plus the columns to show (key, Chinese heading). JSON gets
the dicts whole; CSV is UTF-8 with BOM so Excel opens Chinese correctly.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

Column = tuple[str, str]  # (key in the row dict, heading)
_AS_IS = frozenset({str, int, float, bool, type(None)})  # exact types; enums are subclasses


def json_leaf(value: Any) -> Any:
    """A value JSON has no type for, as the contracts write it: Decimal as an exact
    number (an integer when whole), dates ISO, enums by value, sets as lists."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value.normalize())
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def plain(value: Any) -> Any:
    """The tree with every value JSON-safe (`json_leaf`), for writers other than `to_json`."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    try:
        return json_leaf(value)
    except TypeError:
        return value


def to_json(data: Any) -> str:
    """The one JSON writer of every `--format json`: 2-space indent, Chinese as written,
    values json has no type for through `json_leaf`.

    The standard library's, not orjson: on the province's `rank --format json` (5.7 MB)
    it costs 0.9 s against orjson's 0.1–0.2 s, inside the command's run-to-run spread,
    and it writes every string (a file name's undecodable bytes) and integer orjson
    refuses, so no second path is needed."""
    encoder = json.JSONEncoder(default=json_leaf, ensure_ascii=False, indent=2)
    text = io.StringIO()
    # what json.dumps returns, without the list of every chunk it joins (an indented
    # encoding yields millions of small strings: 270 MB for the province's alerts)
    text.writelines(encoder.iterencode(data))
    return text.getvalue()


def json_bytes(data: Any, *, newline: bool = False) -> bytes:
    """`to_json(data)` (plus a newline) as UTF-8. A file name that is not UTF-8 carries
    lone surrogates: written as \\udcff escapes, still valid JSON (and read back as the
    same string), never an encoding error."""
    return (to_json(data) + ("\n" if newline else "")).encode("utf-8", "backslashreplace")


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Text safe to print on a terminal: control characters, terminal escapes (ESC …),
    bidi overrides and undecodable bytes of a file name shown as \x1b, \u202e, \udcff."""
    if text.isprintable():  # nearly every value: one C-level scan
        return text
    out = []
    for ch in text:
        if (
            ch.isprintable()
            or ch == " "
            or unicodedata.category(ch) == "Zs"
            or (keep_newlines and ch == "\n")
        ):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, list | tuple):
        return "、".join(cell_text(v) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[Column]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_safe(heading) for _, heading in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(key)) for key, _ in columns])
    return buf.getvalue()


def csv_cell(value: Any) -> str:
    """A value as CSV text: numbers stay numbers (-5 is data), any text is made safe."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return cell_text(value)
    return csv_safe(cell_text(value))


def csv_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection): a name such as
    "=HYPERLINK(…)", "+1" or "-2+3" gets a leading apostrophe, as Excel's own escape."""
    if text and text[0] in "=+-@\t\r\n":
        return "'" + text
    return text


def emit(
    rows: list[dict[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    title: str | None = None,
    output: Path | None = None,
    json_data: Any = None,
    empty: str = "（无记录）",
) -> None:
    """Print or write a listing in the chosen format."""
    if fmt == "json":
        write_bytes(json_bytes(rows if json_data is None else json_data, newline=True), output)
    elif fmt == "csv":
        write_text(to_csv(rows, columns), output, bom=True)
    else:
        print_table(rows, columns, title=title, output=output, empty=empty)


def print_table(
    rows: list[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    output: Path | None = None,
    empty: str = "（无记录）",
) -> None:
    print_tables([(rows, columns, title, empty)], output=output)


Section = tuple[list[dict[str, Any]], Sequence[Column], str | None, str]


def print_tables(sections: Sequence[Section], *, output: Path | None = None) -> None:
    """Several tables one after another, on the terminal or into one file."""
    from rich.console import Console

    console = (
        Console(file=io.StringIO(), width=PIPED_WIDTH, color_system=None)
        if output is not None
        else terminal_console()
    )
    for rows, columns, title, empty in sections:
        shown = _table(rows, columns, title) if rows else empty
        console.print(shown)
    if console is not None and output is not None:
        write_text(console.file.getvalue(), output)  # type: ignore[union-attr]


PIPED_WIDTH = 200  # cron mail and redirected files: wide enough that no cell is cut


def terminal_console(stderr: bool = False) -> Any:
    """A rich console: the terminal's width on a terminal, a wide page when piped.

    Rich assumes 80 columns when stdout is not a terminal, which cuts Chinese cells
    to "…" in exactly the output operators mail to leaders.
    """
    import os

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty() or os.environ.get("COLUMNS"):
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=PIPED_WIDTH)


def _table(rows: list[dict[str, Any]], columns: Sequence[Column], title: str | None) -> Any:
    from rich.table import Table
    from rich.text import Text

    shown = visible(title, keep_newlines=True) if title else title
    table = Table(title=shown, show_lines=False, header_style="bold")
    for key, heading in columns:
        numeric = (
            bool(rows)
            and all(
                isinstance(r.get(key), int | Decimal) and not isinstance(r.get(key), bool)
                for r in rows
                if r.get(key) is not None
            )
            and any(r.get(key) is not None for r in rows)
        )
        table.add_column(heading, justify="right" if numeric else "left")
    for row in rows:  # Text, not markup: a name such as "[red]…" prints as written
        table.add_row(*(Text(visible(cell_text(row.get(key)))) for key, _ in columns))
    return table


def write_text(text: str, output: Path | None, *, bom: bool = False) -> None:
    # a file name that is not UTF-8 (lone surrogates) is written as \udcff, never a crash
    write_bytes(text.encode("utf-8-sig" if bom else "utf-8", "backslashreplace"), output)


def write_bytes(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from zsyz.io.files import atomic_write_bytes

    atomic_write_bytes(output, data)


def say(message: str) -> None:
    """A one-line human message on stderr (keeps stdout clean for --format json)."""
    print(visible(message, keep_newlines=True), file=sys.stderr)
