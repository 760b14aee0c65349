"""zsyz import FILES…, zsyz imports list|show|undo, zsyz template."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zsyz.cli.common import DbOption, Format, FormatOption, OutputOption, db_of, ledger
from zsyz.cli.import_args import (
    expand,
    parse_date_option,
    stage_option,
    usd_rate_option,
)
from zsyz.cli.import_report import CHANGE_COLUMNS, report_outcomes
from zsyz.cli.render import emit, say

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from zsyz.app.outcome import FileOutcome, ImportRequest
    from zsyz.store.engine import Ledger

app = typer.Typer(help="导入批次：查看、明细与撤销。", no_args_is_help=True)


def _links(links: list[str], new: list[str], many: bool) -> tuple[dict[str, str], frozenset[str]]:
    from zsyz.domain.names import norm_project_name
    from zsyz.errors import UsageError

    def normalize_link_key(key: str) -> str:
        key = key.strip()
        return key if key.isdigit() else norm_project_name(key)

    out: dict[str, str] = {}
    for item in links:
        key, sep, code = item.partition("=")
        if not sep or not key.strip() or not code.strip():
            raise UsageError(f"--link 应写作 行号=项目编号 或 项目名称=项目编号，而不是「{item}」")
        out[normalize_link_key(key)] = code.strip()
    fresh = frozenset(normalize_link_key(k) for k in new)
    if many and any(k.isdigit() for k in [*out, *fresh]):
        raise UsageError("--link/--new 用行号时一次只能导入一个文件；多个文件请用项目名称")
    return out, fresh


def _run_files(
    files: list[Path],
    request: ImportRequest,
    rejected_to: Path | None,
    move_to: Path | None,
    db: str | None,
    open_db: Callable[[], Ledger],
    outcomes: list[FileOutcome],
) -> None:
    """Import each file into `outcomes` (filled as it goes: Ctrl-C still reports them).
    With --move-to each file is claimed first, so runs sharing a folder import it once."""
    from zsyz.io import dropfolder

    opened: list[Ledger] = []
    moving = move_to is not None and not request.dry_run
    if moving:
        for note in dropfolder.recover({p.parent for p in files}):
            say(note)
    with _progress(len(files)) as step:
        for path in files:
            step(f"导入 {path.name}")
            here = dropfolder.claim(path) if moving else path
            if here is None:
                say(f"跳过 {path}：已被同时运行的另一个导入取走")
                continue
            try:
                outcome = _one(here, request, db, open_db, opened)
            except BaseException:
                dropfolder.release(here, path)
                raise
            outcome.file = str(path)
            outcomes.append(outcome)
            if request.dry_run:
                continue
            _annotate(outcome, here, rejected_to or (move_to / "rejected" if move_to else None))
            if moving:
                assert move_to is not None
                _move(outcome, here, path, move_to)


def _one(
    path: Path,
    request: ImportRequest,
    db: str | None,
    open_db: Callable[[], Ledger],
    opened: list[Ledger],
) -> FileOutcome:
    from zsyz.app.outcome import unchanged_file

    if not request.dry_run and (found := unchanged_file(db, path)) is not None:
        return found
    from zsyz.app.imports import import_file

    if not opened:
        opened.append(open_db())
    return import_file(opened[0], path, request)


def _annotate(outcome: FileOutcome, path: Path, folder: Path | None) -> None:
    """The refused report marked up for its sender: beside the file, or in a shared
    folder named by unit and time so two units' 周报.xlsx never overwrite each other."""
    if outcome.status != "rejected" or outcome.report is None:
        return
    from zsyz.io.annotate import annotated_name, write_annotated

    try:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        target = annotated_name(path, folder, unit=outcome.unit if folder else None)
        note = write_annotated(outcome.report, outcome.errors, target)
        outcome.warnings.append(f"已生成错误标注文件 {note}")
    except Exception as exc:  # the refusal stands even if the copy fails
        outcome.warnings.append(f"未能生成错误标注文件：{exc}")


