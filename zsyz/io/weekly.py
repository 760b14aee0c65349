"""Weekly project reports (项目周报) as offices really send them.

One pass over the data sheet: the lines above the headings give the reporting unit
(填报单位), the date (填报日期) or week (第N周) and a default amount unit (金额单位：万元);
the headings (one row, or a merged group row over sub-headings) are matched through
`WEEKLY_COLUMNS`; then each row becomes a `ReportRow` of exact values, or problems.
Blank rows, 合计 rows and the 填表说明 notes below the table are skipped, each named in
the report's warnings. Nothing here
touches the ledger: units are names as written, resolved by the store.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zsyz.domain.periods import Period
from zsyz.domain.plan_values import row_place as row_place  # one definition, re-exported
from zsyz.domain.stages import PlannedStage, Stage
from zsyz.errors import BadInputError, Problem
from zsyz.io.columns import HeaderMatch, find_header, heading_key
from zsyz.io.values import ValueProblem, parse_date
from zsyz.io.weekly_cells import Parser, quoted_text
from zsyz.io.weekly_columns import ColumnPlan, column_parsers, plan_columns
from zsyz.io.weekly_dates import fallback_date
from zsyz.io.weekly_fields import HEADINGS, WEEKLY_COLUMNS
from zsyz.io.weekly_head import (
    form_name,
    form_stage,
    read_preamble,
    resolve_period,
    section_heading,
    section_stage,
    text_of,
)
from zsyz.io.workbook import Book

SCAN_ROWS = 30

# A total or a note is recognised by the whole row, never by how a name begins (a coded
# 小计算机配件产业园 or 说明书印刷包装项目 is a project): the label alone in its cell …
_TOTAL_LABEL = re.compile(
    r"^(?:合计|总计|小计|共计|全县合计|全县总计|累计合计|本页合计)[:：]?"
    r"(?:[（(][^）)]*[）)]|\d+个?(?:项目)?)?$"
)
_TOTAL_PREFIX = ("合", "总", "小", "共", "全", "累", "本")
# … a note line: the label then a colon, a number or nothing ("说明：1.…", "注1：", "填报人：")
_NOTES = re.compile(
    r"^(?:填表说明|说明|注|备注|填报人|审核人|单位负责人|制表人|联系人|联系电话)"
    r"(?:$|[:：\d（(、.．])"
)
# … and besides it only sums: numbers in the amount columns, no 项目编号, no other text.
_SUM_TEXT = re.compile(r"^[\d.,，\s]+(?:个|项|万元|亿元|元)?$")


@dataclass(frozen=True)
class ReportRow:
    row: int  # 1-based sheet row, as the sender sees it
    values: dict[str, Any]  # only the cells that were filled in
    raw: dict[str, str] = field(default_factory=dict)  # key → cell text where `values` differs
    sheet: str | None = None  # set when the report spans several sheets (签约项目, 开工项目 …)

    @property
    def where(self) -> str:
        """第5行, or 工作表「开工项目」第5行 in a report of several sheets."""
        return row_place(self.sheet, self.row)

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
    sheet: str  # the first data sheet
    kind: str  # xlsx | xls | xlsb | ods
    unit_text: str | None
    report_date: date | None
    period: Period | None  # the week it names (第10周), else the week of its date
    rows: list[ReportRow]
    problems: list[Problem]
    header: HeaderMatch
    warnings: list[str] = field(default_factory=list)
    # Where the sender may have named the unit without a 填报单位 line: the title lines,
    # the sheet's name, the file's name ("石佛寺镇2022年第10周项目周报.xlsx").
    unit_hints: tuple[str, ...] = ()
    taken: bool = False  # the rows were handed out by `take_rows` (read the file again)
    headers: dict[str, HeaderMatch] = field(default_factory=dict)  # every data sheet's
    # Every heading accounted for: [{"heading", "field"}] mapped, headings ignored, and
    # the ignored ones holding facts (not 序号), which `--strict` refuses.
    columns: list[dict[str, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    ignored_facts: list[str] = field(default_factory=list)
    form: str = ""  # title or sheet: which form this is (签约项目清单, 在谈项目 …)
    period_named: bool = False  # the report names its week itself (第10周)
    named_month: Period | None = None  # the month it names (「2022年3月」), for monthly reports

    def take_rows(self) -> Iterator[ReportRow]:
        """Every row once, in order, each released as it is handed out: the plan made
        from a row replaces it, so a 50,000-row report is not held twice in memory."""
        rows, self.rows = self.rows, []
        self.taken = True
        rows.reverse()
        while rows:
            yield rows.pop()

    def column_of(self, heading: str | None, sheet: str | None = None) -> int | None:
        """0-based column of a heading named in a problem (for the annotated copy)."""
        header = self.headers.get(sheet or self.sheet, self.header)
        for key, text in header.headings.items():
            if text == heading:
                return header.columns[key]
        return None


Picked = tuple[str, HeaderMatch, list[list[Any]], Iterator[list[Any]]]


def pick_sheets(book: Book) -> tuple[list[Picked], list[str]]:
    """The data sheets, in workbook order, and what to tell the sender about the choice.

    Every visible sheet whose headings name projects is data (an office may split its list
    by stage: 签约项目, 开工项目 …); an instructions or summary sheet is not. When the
    sheets are dated weeks of one workbook kept over time (第9周, 第10周 or 3.4, 3.11), only
    the latest is this report.
    """
    found: list[Picked] = []
    first_error: BadInputError | None = None
    for name in book.sheet_names():
        rows = book.rows(name)
        head = list(itertools.islice(rows, SCAN_ROWS + 1))
        try:
            header = find_header(head, WEEKLY_COLUMNS, scan=SCAN_ROWS, what=f"工作表「{name}」")
        except BadInputError as exc:
            first_error = first_error or exc
            continue
        found.append((name, header, head, rows))
    if not found:
        if first_error is not None:
            raise BadInputError(
                f"{book.path.name}：{first_error.message}；请使用项目周报模板（zsyz template）"
            )
        raise BadInputError(f"{book.path.name} 没有可读的工作表")
    most = max(len(h.columns) for _, h, _, _ in found)
    found = [f for f in found if len(f[1].columns) >= min(3, most)]
    if real := [f for f in found if not _EXAMPLE_SHEET.search(f[0])]:
        found = real  # a 填报示例/填表说明 sheet shaped like the table holds no projects
    dated = {f[0]: _sheet_day(f) for f in found}
    if len(found) > 1 and len({d for d in dated.values() if d is not None}) > 1:
        latest = max(found, key=lambda f: (dated[f[0]] is not None, dated[f[0]] or date.min))
        return [latest], [f"工作簿有多个周次的工作表，只导入最新的「{latest[0]}」"]
    return found, []


def _sheet_day(picked: Picked) -> date | None:
    """The day a sheet's name or its lines above the headings give, if any."""
    name, header, head, _ = picked
    for pre in (read_preamble([[name]]), read_preamble(head[: header.first_row])):
        if pre.free_date is not None:
            return pre.free_date
        if pre.date_raw not in (None, ""):
            try:
                day = parse_date(pre.date_raw, pre.year)
            except ValueProblem:
                day = None
            if day is not None:
                return day
        if pre.week is not None:
            try:
                return date.fromisocalendar(pre.year or 2000, pre.week, 7)
            except ValueError:  # 第0周, 0000年: no day; the sheet counts as undated
                return None
    m = _SHEET_MONTH_DAY.match(name.strip())
    if m:  # "3.11", "3月11日": a sheet per week named by its date
        try:
            return date(2000, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
    return None


_EXAMPLE_SHEET = re.compile(r"说明|示例|样例|范例|样表|模板|填表要求|填报要求|参考")
_SHEET_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[.月-]\s*(\d{1,2})\s*日?$")


def parse_weekly(
    path: Path,
    *,
    report_date: date | None = None,
    usd_rate: Decimal | None = None,
    stage: Stage | None = None,
    head_check: Callable[[WeeklyReport], None] | None = None,
) -> WeeklyReport:
    """Read one weekly report whole; every problem is collected, nothing is raised for rows.
    `head_check` sees the report's head (no rows yet) and may refuse it by raising."""
    book = Book(Path(path))
    picked, notes = pick_sheets(book)
    name, header, head, _ = picked[0]
    problems: list[Problem] = []
    pre = read_preamble(head[: header.first_row])
    for _, other, other_head, _ in picked[1:]:  # unit or date written on a later sheet only
        more = read_preamble(other_head[: other.first_row])
        pre.unit = pre.unit or more.unit
        if pre.date_raw in (None, "") and pre.week is None:
            pre.date_raw, pre.week, pre.year = more.date_raw, more.week, pre.year or more.year
        pre.free_date = pre.free_date or more.free_date
        pre.month = pre.month or more.month
    pre.month = pre.month or read_preamble([[Path(path).stem]]).month
    dated_by = fallback_date(pre, Path(path)) if report_date is None else None
    when, period = resolve_period(pre, report_date, problems)
    if dated_by and when is not None:
        notes.append(
            f"表中没有填报日期，按{dated_by}取 {when.isoformat()}；如不对请在表头写明填报日期"
        )
    period_named = (
        report_date is None
        and pre.week is not None
        and period is not None
        and period.start.isocalendar().week == pre.week
    )
    hints = (*pre.texts, *(p[0] for p in picked), Path(path).stem)
    if head_check is not None:  # no usable date or unit: refused before the rows are read
        head_check(
            WeeklyReport(
                Path(path), name, book.kind, pre.unit, when, period, [], list(problems), header,
                warnings=list(notes), unit_hints=hints, headers={p[0]: p[1] for p in picked},
                period_named=period_named, named_month=pre.month if report_date is None else None,
            )
        )  # fmt: skip
    year = when.year if when else pre.year
    rows: list[ReportRow] = []
    many = len(picked) > 1
    warnings = list(notes)
    implied = stage or form_stage(pre.texts)
    columns: list[dict[str, str]] = []
    ignored: list[str] = []
    facts: list[str] = []
    for sheet in picked:
        money = read_preamble(sheet[2][: sheet[1].first_row]).money_unit if many else None
        where = sheet[0] if many else None
        plan = plan_columns(sheet[1], money or pre.money_unit, usd_rate, where)
        problems += plan.problems
        warnings += plan.warnings
        columns += [c for c in plan.mapped(sheet[1]) if c not in columns]
        ignored += [h for h in plan.ignored.values() if h not in ignored]
        facts += [h for h in plan.facts_ignored() if h not in facts]
        rows += _sheet_rows(
            book,
            sheet,
            plan,
            money or pre.money_unit,
            year,
            problems,
            warnings,
            where,
            usd_rate,
            implied,
        )
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
        warnings=warnings,
        unit_hints=hints,
        headers={p[0]: p[1] for p in picked},
        columns=columns,
        ignored=ignored,
        ignored_facts=facts,
        form=((f"{pre.unit}·" if pre.unit else "") + form_name(pre.texts, name))[:200],
        period_named=period_named,
        named_month=pre.month if report_date is None else None,
    )


