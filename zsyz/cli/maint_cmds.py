"""zsyz db check|copy|merge: checking a ledger and moving it between databases."""

from __future__ import annotations

from typing import Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, db_of
from zsyz.cli.common import ledger as ledger_of
from zsyz.cli.render import emit, say

CHECK_COLUMNS = [("check", "检查项"), ("table", "表"), ("row_id", "记录号"), ("message", "问题")]
COUNT_COLUMNS = [("table", "表"), ("source", "来源行数"), ("written", "写入行数")]
ToOption = Annotated[
    str,
    typer.Option(
        "--to",
        help="目标：PostgreSQL URL（postgresql+psycopg://用户@主机/库）或 SQLite 文件路径",
        show_default=False,
    ),
]


def register(db_app: typer.Typer) -> None:
    db_app.command("check")(check)
    db_app.command("copy")(copy)
    db_app.command("merge")(merge)


def check(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """检查台账：数据库完整性、外键，以及阶段日期、导入批次、责任单位、金额等台账规则。

    无问题退出 0；发现问题时列出并退出 1。"""
    from zsyz.app.ledger_ops import check as check_ledger

    done = check_ledger(lambda: ledger_of(ctx, db), db_of(ctx, db))
    findings = [f.as_dict() for f in done.findings]
    where = done.where
    if not findings:
        if fmt is not Format.table:
            emit([], CHECK_COLUMNS, fmt.value, output=output)
        say(f"台账 {where} 检查通过，未发现问题")
        return
    emit(findings, CHECK_COLUMNS, fmt.value, title="台账检查发现的问题", output=output)
    say(f"台账 {where} 有 {len(findings)} 处问题；请按上表逐条核对（可先 db backup 再修正）")
    raise typer.Exit(1)


def copy(
    ctx: typer.Context,
    to: ToOption,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """把整个台账复制到一个空数据库（如共用的 PostgreSQL），记录编号不变，复制后核对行数。

    目标先升级到当前结构；目标已有数据则拒绝。"""
    from zsyz.app.ledger_ops import copy as copy_ledger

    done = copy_ledger(db_of(ctx, db), to)
    counts = done.counts
    rows = [vars(c) for c in counts]
    emit(rows, COUNT_COLUMNS, fmt.value, title=f"复制到 {done.target}")
    total = sum(c.written for c in counts)
    say(
        f"已把台账 {done.source} 复制到 {done.target}：{len(counts)} 张表共 {total} 行，行数核对一致"
    )


def merge(
    sources: Annotated[list[str], typer.Argument(help="各县的台账（SQLite 文件路径或 URL）")],
    to: ToOption,
    as_county: Annotated[
        list[str] | None,
        typer.Option(
            "--as-county",
            help="县名，按顺序对应每个来源台账；默认取来源文件名（如 镇平县.db → 镇平县）",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """把几个县的台账合并成一个市级台账，每县的单位挂在该县的「县区」单位之下。

    单位名称、单位编码和项目编码加县名前缀，记录重新编号，政策保留。全部成功才写入。"""
    from zsyz.app.ledger_ops import merge as merge_ledgers

    done = merge_ledgers(sources, to, as_county or [])
    results = done.results
    rows = [
        {"county": r.county, "source_ledger": r.source, **vars(c)}
        for r in results
        for c in r.counts
    ]
    emit(
        rows,
        [("county", "县区"), *COUNT_COLUMNS],
        fmt.value,
        title=f"合并到 {done.target}",
    )
    for r in results:
        if r.skipped_aliases:
            say(
                f"{r.county}：{len(r.skipped_aliases)} 个别名与已有名称重复，未带入："
                + "、".join(r.skipped_aliases[:10])
            )
    say(
        f"已把 {len(results)} 个县的台账合并到 {done.target}："
        + "、".join(r.county for r in results)
    )
