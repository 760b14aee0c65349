"""The annotated copy of a refused report: `<name>.错误标注.xlsx`.

The unit gets its own file back with a first sheet 错误清单 listing every problem (row,
column, value, reason, and a link to the cell), and every bad cell filled red with a
comment saying why. An .xlsx keeps its formatting (openpyxl edits it in place); other
formats (.xls/.et, .xlsb, .ods) are rebuilt from their values as a new .xlsx.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zsyz.errors import Problem
from zsyz.io.cells import append
from zsyz.io.files import atomic_write
from zsyz.io.weekly import WeeklyReport
from zsyz.io.workbook import Book

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

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


def _writable(ws: Worksheet, row: int, col: int) -> Any:
    """The cell to mark: inside a merged range (a name merged across rows) its top-left
    cell, the one that holds the value and can take a comment."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(row=rng.min_row, column=rng.min_col)
    return ws.cell(row=row, column=col)


def write_annotated(report: WeeklyReport, problems: list[Problem], target: Path) -> Path:
    """Write the annotated copy to `target` (atomically) and return it."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = _open(report)

    def sheet_of(name: str | None) -> Worksheet:
        title = (name or report.sheet)[:31]
        return wb[title] if title in wb.sheetnames else wb.worksheets[0]

    fill = PatternFill("solid", fgColor=BAD_FILL)
    font = Font(color=BAD_FONT, bold=True)
    notes: dict[tuple[str, int, int], list[str]] = {}
    where: list[str | None] = []
    for p in problems:
        if p.row is None:
            where.append(None)
            continue
        header = report.headers.get(p.sheet or report.sheet, report.header)
        col = report.column_of(p.column, p.sheet)
        col = header.columns.get("name", 0) if col is None else col
        ws = sheet_of(p.sheet)
        notes.setdefault((ws.title, p.row, col + 1), []).append(p.message)
        where.append(f"'{ws.title}'!{get_column_letter(col + 1)}{p.row}")
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
    summary.append(
        [f"本文件未导入：共 {len(problems)} 处问题。请按下表和红色单元格的批注修改后重新报送。"]
    )
    summary["A1"].font = Font(bold=True, size=13, color=BAD_FONT)
    summary.merge_cells("A1:F1")
    summary.append(["序号", "位置", "行", "列", "填写的值", "问题及修改方法"])
    for cell in summary[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for i, (p, ref) in enumerate(zip(problems, where, strict=True), start=1):
        shown = ref.split("!", 1)[1] if ref and p.sheet is None else ref
        append(summary, [i, shown or "整个文件", p.row, p.column, p.value, p.as_dict()["message"]])
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
