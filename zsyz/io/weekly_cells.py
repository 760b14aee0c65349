"""The typed columns of a weekly report (as beangulp's csvbase columns): each column knows
the headings offices write for it and carries the one parser of its kind. A parser reads
a cell to its value, None for a blank, or a `Problem` (the message only; the reader adds
row, heading and sheet), never an exception. Fast for the types calamine returns (a
50,000-row report is a million cells) and exact: amounts are Decimal 万元.

A column's field and kind come from the vocabulary (`domain/fields.py`): a column class
reads one kind and refuses to be declared for a field of another."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from zsyz.domain.credit_code import credit_code_problem, normalize_credit_code
from zsyz.domain.fields import FIELD, Kind, ProjectField
from zsyz.domain.stages import PlannedStage, Stage, planned_stage, stage_from_text
from zsyz.errors import Problem
from zsyz.io.columns import Column
from zsyz.io.values import (
    EARLIEST_DAY,
    QUANTUM,
    SCALE_TO_WAN,
    ValueProblem,
    checked_wan,
    code_text,
    parse_amount,
    parse_area,
    parse_date,
    parse_flag,
    scale_of,
)
from zsyz.io.weekly_head import text_of
from zsyz.memo import remembered

Parser = Callable[[Any], Any]  # cell → value | None | Problem
# Distinct texts kept per column for sharing one string object among equal cells (a
# sheet repeats 广东深圳 or 制造业 thousands of times; calamine gives each cell its own).
_SHARED_TEXTS = 4096
_AREA_UNITS = ("平方米", "㎡", "m2", "公顷", "平米")


@dataclass(frozen=True)
class Sheet:
    """What a sheet says about its cells: the unit an amount column is in (its heading's,
    else the sheet's), the report's year (for 3月5日) and the 美元 rate, if any."""

    unit: str | None = None
    year: int | None = None
    usd_rate: Decimal | None = None


@dataclass(frozen=True)
class WeeklyColumn(Column):
    """A column of the weekly report: the field it fills, its headings, its parser."""

    KIND: ClassVar[Kind]
    # The cell text may be quoted by later messages (the store checks it against the
    # ledger); long free text and numbers are not kept, so a big sheet stays small.
    QUOTED: ClassVar[bool] = True
    # A second column with one of its headings (联系人 twice) is kept as an extra attribute
    # rather than refused as ambiguous.
    REPEATABLE: ClassVar[bool] = False

    def __post_init__(self) -> None:
        if FIELD[self.key].kind is not self.KIND:
            raise TypeError(f"{type(self).__name__} reads {self.KIND}, {self.key} is not one")

    @property
    def field(self) -> ProjectField:
        return FIELD[self.key]

    @property
    def kind(self) -> Kind:
        return self.field.kind

    def reader(self, sheet: Sheet) -> Parser:
        """The parser for this column's cells on one sheet."""
        return _as_value(self._read)

    def parse(self, cell: Any, sheet: Sheet = Sheet()) -> Any:
        """One cell: its value, None when blank, or a `Problem` saying what is wrong."""
        return self.reader(sheet)(cell)

    def heading_problem(self, heading: str) -> str | None:
        """Why a column under this heading cannot be read at all, if it cannot."""
        return None

    def _read(self, value: Any) -> Any:
        raise NotImplementedError


def _as_value(read: Callable[[Any], Any]) -> Parser:
    def parse(value: Any) -> Any:
        try:
            return read(value)
        except ValueProblem as exc:
            return Problem(str(exc))

    return parse


@dataclass(frozen=True)
class TextColumn(WeeklyColumn):
    KIND = Kind.TEXT
    REPEATABLE = True

    def reader(self, sheet: Sheet) -> Parser:
        shared: dict[str, str] = {}

        def parse(value: Any) -> str | None:
            if type(value) is not str:
                return text_of(value) or None
            text = value.strip()
            if not text:
                return None
            if len(shared) < _SHARED_TEXTS:
                return shared.setdefault(text, text)
            return shared.get(text, text)

        return parse


@dataclass(frozen=True)
class CodeColumn(WeeklyColumn):
    """项目编号: text kept verbatim ('00123' keeps its zeros; 123.0 reads as '123')."""

    KIND = Kind.CODE

    def reader(self, sheet: Sheet) -> Parser:
        return _parse_code


def _parse_code(value: Any) -> str | None:
    if type(value) is str and value.isascii():  # NFKC leaves ASCII as it is
        return value.strip() or None
    return code_text(value)


@dataclass(frozen=True)
class CreditCodeColumn(WeeklyColumn):
    """统一社会信用代码, checked (domain/credit_code.py)."""

    KIND = Kind.CREDIT_CODE

    def _read(self, value: Any) -> str | None:
        text = text_of(value)
        if not text:
            return None
        code = normalize_credit_code(text)
        problem = credit_code_problem(code)
        if problem is not None:
            raise ValueProblem(problem)
        return code


@dataclass(frozen=True)
class AmountColumn(WeeklyColumn):
    """Money, read to exact Decimal 万元 from the sheet's unit (万元, 亿元, 元 … or 美元
    with a rate) or the unit written in the cell ('1.2亿')."""

    KIND = Kind.AMOUNT
    QUOTED = False

    @property
    def unit(self) -> str:
        """The unit when neither the heading nor the sheet names one."""
        return self.field.unit or "万元"

    def reader(self, sheet: Sheet) -> Parser:
        unit = sheet.unit or self.unit
        usd_rate = sheet.usd_rate
        scale = SCALE_TO_WAN.get(unit)
        unscaled = scale == 1
        if scale_of(unit, usd_rate) is None:  # 美元 without a rate, 亿日元: never guessed
            return _refuse_all(
                f"金额单位「{unit}」无法精确折算为万元；请折算为人民币（万元）后重报"
            )

        def parse(value: Any) -> Decimal | Problem | None:
            try:
                # A whole positive number (what calamine returns for most amount cells) is
                # exact as an int: the same Decimal as parse_amount's Decimal(repr(value)).
                if (
                    scale is not None
                    and type(value) is float
                    and value.is_integer()
                    and 0 < value < 1e15
                ):
                    number = Decimal(int(value))
                    return checked_wan(number if unscaled else number * scale)
                return parse_amount(value, unit, usd_rate)
            except ValueProblem as exc:
                return Problem(str(exc))

        return parse


_MAX_MU = 1e7  # parse_area's bound: a whole number of 亩 up to it reads as itself


def _refuse_all(message: str) -> Parser:
    problem = Problem(message)

    def parse(value: Any) -> Problem | None:
        return None if value is None or value == "" else problem

    return parse


@dataclass(frozen=True)
class AreaColumn(WeeklyColumn):
    """Land in 亩, exact to 4 places; a heading in square metres or hectares is refused."""

    KIND = Kind.AREA
    QUOTED = False

    def reader(self, sheet: Sheet) -> Parser:
        read = _as_value(parse_area)

        def parse(value: Any) -> Any:
            if type(value) is float and value.is_integer() and 0 < value <= _MAX_MU:
                return Decimal(int(value)).quantize(QUANTUM)  # parse_area's, no checks
            return read(value)

        return parse

    def heading_problem(self, heading: str) -> str | None:
        if any(u in heading for u in _AREA_UNITS):
            return "用地面积须以亩填写（1亩约666.7平方米，不能精确换算）；请把该列改为亩后重报"
        return None


@dataclass(frozen=True)
class DateColumn(WeeklyColumn):
    """A day: a date cell, an Excel serial or text; a month alone is its first day, or its
    last for a planned date (`month_end`: a plan for June is not late on June 2nd)."""

    KIND = Kind.DATE
    month_end: bool = False

    def reader(self, sheet: Sheet) -> Parser:
        year = sheet.year
        month_end = self.month_end

        def parse(value: Any) -> date | Problem | None:
            if type(value) is date and value >= EARLIEST_DAY:
                return value
            try:
                return parse_date(value, year, month_end=month_end)
            except ValueProblem as exc:
                return Problem(str(exc))

        return parse


@dataclass(frozen=True)
class StageColumn(WeeklyColumn):
    """项目阶段: a reached stage, or planned wording (拟签约, 计划开工) that never is one."""

    KIND = Kind.STAGE

    def reader(self, sheet: Sheet) -> Parser:
        return remembered(_as_value(self._read))  # type: ignore[no-any-return]

    def _read(self, value: Any) -> Stage | PlannedStage | None:
        text = text_of(value)
        if not text:
            return None
        planned = planned_stage(text)
        if planned is not None:  # 拟签约, 计划开工: intended, never reached
            return planned
        stage = stage_from_text(text)
        if stage is None:
            raise ValueProblem("无法识别的项目阶段；应写 洽谈、签约、开工、投产、终止 等")
        return stage


@dataclass(frozen=True)
class UnitsColumn(WeeklyColumn):
    """The units holding a role, as written (names resolved by the ledger later)."""

    KIND = Kind.UNITS

    def reader(self, sheet: Sheet) -> Parser:
        return remembered(self._read)  # type: ignore[no-any-return]

    def _read(self, value: Any) -> tuple[str, ...] | None:
        names = tuple(n for n in re.split(r"[,，、;；/\n]+", text_of(value)) if n.strip())
        return tuple(n.strip() for n in names) or None


@dataclass(frozen=True)
class FlagColumn(WeeklyColumn):
    """是/否 (and 新建/续建 for the new-or-continuing column)."""

    KIND = Kind.FLAG
    QUOTED = False

    def reader(self, sheet: Sheet) -> Parser:
        return remembered(_as_value(parse_flag))  # type: ignore[no-any-return]


def quoted_text(value: Any, parsed: Any) -> str | None:
    """The cell text a message may quote, None when `ReportRow.text` can rebuild it from
    the parsed value (most cells: kept once, not twice)."""
    if type(value) is str:
        text = value.strip()
    elif type(value) is date and type(parsed) in (date, str):
        return None  # a date cell's text is its ISO form, as the parsed value's
    else:
        return text_of(value)
    return None if type(parsed) is str and parsed == text else text
