"""One definition of a stale project (N 天未报进展) for the alerts and the ranking."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zsyz.domain.points import idle_beyond

DAY = date(2022, 6, 30)


@pytest.mark.parametrize(
    ("idle", "limit", "expected"),
    [
        (29, 30, None),
        (30, 30, 30),  # reaching the limit is stale, as the README and the alerts say
        (31, 30, 31),
        (59, Decimal(60), None),  # red at red_factor × limit: the same rule
        (60, Decimal(60), 60),
        (0, 1, None),
    ],
)
def test_idle_beyond(idle: int, limit: int | Decimal, expected: int | None) -> None:
    last = date.fromordinal(DAY.toordinal() - idle)
    assert idle_beyond(last, DAY, limit) == expected


def test_alerts_and_ranking_share_it() -> None:
    root = Path(__file__).parents[1] / "zsyz" / "domain"
    for module in ("alerts.py", "ranking.py"):
        tree = ast.parse((root / module).read_text(encoding="utf-8"))
        called = {
            n.func.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert "idle_beyond" in called, module
