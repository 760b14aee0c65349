"""zsyz init, zsyz db upgrade|current|backup, zsyz demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
    from zsyz.errors import UsageError
    from zsyz.store.lifecycle import create_ledger

    if preset and policy:
        raise UsageError("--preset 与 --policy 只能选一个")
    source = None
    if preset or policy:
        from zsyz.policy import load as load_policy  # the policy language lives there

        source = load_policy.resolve_source(preset, policy)
    ledger = create_ledger(db_of(ctx, db))
    if source is None:
        ledger.engine.dispose()  # close now: the file is whole (WAL checkpointed) on return
        say(f"已新建台账 {ledger.where}（未载入政策）")
        return
    try:
        from zsyz.store.policies import install_policy

        summary = install_policy(ledger, source, year, with_examples=with_examples)
    except BaseException:
        _discard(ledger)
        raise
    ledger.engine.dispose()
    say(f"已新建台账 {ledger.where}：{summary}")


def _discard(ledger: object) -> None:
    """Remove a ledger that init created but could not finish (nothing half-made)."""
    from zsyz.store.engine import Ledger
    from zsyz.store.lifecycle import discard

    assert isinstance(ledger, Ledger)
    discard(ledger)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """把台账结构升级到当前版本（SQLite 会先自动备份）。"""
    from zsyz.store.lifecycle import upgrade_ledger

    before, after, backup = upgrade_ledger(db_of(ctx, db))
    if before == after:
        say(f"台账已是最新结构（{after}）")
        return
    note = f"；升级前备份：{backup}" if backup else ""
    say(f"台账结构已从 {before or '空'} 升级到 {after}{note}")


@db_app.command("current")
def current(ctx: typer.Context, db: DbOption = None) -> None:
    """显示台账的结构版本。"""
    from zsyz.store import migrate
    from zsyz.store.engine import known_revision, open_ledger
    from zsyz.store.schema import HEAD_REVISION

    ledger = open_ledger(db_of(ctx, db), check_schema=False)
    rev = migrate.current(ledger)
    state = "最新" if rev == HEAD_REVISION else f"落后，请运行 zsyz db upgrade 升到 {HEAD_REVISION}"
    if rev is not None and rev != HEAD_REVISION and not known_revision(rev):
        state = f"比本程序新（本程序支持到 {HEAD_REVISION}），请升级 zsyz"
    print(f"{rev or '（无）'}（{state}）")


@db_app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="备份文件路径（不会覆盖已有文件）", dir_okay=False)],
    db: DbOption = None,
) -> None:
    """在线备份 SQLite 台账（其他进程写入时也安全）。"""
    from zsyz.store.engine import open_ledger
    from zsyz.store.lifecycle import backup as do_backup

    do_backup(open_ledger(db_of(ctx, db)), file)
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
