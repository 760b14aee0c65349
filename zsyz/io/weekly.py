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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from zsyz.domain.periods import Period, PeriodKind, iso_week, period_containing
from zsyz.domain.stages import Stage, stage_from_text
from zsyz.errors import BadInputError, Problem
from zsyz.io.columns import Column, HeaderMatch, find_header
from zsyz.io.values import (
    MAX_WAN,
    QUANTUM,
    SCALE_TO_WAN,
    ValueProblem,
    clean_text,
    code_text,
    parse_amount,
    parse_area,
    parse_date,
    parse_flag,
)
from zsyz.io.workbook import Book

SCAN_ROWS = 30

# key, kind, synonyms (first is the template's heading). Kinds: text, code, amount,
# area, date, stage, units, flag. `key` is the project column (roles for units).
FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("code", "code", ("项目编号", "编号", "项目代码", "项目编码", "代码", "项目ID")),
    ("name", "text", ("项目名称", "名称", "项目", "项目全称")),
    (
        "investor",
        "text",
        (
            "投资方",
            "投资主体",
            "企业名称",
            "签约企业",
            "投资企业",
            "投资商",
            "客商名称",
            "合作企业",
            "投资单位",
        ),
    ),
    (
        "investor_origin",
        "text",
        (
            "投资方所在地",
            "客商来源地",
            "投资方来源地",
            "来源地",
            "客商所在地",
            "投资方地区",
            "企业所在地",
        ),
    ),
    ("investor_type", "text", ("投资方类型", "企业性质", "客商类型", "投资方性质")),
    (
        "category",
        "text",
        (
            "产业类别",
            "行业类别",
            "项目类别",
            "项目类型",
            "所属行业",
            "行业",
            "产业类型",
            "产业分类",
        ),
    ),
    ("chain", "text", ("产业链", "所属产业链", "产业链条")),
    ("level", "text", ("项目级别", "项目层级", "级别", "重点项目类别")),
    ("is_new", "flag", ("新建/续建", "新建续建", "建设性质", "新建或续建", "是否新建")),
    (
        "total_investment",
        "amount",
        (
            "总投资",
            "计划总投资",
            "协议投资额",
            "投资金额",
            "项目总投资",
            "总投资额",
            "签约金额",
            "合同投资额",
            "协议总投资",
        ),
    ),
    ("fai", "amount", ("固定资产投资", "固投金额", "固投", "固定资产投资额", "其中固定资产投资")),
    (
        "planned_investment_year",
        "amount",
        ("年度计划投资", "当年计划投资", "今年计划投资", "年计划投资", "本年计划投资"),
    ),
    (
        "completed_investment_year",
        "amount",
        ("当年完成投资", "今年完成投资", "年度完成投资", "本年完成投资", "本年累计完成投资"),
    ),
    (
        "funds_in_place",
        "amount",
        ("到位资金", "累计到位资金", "实际到位资金", "到位资金累计", "资金到位", "累计到位"),
    ),
    ("foreign_funds", "amount", ("利用外资", "实际利用外资", "到位外资", "外资")),
    (
        "out_of_province_funds",
        "amount",
        ("省外资金", "省外到位资金", "省外内资", "引进省外资金", "省外资金到位"),
    ),
    ("land_area", "area", ("用地面积", "用地", "供地面积", "占地面积", "用地亩数", "占地")),
    ("needs_land", "flag", ("是否供地", "是否需要供地", "是否用地", "需要供地")),
    ("expected_tax", "amount", ("预计年税收", "年税收", "预计税收", "预计年纳税")),
    ("fiscal_support", "flag", ("一事一议", "是否一事一议")),
    (
        "stage",
        "stage",
        ("项目阶段", "项目进度", "当前阶段", "状态", "项目状态", "所处阶段", "进展阶段", "阶段"),
    ),
    ("lead_on", "date", ("线索日期", "获取信息时间", "获得线索时间")),
    ("negotiating_on", "date", ("洽谈日期", "首次洽谈时间", "洽谈时间")),
    ("signed_on", "date", ("签约日期", "签约时间", "协议签订时间", "签订日期")),
    ("started_on", "date", ("开工日期", "开工时间", "实际开工时间")),
    ("producing_on", "date", ("投产日期", "投产时间", "竣工投产时间")),
    ("full_output_on", "date", ("达效日期", "达产时间", "达效时间")),
    ("dropped_on", "date", ("终止日期", "终止时间", "退库时间")),
    ("planned_start_on", "date", ("计划开工日期", "计划开工时间", "预计开工时间")),
    (
        "roles:sourcing",
        "units",
        (
            "招引单位",
            "引进单位",
            "责任单位",
            "招商单位",
            "引资单位",
            "招引责任单位",
            "招商引资单位",
        ),
    ),
    (
        "roles:landing",
        "units",
        ("落地单位", "落地乡镇", "承接单位", "项目落地单位", "所在乡镇", "落地园区", "承接乡镇"),
    ),
    (
        "leader_name",
        "text",
        (
            "责任领导",
            "包保领导",
            "联系领导",
            "分包领导",
            "县级领导",
            "牵头领导",
            "包联领导",
            "包联县领导",
            "联系县领导",
            "分包县领导",
            "责任县领导",
        ),
    ),
    ("roles:compiling", "units", ("项目编制单位", "编制单位")),
    ("contact", "text", ("联系人", "联系方式", "项目联系人", "联系电话", "企业联系人")),
    (
        "progress",
        "text",
        (
            "本周进展",
            "进展情况",
            "推进情况",
            "本周工作进展",
            "项目进展",
            "工作进展",
            "最新进展",
            "项目进展情况",
            "项目推进情况",
            "本周进展情况",
        ),
    ),
    (
        "problems",
        "text",
        ("存在问题", "问题及建议", "存在的问题", "存在问题及建议", "需协调解决的问题", "困难问题"),
    ),
    ("remarks", "text", ("备注",)),
)
KINDS: dict[str, str] = {key: kind for key, kind, _ in FIELDS}
WEEKLY_COLUMNS: tuple[Column, ...] = tuple(
    Column(key, syn, required=(key == "name")) for key, _, syn in FIELDS
)
HEADINGS: dict[str, str] = {key: syn[0] for key, _, syn in FIELDS}

