"""Weekly project reports (项目周报) as offices really send them.

One pass over the data sheet: the lines above the headings give the reporting unit
(填报单位), the date (填报日期) or week (第N周) and a default amount unit (金额单位：万元);
the headings (one row, or a merged group row over sub-headings) are matched through
`WEEKLY_COLUMNS`; then each row becomes a `ReportRow` of exact values, or problems.
Blank rows, 合计 rows and the 填表说明 notes below the table are skipped. Nothing here
touches the ledger: units are names as written, resolved by the store.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from zsyz.domain.periods import Period
from zsyz.errors import BadInputError, Problem
from zsyz.io.columns import HeaderMatch, find_header
from zsyz.io.values import ValueProblem
from zsyz.io.weekly_cells import Parser, column_parsers, quoted_text
from zsyz.io.weekly_fields import HEADINGS, WEEKLY_COLUMNS
from zsyz.io.weekly_head import (
    read_preamble,
    resolve_period,
    section_heading,
    section_stage,
    text_of,
)
from zsyz.io.workbook import Book

SCAN_ROWS = 30

_TOTAL_ROW = re.compile(r"^(合计|总计|小计|全县合计|累计合计)")
_NOTES = re.compile(
    r"^(填表说明|说明|注[:：]|备注[:：]|填报人|审核人|单位负责人|制表人|联系人[:：])"
)


@dataclass(frozen=True)
class ReportRow:
    row: int  # 1-based sheet row, as the sender sees it
    values: dict[str, Any]  # only the cells that were filled in
    raw: dict[str, str] = field(default_factory=dict)  # key → cell text where `values` differs

    def text(self, key: str) -> str | None:
        """The cell text as written, for messages (quoted kinds only)."""
        if key in self.raw:
            return self.raw[key]
        value = self.values.get(key)
        if type(value) is str:
            return value
        if type(value) is date:
            return value.isoformat()
        return None


@dataclass
class WeeklyReport:
    path: Path
    sheet: str
    kind: str  # xlsx | xls | xlsb | ods
    unit_text: str | None
    report_date: date | None
    period: Period | None
    rows: list[ReportRow]
    problems: list[Problem]
    header: HeaderMatch
    warnings: list[str] = field(default_factory=list)
    # Where the sender may have named the unit without a 填报单位 line: the title lines,
    # the sheet's name, the file's name ("石佛寺镇2022年第10周项目周报.xlsx").
    unit_hints: tuple[str, ...] = ()
    taken: bool = False  # the rows were handed out by `take_rows` (read the file again)

    def take_rows(self) -> Iterator[ReportRow]:
        """Every row once, in order, each released as it is handed out: the plan made
        from a row replaces it, so a 50,000-row report is not held twice in memory."""
        rows, self.rows = self.rows, []
        self.taken = True
        rows.reverse()
        while rows:
            yield rows.pop()

    def column_of(self, heading: str | None) -> int | None:
        """0-based column of a heading named in a problem (for the annotated copy)."""
        for key, text in self.header.headings.items():
            if text == heading:
                return self.header.columns[key]
        return None


def _pick_sheet(book: Book) -> tuple[str, HeaderMatch, list[list[Any]], Iterator[list[Any]]]:
    """The sheet whose headings match best (an instructions sheet may come first)."""
    best: tuple[str, HeaderMatch, list[list[Any]], Iterator[list[Any]]] | None = None
    first_error: BadInputError | None = None
    for name in book.sheet_names():
        rows = book.rows(name)
        head = list(itertools.islice(rows, SCAN_ROWS + 1))
        try:
            header = find_header(head, WEEKLY_COLUMNS, scan=SCAN_ROWS, what=f"工作表「{name}」")
        except BadInputError as exc:
            first_error = first_error or exc
            continue
        if best is None or len(header.columns) > len(best[1].columns):
            best = (name, header, head, rows)
    if best is None:
        if first_error is not None:
            raise BadInputError(
                f"{book.path.name}：{first_error.message}；请使用项目周报模板（zsyz template）"
            )
        raise BadInputError(f"{book.path.name} 没有可读的工作表")
    return best


def parse_weekly(path: Path, *, report_date: date | None = None) -> WeeklyReport:
    """Read one weekly report whole; every problem is collected, nothing is raised for rows."""
    book = Book(Path(path))
    name, header, head, rest = _pick_sheet(book)
    problems: list[Problem] = []
    pre = read_preamble(head[: header.first_row])
    if pre.date_raw in (None, "") and pre.week is None and pre.free_date is None:
        named = read_preamble([[Path(path).stem]])  # "石佛寺镇2022年第10周.xlsx"
        pre.week, pre.free_date = named.week, named.free_date
        pre.year = pre.year or named.year
    when, period = resolve_period(pre, report_date, problems)
    year = when.year if when else pre.year
    gaps = book.formula_gaps(name)
    parsers = column_parsers(header, pre.money_unit, year)
    rows: list[ReportRow] = []
    name_col = header.columns["name"]
    # A stage named by the sheet ("开工项目") or by a section line ("二、已签约项目（3个）")
    # holds for the rows under it that give no stage of their own.
    section = section_stage(name)
    for index, cells in enumerate(itertools.chain(head, rest)):
        if index <= header.row:
            continue
        heading = section_heading(cells)
        if heading is not None:
            section = heading
            continue
        parsed = _parse_row(index, cells, parsers, name_col, gaps, problems)
        if parsed is _STOP:
            break
        if isinstance(parsed, ReportRow):
            if section is not None and "stage" not in parsed.values:
                parsed.values["stage"] = section
            rows.append(parsed)
    hints = (*pre.texts, name, Path(path).stem)
    return WeeklyReport(
        Path(path),
        name,
        book.kind,
        pre.unit,
        when,
        period,
        rows,
        problems,
        header,
        unit_hints=hints,
    )


_STOP = object()


def _parse_row(
    index: int,
    cells: list[Any],
    parsers: list[tuple[str, int, str, Parser, bool]],
    name_col: int,
    gaps: set[tuple[int, int]],
    problems: list[Problem],
) -> ReportRow | object | None:
    width = len(cells)
    first = ""
    for c in cells[: max(name_col + 1, 3)]:
        if c is not None and c != "":
            first = text_of(c)
            if first:
                break
    name_cell = cells[name_col] if name_col < width else ""
    name_text = name_cell.strip() if type(name_cell) is str else text_of(name_cell)
    if not first and not any(text_of(c) for c in cells):
        return None  # blank row
    if _TOTAL_ROW.match(first.replace(" ", "")) or _TOTAL_ROW.match(name_text.replace(" ", "")):
        return None
    if _NOTES.match(first.replace(" ", "")):
        return _STOP  # 填表说明 and signatures: the table has ended
    row_no = index + 1
    values: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for key, col, heading, parse, quoted in parsers:
        if gaps and (index, col) in gaps:
            problems.append(
                Problem(
                    "公式没有计算结果（文件未经 Excel/WPS 重新计算保存）；请打开后保存再导入，或填写数值",
                    row=row_no,
                    column=heading,
                )
            )
            continue
        value = cells[col] if col < width else ""
        if value == "" or value is None:
            continue
        try:
            parsed = parse(value)
        except ValueProblem as exc:
            problems.append(Problem(str(exc), row=row_no, column=heading, value=text_of(value)))
            continue
        if parsed is not None:
            values[key] = parsed
            if quoted and (text := quoted_text(value, parsed)) is not None:
                raw[key] = text
    if not values:
        return None
    if "name" not in values:
        problems.append(Problem("缺少项目名称", row=row_no, column=HEADINGS["name"]))
        return None
    return ReportRow(row_no, values, raw)
