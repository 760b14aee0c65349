"""Running a write again when PostgreSQL aborted it to keep writers serializable.

SERIALIZABLE transactions may fail with 40001 (serialization failure) and any
transaction with 40P01 (deadlock); PostgreSQL's advice is to retry the whole
transaction. SQLite never raises these here: BEGIN IMMEDIATE queues writers instead.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from zsyz.errors import LedgerConflictError

T = TypeVar("T")


def backoff(attempt: int, base: float = 0.05, cap: float = 2.0) -> float:
    """Seconds to wait before attempt `attempt + 1`: capped exponential, full jitter."""
    return random.uniform(0, min(cap, base * 2**attempt))


def retrying(
    once: Callable[[], T],
    *,
    attempts: int = 5,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `once()`; when it raises LedgerConflictError, wait a little and call it
    again, at most `attempts` times in all. The last conflict propagates (exit 75)."""
    for attempt in range(attempts):
        try:
            return once()
        except LedgerConflictError as exc:
            if attempt == attempts - 1:
                raise LedgerConflictError(
                    f"{exc.message.removesuffix('；请稍后重试')}（已重试 {attempts} 次）；请稍后重试"
                ) from exc
            sleep(backoff(attempt))
    raise AssertionError("unreachable")
