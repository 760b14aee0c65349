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
from itertools import chain, compress
from pathlib import Path
from typing import Any

Column = tuple[str, str]  # (key in the row dict, heading)
_AS_IS = frozenset({str, int, float, bool, type(None)})  # exact types; enums are subclasses


def plain(value: Any) -> Any:
    """JSON-safe value: Decimal as an exact number, dates ISO, enums by value."""
    if type(value) in _AS_IS:  # most values: a province's alerts are a million of them
        return value
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value.normalize())
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def to_json(data: Any) -> str:
    fast = orjson_bytes(data)
    return stdlib_json(data) if fast is None else fast.decode("utf-8")


def json_bytes(data: Any, *, newline: bool = False) -> bytes:
    """`stdlib_json(data)` (plus a newline) as UTF-8: through orjson when the tree allows
    it (a province's alerts, 49 MB: a tenth of a second instead of two), else the stdlib."""
    fast = orjson_bytes(data, newline=newline)
    if fast is not None:
        return fast
    # A file name that is not UTF-8 carries lone surrogates: written as \udcff escapes,
    # still valid JSON (and read back as the same string), never an encoding error.
    return (stdlib_json(data) + ("\n" if newline else "")).encode("utf-8", "backslashreplace")


def stdlib_json(data: Any) -> str:
    """The reference rendering: what `orjson_bytes` must reproduce byte for byte."""
    return json.dumps(plain(data), ensure_ascii=False, indent=2)


# orjson renders these exact types as `stdlib_json` does (Decimal, dates through
# `_orjson_default`); a float it writes "1e-05" as 0.00001 and NaN as null, so a tree
# holding one (or any other type) takes the stdlib path instead.
_FAST_LEAF = frozenset({str, int, bool, type(None), Decimal, date, datetime})
_FAST_ENUM_VALUE = frozenset({str, int, bool, type(None)})  # plain() stops at .value
_FAST_SEQUENCE = frozenset({list, tuple})
_FAST_CONTAINERS = frozenset({dict, list, tuple})
_FAST_KINDS = _FAST_LEAF | _FAST_CONTAINERS
_DICT = frozenset({dict})
_MAX_DEPTH = 250  # orjson refuses deeper trees
_MAX_LEVEL = 5_000_000  # nodes at one depth: a list holding itself twice doubles each level


def orjson_bytes(data: Any, *, newline: bool = False) -> bytes | None:
    """`stdlib_json(data)` as UTF-8 through orjson, or None when orjson would differ."""
    if not _fast_tree(data):
        return None
    import orjson  # here, not at the top: `zsyz --help` never needs it

    # dates through isoformat(): orjson's own drops an offset's seconds
    option = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME
    if newline:
        option |= orjson.OPT_APPEND_NEWLINE
    try:
        return orjson.dumps(data, default=_orjson_default, option=option)
    except orjson.JSONEncodeError:  # ints past 64 bits, lone surrogates, odd Decimals
        return None


def _orjson_default(value: Any) -> Any:
    """Decimal, dates and enums as `plain` renders them (a float as json.dumps writes it)."""
    kind = type(value)
    if kind is Decimal or kind is date or kind is datetime or isinstance(value, Enum):
        out = plain(value)
        return _float_fragment(out) if type(out) is float else out
    raise TypeError(kind.__name__)


def _float_fragment(number: float) -> Any:
    """A float exactly as json.dumps writes it (repr; NaN and ±Infinity by name)."""
    import orjson

    if number != number:
        text = "NaN"
    elif number in (float("inf"), float("-inf")):
        text = "Infinity" if number > 0 else "-Infinity"
    else:
        text = float.__repr__(number)
    return orjson.Fragment(text)


def _fast_tree(data: Any) -> bool:
    """Whether every node of the tree has a type orjson renders as `stdlib_json` does.

    Depth by depth with C-speed passes (map, chain, compress), not a Python call per
    node: a province's alerts hold a million values. Keys need no look: orjson refuses
    any key but an exact str (plain() would write str(key))."""
    level = [data]
    for _ in range(_MAX_DEPTH):
        kinds = list(map(type, level))
        present = set(kinds)
        if not present <= _FAST_KINDS and not all(map(_fast_odd, level)):
            return False
        if not present & _FAST_CONTAINERS:
            return True
        dicts = compress(level, map(_DICT.__contains__, kinds)) if dict in present else ()
        sequences = compress(level, map(_FAST_SEQUENCE.__contains__, kinds))
        level = [
            *chain.from_iterable(map(dict.values, dicts)),
            *chain.from_iterable(sequences),
        ]
        if len(level) > _MAX_LEVEL:
            return False
    return False


def _fast_odd(value: Any) -> bool:
    """An enum whose value needs nothing more (plain() stops at .value), or a known type."""
    if type(value) in _FAST_KINDS:
        return True
    return isinstance(value, Enum) and type(value.value) in _FAST_ENUM_VALUE


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
