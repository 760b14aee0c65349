"""Field types of the policy language: numbers that say which unit they are in.

A TOML number (or numeric text) becomes an exact Decimal; anything else fails with a
message naming the unit the key expects, e.g. 应为以万元计的数字，收到 "五千万".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

MAX_NUMBER = Decimal(10) ** 12


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 40:
        text = text[:40] + "…"
    return f'"{text}"' if isinstance(value, str) else text


def number_of(unit: str, *, minimum: Decimal = Decimal(0), integer: bool = False) -> Any:
    """A BeforeValidator turning TOML numbers into Decimal, refusing anything else."""

    def convert(value: Any) -> Decimal:
        fail = PydanticCustomError(
            "zsyz_number",
            "应为{what}，收到 {got}",
            {"what": f"以{unit}计的数字" if unit else "数字", "got": _shown(value)},
        )
        if isinstance(value, bool):
            raise fail
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise fail
            number = Decimal(repr(value))
        elif isinstance(value, str):
            try:
                number = Decimal(value.strip().replace(",", ""))
            except (InvalidOperation, ValueError):
                raise fail from None
        elif isinstance(value, Decimal):
            number = value
        else:
            raise fail
        if not number.is_finite() or abs(number) > MAX_NUMBER:
            raise fail
        if number < minimum:
            raise PydanticCustomError(
                "zsyz_range",
                "应不小于 {minimum}，收到 {got}",
                {"minimum": str(minimum), "got": str(number)},
            )
        if integer and number != number.to_integral_value():
            raise PydanticCustomError("zsyz_integer", "应为整数，收到 {got}", {"got": str(number)})
        return number

    return BeforeValidator(convert)


Wan = Annotated[Decimal, number_of("万元")]
Mu = Annotated[Decimal, number_of("亩")]
Count = Annotated[Decimal, number_of("个")]
Ratio = Annotated[Decimal, number_of("比例（0.8 即 80%）")]
Percent = Annotated[Decimal, number_of("百分数（10 即 10%）", minimum=Decimal(-100))]
Permille = Annotated[Decimal, number_of("千分数（2 即 2‰）")]
Points = Annotated[Decimal, number_of("分")]
Weight = Annotated[Decimal, number_of("权重")]
WanPerMu = Annotated[Decimal, number_of("万元/亩")]


def _text_list(value: Any) -> Any:
    """A single string is accepted where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


TextList = Annotated[list[str], BeforeValidator(_text_list)]
