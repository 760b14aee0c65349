"""How a `*created*` row of `project_update` encodes a created project (the contract is
in `store/history.py`): one JSON snapshot standing for one change per field. Kept apart
from the history writer so the as-of reader (`store/asof_history.py`) needs no ORM."""

from __future__ import annotations

import json
from collections.abc import Iterator

CREATED = "*created*"  # one row per created project: the initial snapshot as JSON

Change = tuple[str, str | None, str | None]  # (field, old_value, new_value)


def expand(field: str, old: str | None, new: str | None) -> Iterator[Change]:
    """A stored row as the per-field changes it stands for (a `*created*` row as one
    change per field, old value None; any other row as itself)."""
    if field != CREATED:
        yield field, old, new
        return
    for k, v in json.loads(new or "{}").items():
        yield k, None, v


def created_values(new: str | None) -> dict[str, str]:
    """{field: text} of a `*created*` row's snapshot."""
    loaded = json.loads(new or "{}")
    return loaded if isinstance(loaded, dict) else {}
