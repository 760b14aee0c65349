"""zsyz units list|add|import|alias."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger
from zsyz.cli.render import emit, say

app = typer.Typer(help="责任单位：名册、类别、分组、上级单位与别名。", no_args_is_help=True)


@app.command("list")
def list_units(
    ctx: typer.Context,
    unit_class: Annotated[str | None, typer.Option("--class", help="只列出该类别的单位")] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """列出责任单位。"""
    from zsyz.app.units import parse_unit_class, roster_groups, unit_rows
    from zsyz.render.units import UNIT_COLUMNS, unit_json, unit_table

    cls = parse_unit_class(unit_class) if unit_class else None
    target = ledger(ctx, db)
    rows = unit_rows(target, cls)
    labels = roster_groups(target).labels
    emit(
        [unit_table(u, labels) for u in rows],
        UNIT_COLUMNS,
        fmt.value,
        title="责任单位",
        output=output,
        json_data=[unit_json(u) for u in rows],
    )


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
    from zsyz.app.units import NewUnit, add_unit, parse_unit_class

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
    from zsyz.app.units import import_roster_file
    from zsyz.render.units import roster_text

    say(roster_text(file.name, import_roster_file(ledger(ctx, db), file)))


@app.command("alias")
def alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="单位名称、编码或已有别名")],
    aliases: Annotated[list[str], typer.Argument(help="要添加的别名")],
    db: DbOption = None,
) -> None:
    """为单位添加别名（报表里的不同写法）。"""
    from zsyz.app.units import add_aliases

    unit = add_aliases(ledger(ctx, db), name, aliases)
    say(f"已为 {unit.name} 添加别名：{'、'.join(aliases)}")


ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="更正原因（记入批次，可在 imports list 查看）")
]


@app.command("edit")
def edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="单位名称、编码或别名")],
    new_name: Annotated[
        str | None, typer.Option("--name", help="新名称（原名称保留为别名）")
    ] = None,
    unit_class: Annotated[str | None, typer.Option("--class", help="新类别")] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="新排名分组，如 乡镇、部门、township")
    ] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="新上级单位；“无”表示去掉上级")
    ] = None,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="添加别名，可重复")] = None,
    remove_alias: Annotated[
        list[str] | None, typer.Option("--remove-alias", help="删除别名，可重复")
    ] = None,
    reason: ReasonOption = None,
    db: DbOption = None,
) -> None:
    """更正单位的名称、类别、分组、上级或别名（手工更正批次，可用 imports undo 撤销）。"""
    from datetime import date

    from zsyz.app.unit_edits import UnitEdit, edit_unit

    change = UnitEdit(
        new_name, unit_class, group, parent, tuple(alias or ()), tuple(remove_alias or ()), reason
    )
    unit, n, batch = edit_unit(ledger(ctx, db), name, change, date.today())
    say(f"已更正单位 {unit.name}：{n} 项改动（批次 #{batch}，可用 zsyz imports undo {batch} 撤销）")


@app.command("retire")
def retire(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="单位名称、编码或别名")],
    on: Annotated[
        str | None, typer.Option("--from", help="自该日起不再参加排名、提醒和模板，默认今天")
    ] = None,
    reason: ReasonOption = None,
    db: DbOption = None,
) -> None:
    """撤并单位：保留其历史和此前各期的数据，自该日起不再参加排名、提醒与周报模板。"""
    from datetime import date

    from zsyz.app.unit_edits import retire_unit
    from zsyz.cli.import_args import parse_date_option

    today = date.today()
    day = parse_date_option(on) or today
    unit, batch = retire_unit(ledger(ctx, db), name, day, reason, today)
    say(
        f"单位 {unit.name} 自 {day.isoformat()} 起撤并（批次 #{batch}，"
        f"可用 zsyz imports undo {batch} 撤销）"
    )
