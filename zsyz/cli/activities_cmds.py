"""zsyz activities add|import|list|remove: project leads and trips (000 三、3.)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger

if TYPE_CHECKING:
    from zsyz.domain.facts import ActivityKind

app = typer.Typer(
    help="招商活动登记：项目信息与外出招商，计入项目信息、外出招商指标与月度预警。",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", "编号"),
    ("date", "日期"),
    ("unit", "单位"),
    ("kind_label", "类型"),
    ("note", "内容"),
]


KIND_HELP = "项目信息（有效项目信息，也可写 lead）或 外出招商（也可写 trip）"


def _kind(text: str, option: str = "--kind") -> ActivityKind:
    from zsyz.errors import UsageError
    from zsyz.io.activities import parse_kind

    try:
        return parse_kind(text)
    except ValueError as exc:
        raise UsageError(f"{option}：{exc}") from None


@app.command("add")
def add(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="单位名称、编码或别名（县领导写姓名）")],
    on: Annotated[str, typer.Option("--date", help="活动日期 YYYY-MM-DD")],
    kind: Annotated[str, typer.Option("--kind", help=KIND_HELP)],
    note: Annotated[str, typer.Option("--note", help="内容：对接的项目、去向、洽谈对象")] = "",
    db: DbOption = None,
) -> None:
    """登记一次活动（同一单位、日期、类型、内容只记一次）。"""
    from datetime import date

    from zsyz.app.activities import KIND_LABELS, add_activity
    from zsyz.cli.alerts_cmds import parse_day
    from zsyz.cli.render import say

    day = parse_day(on, "--date")
    assert isinstance(day, date)
    k = _kind(kind)
    found, new = add_activity(ledger(ctx, db), unit, day, k, note, date.today())
    what = f"{found.name} {day.isoformat()} {KIND_LABELS[k]}"
    say(f"已登记 {what}" if new else f"{what} 已登记过，未重复登记")


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="活动登记表：单位、日期、类型、内容")],
    db: DbOption = None,
) -> None:
    """从表格导入活动：整份检查，所有问题一次列出（退出码 65），一条也不写入；
    已登记过的活动不重复登记。"""
    from datetime import date

    from zsyz.app.activities import import_activities_file
    from zsyz.cli.render import say

    n, repeated = import_activities_file(ledger(ctx, db), file, date.today())
    more = f"，{repeated} 条已登记过、未重复登记" if repeated else ""
    say(f"活动登记表 {file.name}：导入 {n} 条{more}")


@app.command("list")
def list_activities(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="只看该单位")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="只看项目信息或外出招商")] = None,
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
    from zsyz.domain.periods import parse_period
    from zsyz.errors import UsageError

    start = end = None
    if period:
        try:
            p = parse_period(period)
        except ValueError as exc:
            raise UsageError(f"--period：{exc}") from None
        start, end = p.start, p.end
    rows = activity_rows(ledger(ctx, db), unit, _kind(kind) if kind else None, start, end)
    emit(rows, COLUMNS, fmt.value, title="招商活动", output=output)


@app.command("remove")
def remove(
    ctx: typer.Context,
    activity_id: Annotated[int, typer.Argument(help="活动编号（见 zsyz activities list）")],
    reason: Annotated[str | None, typer.Option("--reason", help="删除原因（记入批次）")] = None,
    db: DbOption = None,
) -> None:
    """删除一条登记错了的活动（手工更正批次，可用 zsyz imports undo 撤销）。"""
    from datetime import date

    from zsyz.app.activities import remove_activity
    from zsyz.cli.render import say

    gone = remove_activity(ledger(ctx, db), activity_id, reason, date.today())
    what = f"{gone['unit']} {gone['date'].isoformat()} {gone['kind_label']}"
    batch = gone["batch"]
    say(f"已删除活动 #{gone['id']}：{what}（批次 #{batch}，可用 zsyz imports undo {batch} 撤销）")
