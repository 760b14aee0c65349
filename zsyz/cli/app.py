"""The root command and the one place errors become exit codes.

Exit codes: 0 ok, 1 failure, 2 usage, 3 alerts at --fail-on level, 65 bad input data,
75 ledger busy. No path ends in a traceback unless ZSYZ_DEBUG=1.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from zsyz import __version__
from zsyz.cli import (
    activities_cmds,
    adjust_cmds,
    alerts_cmds,
    import_cmds,
    ledger_cmds,
    maint_cmds,
    policy_cmds,
    progress_cmds,
    projects_cmds,
    rank_cmds,
    targets_cmds,
    units_cmds,
)
from zsyz.cli.common import State

app = typer.Typer(
    name="zsyz",
    help="招商引资目标责任台账：周报导入、目标完成、排名、奖励与预警。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"zsyz {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="台账位置：文件路径（SQLite）或数据库 URL；默认 ZSYZ_DB 或 ./zsyz.db"
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")
    ] = False,
) -> None:
    """招商引资目标责任台账 zsyz."""
    ctx.obj = State(db=db)


ledger_cmds.register(app)
maint_cmds.register(ledger_cmds.db_app)
app.add_typer(units_cmds.app, name="units")
app.add_typer(targets_cmds.app, name="targets")
app.add_typer(policy_cmds.app, name="policy")
progress_cmds.register(app)
rank_cmds.register(app)
alerts_cmds.register(app)
app.add_typer(activities_cmds.app, name="activities")
app.add_typer(projects_cmds.app, name="projects")
app.add_typer(adjust_cmds.app, name="adjust")
import_cmds.register(app)


def _fail(message: str | list[str], code: int) -> int:
    """Print the message on stderr: one line, or the lines given (a newline inside a
    file name or cell is escaped, never a second line)."""
    from zsyz.cli.render import visible

    lines = [message] if isinstance(message, str) else message
    print("zsyz: " + "\n".join(visible(line) for line in lines), file=sys.stderr)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code; every failure becomes one line on stderr.

    Click runs outside its standalone mode, so its usage errors land here too and are
    said in Chinese (`cli/usage.py`, exit 2); --help still prints and exits 0.
    """
    from zsyz.errors import EXIT_BUSY, EXIT_FAILURE, InvalidDataError, ZsyzError

    command = typer.main.get_command(app)
    click_errors = sys.modules[typer.BadParameter.__module__]  # click's, vendored or not
    try:
        code = command.main(args=argv, prog_name="zsyz", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except click_errors.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare group: its help, as Click does
            exc.show()
            return int(exc.exit_code)
        from zsyz.cli.usage import usage_line

        return _fail(usage_line(exc), int(exc.exit_code))
    except typer.Abort:
        return _fail("已中断", EXIT_FAILURE)
    except click_errors.ClickException as exc:
        return _fail(exc.format_message(), int(exc.exit_code))
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_FAILURE)
    except InvalidDataError as exc:
        lines = [exc.message, *(f"  {p}" for p in exc.problems[:50])]
        if len(exc.problems) > 50:
            lines.append(f"  …… 另有 {len(exc.problems) - 50} 处问题")
        return _fail(lines, exc.exit_code)
    except ZsyzError as exc:
        return _fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        return _fail("已中断", 130)
    except Exception as exc:
        if os.environ.get("ZSYZ_DEBUG"):
            raise
        from zsyz.store.engine import fault_message, is_busy_error

        if is_busy_error(exc):
            return _fail("台账正被其他进程写入，等待超时；请稍后重试", EXIT_BUSY)
        if (fault := fault_message(exc)) is not None:
            return _fail(fault, EXIT_FAILURE)
        return _fail(
            f"内部错误 {type(exc).__name__}: {exc}（设置 ZSYZ_DEBUG=1 可看详细信息，请报告维护人员）",
            EXIT_FAILURE,
        )
    finally:
        for name in ("zsyz.store.engine", "zsyz.store.reader"):
            if (opened := sys.modules.get(name)) is not None:
                opened.close_all()  # no idle connections left behind by in-process callers
    return 0


def main() -> None:
    sys.exit(run())
