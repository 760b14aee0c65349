"""The root command and the one place errors become exit codes.

Exit codes: 0 ok, 1 failure, 2 usage, 3 alerts at --fail-on level, 65 bad input data,
75 ledger busy. No path ends in a traceback unless ZSYZ_DEBUG=1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from zsyz import __version__
from zsyz.cli.common import State

HELP = "招商引资目标责任台账：周报导入、目标完成、排名、奖励与预警。"


def _version(value: bool) -> None:
    if value:
        print(f"zsyz {__version__}")
        raise typer.Exit()


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


def _module(name: str) -> Any:
    # __import__, not importlib.import_module: `python -X importtime` shows it
    return __import__(f"zsyz.cli.{name}", fromlist=["app"])


def _group(module: str, name: str) -> Callable[[typer.Typer], None]:
    def add(root: typer.Typer) -> None:
        root.add_typer(_module(module).app, name=name)

    return add


def _commands(module: str) -> Callable[[typer.Typer], None]:
    def add(root: typer.Typer) -> None:
        _module(module).register(root)

    return add


# Who registers each top-level command, in the order the root help lists them (Typer
# lists a Typer's commands before its groups, each in the order they were added).
_PARTS: tuple[tuple[tuple[str, ...], Callable[[typer.Typer], None]], ...] = (
    (("init", "demo", "db"), _commands("ledger_cmds")),
    (("units",), _group("units_cmds", "units")),
    (("targets",), _group("targets_cmds", "targets")),
    (("policy",), _group("policy_cmds", "policy")),
    (("progress",), _commands("progress_cmds")),
    (("rank", "rewards", "report"), _commands("rank_cmds")),
    (("alerts",), _commands("alerts_cmds")),
    (("activities",), _group("activities_cmds", "activities")),
    (("projects",), _group("projects_cmds", "projects")),
    (("adjust",), _group("adjust_cmds", "adjust")),
    (("import", "template", "imports"), _commands("import_cmds")),
)
_BUILT: dict[int | None, typer.Typer] = {}


def build(command: str | None = None) -> typer.Typer:
    """The root Typer app holding only the part that registers `command` (its module is
    imported then), or every command when `command` is None or unknown: building the
    parameters of all commands is a tenth of a second a read command need not pay."""
    part = next((i for i, (names, _) in enumerate(_PARTS) if command in names), None)
    if part in _BUILT:
        return _BUILT[part]
    made = typer.Typer(
        name="zsyz",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    made.callback()(root)
    for i, (_, register) in enumerate(_PARTS):
        if part is None or i == part:
            register(made)
    return _BUILT.setdefault(part, made)


def command_named(argv: list[str]) -> str | None:
    """The top-level command a command line invokes (after the root's `--db X` /
    `--db=X`), None when it names none or anything else comes first (`--help`,
    `--version`, a mistyped option): the full app answers those."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--db":
            i += 2
        elif arg.startswith("--db="):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def __getattr__(name: str) -> typer.Typer:
    """`app`: the root with every command (help checks, the demo's list of steps)."""
    if name == "app":
        return build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

    if argv is None:
        argv = sys.argv[1:]
    command = typer.main.get_command(build(command_named(argv)))
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
