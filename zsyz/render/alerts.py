"""The alerts' shape: the JSON contract of one alert (`zsyz alerts`, the bulletin, the
dashboard)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zsyz.domain.alerts import Alert


def alert_row(a: Alert) -> dict[str, Any]:
    """The JSON contract of one alert."""
    return {
        "level": a.level.value,
        "rule": a.rule.value,
        "rule_label": a.rule.label,
        "unit": "、".join(a.unit_names),
        "units": list(a.unit_names),
        "project": a.project,
        "project_name": a.project_name,
        "message": a.message,
        "action": a.action,
        "count": a.count,
    }


def alert_rows(alerts: Iterable[Alert]) -> list[dict[str, Any]]:
    """Every alert as its JSON contract (what the bulletin's sheets and text read)."""
    return [alert_row(a) for a in alerts]
