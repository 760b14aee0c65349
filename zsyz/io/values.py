"""Reading cell values the way offices write them: exact amounts, never float noise."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

SCALE_TO_WAN: dict[str, Decimal] = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
}
# Foreign money in 万 of its currency per unit written; converted only with a rate.
USD_IN_WAN: dict[str, Decimal] = {
    "亿美元": Decimal(10000),
    "万美元": Decimal(1),
    "美元": Decimal("0.0001"),
}
_AMOUNT = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(亿元|万元|千元|亿美元|万美元|美元|亿|万|元)?$")


def scale_of(unit: str, usd_rate: Decimal | None = None) -> Decimal | None:
    """万元 per one of `unit`; None for a unit not read exactly (or 美元 without a rate)."""
    if unit in SCALE_TO_WAN:
        return SCALE_TO_WAN[unit]
    if unit in USD_IN_WAN and usd_rate is not None:
        return USD_IN_WAN[unit] * usd_rate
    return None


# What offices write for "nothing to report" in a number or date cell.
BLANK_WORDS = frozenset(
    {"-", "--", "—", "——", "/", "无", "暂无", "待定", "未定", "不详", "…", "……"}
)
_AMOUNT_NOTE = re.compile(r"[（(][^()（）]*[)）]$")  # 1.2亿（一期）: the note is not the amount
_AMOUNT_DECOR = re.compile(r"^(?:约|大约|人民币|rmb|¥|￥)|(?<=\d)(?:余|多)(?=亿|万|千|元|$)", re.I)


def _amount_core(text: str) -> str:
    """The amount in "约5000万", "5000余万", "¥5000", "1.2亿（一期）"."""
    text = _AMOUNT_NOTE.sub("", text).strip()
    return _AMOUNT_DECOR.sub("", text).strip()


QUANTUM = Decimal("0.0001")
MAX_WAN = Decimal(10) ** 8  # 1万亿元: anything larger is a unit mistake


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is shown to the operator."""


def clean_text(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).replace(",", "").replace("，", "").strip()


