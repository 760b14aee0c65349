"""zsyz rank, zsyz rewards and zsyz report (the monthly bulletin)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from zsyz.app.bulk import no_cyclic_gc
from zsyz.cli.common import (
    DbOption,
    Format,
    FormatOption,
    OutputOption,
    ReportFormat,
    ledger,
    reader,
    this_year,
)

if TYPE_CHECKING:
    from zsyz.domain.periods import Period

LATEST = "latest"  # what a bare period flag carries


def _period_option(flag: str, example: str, what: str) -> Any:
    return typer.Option(
        flag,
        help=f"按{what}（如 {example}）；只写 {flag} 表示最近一个已结束的{what}",
        show_default=False,
    )


MonthOption = Annotated[str | None, _period_option("--month", "2022-03", "月")]
QuarterOption = Annotated[str | None, _period_option("--quarter", "2022-Q2", "季度")]
HalfOption = Annotated[str | None, _period_option("--half", "2022-H1", "半年")]
YearPeriodOption = Annotated[str | None, _period_option("--year", "2022", "年度")]

PERIOD_FLAGS = ("--month", "--quarter", "--half", "--year")


class PeriodCommand(TyperCommand):
    """A bare --month/--quarter/--half/--year (last, or before another option) means the
    latest period that has ended: Typer's click has no optional option values."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        out: list[str] = []
        for i, arg in enumerate(args):
            out.append(arg)
            if arg in PERIOD_FLAGS and (i + 1 == len(args) or args[i + 1].startswith("-")):
                out.append(LATEST)
        return super().parse_args(ctx, out)


def register(app: typer.Typer) -> None:
    app.command("rank", cls=PeriodCommand)(rank)
    app.command("rewards")(rewards)
    app.command("report", cls=PeriodCommand)(report)


def pick_period(**given: str | None) -> Period:
    """The one period named by --month/--quarter/--half/--year (bare: latest ended)."""
    from datetime import date

    from zsyz.domain.periods import PeriodKind, latest_ended, parse_period
    from zsyz.errors import UsageError

    chosen = [(k, v) for k, v in given.items() if v is not None]
    flags = "、".join(f"--{k}" for k in given)
    if len(chosen) != 1:
        raise UsageError(f"请只指定一个期间：{flags} 之一，例如 --quarter 2022-Q2")
    name, value = chosen[0]
    kind = PeriodKind(name)
    if value == LATEST:
        return latest_ended(kind, date.today())
    try:
        return parse_period(value, kind)
    except ValueError as exc:
        raise UsageError(f"--{name}：{exc}") from exc


def rank(
    ctx: typer.Context,
    month: MonthOption = None,
    quarter: QuarterOption = None,
    half: HalfOption = None,
    year: YearPeriodOption = None,
    group: Annotated[
        str | None, typer.Option("--group", help="只看该组（如 township、dept、乡镇）")
    ] = None,
    explain: Annotated[
        str | None, typer.Option("--explain", help="列出该单位得分的每一项及其规则")
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="输出格式：table、json、csv（带 BOM）或 xlsx（需 -o）"),
    ] = ReportFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """排名：按政策计分，在组内排名（乡镇与乡镇比、部门与部门比），并与上期比较。"""
    from zsyz.app.scoring import ranking
    from zsyz.domain.groups import group_labels

    with no_cyclic_gc():
        period = pick_period(month=month, quarter=quarter, half=half, year=year)
        led = reader(ctx, db)
        policy, rows = ranking(led, period)
        if group:
            rows = _only_group(rows, group, group_labels(policy))
        title = f"{period.label_zh}排名（{period.start.isoformat()} 至 {period.end.isoformat()}）"
        if explain:
            _explain(led, policy, rows, explain, f"{title}\n", fmt, output)
            return
        _emit_ranking(policy, rows, title, fmt, output)


