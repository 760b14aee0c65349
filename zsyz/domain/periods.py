"""Reporting periods: ISO weeks, months, quarters, halves, years.

A period is a closed date range with a kind and a label. Parsing accepts what the CLI
takes (`2022-W10`, `2022-03`, `2022-Q1`, `2022-H1`, `2022`) and the Chinese forms that
appear on report sheets (`2022年第10周`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: PeriodKind

    @property
    def label(self) -> str:
        y = self.start.year
        match self.kind:
            case PeriodKind.WEEK:
                iso = self.start.isocalendar()
                return f"{iso.year}-W{iso.week:02d}"
            case PeriodKind.MONTH:
                return f"{y}-{self.start.month:02d}"
            case PeriodKind.QUARTER:
                return f"{y}-Q{(self.start.month - 1) // 3 + 1}"
            case PeriodKind.HALF:
                return f"{y}-H{1 if self.start.month == 1 else 2}"
            case PeriodKind.YEAR:
                return str(y)

    @property
    def label_zh(self) -> str:
        y = self.start.year
        match self.kind:
            case PeriodKind.WEEK:
                iso = self.start.isocalendar()
                return f"{iso.year}年第{iso.week}周"
            case PeriodKind.MONTH:
                return f"{y}年{self.start.month}月"
            case PeriodKind.QUARTER:
                return f"{y}年第{(self.start.month - 1) // 3 + 1}季度"
            case PeriodKind.HALF:
                return f"{y}年{'上' if self.start.month == 1 else '下'}半年"
            case PeriodKind.YEAR:
                return f"{y}年"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        return period_containing(self.kind, self.end + timedelta(days=1))


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The period of `kind` that contains `day`."""
    match kind:
        case PeriodKind.WEEK:
            start = day - timedelta(days=day.weekday())
            return Period(start, start + timedelta(days=6), kind)
        case PeriodKind.MONTH:
            return Period(date(day.year, day.month, 1), _month_end(day.year, day.month), kind)
        case PeriodKind.QUARTER:
            first = 3 * ((day.month - 1) // 3) + 1
            return Period(date(day.year, first, 1), _month_end(day.year, first + 2), kind)
        case PeriodKind.HALF:
            first = 1 if day.month <= 6 else 7
            return Period(date(day.year, first, 1), _month_end(day.year, first + 5), kind)
        case PeriodKind.YEAR:
            return Period(date(day.year, 1, 1), date(day.year, 12, 31), kind)
    raise AssertionError(kind)


def latest_ended(kind: PeriodKind, today: date) -> Period:
    """The latest period of `kind` that has ended by `today` (bare `--quarter`)."""
    return period_containing(kind, today).previous()


def iso_week(year: int, week: int) -> Period:
    start = date.fromisocalendar(year, week, 1)
    return Period(start, start + timedelta(days=6), PeriodKind.WEEK)


_PATTERNS: tuple[tuple[re.Pattern[str], PeriodKind], ...] = (
    (re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I), PeriodKind.WEEK),
    (re.compile(r"^(\d{4})年第(\d{1,2})周$"), PeriodKind.WEEK),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})年第([1-4一二三四])季度$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-?H([12])$", re.I), PeriodKind.HALF),
    (re.compile(r"^(\d{4})年?$"), PeriodKind.YEAR),
)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse_period(text: str, kind: PeriodKind | None = None) -> Period:
    """Parse a period label; raise ValueError with a Chinese message when it is not one.

    When `kind` is given, the text must be a period of that kind.
    """
    cleaned = text.strip()
    for pattern, found_kind in _PATTERNS:
        m = pattern.match(cleaned)
        if not m or (kind is not None and found_kind is not kind):
            continue
        year = int(m.group(1))
        if not 1990 <= year <= 2100:
            break
        if found_kind is PeriodKind.YEAR:
            return period_containing(PeriodKind.YEAR, date(year, 1, 1))
        raw = m.group(2)
        n = _CN_DIGITS[raw] if raw in _CN_DIGITS else int(raw)
        try:
            match found_kind:
                case PeriodKind.WEEK:
                    return iso_week(year, n)
                case PeriodKind.MONTH:
                    return period_containing(PeriodKind.MONTH, date(year, n, 1))
                case PeriodKind.QUARTER:
                    return period_containing(PeriodKind.QUARTER, date(year, 3 * n - 2, 1))
                case PeriodKind.HALF:
                    return period_containing(PeriodKind.HALF, date(year, 1 if n == 1 else 7, 1))
        except ValueError:
            break
    examples = {
        PeriodKind.WEEK: "2022-W10",
        PeriodKind.MONTH: "2022-03",
        PeriodKind.QUARTER: "2022-Q1",
        PeriodKind.HALF: "2022-H1",
        PeriodKind.YEAR: "2022",
    }
    want = examples[kind] if kind else "、".join(examples.values())
    raise ValueError(f"无法识别的期间「{text}」，应写作 {want}")
