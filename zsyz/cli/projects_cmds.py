"""zsyz projects list|show: the ledger's projects, approval routes, admission, history."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger, reader

app = typer.Typer(help="项目：列表、详情、审批权限、准入核查与变更历史。", no_args_is_help=True)

COLUMNS = [
    ("code", "编号"),
    ("name", "项目名称"),
    ("stage_label", "阶段"),
    ("category", "类别"),
    ("total_investment", "总投资"),
    ("fai", "固投"),
    ("land_area", "用地(亩)"),
    ("sourcing", "招引单位"),
    ("landing", "落地单位"),
    ("approval_label", "审批权限"),
    ("admission", "准入核查"),
    ("last_reported_on", "最近报送"),
]
HISTORY = [
    ("date", "日期"),
    ("batch", "导入批次"),
    ("file", "文件"),
    ("field_label", "字段"),
    ("old", "原值"),
    ("new", "新值"),
]
APPROVAL_SHORT = {
    "deputy": "分管副县长",
    "mayor_office": "县长办公会议",
    "standing_committee": "县委常委会",
    "park": "园区自批",
}


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

    wanted: Stage | None = None
    if stage:
        wanted = stage_from_text(stage)
        if wanted is None:
            names = "、".join(f"{s.value}（{s.label}）" for s in Stage)
            raise UsageError(f"未知阶段「{stage}」；可用：{names}")
    rows = project_list(reader(ctx, db), unit, wanted, year, approval.value if approval else None)
    for r in rows:
        r["approval_label"] = APPROVAL_SHORT.get(r["approval"] or "", "")
    emit(
        rows,
        COLUMNS,
        fmt.value,
        title="项目",
        output=output,
        json_data=[{k: v for k, v in r.items() if k != "approval_label"} for r in rows],
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
    from zsyz.app.projects import SHOWN, project_detail
    from zsyz.cli.render import print_table, to_json, write_text
    from zsyz.domain.field_labels import FIELD_LABELS

    data = project_detail(ledger(ctx, db), code)
    if fmt is ShowFormat.json:
        write_text(to_json(data) + "\n", None)
        return
    facts: list[dict[str, Any]] = [
        {"key": FIELD_LABELS[k], "value": data[k]}
        for k in SHOWN
        if data[k] is not None and k != "extra"
    ]
    facts += [{"key": label, "value": text} for label, text in (data["extra"] or {}).items()]
    facts[facts.index(next(f for f in facts if f["key"] == "项目阶段"))]["value"] = data[
        "stage_label"
    ]
    role_labels = {"sourcing": "招引单位", "landing": "落地单位", "leader": "包保领导"}
    role_labels["compiling"] = "编制单位"
    for key, names in data["roles"].items():
        if names:
            facts.append({"key": role_labels[key], "value": names})
    facts.append({"key": "计入单位", "value": data["credited"]})
    facts.append({"key": "审批权限", "value": data["approval_label"] or "无法确定"})
    facts.append({"key": "审批依据", "value": data["approval_reason"]})
    adm = data["admission"]
    if adm["applies"]:
        verdict = {True: "符合", False: "不符合", None: "无法核算"}[adm["passed"]]
        detail = "；".join(adm["flags"] + [f"缺{m}" for m in adm["missing"]])
        facts.append({"key": "准入核查", "value": verdict + (f"：{detail}" if detail else "")})
    if data["merged_into"]:
        facts.append({"key": "已并入", "value": data["merged_into"]})
    if data["merged"]:
        facts.append({"key": "并入的重复记录", "value": data["merged"]})
    print_table(facts, [("key", "项目"), ("value", "内容")], title=f"项目 {data['code']}")
    history = [("record", "记录"), *HISTORY] if data["merged"] else HISTORY
    print_table(data["history"], history, title="变更历史", empty="（没有变更记录）")


def _register_corrections() -> None:
    from zsyz.cli import project_fix_cmds

    project_fix_cmds.register(app)


_register_corrections()
