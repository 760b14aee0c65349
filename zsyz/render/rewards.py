"""The rewards' shapes: the JSON contract of `zsyz rewards` and the tables it prints."""

from __future__ import annotations

from datetime import date
from typing import Any

from zsyz.domain.rewards import Rewards
from zsyz.render.reasons import reason_text

REWARD_COLUMNS = [
    ("unit", "单位"),
    ("rule", "奖励规则"),
    ("amount", "金额（万元）"),
    ("reason", "理由"),
    ("projects", "项目"),
]

# one printed table: its rows, its (key, heading) columns, its title, what an empty one says
Table = tuple[list[dict[str, Any]], list[tuple[str, str]], str, str]


def rewards_json(result: Rewards) -> dict[str, Any]:
    """The JSON contract of `zsyz rewards`."""
    return {
        "year": result.year,
        "total": result.total,
        "lines": [
            {
                "unit": line.unit.name,
                "rule": line.rule,
                "amount": line.amount,
                "reason": reason_text(line.why),
                "projects": list(line.projects),
            }
            for line in result.lines
        ],
        "flags": [
            {"unit": f.unit.name, "flag": f.flag, "reason": reason_text(f.why)}
            for f in result.flags
        ],
        "notes": [reason_text(n) for n in result.notes],
    }


def rewards_tables(result: Rewards, as_of: date) -> list[Table]:
    """`zsyz rewards` as tables: the lines, per-unit totals, flags and unmarkable notes."""
    data = rewards_json(result)
    per_unit: list[dict[str, Any]] = [{"unit": u.name, "amount": t} for u, t in result.per_unit()]
    per_unit.append({"unit": "合计", "amount": result.total})
    tables: list[Table] = [
        (
            data["lines"],
            REWARD_COLUMNS,
            f"{result.year} 年奖励（截至 {as_of.isoformat()}）",
            "（没有单位符合奖励条件）",
        ),
        (per_unit, [("unit", "单位"), ("amount", "合计（万元）")], "各单位合计", ""),
        (
            data["flags"],
            [("unit", "单位"), ("flag", "标记"), ("reason", "理由")],
            "评优、否优与通报",
            "（无评优否优或通报标记）",
        ),
    ]
    if result.notes:
        tables.append(([{"note": n} for n in data["notes"]], [("note", "说明")], "未能标记", ""))
    return tables
