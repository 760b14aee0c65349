"""Reading cell values the way offices write them: exact amounts, never float noise."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

SCALE_TO_WAN: dict[str, Decimal] = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
}
_AMOUNT = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(亿元|万元|千元|亿|万|元)?$")
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


def parse_amount(value: Any, heading_unit: str | None = "万元") -> Decimal | None:
    """An amount in 万元: from a number in the heading's unit, or text such as '1.2亿'."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem("应为金额")
    scale = SCALE_TO_WAN.get(heading_unit or "万元", Decimal(1))
    if isinstance(value, int | float):
        number = to_decimal(value)
        assert number is not None
        result = number * scale
    else:
        text = clean_text(value)
        if not text or text in ("-", "—", "/", "无"):
            return None
        m = _AMOUNT.match(text)
        if not m:
            raise ValueProblem("应为金额（如 5000 或 1.2亿）")
        number = Decimal(m.group(1))
        result = number * (SCALE_TO_WAN[m.group(2)] if m.group(2) else scale)
    if result < 0:
        raise ValueProblem("金额不能为负")
    if result > MAX_WAN:
        raise ValueProblem("金额过大（超过 1 万亿元），请检查单位")
    exact = result.quantize(QUANTUM)
    if exact != result:
        raise ValueProblem("金额精度超过 1 元")
    return exact