_TOTAL_ROW = re.compile(r"^(合计|总计|小计|全县合计|累计合计)")
_NOTES = re.compile(
    r"^(填表说明|说明|注[:：]|备注[:：]|填报人|审核人|单位负责人|制表人|联系人[:：])"
)
_UNIT_LINE = re.compile(r"(?:填报|报送)单位(?:[（(]盖章[)）])?[:：]?\s*(.*)$")
_DATE_LINE = re.compile(r"(?:填报|报送|统计)(?:日期|时间)[:：]?\s*(.*)$")
_WEEK = re.compile(r"(?:(\d{4})\s*年\s*)?第\s*(\d{1,2})\s*周")
_ISO_WEEK = re.compile(r"(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})(?!\d)")
_YEAR = re.compile(r"(\d{4})\s*年")
_MONEY_UNIT = re.compile(r"单位[:：]\s*(万元|亿元|元)")
_LABEL_END = re.compile(r"\s{2,}|(?=(?:填报|报送|统计)(?:日期|时间|单位))")


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


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Preamble:
    unit: str | None = None
    date_raw: Any = None
    week: int | None = None
    year: int | None = None
    money_unit: str | None = None
    texts: list[str] = field(default_factory=list)  # every line above the headings
    free_date: date | None = None  # a date written without a 填报日期 label (title, range)


