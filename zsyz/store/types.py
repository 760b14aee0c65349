"""Fixed-point columns: Decimal in Python, a scaled integer in the database.

SQLite has no exact decimal type (SQLAlchemy's Numeric goes through float there), so
an amount of 万元 with 4 places is stored as an integer count of 0.0001万元 (one 元).
The same integers on PostgreSQL keep both databases byte-for-byte alike and make SUM()
exact everywhere.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator


class FixedDecimal(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 4) -> None:
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale
        self._quantum = Decimal(1).scaleb(-scale)

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("FixedDecimal refuses float; pass Decimal")
        d = Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_EVEN)
        return int(d * self._factor)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).quantize(self._quantum)

    def __repr__(self) -> str:
        return f"FixedDecimal(scale={self.scale})"


def to_scaled(value: Decimal, scale: int = 4) -> int:
    """The stored integer for `value` (for raw SQL comparisons)."""
    return int(value.quantize(Decimal(1).scaleb(-scale)) * (Decimal(10) ** scale))


def from_scaled(value: int | None, scale: int = 4) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(int(value)) / (Decimal(10) ** scale)).quantize(Decimal(1).scaleb(-scale))