def _only_group(rows: list[Any], group: str, labels: dict[str, str]) -> list[Any]:
    """`rank --group`: the rows of one group; an absent group is named with the present ones."""
    from zsyz.app.units import group_vocabulary, parse_group
    from zsyz.errors import UsageError

    wanted = parse_group(group, group_vocabulary(dict(labels)))
    present = {r.group for r in rows}
    mine = [r for r in rows if r.group == wanted]
    if not mine:
        known = "、".join(labels.get(g, g) for g in sorted(present)) or "无"
        raise UsageError(f"本期没有「{group}」组的单位参加排名；参加排名的组：{known}")
    return mine


def _emit_ranking(
    policy: Any, rows: list[Any], title: str, fmt: ReportFormat, output: Path | None
) -> None:
    """The ranking in the chosen format: a workbook, or a table, CSV or JSON."""
    from zsyz.cli.render import emit
    from zsyz.domain.groups import group_labels
    from zsyz.errors import UsageError
    from zsyz.render.explain import tie_rule
    from zsyz.render.ranking import RANK_COLUMNS, rank_json, rank_table

    if fmt is ReportFormat.xlsx:
        if output is None:
            raise UsageError("--format xlsx 需要用 -o 指定输出文件，如 -o 排名.xlsx")
        from zsyz.io.bulletin import write_ranking

        write_ranking(output, title, rows, policy)
        return
    emit(
        rank_table(rows, group_labels(policy)),
        RANK_COLUMNS if fmt is ReportFormat.csv else RANK_COLUMNS[:-1],  # table: --explain
        fmt.value,
        title=f"{title}\n{tie_rule(policy)}；得分构成见 --explain 单位",
        output=output,
        json_data=rank_json(rows),
        empty="（没有单位有目标，无法排名：先载入政策并设定目标）",
    )


EXPLAIN_COLUMNS = [("rule", "规则"), ("points", "得分"), ("detail", "计算")]


def _explain(
    led: Any,
    policy: Any,
    rows: list[Any],
    name: str,
    title: str,
    fmt: ReportFormat,
    output: Path | None,
) -> None:
    """`rank --explain`: one unit's score, component by component, in the chosen format."""
    from zsyz.app.scoring import resolve_unit
    from zsyz.cli.render import emit
    from zsyz.domain.groups import group_labels
    from zsyz.errors import UsageError
    from zsyz.render.explain import component_json, tie_rule
    from zsyz.render.ranking import explain_head, rank_json

    if fmt is ReportFormat.xlsx:
        raise UsageError(
            "--explain 只输出 table、json 或 csv；要工作簿请去掉 --explain（其中有计分说明一栏）"
        )
    code = resolve_unit(led, name)
    mine = [r for r in rows if r.unit.code == code]
    if not mine:
        raise UsageError(f"「{name}」不在本期排名中（没有目标的单位不参加排名）")
    r = mine[0]
    if fmt is ReportFormat.json:
        emit([], [], "json", output=output, json_data=rank_json([r])[0])
        return
    labels = group_labels(policy)
    head = explain_head(r, labels)
    parts = [component_json(c) for c in r.components]
    total = {"rule": "合计", "points": r.score, "detail": tie_rule(policy)}
    emit([*parts, total], EXPLAIN_COLUMNS, fmt.value, title=title + head, output=output)


def rewards(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="年度，默认今年", min=1990, max=2100)
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """奖励：每条奖励的单位、规则、金额（万元）、理由与项目；各单位与全部合计；评优否优与通报。"""
    from datetime import date

    from zsyz.app.scoring import year_rewards
    from zsyz.cli.render import emit, print_tables
    from zsyz.render.rewards import REWARD_COLUMNS, rewards_json, rewards_tables

    with no_cyclic_gc():
        y = year or this_year()
        as_of = min(date.today(), date(y, 12, 31))
        _, result = year_rewards(reader(ctx, db), y, as_of)
        if fmt is not Format.table:
            data = rewards_json(result)
            emit(data["lines"], REWARD_COLUMNS, fmt.value, output=output, json_data=data)
            return
        print_tables(rewards_tables(result, as_of), output=output)