def _read_preamble(rows: list[list[Any]]) -> _Preamble:
    """填报单位 / 填报日期 / 第N周 / 金额单位 from the lines above the headings."""
    pre = _Preamble()
    for row in rows:
        cells = [c for c in row if _text(c)]
        for i, cell in enumerate(cells):
            text = clean_text(_text(cell)) if not isinstance(cell, date) else ""
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if m := _UNIT_LINE.search(text):
                rest = _LABEL_END.split(m.group(1).strip(), maxsplit=1)[0].strip()
                pre.unit = pre.unit or rest or (_text(nxt) if nxt is not None else None)
            if m := _DATE_LINE.search(text):
                rest = m.group(1).strip()
                pre.date_raw = pre.date_raw or (rest if rest else nxt)
            if m := _WEEK.search(text) or _ISO_WEEK.search(text):
                pre.week = int(m.group(2))
                pre.year = int(m.group(1)) if m.group(1) else pre.year
            elif m := _YEAR.search(text):
                pre.year = pre.year or int(m.group(1))
            if m := _MONEY_UNIT.search(text):
                pre.money_unit = m.group(1)
            if text:
                pre.texts.append(text)
                pre.free_date = pre.free_date or free_date(text)
    return pre


_FULL_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_RANGE_END = re.compile(
    r"\s*(?:[—–－~～至到-]+|——)\s*(?:(\d{4})\s*[年./-]\s*)?(?:(\d{1,2})\s*[月./-]\s*)?(\d{1,2})\s*日?"
)


def free_date(text: str) -> date | None:
    """A date written in a title or a file name: "（2022年3月11日）", "2022.3.11"; for a
    range ("2022年3月7日—3月13日", "2022.3.7-3.13") its last day."""
    m = _FULL_DATE.search(text)
    if m is None:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if end := _RANGE_END.match(text, m.end()):
        year = int(end.group(1)) if end.group(1) else year
        month = int(end.group(2)) if end.group(2) else month
        day = int(end.group(3))
    try:
        return date(year, month, day) if 1990 <= year <= 2100 else None
    except ValueError:
        return None


def _resolve_period(
    pre: _Preamble, override: date | None, problems: list[Problem]
) -> tuple[date | None, Period | None]:
    """The report date and its ISO week: --date, else 填报日期, else 第N周 (its last day),
    else a date written in the title or the file name."""
    sheet_date: date | None = None
    if pre.date_raw in (None, "") and pre.week is None and pre.free_date is not None:
        pre.date_raw = pre.free_date
    if pre.date_raw not in (None, ""):
        raw = pre.date_raw
        if isinstance(raw, str):
            raw = raw.replace(" ", "").split("（")[0].split("(")[0]
        try:
            sheet_date = parse_date(raw, pre.year)
        except ValueProblem as exc:
            problems.append(
                Problem(f"填报日期无法识别：{exc}", column="填报日期", value=_text(pre.date_raw))
            )
    week: Period | None = None
    if pre.week is not None:
        year = (
            pre.year
            or (sheet_date.year if sheet_date else None)
            or (override.year if override else None)
        )
        if year is not None:
            try:
                week = iso_week(year, pre.week)
            except ValueError:
                problems.append(Problem("周次不存在", column="填报周次", value=str(pre.week)))
    if override is not None:
        return override, period_containing(PeriodKind.WEEK, override)
    if sheet_date is not None:
        if week is not None and abs((sheet_date - week.end).days) > 10:
            problems.append(
                Problem(
                    f"填报日期与「第{pre.week}周」相差过大；请核对，或用 --date 指定",
                    column="填报日期",
                    value=sheet_date.isoformat(),
                )
            )
        return sheet_date, week or period_containing(PeriodKind.WEEK, sheet_date)
    if week is not None:
        return min(week.end, date.today()), week
    return None, None


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
    pre = _read_preamble(head[: header.first_row])
    if pre.date_raw in (None, "") and pre.week is None and pre.free_date is None:
        named = _read_preamble([[Path(path).stem]])  # "石佛寺镇2022年第10周.xlsx"
        pre.week, pre.free_date = named.week, named.free_date
        pre.year = pre.year or named.year
    when, period = _resolve_period(pre, report_date, problems)
    year = when.year if when else pre.year
    gaps = book.formula_gaps(name)
    parsers = _parsers(header, pre.money_unit, year)
    rows: list[ReportRow] = []
    name_col = header.columns["name"]
    # A stage named by the sheet ("开工项目") or by a section line ("二、已签约项目（3个）")
    # holds for the rows under it that give no stage of their own.
    section = section_stage(name)
    for index, cells in enumerate(itertools.chain(head, rest)):
        if index <= header.row:
            continue
        heading = _section_heading(cells)
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
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[A-Za-z][、.．])"
)
_COUNT = re.compile(r"[（(][^()（）]*\d+[^()（）]*[)）]$")


