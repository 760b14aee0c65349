"""The annotated copy of a refused report: `<name>.错误标注.xlsx`.

The unit gets its own file back with a first sheet 错误清单 listing every problem (row,
column, value, reason, and a link to the cell), and every bad cell filled red with a
comment saying why. An .xlsx keeps its formatting: its zip is patched (annotate_zip),
only the bad cells' sheets, the styles and the workbook parts rewritten, so refusing a
large file costs about what reading it does. Other formats (.xls/.et, .xlsb, .ods) and
.xlsx books the patcher does not understand go through openpyxl (rebuilt from their
values as a new .xlsx, or loaded and saved whole).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zsyz.errors import Problem
from zsyz.io.cells import append
from zsyz.io.files import atomic_write
from zsyz.io.weekly import WeeklyReport
from zsyz.io.workbook import Book

SUFFIX = ".错误标注.xlsx"
BAD_FILL = "FFC7CE"
BAD_FONT = "9C0006"


def annotated_name(source: Path, folder: Path | None = None, *, unit: str | None = None) -> Path:
    """`<name>.错误标注.xlsx` beside the file; in a shared folder also the unit and the
    time (`<name>.<unit>.<yyyymmdd-hhmmss>.错误标注.xlsx`), never overwriting another."""
    if folder is None:
        return source.parent / f"{source.stem}{SUFFIX}"
    import time

    parts = [source.stem, *([unit] if unit else []), time.strftime("%Y%m%d-%H%M%S")]
    target = folder / f"{'.'.join(parts)}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{'.'.join(parts)}-{n}{SUFFIX}"
    return target


def _open(report: WeeklyReport) -> Any:
    from openpyxl import Workbook, load_workbook

    if report.kind == "xlsx":
        try:
            return load_workbook(report.path, keep_vba=report.path.suffix.lower() == ".xlsm")
        except Exception:  # openpyxl refuses some files calamine reads; fall back to values
            pass
    wb = Workbook()
    wb.remove(wb.active)
    book = Book(report.path)
    for name in book.sheet_names():
        ws = wb.create_sheet(name[:31])
        for row in book.rows(name):
            append(ws, [None if v == "" else v for v in row])
    return wb


def _writable(ws: Any, row: int, col: int) -> Any:
    """The cell to mark: inside a merged range (a name merged across rows) its top-left
    cell, the one that holds the value and can take a comment."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(row=rng.min_row, column=rng.min_col)
    return ws.cell(row=row, column=col)


def _locate(
    report: WeeklyReport, problems: list[Problem], titles: list[str]
) -> tuple[dict[tuple[str, int, int], list[str]], list[str | None]]:
    """Each problem's cell: the notes per (sheet title, row, column) and each one's ref."""
    notes: dict[tuple[str, int, int], list[str]] = {}
    where: list[str | None] = []
    for p in problems:
        if p.row is None:
            where.append(None)
            continue
        header = report.headers.get(p.sheet or report.sheet, report.header)
        col = report.column_of(p.column, p.sheet)
        col = header.columns.get("name", 0) if col is None else col
        wanted = (p.sheet or report.sheet)[:31]
        title = wanted if wanted in titles else titles[0]
        notes.setdefault((title, p.row, col + 1), []).append(p.for_clerk)
        where.append(f"'{title}'!{_letter(col + 1)}{p.row}")
    return notes, where


def _letter(col: int) -> str:
    from zsyz.io.xlsx_patch import col_letter

    return col_letter(col)


def _heading(problems: list[Problem]) -> str:
    return f"本文件未导入：共 {len(problems)} 处问题。请按下表和红色单元格的批注修改后重新报送。"


def _summary_rows(
    problems: list[Problem], where: list[str | None]
) -> list[tuple[list[Any], str | None]]:
    rows: list[tuple[list[Any], str | None]] = []
    for i, (p, ref) in enumerate(zip(problems, where, strict=True), start=1):
        shown = ref.split("!", 1)[1] if ref and p.sheet is None else ref
        clerk = (f"工作表「{p.sheet}」：" if p.sheet else "") + p.for_clerk
        values = [i, shown or "整个文件", p.row, p.column, p.value, clerk]
        rows.append((values, ref))
    return rows


def _patched(report: WeeklyReport, problems: list[Problem], target: Path) -> bool:
    """Write the copy by patching the .xlsx's zip; False when the book needs openpyxl."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from zsyz.io.annotate_zip import patch
    from zsyz.io.xlsx_patch import Unpatchable, anchor, merged_ranges, worksheets

    try:
        with zipfile.ZipFile(report.path) as zf:
            sheets = worksheets(zf)
            notes, where = _locate(report, problems, [s.title for s in sheets])
            by_title = {s.title: s for s in sheets}
            merged: dict[str, list[tuple[int, int, int, int]]] = {}
            for (title, row, col), messages in notes.items():
                if title not in merged:  # a name merged across rows: mark its anchor cell
                    with zf.open(by_title[title].part) as src:
                        merged[title] = merged_ranges(src)
                cell = anchor(merged[title], row, col)
                by_title[title].notes.setdefault(cell, []).extend(messages)
        rows = _summary_rows(problems, where)
        atomic_write(target, lambda tmp: patch(report.path, tmp, sheets, _heading(problems), rows))
    except (Unpatchable, zipfile.BadZipFile, KeyError, ValueError, ParseError, UnicodeError):
        return False
    return True


def write_annotated(report: WeeklyReport, problems: list[Problem], target: Path) -> Path:
    """Write the annotated copy to `target` (atomically) and return it."""
    if report.kind == "xlsx" and _patched(report, problems, target):
        return target
    return _rebuilt(report, problems, target)


def _rebuilt(report: WeeklyReport, problems: list[Problem], target: Path) -> Path:
    """The copy through openpyxl: for formats other than .xlsx and books the patcher
    does not understand."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = _open(report)
    fill = PatternFill("solid", fgColor=BAD_FILL)
    font = Font(color=BAD_FONT, bold=True)
    notes, where = _locate(report, problems, [ws.title for ws in wb.worksheets])
    for (title, row, col), messages in notes.items():
        cell = _writable(wb[title], row, col)
        cell.fill = fill
        cell.font = font
        text = "\n".join(f"• {m}" for m in messages)
        comment = Comment(text, "zsyz 导入检查")
        comment.width = 320
        comment.height = 60 + 40 * len(messages)
        cell.comment = comment

    summary = wb.create_sheet("错误清单", 0)
    summary.append([_heading(problems)])
    summary["A1"].font = Font(bold=True, size=13, color=BAD_FONT)
    summary.merge_cells("A1:F1")
    summary.append(["序号", "位置", "行", "列", "填写的值", "问题及修改方法"])
    for cell in summary[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for i, (values, ref) in enumerate(_summary_rows(problems, where), start=1):
        append(summary, values)
        if ref:
            link = summary.cell(row=i + 2, column=2)
            link.hyperlink = f"#{ref}"
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDEF", (6, 12, 6, 16, 20, 90), strict=True):
        summary.column_dimensions[letter].width = width
    for row in summary.iter_rows(min_row=3):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    summary.freeze_panes = "A3"
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    atomic_write(target, lambda tmp: wb.save(tmp))
    return target
