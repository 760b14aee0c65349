"""zsyz projects edit|terminate|dupes|merge: corrections by hand and double counting."""

from __future__ import annotations

from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger
from zsyz.cli.render import say


def edit(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="项目编号")],
    stage: Annotated[
        str | None, typer.Option("--stage", help="改为该阶段：洽谈、签约、开工……（或 signed 等）")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="达到 --stage 所给阶段的日期")] = None,
    signed_on: Annotated[str | None, typer.Option("--signed-on", help="签约日期")] = None,
    started_on: Annotated[str | None, typer.Option("--started-on", help="开工日期")] = None,
    compiled_on: Annotated[
        str | None, typer.Option("--compiled-on", help="项目编制日期（001 编制奖励依据）")
    ] = None,
    fai: Annotated[str | None, typer.Option("--fai", help="固定资产投资（万元，或 1.2亿）")] = None,
    credit_code: Annotated[
        str | None, typer.Option("--credit-code", help="投资方统一社会信用代码（18 位）")
    ] = None,
    sourcing: Annotated[
        list[str] | None, typer.Option("--sourcing", help="招引单位（替换原有），可重复")
    ] = None,
    landing: Annotated[
        list[str] | None, typer.Option("--landing", help="落地单位（替换原有），可重复")
    ] = None,
    effective: Annotated[
        str | None,
        typer.Option("--effective", help="更正自哪天起生效（默认今天；此前各期按原值计算）"),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="更正原因（记入批次）")] = None,
    db: DbOption = None,
) -> None:
    """手工更正项目的阶段、日期、固投、信用代码或招引/落地单位；可用 imports undo 撤销。"""
    from datetime import date

    from zsyz.app.project_edits import ProjectEdit, edit_project
    from zsyz.cli.import_args import parse_date_option as d
    from zsyz.domain.field_labels import FIELD_LABELS
    from zsyz.errors import UsageError
    from zsyz.io.values import ValueProblem, parse_amount

    try:
        amount = parse_amount(fai) if fai else None
    except ValueProblem as exc:
        raise UsageError(f"--fai：{exc}") from exc
    change = ProjectEdit(
        stage=stage,
        stage_on=d(on),
        signed_on=d(signed_on),
        started_on=d(started_on),
        compiled_on=d(compiled_on),
        fai=amount,
        credit_code=credit_code,
        sourcing=_names(sourcing),
        landing=_names(landing),
        reason=reason,
    )
    found, changes, batch = edit_project(
        ledger(ctx, db), code, change, d(effective) or date.today()
    )
    fields = "、".join(FIELD_LABELS.get(f, f) for f, _, _ in changes)
    say(f"已更正项目 {found}：{fields}（批次 #{batch}，可用 zsyz imports undo {batch} 撤销）")


def _names(values: list[str] | None) -> tuple[str, ...] | None:
    import re

    if values is None:
        return None
    return tuple(n.strip() for v in values for n in re.split(r"[,，、;；]+", v) if n.strip())


def terminate(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="项目编号")],
    on: Annotated[str, typer.Option("--on", help="终止日期，如 2022-06-30")],
    reason: Annotated[str, typer.Option("--reason", help="终止原因（必填，记入批次）")],
    db: DbOption = None,
) -> None:
    """终止项目（阶段改为终止，记终止日期）；可用 imports undo 撤销。"""
    from zsyz.app.project_edits import terminate_project
    from zsyz.cli.import_args import parse_date_option
    from zsyz.errors import UsageError

    day = parse_date_option(on)
    if day is None:
        raise UsageError("--on：请写终止日期，如 2022-06-30")
    found, name, batch = terminate_project(ledger(ctx, db), code, day, reason)
    say(
        f"项目 {found}（{name}）自 {day.isoformat()} 终止（批次 #{batch}，"
        f"可用 zsyz imports undo {batch} 撤销）"
    )


DUPE_COLUMNS = [
    ("grade_label", "等级"),
    ("a_code", "项目A"),
    ("a_name", "项目A名称"),
    ("a_units", "项目A单位"),
    ("b_code", "项目B"),
    ("b_name", "项目B名称"),
    ("b_units", "项目B单位"),
    ("evidence", "依据"),
]


def dupes(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", help="只列出至少一方在该年度有进展的疑似重复", min=1990, max=2100),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="只列出至少一方与该单位有关的疑似重复")
    ] = None,
    dismiss: Annotated[
        tuple[str, str] | None,
        typer.Option("--dismiss", help="记录两个项目已核实不是同一项目：--dismiss 编号A 编号B"),
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """查找疑似重复计算（一炮数响）的项目：同一信用代码、同一投资方且名称相近、同一落地单位且名称相近。"""
    from zsyz.cli.render import emit

    led = ledger(ctx, db)
    if dismiss:
        from zsyz.app.dupes import dismiss_pair

        a, b = dismiss_pair(led, *dismiss)
        say(f"已记录：{a} 与 {b} 不是同一项目，不再列为疑似重复")
        return
    from zsyz.app.dupes import suspected_duplicates

    pairs = suspected_duplicates(led, year, unit)
    flat = [
        {
            "grade_label": p["grade_label"],
            **{f"{s}_code": p[s]["code"] for s in ("a", "b")},
            **{f"{s}_name": p[s]["name"] for s in ("a", "b")},
            **{f"{s}_units": "、".join(p[s]["units"]) for s in ("a", "b")},
            "evidence": "；".join(p["evidence"]),
        }
        for p in pairs
    ]
    emit(
        flat,
        DUPE_COLUMNS,
        fmt.value,
        title="疑似重复计算的项目（核实后：projects merge 保留 另一个，或 projects dupes --dismiss A B）",
        output=output,
        json_data=pairs,
        empty="（没有发现疑似重复的项目）",
    )


def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="保留的项目编号")],
    other: Annotated[str, typer.Argument(help="并入的重复项目编号")],
    reason: Annotated[str, typer.Option("--reason", help="合并原因（必填，记入批次）")],
    effective: Annotated[
        str | None,
        typer.Option("--effective", help="合并自哪天起生效（默认今天；此前各期按原样计算）"),
    ] = None,
    db: DbOption = None,
) -> None:
    """合并同一项目的两条记录：保留者接收另一条的单位与缺少的信息，另一条终止并保留历史；可撤销。"""
    from datetime import date

    from zsyz.app.project_edits import merge_projects
    from zsyz.cli.import_args import parse_date_option
    from zsyz.domain.field_labels import FIELD_LABELS

    day = parse_date_option(effective) or date.today()
    k, o, changed, batch = merge_projects(ledger(ctx, db), keep, other, reason, day)
    got = "、".join(FIELD_LABELS.get(f, f) for f in changed) or "无"
    say(
        f"已将项目 {o} 并入 {k}（{k} 补充：{got}；计分按政策的计分规则）"
        f"（批次 #{batch}，可用 zsyz imports undo {batch} 撤销）"
    )


def register(app: typer.Typer) -> None:
    app.command("merge")(merge)
    app.command("edit")(edit)
    app.command("terminate")(terminate)
    app.command("dupes")(dupes)
