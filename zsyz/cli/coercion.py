"""Plain option values without pydantic: Typer (0.29+) coerces every parameter through a
pydantic TypeAdapter it builds on first use, so the first option a command reads imports
pydantic and builds its schemas (~0.3 s) — more than a county ranking's own work.

Most values a read command gets are plain: a text, a whole number inside its range, one
of an Enum's values, or absent. Those are answered here exactly as Typer's adapters would
answer them; anything else (a path, a file, a bad value whose error message Typer words,
a custom parser) goes to Typer's own coercion unchanged. Installed once by `cli/app.run`;
with a Typer that has no such hook it does nothing.
"""

from __future__ import annotations

from enum import Enum
from types import UnionType
from typing import Any, Union, get_args, get_origin

_MISS = object()


def install() -> None:
    """Put the plain path in front of Typer's coercion (once; a no-op on other Typers)."""
    try:
        from typer import core
        from typer._param_types import coerce_cli_choice
    except ImportError:
        return
    cls: Any = getattr(core, "_TyperParameter", None)
    built: Any = getattr(cls, "get_runtime_param", None)
    if cls is None or built is None or getattr(built, "zsyz_plain", False):
        return

    class Plain:
        """The runtime-param contract (`coerce`) for one parameter: plain values here,
        the rest by the parameter's real (pydantic) runtime param, built on demand."""

        def __init__(self, param: Any) -> None:
            self.param = param

        def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
            if not (param.multiple or param.nargs == -1):
                got = plain_value(param.type_descriptor, value, ctx, coerce_cli_choice)
                if got is not _MISS:
                    return got
            return built(self.param).coerce(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is not None:
            return self._runtime_param
        return Plain(self)

    get_runtime_param.zsyz_plain = True  # type: ignore[attr-defined]
    cls.get_runtime_param = get_runtime_param


def _bare(annotation: Any) -> Any:
    """`X | None` → X (Typer reads an optional option as its type)."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def plain_value(descriptor: Any, value: Any, ctx: Any, choose: Any) -> Any:
    """`value` as Typer's adapter would give it, or _MISS when that needs Typer."""
    if value is None:
        return None
    info = descriptor.parameter_info
    if info.parser is not None or getattr(descriptor, "file_annotation", None) is not None:
        return _MISS
    kind = _bare(descriptor.annotation)
    if kind is str and type(value) is str:
        return value
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return choose(value, choices=list(kind), case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:
            return _MISS  # Typer words the refusal
    if kind is int and type(value) is str and value.isascii() and value.isdigit():
        value = int(value)
    if kind is int and type(value) is int:
        low, high = info.min, info.max
        inside = (low is None or value >= low) and (high is None or value <= high)
        return value if inside and not getattr(info, "clamp", False) else _MISS
    return _MISS
