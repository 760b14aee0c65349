"""zsyz targets list|set|import|remove."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger, this_year
from zsyz.cli.render import emit, say

app = typer.Typer(
    help="目标任务：按单位、年度设定的显式目标（覆盖政策中的类别目标）。", no_args_is_help=True
)


@app.command("list")
def list_targets(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="年度（默认全部）", min=1990, max=2100)
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="只列出该单位")] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """列出显式目标。"""
    from zsyz.app.targets import target_rows
    from zsyz.render.targets import TARGET_COLUMNS, target_json, target_table

    rows = target_rows(ledger(ctx, db), year, unit)
    emit(
        [target_table(t) for t in rows],
        TARGET_COLUMNS,
        fmt.value,
        title="目标任务",
        output=output,
        json_data=[target_json(t) for t in rows],
    )


@app.command("set")
def set_target(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="单位名称、编码或别名")],
    metric: Annotated[
        str, typer.Option("--metric", help="指标：signed、started、producing、funds……")
    ],
    value: Annotated[str, typer.Option("--value", help="目标值：项目个数，或金额（万元）")],
    year: Annotated[
        int | None, typer.Option("--year", help="年度，默认今年", min=1990, max=2100)
    ] = None,
    min_fai: Annotated[
        str | None, typer.Option("--min-fai", help="固定资产投资下限（万元）")
    ] = None,
    min_total: Annotated[str | None, typer.Option("--min-total", help="总投资下限（万元）")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="下限为“超过”（不含等于）")] = False,
    category: Annotated[str | None, typer.Option("--category", help="产业类别")] = None,
    chain: Annotated[str | None, typer.Option("--chain", help="产业链")] = None,
    level: Annotated[str | None, typer.Option("--level", help="项目级别，如 省级百大")] = None,
    new_only: Annotated[bool, typer.Option("--new-only", help="只计新建项目")] = False,
    label: Annotated[str | None, typer.Option("--label", help="目标的说明文字")] = None,
    db: DbOption = None,
) -> None:
    """为单位设定一项显式目标（同一指标与条件再次设定即覆盖）。"""
    from zsyz.app.targets import TargetInput, set_targets
    from zsyz.domain.metrics import parse_metric
    from zsyz.errors import UsageError
    from zsyz.io.values import ValueProblem, parse_amount, to_decimal

    try:
        m = parse_metric(metric)
        required = parse_amount(value) if m.is_amount else to_decimal(value)
        lows = {
            k: parse_amount(v) for k, v in (("min_fai", min_fai), ("min_total", min_total)) if v
        }
    except (ValueError, ValueProblem) as exc:
        raise UsageError(str(exc)) from exc
    if required is None or required < 0:
        raise UsageError(f"--value 应为不小于 0 的数，收到「{value}」")
    filters = {
        **lows,
        "strict": strict,
        "category": category,
        "chain": chain,
        "level": level,
        "new_only": new_only,
    }
    t = TargetInput(unit, year or this_year(), m, required, filters, label)
    created, _ = set_targets(ledger(ctx, db), [t])
    say(
        f"{'已设定' if created else '已更新'}目标：{unit} {t.year} 年 {m.label} {required}{m.unit_label}"
    )


@app.command("import")
def import_targets(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="目标任务分解表（每行一个单位，每列一项指标）")],
    year: Annotated[
        int | None,
        typer.Option("--year", help="年度；默认取表题中的年份，再默认今年", min=1990, max=2100),
    ] = None,
    usd_rate: Annotated[
        str | None,
        typer.Option("--usd-rate", help="目标值以美元计时的汇率（1 美元折合人民币元数，如 7.1）"),
    ] = None,
    db: DbOption = None,
) -> None:
    """导入目标任务分解表（表头逐列识别；识别不了的表头列出并整表拒收）。"""
    from zsyz.app.targets import import_target_table
    from zsyz.cli.import_args import usd_rate_option

    rate = usd_rate_option(usd_rate)
    done = import_target_table(ledger(ctx, db), file, year, rate, this_year())
    if done.ignored:
        say(f"未导入的列（不是目标值）：{'、'.join(done.ignored)}")
    created, replaced, y = done.created, done.replaced, done.year
    say(f"分解表 {file.name}（{y} 年）：新设 {created} 项目标，更新 {replaced} 项")


@app.command("remove")
def remove_target(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Argument(help="单位名称、编码或别名")] = None,
    metric: Annotated[
        str | None, typer.Option("--metric", help="指标：signed、started、funds……")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="年度", min=1990, max=2100)] = None,
    ids: Annotated[
        list[int] | None, typer.Option("--id", help="目标编号（见 targets list），可重复")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="删除原因（记入批次）")] = None,
    db: DbOption = None,
) -> None:
    """删除显式目标（按编号，或按单位、年度与指标）；可用 imports undo 撤销。"""
    from datetime import date

    from zsyz.app.unit_edits import remove_targets
    from zsyz.domain.metrics import parse_metric
    from zsyz.errors import UsageError

    try:
        m = parse_metric(metric) if metric else None
    except ValueError as exc:
        raise UsageError(f"--metric：{exc}") from exc
    removed, batch = remove_targets(
        ledger(ctx, db),
        ids=ids or (),
        unit=unit,
        year=year,
        metric=m,
        reason=reason,
        today=date.today(),
    )
    shown = "、".join(f"#{r['id']} {r['unit']} {r['year']}年 {r['metric']}" for r in removed)
    say(f"已删除目标：{shown}（批次 #{batch}，可用 zsyz imports undo {batch} 撤销）")