def _sheet_rows(
    book: Book,
    picked: Picked,
    plan: ColumnPlan,
    money_unit: str | None,
    year: int | None,
    problems: list[Problem],
    warnings: list[str],
    sheet: str | None,
    usd_rate: Decimal | None,
    implied: Stage | PlannedStage | None = None,
) -> list[ReportRow]:
    name, header, head, rest = picked
    gaps = book.formula_gaps(name)
    parsers = column_parsers(header, plan, money_unit, year, usd_rate)
    extras = [(label, col) for col, label in sorted(plan.extras.items())]
    soft = _Soft(header.headings.get("is_new", ""), warnings)
    name_col = header.columns["name"]
    rows: list[ReportRow] = []
    # A stage named by the sheet ("开工项目") or by a section line ("二、已签约项目（3个）")
    # holds for the rows under it that give no stage of their own.
    section = section_stage(name) or implied
    code_col = header.columns.get("code")
    lines = itertools.chain(head, rest)
    for index, cells in enumerate(lines):
        if index <= header.row:
            continue
        heading = section_heading(cells)
        if heading is not None:
            section = heading
            continue
        parsed = _parse_row(
            index, cells, parsers, name_col, gaps, problems, sheet, code_col, warnings, extras, soft
        )
        if parsed is _STOP:
            left = 1 + sum(1 for more in lines if any(text_of(c) for c in more))
            said = next((t for c in cells if (t := text_of(c))), "")[:20]
            warnings.append(
                f"{row_place(sheet, index + 1)}起是表后说明或签字栏（「{said}」），"
                f"共 {left} 行未作为项目读取"
            )
            break
        if isinstance(parsed, ReportRow):
            if section is not None and "stage" not in parsed.values:
                parsed.values["stage"] = section
            rows.append(parsed)
    return rows