def to_decimal(value: Any) -> Decimal | None:
    """A number cell or numeric text as an exact Decimal; None for blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem("应为数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem("应为数字")
        # repr is the shortest text that round-trips: 0.1 stays 0.1, not 0.1000000000000000055
        return Decimal(repr(value))
    text = clean_text(value)
    if not text or text in ("-", "—", "/", "无"):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueProblem("应为数字") from exc
    if not number.is_finite():
        raise ValueProblem("应为数字")
    return number


def parse_amount(
    value: Any, heading_unit: str | None = "万元", usd_rate: Decimal | None = None
) -> Decimal | None:
    """An amount in 万元: from a number in the heading's unit, or text such as '1.2亿'.
    美元 amounts (in the heading's unit or the cell) only with `usd_rate` (元 per 美元),
    rounded to 1元."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem("应为金额")
    scale = scale_of(heading_unit or "万元", usd_rate) or Decimal(1)
    foreign = (heading_unit or "") in USD_IN_WAN
    if isinstance(value, int | float):
        number = to_decimal(value)
        assert number is not None
        result = number * scale
    else:
        text = clean_text(value)
        if not text or text in BLANK_WORDS or text == "未到位":
            return None
        m = _AMOUNT.match(_amount_core(text))
        if not m:
            if "美元" in text or "欧元" in text or "港元" in text or "港币" in text:
                raise ValueProblem("外币金额请折算为人民币后填写（万元）")
            raise ValueProblem("应为金额（如 5000 或 1.2亿）")
        number = Decimal(m.group(1))
        if m.group(2):
            foreign = m.group(2) in USD_IN_WAN
            written = scale_of(m.group(2), usd_rate)
            if written is None:
                raise ValueProblem("美元金额没有汇率，无法折算；请折算为人民币（万元）后填写")
            scale = written
        result = number * scale
    if result < 0:
        raise ValueProblem("金额不能为负")
    if foreign:  # a converted amount is kept to 1元
        result = _bounded(result).quantize(QUANTUM, rounding=ROUND_HALF_UP)
    return checked_wan(result)


def _bounded(amount: Decimal) -> Decimal:
    if amount > MAX_WAN:  # checked before quantize, which overflows on 1E24
        raise ValueProblem("金额过大（超过 1 万亿元），请检查单位")
    return amount


def checked_wan(amount: Decimal) -> Decimal:
    """A non-negative amount in 万元 held to what the ledger keeps: at most 1万亿元, to 1元."""
    _bounded(amount)
    exact = amount.quantize(QUANTUM)
    if exact != amount:
        raise ValueProblem("金额精度超过 1 元")
    return exact


# ---- dates, codes, land, yes/no -----------------------------------------------------

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's leap-year bug
# A date cell before this is Excel's zero or a blank formatted as a date (1900-01-00,
# 1900-01-01), never a real signing or start: refused, not stored.
EARLIEST_DAY = date(1950, 1, 1)


def real_day(day: date) -> date:
    if day < EARLIEST_DAY:
        raise ValueProblem(
            f"日期 {day.isoformat()} 不可信（多为 Excel 的 0 或设成日期格式的空单元格）；请填写真实日期"
        )
    return day


_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")


def parse_date(
    value: Any, report_year: int | None = None, *, month_end: bool = False
) -> date | None:
    """A date as offices write it: a date cell, an Excel serial, or text in the usual forms.

    '3月5日' takes its year from the report (`report_year`); without one it is an error.
    A month ("2022年3月") or part of one ("3月下旬") is its first day — or, for a planned
    date (`month_end`), its last, so a plan for June is not late on June 2nd.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem("应为日期")
    if isinstance(value, datetime):
        return real_day(value.date())
    if isinstance(value, date):
        return real_day(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueProblem("应为日期")
        if isinstance(value, float) and not value.is_integer():
            value = int(value)  # a date-time serial: the day is what counts
        n = int(value)
        if 20_000 <= n <= 80_000:
            return EXCEL_EPOCH + timedelta(days=n)
        return _parse_date_text(str(n), report_year, month_end)
    return _parse_date_text(clean_text(value), report_year, month_end)


_NOT_YET = frozenset({"未开工", "未签约", "未投产", "未达产", "未达效", "否", "未"})
_YM = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*月?\s*(上旬|中旬|下旬|底|末|初)?$")
_YM_STRICT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_YMD_INSIDE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
_PART = {
    "上旬": (1, 10),
    "初": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, 31),
    "底": (21, 31),
    "末": (21, 31),
}


def _parse_date_text(text: str, report_year: int | None, month_end: bool = False) -> date | None:
    if not text or text in BLANK_WORDS or text in _NOT_YET:
        return None
    year: int | None
    m = _YMD.match(text) or _COMPACT.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _MD.match(text)) is None:
        inside = _YMD_INSIDE.findall(text)
        if len(inside) == 1 and inside[0] != text:  # "已签约（2022.3.8）"
            return _parse_date_text(inside[0], report_year, month_end)
        return _month_date(text, report_year, month_end)
    else:
        if report_year is None:
            raise ValueProblem("日期缺少年份，且报表没有填报日期；请写全年份")
        year, month, day = report_year, int(m.group(1)), int(m.group(2))
    return _checked_date(year, month, day)


def _month_date(text: str, report_year: int | None, month_end: bool) -> date:
    """ "2022年3月", "2022.03", "3月下旬", "2022年6月底": a day within that month."""
    m = _YM.match(text)
    vague = not (m and (m.group(1) or m.group(3) or "月" in text))  # a bare "3"
    if m is None or vague or ("." in text and not _YM_STRICT.match(text)):
        raise ValueProblem("应为日期（如 2022-03-05 或 2022年3月5日）")
    if m.group(1) is None and report_year is None:
        raise ValueProblem("日期缺少年份，且报表没有填报日期；请写全年份")
    year = int(m.group(1)) if m.group(1) else report_year
    assert year is not None
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueProblem("不是有效日期")
    first, last = _PART.get(m.group(3) or "", (1, 31))
    last = min(last, calendar.monthrange(year, month)[1]) if 1990 <= year <= 2100 else last
    return _checked_date(year, month, last if month_end else first)


def _checked_date(year: int, month: int, day: int) -> date:
    if not 1990 <= year <= 2100:
        raise ValueProblem("日期年份不合理")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueProblem("不是有效日期") from exc


def code_text(value: Any) -> str | None:
    """A code cell as text: '00123' keeps its zeros; 123.0 reads as '123'."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def parse_area(value: Any) -> Decimal | None:
    """Land in 亩: a number, or text such as '120亩'."""
    if isinstance(value, str):
        text = clean_text(value)
        if text.endswith("亩"):
            value = text[:-1]
    number = to_decimal(value)
    if number is None:
        return None
    if number < 0:
        raise ValueProblem("面积不能为负")
    if number > Decimal(10) ** 7:  # checked before quantize, which overflows on 1E30
        raise ValueProblem("面积过大，请检查单位（亩）")
    exact = number.quantize(QUANTUM)
    if exact != number:
        raise ValueProblem("面积最多 4 位小数")
    return exact


_YES = {"是", "有", "需要", "y", "yes", "true", "1", "√", "✓", "新建", "新开工"}
_NO = {"否", "无", "不需要", "n", "no", "false", "0", "×", "续建"}


def parse_flag(value: Any) -> bool | None:
    """是/否 (and 新建/续建 for the new-or-continuing column)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueProblem("应为 是 或 否")
