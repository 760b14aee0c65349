"""Reading one cell of a weekly report by its column's kind, fast for the types calamine
returns (a 50,000-row report is a million cells) and exact: amounts are Decimal 万元."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from zsyz.domain.credit_code import credit_code_problem, normalize_credit_code
from zsyz.domain.stages import PlannedStage, Stage, planned_stage, stage_from_text
from zsyz.io.columns import HeaderMatch
from zsyz.io.values import (
    EARLIEST_DAY,
    SCALE_TO_WAN,
    ValueProblem,
    checked_wan,
    code_text,
    parse_amount,
    parse_area,
    parse_date,
    parse_flag,
)
from zsyz.io.weekly_columns import ColumnPlan
from zsyz.io.weekly_fields import KINDS
from zsyz.io.weekly_head import text_of
from zsyz.memo import remembered

# Kinds whose cell text later messages may quote (the store checks them against the ledger);
# long free text is not kept, so a 50,000-row sheet stays small in memory.
_QUOTED = frozenset({"code", "text", "stage", "units", "date", "credit_code"})
Parser = Callable[[Any], Any]
# Distinct texts kept per column for sharing one string object among equal cells (a
# sheet repeats 广东深圳 or 制造业 thousands of times; calamine gives each cell its own).
_SHARED_TEXTS = 4096


def column_parsers(
    header: HeaderMatch,
    plan: ColumnPlan,
    money_unit: str | None,
    year: int | None,
    usd_rate: Decimal | None = None,
) -> list[tuple[str, int, str, Parser, bool]]:
    """(key, column, heading, parse, quoted) for every matched column, in sheet order.

    Each column's kind is looked at once, here: the parser it gets converts the cell
    types calamine returns (str, float, date) on a fast path and hands anything else to
    the general readers of io/values.py, so every value and message stays theirs.
    """
    out = []
    for key, col in sorted(header.columns.items(), key=lambda kv: kv[1]):
        if key in plan.refused:
            continue
        kind = KINDS[key]
        heading = header.headings[key]
        fn: Parser
        if kind == "amount":
            unit = header.unit_of(key) or money_unit or "万元"
            fn = _bind_amount(unit, usd_rate)
        elif kind == "date":
            fn = _bind_date(year, month_end=key == "planned_start_on")
        elif kind == "text":
            fn = _bind_text()
        elif kind in _MEMO:
            fn = remembered(_SIMPLE[kind])
        else:
            fn = _SIMPLE[kind]
        out.append((key, col, heading, fn, kind in _QUOTED))
    return out


def _bind_amount(unit: str, usd_rate: Decimal | None) -> Parser:
    scale = SCALE_TO_WAN.get(unit)
    unscaled = scale == 1

    def parse(value: Any) -> Decimal | None:
        # A whole positive number (what calamine returns for most amount cells) is exact
        # as an int: the same Decimal as parse_amount's Decimal(repr(value)).
        if scale is not None and type(value) is float and value.is_integer() and 0 < value < 1e15:
            number = Decimal(int(value))
            return checked_wan(number if unscaled else number * scale)
        return parse_amount(value, unit, usd_rate)

    return parse


def _bind_date(year: int | None, *, month_end: bool) -> Parser:
    def parse(value: Any) -> date | None:
        kind = type(value)
        if kind is date and value >= EARLIEST_DAY:
            return value  # type: ignore[no-any-return]
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


def _parse_stage(value: Any) -> Stage | PlannedStage | None:
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


def _parse_units(value: Any) -> tuple[str, ...] | None:
    names = tuple(n for n in re.split(r"[,，、;；/\n]+", text_of(value)) if n.strip())
    return tuple(n.strip() for n in names) or None


def _parse_text(value: Any) -> str | None:
    text = text_of(value)
    return text or None


def _parse_code(value: Any) -> str | None:
    if type(value) is str and value.isascii():  # NFKC leaves ASCII as it is
        return value.strip() or None
    return code_text(value)


def _parse_credit_code(value: Any) -> str | None:
    text = text_of(value)
    if not text:
        return None
    code = normalize_credit_code(text)
    problem = credit_code_problem(code)
    if problem is not None:
        raise ValueProblem(problem)
    return code


_SIMPLE: dict[str, Parser] = {
    "text": _parse_text,
    "credit_code": _parse_credit_code,
    "code": _parse_code,
    "area": parse_area,
    "stage": _parse_stage,
    "units": _parse_units,
    "flag": parse_flag,
}
_MEMO = frozenset({"stage", "units", "flag"})


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
