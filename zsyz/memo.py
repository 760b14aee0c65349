"""Converting repeated values once (dates, stages, unit names repeat down a 50,000-row
report); used by the spreadsheet reader and the bulk writer alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def remembered(proc: Any) -> Any:
    """`proc` converting each distinct value once: a report's dates, stages, unit sets and
    timestamps repeat down a column. Values are keyed with their type, so equal values of
    different types (True and 1, 0 and -0.0) never share a result. None stays None."""
    if proc is None:
        return None
    known: dict[tuple[type, Any], Any] = {}

    def convert(value: Any) -> Any:
        if type(value) is Decimal:  # amounts: mostly distinct, not worth remembering
            return proc(value)
        key = (type(value), value)
        try:
            return known[key]
        except KeyError:
            result = known[key] = proc(value)
            if len(known) > 65536:
                known.clear()
            return result
        except TypeError:  # unhashable: convert every time
            return proc(value)

    return convert
