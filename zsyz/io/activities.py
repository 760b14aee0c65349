"""Activity sheets (单位, 日期, 类型, 内容): project leads and outbound trips (000 三、3.).

Every row is read and every problem collected, so a refused file lists all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from zsyz.domain.facts import ActivityKind
from zsyz.errors import InvalidDataError, Problem
from zsyz.io.columns import Column, find_header
from zsyz.io.values import clean_text
from zsyz.io.workbook import blank, read_workbook

COLUMNS = (
    Column("unit", ("单位", "单位名称", "责任单位", "领导", "姓名"), required=True),
    Column("date", ("日期", "时间", "活动日期", "对接日期"), required=True),
    Column("kind", ("类型", "活动类型", "类别"), required=True),
    Column("note", ("内容", "活动内容", "项目信息", "说明", "备注")),
)

KIND_WORDS: dict[str, ActivityKind] = {
    "lead": ActivityKind.LEAD,
    "线索": ActivityKind.LEAD,
    "信息": ActivityKind.LEAD,
    "项目信息": ActivityKind.LEAD,
    "有效项目信息": ActivityKind.LEAD,
    "项目线索": ActivityKind.LEAD,
    "trip": ActivityKind.TRIP,
    "外出": ActivityKind.TRIP,
    "外出招商": ActivityKind.TRIP,
    "招商活动": ActivityKind.TRIP,
    "外出招商活动": ActivityKind.TRIP,
    "出访": ActivityKind.TRIP,
}
EXCEL_EPOCH = date(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SKIP = re.compile(r"^(合计|总计|小计|说明|填表说明|备注|注)")


@dataclass(frozen=True)
class ActivityRow:
    row: int
    unit: str
    on: date
    kind: ActivityKind
    note: str


def parse_kind(text: str) -> ActivityKind:
    """项目信息/外出招商 (and their synonyms) or lead/trip, wherever a kind is written."""
    key = clean_text(text).replace(" ", "").lower()
    if key in KIND_WORDS:
        return KIND_WORDS[key]
    raise ValueError("类型应为「项目信息」或「外出招商」")


def parse_day(value: Any) -> date:
    """A date cell, an Excel serial, or text such as 2022-03-05, 2022/3/5, 2022年3月5日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError("日期无法识别，应写作 2022-03-05")
    m = _DATE.match(clean_text(value))
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValueError("日期无法识别，应写作 2022-03-05")


def read_activities(path: Path, today: date) -> tuple[list[ActivityRow], list[Problem]]:
    """Every good activity in the file and every problem of the others (a date after
    `today` is one); the caller adds the ledger's problems and refuses the file whole."""
    sheets = read_workbook(path)
    if not sheets:
        raise InvalidDataError(f"{path.name} 没有工作表", [])
    header = find_header(sheets[0].rows, COLUMNS, what=f"{path.name} 活动登记表")
    cols = header.columns
    problems: list[Problem] = []
    out: list[ActivityRow] = []
    for i, row in enumerate(sheets[0].rows[header.row + 1 :], start=header.row + 2):

        def cell(key: str, row: list[Any] = row) -> Any:
            idx = cols.get(key)
            return row[idx] if idx is not None and idx < len(row) else None

        unit = "" if blank(cell("unit")) else str(cell("unit")).strip()
        if not unit and all(blank(v) for v in row):
            continue
        if _SKIP.match(unit):
            continue
        bad = False
        if not unit:
            problems.append(Problem("缺少单位", row=i, column=header.headings["unit"]))
            bad = True
        try:
            on = parse_day(cell("date"))
            if on > today:
                raise ValueError(f"日期晚于今天（{today.isoformat()}），活动应已发生；请核对")
        except ValueError as exc:
            problems.append(
                Problem(str(exc), row=i, column=header.headings["date"], value=_shown(cell("date")))
            )
            bad = True
        try:
            kind = parse_kind(_shown(cell("kind")))
        except ValueError as exc:
            problems.append(
                Problem(str(exc), row=i, column=header.headings["kind"], value=_shown(cell("kind")))
            )
            bad = True
        if not bad:
            note = "" if blank(cell("note")) else str(cell("note")).strip()
            out.append(ActivityRow(i, unit, on, kind, note))
    return out, problems


def _shown(value: Any) -> str:
    return "" if blank(value) else str(value).strip()