_STOP = object()


@dataclass
class _Soft:
    """建设性质 (the new-or-continuing column) changes no number: a value outside 新建/续建
    (开业, 扩建) is kept as an extra attribute under its heading, with a warning."""

    heading: str
    warnings: list[str]

    def keep(self, values: dict[str, Any], text: str, row_no: int, sheet: str | None) -> None:
        label = heading_key(self.heading) or "建设性质"
        values.setdefault("extra", {})[label] = text
        self.warnings.append(
            f"{row_place(sheet, row_no)}「{self.heading}」写的是「{text}」，不是新建或续建："
            "未计为新建/续建，原文保存在项目附加信息中"
        )


def _no_code(cells: list[Any], code_col: int | None, label: str) -> bool:
    if code_col is None or code_col >= len(cells):
        return True
    code = text_of(cells[code_col]).replace(" ", "")
    return not code or code == label


def _is_total(label: str, cells: list[Any], code_col: int | None) -> bool:
    """The label alone in its cell, no 项目编号, only sums (numbers) in the other cells."""
    if not _TOTAL_LABEL.match(label) or not _no_code(cells, code_col, label):
        return False
    seen_label = False
    for c in cells:
        if c is None or c == "" or (isinstance(c, int | float) and not isinstance(c, bool)):
            continue
        text = text_of(c).replace(" ", "").replace("\u3000", "")
        if not text:
            continue
        if text == label and not seen_label:
            seen_label = True
            continue
        if not _SUM_TEXT.match(text):
            return False
    return True


