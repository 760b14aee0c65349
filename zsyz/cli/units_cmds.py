"""zsyz units list|add|import|alias."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger
from zsyz.cli.render import emit, say

app = typer.Typer(help="责任单位：名册、类别、分组、上级单位与别名。", no_args_is_help=True)

COLUMNS = [
    ("code", "编码"),
    ("name", "单位名称"),
    ("class_label", "类别"),
    ("group", "分组"),
    ("parent", "上级单位"),
    ("aliases", "别名"),
]


@app.command("list")
def list_units(
    ctx: typer.Context,
    unit_class: Annotated[str | None, typer.Option("--class", help="只列出该类别的单位")] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """列出责任单位。"""
    from zsyz.store.units import parse_unit_class, unit_rows

    cls = parse_unit_class(unit_class) if unit_class else None
    rows = unit_rows(ledger(ctx, db), cls)
    emit(rows, COLUMNS, fmt.value, title="责任单位", output=output)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="单位名称，如 商务局")],
    unit_class: Annotated[str, typer.Option("--class", help="类别：township、dept_a、leader……")],
    group: Annotated[str | None, typer.Option("--group", help="排名分组，默认按类别")] = None,
    parent: Annotated[str | None, typer.Option("--parent", help="上级单位名称")] = None,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="别名，可重复")] = None,
    code: Annotated[str | None, typer.Option("--code", help="单位编码，默认自动生成")] = None,
    db: DbOption = None,
) -> None:
    """新增一个责任单位。"""
    from zsyz.store.units import NewUnit, add_unit, parse_unit_class

    unit = add_unit(
        ledger(ctx, db),
        NewUnit(name, parse_unit_class(unit_class), group, parent, tuple(alias or ()), code),
    )
    say(f"已新增单位 {unit.name}（编码 {unit.code}）")


@app.command("import")
def import_roster(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="单位名册表格：单位名称、单位类别、分组、上级单位、别名")
    ],
    db: DbOption = None,
) -> None:
    """从名册表格导入单位（已有单位只补充别名）。"""
    from zsyz.io.rosters import read_roster
    from zsyz.store.units import NewUnit, import_roster, roster_groups

    target = ledger(ctx, db)
    rows = read_roster(file, roster_groups(target))
    added, present = import_roster(
        target, [NewUnit(r.name, r.unit_class, r.group, r.parent, r.aliases, r.code) for r in rows]
    )
    say(f"名册 {file.name}：新增 {added} 个单位，已有 {present} 个")


@app.command("alias")
def alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="单位名称、编码或已有别名")],
    aliases: Annotated[list[str], typer.Argument(help="要添加的别名")],
    db: DbOption = None,
) -> None:
    """为单位添加别名（报表里的不同写法）。"""
    from zsyz.store.units import add_aliases

    unit = add_aliases(ledger(ctx, db), name, aliases)
    say(f"已为 {unit.name} 添加别名：{'、'.join(aliases)}")
