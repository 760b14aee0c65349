"""zsyz policy list|show|check: the built-in presets and policy files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, ledger
from zsyz.cli.render import emit, say, write_text

app = typer.Typer(help="政策：内置预设的列表与内容，政策文件检查。", no_args_is_help=True)

COLUMNS = [
    ("name", "名称"),
    ("year", "年度"),
    ("region", "地区"),
    ("title", "文件"),
    ("classes", "单位类别"),
    ("units", "名册单位"),
]


def _summary(name: str) -> dict[str, object]:
    from zsyz.policy.load import load_preset

    p = load_preset(name)
    return {
        "name": p.name,
        "year": p.year,
        "region": p.region,
        "title": p.title,
        "document": p.document,
        "classes": list(p.classes),
        "units": len(p.roster),
    }


@app.command("list")
def list_policies(fmt: FormatOption = Format.table, output: OutputOption = None) -> None:
    """列出内置政策（预设）。"""
    from zsyz.policy.load import preset_names

    rows = [_summary(n) for n in preset_names()]
    emit(rows, COLUMNS, fmt.value, title="内置政策", output=output)


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="内置政策名称，如 zhenping-2020")],
    output: OutputOption = None,
) -> None:
    """显示内置政策的全文（TOML，可另存后修改，再用 init --policy 载入）。"""
    from zsyz.policy.load import preset_source

    write_text(preset_source(name).text, output)


@app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="政策文件（TOML）", dir_okay=False)],
) -> None:
    """检查政策文件：格式、每个键的取值；有错时逐条列出键路径与原因（退出码 65）。

    可疑的设置（如久未更新天数短于报送周期）给出警告。"""
    from zsyz.domain.reporting import stale_warnings
    from zsyz.policy.load import file_source, parse_policy

    source = file_source(file)
    p = parse_policy(source.text, str(file))
    targets = sum(len(c.targets) for c in p.classes.values())
    say(
        f"政策文件 {file} 有效：{p.name}（{p.year} 年），单位类别 {len(p.classes)} 个，"
        f"类别目标 {targets} 项，名册单位 {len(p.roster)} 个，"
        f"计分项 {len(p.ranking.components) if p.ranking else 0} 条，"
        f"奖励规则 {len(p.rewards)} 条，标记规则 {len(p.flags)} 条"
    )
    for warning in stale_warnings(p.reporting, p.alerts.stale_days):
        say(f"警告：{warning}")


@app.command("holidays")
def holidays(
    year: Annotated[
        list[int],
        typer.Option(
            "--year", help="年份，可写多次，如 --year 2025 --year 2026", min=1990, max=2100
        ),
    ],
    output: OutputOption = None,
) -> None:
    """节假日：按国务院放假安排生成政策文件的 [calendar] 一节（需 zsyz[holidays]）。

    列出节假日与调休上班日；报送截止日逢节假日顺延至下一个工作日。"""
    from zsyz.io.holidays import calendar_toml

    write_text(calendar_toml(year), output)


@app.command("apply")
def apply(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="新的政策文件（TOML）", dir_okay=False)],
    from_year: Annotated[
        int | None,
        typer.Option(
            "--from-year", help="自该年度起适用，默认取政策中的年度；此前年度仍按原政策计算"
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="确认替换（不加则只显示变化）")] = False,
    with_examples: Annotated[
        bool, typer.Option("--with-examples", help="同时载入政策中标为示例（example）的单位与目标")
    ] = False,
    db: DbOption = None,
) -> None:
    """替换台账的现行政策：先列出目标、单位、规则的变化，加 --yes 才执行；原政策保留。"""
    from zsyz.app.policy_apply import apply_policy, policy_diff
    from zsyz.policy.load import file_source, parse_policy

    source = file_source(file)
    year = from_year or parse_policy(source.text, str(file)).year
    target = ledger(ctx, db)
    for line in policy_diff(target, source, year, with_examples):
        say(line)
    if not yes:
        say("以上为将发生的变化；确认无误后加 --yes 执行")
        return
    from zsyz.render.policies import installed_text

    say(installed_text(apply_policy(target, source, year, with_examples)))