def _parse_row(
    index: int,
    cells: list[Any],
    parsers: list[tuple[str, int, str, Parser, bool]],
    name_col: int,
    gaps: set[tuple[int, int]],
    problems: list[Problem],
    sheet: str | None,
    code_col: int | None,
    skipped: list[str],
    extras: list[tuple[str, int]] | None = None,
    soft: _Soft | None = None,
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
    row_no = index + 1
    label = (first or name_text).replace(" ", "").replace("\u3000", "")
    if label and label[0] in _TOTAL_PREFIX and _is_total(label, cells, code_col):
        skipped.append(
            f"{row_place(sheet, row_no)}「{label}」是合计行（只有合计数），未作为项目导入"
        )
        return None
    if label and _NOTES.match(label) and _no_code(cells, code_col, label):
        return _STOP  # 填表说明 and signatures: the table has ended
    values: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for key, col, heading, parse, quoted in parsers:
        if gaps and (index, col) in gaps:
            problems.append(
                Problem(
                    "公式没有计算结果（文件未经 Excel/WPS 重新计算保存）；请打开后保存再导入，或填写数值",
                    row=row_no,
                    column=heading,
                    sheet=sheet,
                )
            )
            continue
        value = cells[col] if col < width else ""
        if value == "" or value is None:
            continue
        parsed = parse(value)
        if type(parsed) is Problem:
            if key == "is_new" and soft is not None:
                soft.keep(values, text_of(value), row_no, sheet)
                continue
            problems.append(
                replace(parsed, row=row_no, column=heading, value=text_of(value), sheet=sheet)
            )
            continue
        if parsed is not None:
            values[key] = parsed
            if quoted and (text := quoted_text(value, parsed)) is not None:
                raw[key] = text
    for label, col in extras or ():
        if col < width and (text := text_of(cells[col])):
            values.setdefault("extra", {})[label] = text
    if not values:
        shown = "、".join(t for c in cells if (t := text_of(c)))[:40]
        skipped.append(f"{row_place(sheet, row_no)}没有可读取的项目内容（{shown}），未导入")
        return None
    if "name" not in values:
        problems.append(
            Problem(
                "缺少项目名称（一行一个项目：名称不能与上一行合并单元格，请每行填写）",
                row=row_no,
                column=HEADINGS["name"],
                sheet=sheet,
            )
        )
        return None
    return ReportRow(row_no, values, raw, sheet)
