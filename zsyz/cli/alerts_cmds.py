"""zsyz alerts: early warnings as of a date; --fail-on makes cron notice them (exit 3)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, reader

COLUMNS = [
    ("level_label", "级别"),
    ("unit", "单位"),
    ("project_label", "项目"),
    ("rule_label", "预警"),
    ("message", "情况"),
    ("action", "处理办法"),
]


class LevelChoice(StrEnum):
    yellow = "yellow"
    red = "red"


def register(app: typer.Typer) -> None:
    app.command("alerts")(alerts)


def parse_day(text: str | None, option: str = "--as-of") -> object:
    """A YYYY-MM-DD option as a date (today when absent); a usage error otherwise."""
    from datetime import date

    from zsyz.errors import UsageError

    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} 应为日期 YYYY-MM-DD，收到「{text}」") from None
    if not 1990 <= day.year <= 2100:  # the years a policy may name
        raise UsageError(f"{option} 的年份应在 1990–2100 之间，收到「{text}」")
    return day


def alerts(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="截至日期 YYYY-MM-DD，默认今天；只用当日及以前的数据"),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="只看该单位（名称、编码或别名）")
    ] = None,
    level: Annotated[
        LevelChoice | None, typer.Option("--level", help="只列该级别：yellow 黄色、red 红色")
    ] = None,
    fail_on: Annotated[
        LevelChoice | None,
        typer.Option("--fail-on", help="有该级别（或更高）的预警时退出码为 3，供 cron 发邮件"),
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """预警：未按时报送、项目停滞、签约未开工、计划开工未开工、落后序时进度、当月无信息/外出、低于准入强度。"""
    from datetime import date

    from zsyz.app.alerts import alert_list
    from zsyz.cli.render import emit, say
    from zsyz.domain.alerts import Level
    from zsyz.errors import EXIT_ALERTS
    from zsyz.render.alerts import alert_row

    day = parse_day(as_of)
    assert isinstance(day, date)
    found = alert_list(reader(ctx, db), day, unit, Level(level.value) if level else None)
    rows = [alert_row(a) for a in found]
    if fmt is not Format.json:  # the table's and the CSV's columns, not the contract's
        for row, a in zip(rows, found, strict=True):
            row["level_label"] = a.level.label
            row["project_label"] = f"{a.project} {a.project_name}" if a.project else ""
    title = f"预警（截至 {day.isoformat()}）"
    emit(rows, COLUMNS, fmt.value, title=title, output=output, empty="（没有预警）")
    if fail_on is not None:
        bar = Level(fail_on.value).rank
        hits = [a for a in found if a.level.rank >= bar]
        if hits:
            say(f"有 {len(hits)} 条{Level(fail_on.value).label}及以上预警")
            raise typer.Exit(EXIT_ALERTS)