def section_stage(text: str) -> Stage | None:
    """The stage a section line or sheet name stands for: "二、已签约项目（3个）",
    "（三）在谈项目", "开工项目", "签约项目清单"; None for anything else (a project name,
    "一、工业项目")."""
    key = "".join(text.split()).rstrip(":：")
    numbered = _NUMBERING.match(key)
    key = _COUNT.sub("", key[numbered.end() :] if numbered else key)
    if len(key) > 16 or not (numbered or "项目" in key):
        return None
    core = re.sub(r"(项目)?(情况|清单|名单|明细|库|表|一览表)*$", "", key)
    if not core or ("信息" in core and "线索" not in core):  # 项目信息表 names no stage
        return None
    return stage_from_text(core)


def _section_heading(cells: list[Any]) -> Stage | None:
    """A row holding only a section line (often merged across the table)."""
    first = next((c for c in cells if c != "" and c is not None), None)
    if type(first) is not str or not ("项目" in first or _NUMBERING.match(first.lstrip())):
        return None  # the common case, decided on the first cell: a data row
    texts = {t for c in cells if (t := _text(c))}
    if len(texts) != 1 or any(isinstance(c, int | float) for c in cells):
        return None
    return section_stage(texts.pop())


# Kinds whose cell text later messages may quote (the store checks them against the ledger);
# long free text is not kept, so a 50,000-row sheet stays small in memory.
_QUOTED = frozenset({"code", "text", "stage", "units", "date"})
Parser = Callable[[Any], Any]
# Distinct texts kept per column for sharing one string object among equal cells (a
# sheet repeats 广东深圳 or 制造业 thousands of times; calamine gives each cell its own).
_SHARED_TEXTS = 4096


def _parsers(
    header: HeaderMatch, money_unit: str | None, year: int | None
) -> list[tuple[str, int, str, Parser, bool]]:
    """(key, column, heading, parse, quoted) for every matched column, in sheet order.

    Each column's kind is looked at once, here: the parser it gets converts the cell
    types calamine returns (str, float, date) on a fast path and hands anything else to
    the general readers of io/values.py, so every value and message stays theirs.
    """
    out = []
    for key, col in sorted(header.columns.items(), key=lambda kv: kv[1]):
        kind = KINDS[key]
        heading = header.headings[key]
        fn: Parser
        if kind == "amount":
            unit = header.unit_of(key) or money_unit or "万元"
            fn = _bind_amount(unit)
        elif kind == "date":
            fn = _bind_date(year, month_end=key == "planned_start_on")
        elif kind == "text":
            fn = _bind_text()
        elif kind in _MEMO:
            fn = _memo(_SIMPLE[kind])
        else:
            fn = _SIMPLE[kind]
        out.append((key, col, heading, fn, kind in _QUOTED))
    return out