def _move(outcome: FileOutcome, claimed: Path, path: Path, move_to: Path) -> None:
    from zsyz.io import dropfolder

    dest = move_to / "rejected" if outcome.status == "rejected" else move_to
    try:
        dropfolder.archive(claimed, path, dest)
    except OSError as exc:
        why = exc.strerror or str(exc)
        done = {"imported": "已导入台账", "unchanged": "内容未变化"}.get(outcome.status, "已拒收")
        outcome.warnings.append(f"{done}，但未能移入 {dest}（{why}），文件仍在原处 {path}")


# the options of `zsyz import`, named so the command reads as a list
FilesArg = Annotated[
    list[str], typer.Argument(help="周报文件、通配符（如 '收件箱/*.xlsx'）或文件夹")
]
UnitArg = Annotated[
    str | None, typer.Option("--unit", help="填报单位；表头已写「填报单位」时可省略")
]
AllUnitsArg = Annotated[
    bool,
    typer.Option("--all-units", help="县招商中心的汇总表：每行写明招引/落地单位，不限单位"),
]
WhenArg = Annotated[
    str | None,
    typer.Option("--date", help="填报日期（2022-03-11）或周次（2022-W10）；优先于表中所写"),
]
DryRunArg = Annotated[
    bool, typer.Option("--dry-run", help="只检查并显示将要发生的变化，不写入台账")
]
LinkArg = Annotated[
    list[str] | None,
    typer.Option(
        "--link", help="疑似重复的行是已有项目：行号=项目编号 或 项目名称=项目编号，可重复"
    ),
]
NewArg = Annotated[
    list[str] | None,
    typer.Option("--new", help="疑似重复的行确是新项目：行号 或 项目名称，可重复"),
]
RejectedToArg = Annotated[
    Path | None,
    typer.Option("--rejected-to", help="错误标注文件放到此目录（默认放在原文件旁）"),
]
MoveToArg = Annotated[
    Path | None,
    typer.Option("--move-to", help="导入后把文件移入此目录，拒收的移入其下 rejected/"),
]
StrictArg = Annotated[
    bool,
    typer.Option("--strict", help="表中有台账不导入的列（序号除外）时整份拒收，供定时任务使用"),
]
UsdRateArg = Annotated[
    str | None,
    typer.Option(
        "--usd-rate", help="美元汇率（1 美元折合人民币元数，如 7.1）；默认取政策 [currency] usd"
    ),
]
StageArg = Annotated[
    str | None,
    typer.Option(
        "--stage", help="表中没写阶段的项目按此阶段导入（如签约项目清单写 签约，在谈表写 洽谈）"
    ),
]


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on a terminal; nothing at all (not even the import) when piped."""
    if not sys.stderr.isatty():
        yield lambda _text: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("导入周报", total=total)
        started = [False]

        def step(text: str) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, description=text)

        yield step
        bar.advance(task)


def import_command(
    ctx: typer.Context,
    files: FilesArg,
    unit: UnitArg = None,
    all_units: AllUnitsArg = False,
    when: WhenArg = None,
    dry_run: DryRunArg = False,
    link: LinkArg = None,
    new: NewArg = None,
    rejected_to: RejectedToArg = None,
    move_to: MoveToArg = None,
    strict: StrictArg = False,
    usd_rate: UsdRateArg = None,
    stage: StageArg = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """导入各单位的项目周报（整份校验，全部无误才写入；有误则整份拒收，退出码 65）。"""
    from zsyz.app.outcome import ImportRequest
    from zsyz.errors import UsageError

    paths, skipped = expand(files)
    for note in skipped:
        say(note)
    if unit and all_units:
        raise UsageError("--unit 与 --all-units 只能选一个")
    request = ImportRequest(
        unit=unit,
        all_units=all_units,
        report_date=parse_date_option(when),
        dry_run=dry_run,
        strict=strict,
        usd_rate=usd_rate_option(usd_rate),
        stage=stage_option(stage),
    )
    if not paths:  # an empty drop folder: nothing to do (cron runs every ten minutes)
        if fmt is Format.json:
            emit([], [], "json", json_data=[])
        say("没有新文件")
        return
    request.links, request.new = _links(link or [], new or [], len(paths) > 1)
    if move_to is not None and move_to.exists() and not move_to.is_dir():
        raise UsageError(f"--move-to {move_to} 是文件，不是目录；请指定一个目录")
    outcomes: list[FileOutcome] = []
    try:
        _run_files(
            paths, request, rejected_to, move_to, db_of(ctx, db), lambda: ledger(ctx, db), outcomes
        )
    except KeyboardInterrupt:  # what was done is said before stopping (exit 130)
        if outcomes:
            report_outcomes(outcomes, fmt.value, dry_run)
        say(f"已中断：{len(outcomes)} 个文件已处理（见上），其余文件未导入")
        raise
    report_outcomes(outcomes, fmt.value, dry_run)
    if any(o.status == "rejected" for o in outcomes):
        raise typer.Exit(65)


@app.command("list")
def list_batches(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="只列出该单位的批次")] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="只列出该期间，如 2022-W10")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="imported、superseded 或 undone")
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """列出导入批次（含已被更正和已撤销的）。"""
    from zsyz.app.batches import batch_rows
    from zsyz.render.batches import BATCH_COLUMNS, batch_json

    batches = batch_rows(ledger(ctx, db), unit=unit, period=period, status=status)
    rows = [batch_json(b) for b in batches]
    emit(rows, BATCH_COLUMNS, fmt.value, title="导入批次", output=output)


@app.command("show")
def show_batch(
    ctx: typer.Context,
    batch_id: Annotated[int, typer.Argument(help="批次编号（见 zsyz imports list）")],
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """显示一个导入批次改动了哪些项目的哪些字段。"""
    from zsyz.app.batches import batch_detail
    from zsyz.render.batches import change_row, detail_heading, detail_json

    found = batch_detail(ledger(ctx, db), batch_id)
    detail = detail_json(found)
    if fmt is Format.table and output is None:
        for line in detail_heading(found):
            say(line)
    emit(
        [change_row(c) for c in found.changes],
        CHANGE_COLUMNS,
        fmt.value,
        title=f"批次 #{batch_id} 的改动",
        output=output,
        json_data=detail,
    )


@app.command("undo")
def undo_batch(
    ctx: typer.Context,
    batch_id: Annotated[int, typer.Argument(help="要撤销的批次编号")],
    cascade: Annotated[
        bool, typer.Option("--cascade", help="同时撤销依赖它的更晚批次（从最新的开始）")
    ] = False,
    db: DbOption = None,
) -> None:
    """撤销一个导入批次，精确恢复导入前的项目数据。"""
    from zsyz.app.batches import undo_batch as undo

    undone = undo(ledger(ctx, db), batch_id, cascade=cascade)
    say(f"已撤销批次：{'、'.join(f'#{i}' for i in undone)}")


def template_command(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option("--unit", help="填报单位名称（或别名）")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="写入的 .xlsx 文件", dir_okay=False)
    ],
    when: Annotated[
        str | None, typer.Option("--date", help="预填的填报日期，如 2022-03-18；默认留空")
    ] = None,
    db: DbOption = None,
) -> None:
    """生成某单位的项目周报模板，预填其在库项目及项目编号。"""
    from zsyz.app.batches import reporting_of, template_projects
    from zsyz.domain.reporting import due_rule
    from zsyz.io.template import write_template

    led = ledger(ctx, db)
    found, projects = template_projects(led, unit)
    write_template(output, found, projects, parse_date_option(when), due_rule(reporting_of(led)))
    say(f"已生成 {found} 的周报模板 {output}（{len(projects)} 个在库项目）")


def register(root: typer.Typer) -> None:
    root.command("import")(import_command)
    root.command("template")(template_command)
    root.add_typer(app, name="imports")
