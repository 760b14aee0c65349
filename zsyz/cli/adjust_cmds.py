"""zsyz adjust add|list|remove: points added or taken by hand, with reason and evidence."""

from __future__ import annotations

from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger, this_year

app = typer.Typer(
    help="手工加减分：弄虚作假、被通报批评等表格里看不到的事项，记明理由与依据，计入排名。",
    no_args_is_help=True,
)

COLUMNS = [
    ("id", "编号"),
    ("unit", "单位"),
    ("year", "年度"),
    ("points", "分值"),
    ("reason", "理由"),
    ("evidence", "依据"),
    ("flag", "标记"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="单位名称、编码或别名")],
    points: Annotated[
        str, typer.Option("--points", help="分值：扣分写负数（如 -0.2），加分写正数；仅作标记写 0")
    ],
    reason: Annotated[str, typer.Option("--reason", help="理由，如 弄虚作假、被县委通报批评")],
    year: Annotated[int | None, typer.Option("--year", help="考核年度，默认今年")] = None,
    evidence: Annotated[
        str | None, typer.Option("--evidence", help="依据：文号或记录编号，如 磐委办〔2024〕5号")
    ] = None,
    flag: Annotated[
        str | None, typer.Option("--flag", help="同时记为标记，如 一票否优（政策的否优规则读取）")
    ] = None,
    db: DbOption = None,
) -> None:
    """记一条加减分（计入该年度的排名，rank --explain 显示理由）。"""
    from decimal import Decimal, InvalidOperation

    from zsyz.app.adjustments import add_adjustment
    from zsyz.cli.render import say
    from zsyz.errors import UsageError

    try:
        value = Decimal(points.strip())
    except InvalidOperation:
        raise UsageError(f"--points 应为数字（扣分写负数，如 -0.2），收到「{points}」") from None
    if not value.is_finite() or abs(value) > 1000 or value != value.quantize(Decimal("0.0001")):
        raise UsageError(f"--points 应为 -1000 到 1000 之间、至多 4 位小数的数，收到「{points}」")
    text = reason.strip()
    if not text:
        raise UsageError("--reason 不能为空：写明加减分的理由")
    if value == 0 and not flag:
        raise UsageError("--points 为 0 的记录须写 --flag（如 一票否优），否则不起作用")
    ident, name = add_adjustment(
        ledger(ctx, db), unit, year or this_year(), value, text, evidence, flag
    )
    sign = "+" if value > 0 else ""
    say(f"已记加减分 #{ident}：{name} {year or this_year()} 年 {sign}{value} 分（{text}）")


@app.command("list")
def list_adjustments(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", help="年度（默认全部）")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="只列出该单位")] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """列出加减分记录。"""
    from zsyz.app.adjustments import adjustment_rows
    from zsyz.cli.render import emit

    rows = adjustment_rows(ledger(ctx, db), year, unit)
    emit(rows, COLUMNS, fmt.value, title="手工加减分", output=output, empty="（没有加减分记录）")


@app.command("remove")
def remove(
    ctx: typer.Context,
    ident: Annotated[int, typer.Argument(help="记录编号（adjust list 的“编号”）")],
    db: DbOption = None,
) -> None:
    """删除一条加减分记录。"""
    from zsyz.app.adjustments import remove_adjustment
    from zsyz.cli.render import say

    row = remove_adjustment(ledger(ctx, db), ident)
    say(
        f"已删除加减分 #{ident}：{row['unit']} {row['year']} 年 {row['points']} 分（{row['reason']}）"
    )