def _bind_amount(unit: str) -> Parser:
    scale = SCALE_TO_WAN.get(unit, Decimal(1))
    unscaled = scale == 1

    def parse(value: Any) -> Decimal | None:
        # A whole positive number (what calamine returns for most amount cells) is exact
        # as an int: the same Decimal as parse_amount's Decimal(repr(value)).
        if type(value) is float and value.is_integer() and 0 < value < 1e15:
            number = Decimal(int(value))
            result = number if unscaled else number * scale
            if result > MAX_WAN:
                raise ValueProblem("金额过大（超过 1 万亿元），请检查单位")
            exact = result.quantize(QUANTUM)
            if exact != result:
                raise ValueProblem("金额精度超过 1 元")
            return exact
        return parse_amount(value, unit)

    return parse


def _bind_date(year: int | None, *, month_end: bool) -> Parser:
    def parse(value: Any) -> date | None:
        kind = type(value)
        if kind is date:
            return value  # type: ignore[no-any-return]
        if kind is datetime:
            return value.date()  # type: ignore[no-any-return]
        return parse_date(value, year, month_end=month_end)

    return parse


def _bind_text() -> Parser:
    shared: dict[str, str] = {}

    def parse(value: Any) -> str | None:
        if type(value) is not str:
            return _parse_text(value)
        text = value.strip()
        if not text:
            return None
        if len(shared) < _SHARED_TEXTS:
            return shared.setdefault(text, text)
        return shared.get(text, text)

    return parse


def _memo(fn: Parser) -> Parser:
    """`fn` remembered per distinct text cell (stages, units, flags repeat down a column);
    a cell it refuses is not remembered, so each such cell raises its own problem."""
    known: dict[str, Any] = {}

    def parse(value: Any) -> Any:
        if type(value) is not str:
            return fn(value)
        try:
            return known[value]
        except KeyError:
            result = fn(value)
            if len(known) < _SHARED_TEXTS:
                known[value] = result
            return result

    return parse


def _parse_stage(value: Any) -> Stage | None:
    text = _text(value)
    if not text:
        return None
    stage = stage_from_text(text)
    if stage is None:
        raise ValueProblem("无法识别的项目阶段；应写 洽谈、签约、开工、投产、终止 等")
    return stage


def _parse_units(value: Any) -> tuple[str, ...] | None:
    names = tuple(n for n in re.split(r"[,，、;；/\n]+", _text(value)) if n.strip())
    return tuple(n.strip() for n in names) or None


def _parse_text(value: Any) -> str | None:
    text = _text(value)
    return text or None


def _parse_code(value: Any) -> str | None:
    if type(value) is str and value.isascii():  # NFKC leaves ASCII as it is
        return value.strip() or None
    return code_text(value)


_SIMPLE: dict[str, Parser] = {
    "text": _parse_text,
    "code": _parse_code,
    "area": parse_area,
    "stage": _parse_stage,
    "units": _parse_units,
    "flag": parse_flag,
}
_MEMO = frozenset({"stage", "units", "flag"})


def _quoted_text(value: Any, parsed: Any) -> str | None:
    """The cell text a message may quote, None when `ReportRow.text` can rebuild it from
    the parsed value (most cells: kept once, not twice)."""
    if type(value) is str:
        text = value.strip()
    elif type(value) is date and type(parsed) in (date, str):
        return None  # a date cell's text is its ISO form, as the parsed value's
    else:
        return _text(value)
    return None if type(parsed) is str and parsed == text else text


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
            first = _text(c)
            if first:
                break
    name_cell = cells[name_col] if name_col < width else ""
    name_text = name_cell.strip() if type(name_cell) is str else _text(name_cell)
    if not first and not any(_text(c) for c in cells):
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
            problems.append(Problem(str(exc), row=row_no, column=heading, value=_text(value)))
            continue
        if parsed is not None:
            values[key] = parsed
            if quoted and (text := _quoted_text(value, parsed)) is not None:
                raw[key] = text
    if not values:
        return None
    if "name" not in values:
        problems.append(Problem("缺少项目名称", row=row_no, column=HEADINGS["name"]))
        return None
    return ReportRow(row_no, values, raw)
