"""zsyz projects list|show: the ledger's projects, approval routes, admission, history."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger, reader

app = typer.Typer(help="项目：列表、详情、审批权限、准入核查与变更历史。", no_args_is_help=True)


class ApprovalChoice(StrEnum):
    deputy = "deputy"
    mayor_office = "mayor_office"
    standing_committee = "standing_committee"
    park = "park"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("list")
def list_projects(
    ctx: typer.Context,
    unit: Annotated[
        str | None, typer.Option("--unit", help="只看该单位的项目（招引、落地、包保等任一角色）")
    ] = None,
    stage: Annotated[
        str | None, typer.Option("--stage", help="只看该阶段：signed、started 或 签约、开工……")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year", help="只看该年度有进展（任一阶段日期或报送）的项目", min=1990, max=2100
        ),
    ] = None,
    approval: Annotated[
        ApprovalChoice | None,
        typer.Option(
            "--approval", help="只看该审批权限：deputy、mayor_office、standing_committee、park"
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """列出项目，含审批权限与准入核查结果。"""
    from zsyz.app.projects import project_list
    from zsyz.cli.render import emit
    from zsyz.domain.stages import Stage, stage_from_text
    from zsyz.errors import UsageError
    from zsyz.render.projects import COLUMNS, project_json, project_row

    wanted: Stage | None = None
    if stage:
        wanted = stage_from_text(stage)
        if wanted is None:
            names = "、".join(f"{s.value}（{s.label}）" for s in Stage)
            raise UsageError(f"未知阶段「{stage}」；可用：{names}")
    found = project_list(reader(ctx, db), unit, wanted, year, approval.value if approval else None)
    emit(
        [project_row(p) for p in found],
        COLUMNS,
        fmt.value,
        title="项目",
        output=output,
        json_data=[project_json(p) for p in found],
    )


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="项目编号")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="输出格式：table 或 json")] = (
        ShowFormat.table
    ),
    db: DbOption = None,
) -> None:
    """项目详情：全部信息、计入单位、审批权限、准入核查和完整变更历史（哪次导入改了什么）。"""
    from zsyz.app.projects import project_detail
    from zsyz.cli.render import print_table, to_json, write_text
    from zsyz.render.projects import detail_facts, detail_json, history_table

    found = project_detail(ledger(ctx, db), code)
    if fmt is ShowFormat.json:
        write_text(to_json(detail_json(found)) + "\n", None)
        return
    columns = [("key", "项目"), ("value", "内容")]
    print_table(detail_facts(found), columns, title=f"项目 {found.code}")
    history, history_columns = history_table(found)
    print_table(history, history_columns, title="变更历史", empty="（没有变更记录）")


def _register_corrections() -> None:
    from zsyz.cli import project_fix_cmds

    project_fix_cmds.register(app)


_register_corrections()
