"""zsyz init, zsyz db upgrade|current|backup, zsyz demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zsyz.cli import maint_cmds
from zsyz.cli.common import DbOption, db_of
from zsyz.cli.render import say

db_app = typer.Typer(help="台账维护：结构升级、版本、备份。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.add_typer(db_app, name="db")


def init(
    ctx: typer.Context,
    preset: Annotated[
        str | None, typer.Option("--preset", help="内置政策，如 zhenping-2020")
    ] = None,
    policy: Annotated[
        Path | None, typer.Option("--policy", help="政策文件（TOML）", dir_okay=False)
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="政策适用年度，默认取政策中的年度", min=1990, max=2100),
    ] = None,
    with_examples: Annotated[
        bool,
        typer.Option("--with-examples", help="同时载入预设中标为示例（文件未列名）的单位及其目标"),
    ] = False,
    db: DbOption = None,
) -> None:
    """新建台账：建表、载入政策及其单位名册。不会覆盖已有台账。"""
    from zsyz.app.ledger_ops import init_ledger
    from zsyz.errors import UsageError

    if preset and policy:
        raise UsageError("--preset 与 --policy 只能选一个")
    source = None
    if preset or policy:
        from zsyz.policy import load as load_policy  # the policy language lives there

        source = load_policy.resolve_source(preset, policy)
    made = init_ledger(db_of(ctx, db), source, year, with_examples=with_examples)
    if made.installed is None:
        say(f"已新建台账 {made.where}（未载入政策）")
        return
    from zsyz.render.policies import installed_text

    say(f"已新建台账 {made.where}：{installed_text(made.installed)}")


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """把台账结构升级到当前版本（SQLite 会先自动备份）。"""
    from zsyz.app.ledger_ops import upgrade

    done = upgrade(db_of(ctx, db))
    before, after, backup = done.before, done.after, done.backup
    if before == after:
        say(f"台账已是最新结构（{after}）")
        return
    note = f"；升级前备份：{backup}" if backup else ""
    say(f"台账结构已从 {before or '空'} 升级到 {after}{note}")


@db_app.command("current")
def current(ctx: typer.Context, db: DbOption = None) -> None:
    """显示台账的结构版本。"""
    from zsyz.app.ledger_ops import revision

    found = revision(db_of(ctx, db))
    rev, head = found.current, found.head
    state = "最新" if rev == head else f"落后，请运行 zsyz db upgrade 升到 {head}"
    if rev != head and found.newer:
        state = f"比本程序新（本程序支持到 {head}），请升级 zsyz"
    print(f"{rev or '（无）'}（{state}）")


@db_app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="备份文件路径（不会覆盖已有文件）", dir_okay=False)],
    db: DbOption = None,
) -> None:
    """在线备份 SQLite 台账（其他进程写入时也安全）。"""
    from zsyz.app.ledger_ops import backup as do_backup

    do_backup(db_of(ctx, db), file)
    say(f"已备份到 {file}")


def demo(
    samples: Annotated[
        Path | None,
        typer.Option("--samples", help="样例目录；默认仓库的 samples/，没有时用内置样例"),
    ] = None,
    keep: Annotated[
        Path | None, typer.Option("--keep", help="把演示台账保存到此文件（不覆盖）", dir_okay=False)
    ] = None,
) -> None:
    """用样例建一个临时台账，演示导入、完成情况、排名与奖励（任何目录下都可运行）。"""
    from zsyz.cli.demo import run_demo

    run_demo(samples, keep)


maint_cmds.register(db_app)  # db check/vacuum/copy …: after the commands above, once