def report(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="通报工作簿（.xlsx），如 通报.xlsx", dir_okay=False),
    ] = None,
    docx: Annotated[
        Path | None,
        typer.Option(
            "--docx", help="同时（或只）生成文字通报（Word .docx），如 通报.docx", dir_okay=False
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="文字通报的措辞模板（默认用内置模板；可复制后改成本县措辞）",
            dir_okay=False,
        ),
    ] = None,
    month: MonthOption = None,
    quarter: QuarterOption = None,
    half: HalfOption = None,
    year: YearPeriodOption = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="驾驶舱网页（单个离线 .html 文件，如 看板.html）；与 --per-unit 同用时为目录",
        ),
    ] = None,
    per_unit: Annotated[
        bool,
        typer.Option("--per-unit", help="与 --html 目录 同用：每个有目标的单位一页，只含本单位"),
    ] = False,
    db: DbOption = None,
) -> None:
    """通报：按月、季、半年或年度生成可打印的通报工作簿（.xlsx）和/或文字通报（.docx）。

    --html 生成领导驾驶舱：单个离线网页（手机、大屏均可看，可打印为 A4 横向）。
    """
    chosen = _check_outputs(output, docx, template, html, per_unit)
    period = pick_period(month=month, quarter=quarter, half=half, year=year)
    if html is not None:
        from zsyz.cli.dashboard import write_dashboard

        write_dashboard(ledger(ctx, db), period, html, per_unit)
    if chosen:
        _write_bulletin(_bulletin(ctx, db, period), period, output, docx, template)


def _write_bulletin(
    data: Any, period: Period, output: Path | None, docx: Path | None, template: Path | None
) -> None:
    """The bulletin workbook and/or the written bulletin from one read of the ledger."""
    from zsyz.cli.render import say

    place = _place(data.policy.region) or data.policy.name
    if output is not None:
        from zsyz.io.bulletin import write_bulletin

        write_bulletin(output, data, place)
        say(f"已生成 {output}（{period.label_zh}，{len(data.rows)} 个单位参加排名）")
    if docx is not None:
        from zsyz.io.tongbao_docx import write_tongbao

        write_tongbao(docx, data, place, template)
        say(f"已生成 {docx}（{period.label_zh}文字通报）")


def _check_outputs(
    output: Path | None,
    docx: Path | None,
    template: Path | None,
    html: Path | None,
    per_unit: bool,
) -> dict[str, tuple[Path | None, str, str]]:
    """`report`'s outputs checked before the ledger is read: the chosen ones by kind."""
    from zsyz.errors import UsageError

    # each output: (its path, the suffix it must have); a new format adds a line here
    wanted = {"xlsx": (output, ".xlsx", "-o"), "docx": (docx, ".docx", "--docx")}
    chosen = {k: v for k, v in wanted.items() if v[0] is not None}
    if not chosen and html is None:
        raise UsageError(
            "请指定输出文件：-o 通报.xlsx（工作簿）、--docx 通报.docx（文字通报）"
            "或 --html 看板.html（驾驶舱网页）"
        )
    if per_unit and html is None:
        raise UsageError("--per-unit 需与 --html 目录 同用，如 --html 看板/ --per-unit")
    for path, suffix, flag in chosen.values():
        assert path is not None
        if path.suffix.lower() != suffix:
            raise UsageError(f"{flag} 的文件应以 {suffix} 结尾，收到「{path.name}」")
    if template is not None and "docx" not in chosen:
        raise UsageError("--template 只用于文字通报：请同时写 --docx 通报.docx")
    if "docx" in chosen:
        from zsyz.io.tongbao import load_template
        from zsyz.io.tongbao_docx import require_docx

        require_docx()  # before the ledger is read: a missing extra is said at once
        load_template(template)  # and so is a template that cannot be read
    return chosen


def _bulletin(ctx: typer.Context, db: str | None, period: Period) -> Any:
    from zsyz.app.scoring import bulletin_data

    with no_cyclic_gc():
        return bulletin_data(ledger(ctx, db), period)


def _place(region: str) -> str:
    """The county or city a region names: 河南省南阳市镇平县 → 镇平县, 陕西省汉中市 → 汉中市."""
    tail = region.rsplit("省", 1)[-1]
    if tail.endswith("市"):
        return tail
    return tail.rsplit("市", 1)[-1]
