"""Usage errors (a mistyped option, a missing value) as one Chinese line.

Typer/Click word them in English ("No such option: --quartr"); the operator reads Chinese.
The exception objects carry what went wrong (the option, its possibilities, the parameter
and its type), so the line is built from those, not by translating Click's sentences. A
message one of our own option callbacks raised is already Chinese and is kept as it is.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NO_COMMAND = re.compile(r"No such command '(.+?)'")
_EXTRA = re.compile(r"unexpected extra argument\S* \((.*)\)")


def usage_line(exc: Any) -> str:
    """One line for a Click usage error, ending with where to look for the right usage."""
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "zsyz"
    return f"{_what_went_wrong(exc, ctx)}；用 {path} -h 查看用法"


def _what_went_wrong(exc: Any, ctx: Any) -> str:
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or "")
    if kind == "NoSuchOption":
        line = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            line += f"（是不是 {'、'.join(sorted(exc.possibilities))}？）"
        return line
    if kind == "BadOptionUsage":
        return f"选项 {exc.option_name} 后面要给一个值"
    if kind == "MissingParameter":
        return f"缺少{_param(exc.param)}"
    if kind == "BadParameter":
        return f"{_param(exc.param)} 的值无效：{_why(exc.param, message)}"
    if _CJK.search(message):
        return message
    if found := _NO_COMMAND.search(message):
        return _no_command(found.group(1), ctx)
    if found := _EXTRA.search(message):
        return f"多余的参数：{found.group(1)}"
    if message.startswith("Missing command"):
        return "缺少子命令"
    return f"用法不对：{message}"


def _param(param: Any) -> str:
    if param is None:
        return "参数"
    if getattr(param, "param_type_name", "") == "option":
        return f"选项 {max(param.opts, key=len)}"
    return f"参数 {param.metavar or param.name.upper()}"


def _why(param: Any, message: str) -> str:
    if _CJK.search(message):
        return message  # our own callback's words
    type_name = type(getattr(param, "type", None)).__name__
    if type_name == "IntParamType" or "IntRange" in type_name:
        return "应为整数"
    if type_name == "FloatParamType" or "FloatRange" in type_name:
        return "应为数字"
    if hasattr(getattr(param, "type", None), "choices"):
        return f"只能是 {'、'.join(str(c) for c in param.type.choices)} 之一"
    if type_name == "DateTime":
        return f"应为日期，如 {'、'.join(param.type.formats[:1]) or 'YYYY-MM-DD'}"
    if "does not exist" in message:
        return "找不到这个文件或目录"
    if "is a directory" in message:
        return "这是一个目录，应为文件"
    if "is a file" in message:
        return "这是一个文件，应为目录"
    return message


def _no_command(name: str, ctx: Any) -> str:
    line = f"没有命令 {name}"
    group = getattr(ctx, "command", None)
    if group is not None and hasattr(group, "list_commands"):
        close = difflib.get_close_matches(name, group.list_commands(ctx), n=3)
        if close:
            line += f"（是不是 {'、'.join(close)}？）"
    return line
