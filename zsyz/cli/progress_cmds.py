"""zsyz progress: each unit's targets, what is required, achieved, and which projects count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from zsyz.app.bulk import no_cyclic_gc
from zsyz.cli.common import (
    DbOption,
    Format,
    FormatOption,
    OutputOption,
    reader,
    this_year,
)
from zsyz.cli.render import emit

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from zsyz.domain.progress import UnitProgress

COLUMNS = [
    ("unit", "单位"),
    ("class", "类别"),
    ("target", "目标"),
    ("required", "目标值"),
    ("achieved", "完成"),
    ("percent", "完成率%"),
    ("done", "是否完成"),
    ("projects", "计入项目"),
]


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)


def progress(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="年度，默认今年", min=1990, max=2100)
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="截至日期 YYYY-MM-DD，默认今天（或所选年度末）")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="只看该单位（名称、编码或别名）")
    ] = None,
    unit_class: Annotated[
        str | None, typer.Option("--class", help="只看该类别，如 township、dept_a")
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """目标完成情况：每个单位每项目标的目标值、完成值、完成率与计入的项目。"""
    from datetime import date

    from zsyz.app.progress import unit_progress
    from zsyz.app.units import parse_unit_class
    from zsyz.errors import UsageError

    y = year or (date.fromisoformat(as_of).year if as_of and _iso(as_of) else this_year())
    if as_of is None:
        day = min(date.today(), date(y, 12, 31))
    elif _iso(as_of):
        day = date.fromisoformat(as_of)
    else:
        raise UsageError(f"--as-of 应为日期 YYYY-MM-DD，收到「{as_of}」")
    if not 1990 <= day.year <= 2100:
        raise UsageError(f"--as-of 的年份应在 1990–2100 之间，收到「{as_of}」")
    if as_of is not None and day < date(y, 1, 1):
        raise UsageError(f"--as-of {as_of} 早于 {y} 年开始；请给 {y} 年内的日期，或改 --year")
    cls = parse_unit_class(unit_class) if unit_class else None
    with no_cyclic_gc():
        _show(unit_progress(reader(ctx, db), y, day, unit, cls), fmt, y, day, output)


def _show(rows: list[UnitProgress], fmt: Format, y: int, day: date, output: Path | None) -> None:
    from zsyz.domain.units import UNIT_CLASSES
    from zsyz.render.progress import progress_json

    data = progress_json(rows)
    if fmt is Format.json:
        emit([], COLUMNS, fmt.value, output=output, json_data=data)
        return
    flat = []
    for u in data:
        for i, t in enumerate(u["targets"]):
            flat.append(
                {
                    "unit": u["unit"] if i == 0 else "",
                    "class": UNIT_CLASSES.get(u["class"], u["class"]) if i == 0 else "",
                    "target": t["target"],
                    "required": t["required"],
                    "achieved": t["achieved"],
                    "percent": (t["completion"] * 100).quantize(1),
                    "done": "✓" if t["complete"] else "",
                    "projects": t["projects"],
                }
            )
    if fmt is Format.csv:
        for row, src in zip(flat, (u for u in data for _ in u["targets"]), strict=True):
            row["unit"] = src["unit"]
            row["class"] = UNIT_CLASSES.get(src["class"], src["class"])
    emit(
        flat,
        COLUMNS,
        fmt.value,
        title=f"{y} 年目标完成情况（截至 {day.isoformat()}）",
        output=output,
        json_data=data,
        empty="（没有单位有目标：先用 zsyz init --preset 载入政策，或 zsyz targets set）",
    )


def _iso(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
