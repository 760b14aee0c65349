"""The ranking's shapes: the JSON contract of `zsyz rank`, the rows its table and CSV
print, and the movement since the previous period (shared with the bulletin workbook)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from zsyz.domain.ranking import RankRow
from zsyz.render.explain import component_json, short_rule

NO_RANK = "—"  # no previous rank: the period before the ledger's first report, or unranked

# table and CSV columns of `zsyz rank` (the table leaves the components to --explain)
RANK_COLUMNS = [
    ("group", "组别"),
    ("rank", "名次"),
    ("unit", "单位"),
    ("score", "得分"),
    ("percent", "综合完成率%"),
    ("previous_rank", "上期"),
    ("change", "变化"),
    ("components", "得分构成"),
]


def change_text(r: RankRow, *, new: str = NO_RANK) -> str:
    """Movement since the previous period; an arrow only where both ranks exist."""
    if r.previous_rank is None:
        return new
    moved = r.previous_rank - r.rank
    return "持平" if moved == 0 else (f"↑{moved}" if moved > 0 else f"↓{-moved}")


def rank_json(rows: list[RankRow]) -> list[dict[str, Any]]:
    """The JSON contract of `zsyz rank`."""
    return [
        {
            "rank": r.rank,
            "unit": r.unit.name,
            "group": r.group,
            "score": r.score,
            "completion": r.completion,
            "previous_rank": r.previous_rank,
            "components": [component_json(c) for c in r.components],
        }
        for r in rows
    ]


def percent(r: RankRow) -> Decimal:
    """The weighted completion as the table's whole percent."""
    return (r.completion * 100).quantize(1)


def explain_head(r: RankRow, labels: Mapping[str, str]) -> str:
    """The line `rank --explain` prints above a unit's parts."""
    previous = NO_RANK if r.previous_rank is None else r.previous_rank
    return (
        f"{r.unit.name}：{labels.get(r.group, r.group)}第 {r.rank} 名，得分 {r.score}，"
        f"综合完成率 {percent(r)}%，上期 {previous}"
    )


def rank_table(rows: list[RankRow], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """The rows `zsyz rank` prints as a table or CSV: group labels, percent, movement."""
    return [
        {
            "group": labels.get(r.group, r.group),
            "rank": r.rank,
            "unit": r.unit.name,
            "score": r.score,
            "percent": percent(r),
            "previous_rank": NO_RANK if r.previous_rank is None else r.previous_rank,
            "change": change_text(r),
            "components": "；".join(f"{short_rule(c)} {c.points}" for c in r.components),
        }
        for r in rows
    ]
