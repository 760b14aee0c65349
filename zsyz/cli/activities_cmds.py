"""zsyz activities add|import|list: project leads and outbound trips (000 三、3.)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger

app = typer.Typer(
    help="招商活动登记：有效项目信息（lead）与外出招商（trip），计入 leads/trips 指标与月度预警。",
    no_args_is_help=True,
)

COLUMNS = [
    ("date", "日期"),
    ("unit", "单位"),
    ("kind_label", "类型"),
    ("note", "内容"),
]


class KindChoice(StrEnum):
    lead = "lead"
    trip = "trip"


@app.command("add")
def add(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="单位名称、编码或别名（县领导写姓名）")],
    on: Annotated[str, typer.Option("--date", help="活动日期 YYYY-MM-DD")],
    kind: Annotated[KindChoice, typer.Option("--kind", help="lead 有效项目信息；trip 外出招商")],
    note: Annotated[str, typer.Option("--note", help="内容：对接的项目、去向、洽谈对象")] = "",
    db: DbOption = None,
) -> None:
    """登记一次活动。"""
    from datetime import date

    from zsyz.app.activities import KIND_LABELS, add_activity
    from zsyz.cli.alerts_cmds import parse_day
    from zsyz.cli.render import say
    from zsyz.domain.facts import ActivityKind

    day = parse_day(on, "--date")
    assert isinstance(day, date)
    k = ActivityKind(kind.value)
    found = add_activity(ledger(ctx, db), unit, day, k, note)
    say(f"已登记 {found.name} {day.isoformat()} {KIND_LABELS[k]}")


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="活动登记表：单位、日期、类型、内容")],
    db: DbOption = None,
) -> None:
    """从表格导入活动：整份检查，有任何问题逐条列出（退出码 65），一条也不写入。"""
    from zsyz.app.activities import import_activities
    from zsyz.cli.render import say
    from zsyz.io.activities import read_activities

    target = ledger(ctx, db)
    rows = read_activities(file)
    n = import_activities(target, rows, file.name)
    say(f"活动登记表 {file.name}：导入 {n} 条")


@app.command("list")
def list_activities(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="只看该单位")] = None,
    kind: Annotated[KindChoice | None, typer.Option("--kind", help="只看 lead 或 trip")] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="期间：2022-03、2022-Q1、2022-H1、2022")
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """列出登记的活动。"""
    from zsyz.app.activities import activity_rows
    from zsyz.cli.render import emit
    from zsyz.domain.facts import ActivityKind
    from zsyz.domain.periods import parse_period
    from zsyz.errors import UsageError

    start = end = None
    if period:
        try:
            p = parse_period(period)
        except ValueError as exc:
            raise UsageError(f"--period：{exc}") from None
        start, end = p.start, p.end
    rows = activity_rows(
        ledger(ctx, db), unit, ActivityKind(kind.value) if kind else None, start, end
    )
    emit(rows, COLUMNS, fmt.value, title="招商活动", output=output)
