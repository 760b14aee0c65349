"""What a weekly report says around its table: 填报单位, 填报日期 or 第N周 and 金额单位 on
the lines above the headings (else in the title, the sheet's or the file's name), and the
section lines inside it that name a stage ("二、已签约项目（3个）")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zsyz.domain.periods import Period, PeriodKind, iso_week, period_containing
from zsyz.domain.stages import PlannedStage, Stage, planned_stage, stage_from_text
from zsyz.errors import Problem
from zsyz.io.values import ValueProblem, clean_text, parse_date

_UNIT_LINE = re.compile(r"(?:填报|报送)单位(?:[（(]盖章[)）])?[:：]?\s*(.*)$")
_DATE_LINE = re.compile(r"(?:填报|报送|统计)(?:日期|时间)[:：]?\s*(.*)$")
_WEEK = re.compile(r"(?:(\d{4})\s*年\s*)?第\s*(\d{1,2})\s*周")
_ISO_WEEK = re.compile(r"(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})(?!\d)")
_YEAR = re.compile(r"(\d{4})\s*年")
_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")  # 2022年3月, not 2022年3月11日
_MONEY_UNIT = re.compile(r"单位[:：]\s*(万元|亿元|元)")
_LABEL_END = re.compile(r"\s{2,}|(?=(?:填报|报送|统计)(?:日期|时间|单位))")


def text_of(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Preamble:
    unit: str | None = None
    date_raw: Any = None
    week: int | None = None
    year: int | None = None
    money_unit: str | None = None
    texts: list[str] = field(default_factory=list)  # every line above the headings
    free_date: date | None = None  # a date written without a 填报日期 label (title, range)
    month: Period | None = None  # a month the report names (「2022年3月项目月报」)


def read_preamble(rows: list[list[Any]]) -> Preamble:
    """填报单位 / 填报日期 / 第N周 / 金额单位 from the lines above the headings."""
    pre = Preamble()
    for row in rows:
        cells = [c for c in row if text_of(c)]
        for i, cell in enumerate(cells):
            text = clean_text(text_of(cell)) if not isinstance(cell, date) else ""
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if m := _UNIT_LINE.search(text):
                rest = _LABEL_END.split(m.group(1).strip(), maxsplit=1)[0].strip()
                pre.unit = pre.unit or rest or (text_of(nxt) if nxt is not None else None)
            if m := _DATE_LINE.search(text):
                rest = m.group(1).strip()
                pre.date_raw = pre.date_raw or (rest if rest else nxt)
            if m := _WEEK.search(text) or _ISO_WEEK.search(text):
                pre.week = int(m.group(2))
                pre.year = int(m.group(1)) if m.group(1) else pre.year
            elif m := _YEAR.search(text):
                pre.year = pre.year or int(m.group(1))
            if pre.month is None and (m := _MONTH.search(text)):
                pre.month = named_month(int(m.group(1)), int(m.group(2)))
            if m := _MONEY_UNIT.search(text):
                pre.money_unit = m.group(1)
            if text:
                pre.texts.append(text)
                pre.free_date = pre.free_date or free_date(text)
    return pre


def named_month(year: int, month: int) -> Period | None:
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        return None
    return period_containing(PeriodKind.MONTH, date(year, month, 1))


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


def resolve_period(
    pre: Preamble, override: date | None, problems: list[Problem]
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
                Problem(f"填报日期无法识别：{exc}", column="填报日期", value=text_of(pre.date_raw))
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


_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[A-Za-z][、.．])"
)
_COUNT = re.compile(r"[（(][^()（）]*\d+[^()（）]*[)）]$")


def section_stage(text: str) -> Stage | PlannedStage | None:
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
    return planned_stage(core) or stage_from_text(core)


def section_heading(cells: list[Any]) -> Stage | PlannedStage | None:
    """A row holding only a section line (often merged across the table)."""
    first = next((c for c in cells if c != "" and c is not None), None)
    if type(first) is not str or not ("项目" in first or _NUMBERING.match(first.lstrip())):
        return None  # the common case, decided on the first cell: a data row
    texts = {t for c in cells if (t := text_of(c))}
    if len(texts) != 1 or any(isinstance(c, int | float) for c in cells):
        return None
    return section_stage(texts.pop())


_FORM_STAGE = re.compile(
    r"((?:拟|待|计划|预计|新|已|正在)?(?:签约|开工|投产|竣工|在谈|洽谈|在建|落地|达产|储备|谋划|线索))"
    r"(?:类)?项目"
)


def form_stage(texts: list[str]) -> Stage | PlannedStage | None:
    """The stage a form implies by its title: "2026年新签约项目清单", "新开工项目统计表",
    "在谈项目征集表" (the first title line naming one)."""
    for text in texts:
        if m := _FORM_STAGE.search("".join(text.split())):
            found = section_stage(m.group(0))
            if found is not None:
                return found
    return None


def form_name(texts: list[str], sheet: str) -> str:
    """What form a report is, for telling a county summary's exports apart: its title
    with dates and numbers left out (else its sheet's name)."""
    for text in texts:
        if _LABEL_ONLY.search(text):
            continue
        name = re.sub(r"[\d０-９]+|[年月日周第号至到—–~～\-./()（）]", "", "".join(text.split()))
        if len(name) >= 2:
            return name[:200]
    return sheet.strip()[:200]


_LABEL_ONLY = re.compile(r"^(?:填报|报送|统计)(?:单位|日期|时间)|^(?:金额)?单位[:：]")


_TITLE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_NAME_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})[_\-. 年](\d{1,2})[_\-. 月](\d{1,2})(?!\d)")
_NAME_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4}|\d{6})?(?!\d)")


def title_month(texts: list[str]) -> date | None:
    """The last day of a month a title names ("2026年8月招商项目进展表")."""
    for text in texts:
        if m := _TITLE_MONTH.search(text):
            year, month = int(m.group(1)), int(m.group(2))
            if 1990 <= year <= 2100 and 1 <= month <= 12:
                return date(year, month, calendar.monthrange(year, month)[1])
    return None


def name_date(stem: str) -> date | None:
    """A date in a file's name in any form: 2026_8_19, 2026-08-19, 20160705101530."""
    for pattern in (_NAME_YMD, _NAME_COMPACT):
        for m in pattern.finditer(stem):
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None
