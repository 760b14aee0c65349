"""Reading policies: the built-in presets and TOML files, with errors that name the key.

Every failure is an `InvalidDataError` (exit 65) whose problems read like
`targets.township[1].min_fai: 应为以万元计的数字，收到 "五千万"`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from zsyz.domain.policy import Policy
from zsyz.errors import InvalidDataError, NotFoundError, Problem

MAX_POLICY_BYTES = 1_000_000


@dataclass(frozen=True)
class PolicySource:
    """A policy's text and where it came from (preset name or file path)."""

    origin: str
    text: str
    preset: bool = False


def preset_names() -> list[str]:
    folder = resources.files("zsyz.presets")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def preset_source(name: str) -> PolicySource:
    key = name.strip().removesuffix(".toml")
    if key not in preset_names():
        from zsyz.domain.names import closest

        near = closest(key, preset_names())
        hint = f"；是否想用 {'、'.join(near)}" if near else ""
        raise NotFoundError(
            f"没有内置政策「{name}」{hint}（可用：{'、'.join(preset_names())}；zsyz policy list 查看）"
        )
    text = resources.files("zsyz.presets").joinpath(f"{key}.toml").read_text(encoding="utf-8")
    return PolicySource(key, text, preset=True)


def file_source(path: Path) -> PolicySource:
    if not path.is_file():
        raise NotFoundError(f"政策文件 {path} 不存在；请检查路径")
    data = path.read_bytes()
    if len(data) > MAX_POLICY_BYTES:
        raise InvalidDataError(f"政策文件 {path} 过大（超过 1MB）；请检查是否选错了文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidDataError(
            f"政策文件 {path} 不是 UTF-8 文本（第 {exc.start} 字节）；请另存为 UTF-8"
        ) from exc
    return PolicySource(str(path), text)


def resolve_source(preset: str | None, policy: Path | None) -> PolicySource:
    """What `zsyz init --preset NAME | --policy FILE` names, read and validated."""
    source = preset_source(preset) if preset else file_source(policy) if policy else None
    if source is None:
        raise NotFoundError("请用 --preset 或 --policy 指定政策")
    parse_policy(source.text, source.origin)  # refuse a bad policy before making a ledger
    return source


def parse_policy(text: str, origin: str = "政策") -> Policy:
    """Validate TOML text and build the domain policy; InvalidDataError on any problem."""
    from pydantic import ValidationError

    from zsyz.policy.model import PolicyFile

    try:
        raw = tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per nested array or table
        raise InvalidDataError(
            f"{origin} 嵌套过深（数组或表层层相套）；请检查格式",
            [Problem("TOML 嵌套层数过多")],
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidDataError(
            f"{origin} 不是合法的 TOML：{exc}；请按 README 的格式改正",
            [Problem(f"TOML 语法错误：{exc}")],
        ) from None
    try:
        return PolicyFile.model_validate(raw).to_domain()
    except ValidationError as exc:
        problems = [Problem(line) for line in error_lines(exc)]
        raise InvalidDataError(
            f"{origin} 有 {len(problems)} 处错误；改正后再试", problems
        ) from None
    except RecursionError:
        raise InvalidDataError(f"{origin} 嵌套过深；请检查格式") from None


def key_path(loc: tuple[int | str, ...]) -> str:
    """('targets', 'township', 1, 'min_fai') → targets.township[1].min_fai"""
    from zsyz.policy.model import UNION_TAGS

    out = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]" or (isinstance(previous, int) and part in UNION_TAGS):
            pass
        else:
            out += f".{part}" if out else str(part)
        previous = part
    return out or "（文件顶层）"


_MESSAGES: dict[str, str] = {
    "missing": "缺少此键",
    "extra_forbidden": "未知的键（拼写错误？请对照 README 的政策格式）",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字（加引号）",
    "list_type": "应为列表 [...]",
    "dict_type": "应为表 [...] 或 {...}",
    "model_type": "应为表 [...] 或 {...}",
    "model_attributes_type": "应为表 [...] 或 {...}",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "too_short": "至少要有一项",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "union_tag_invalid": "kind 的值无效",
    "union_tag_not_found": "缺少 kind",
}


def error_lines(exc: Any) -> list[str]:
    lines = []
    for err in exc.errors(include_url=False):
        path = key_path(tuple(err.get("loc", ())))
        lines.append(f"{path}: {_message(err)}")
    return lines


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if kind.startswith("zsyz_"):
        return str(err["msg"])
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("enum", "literal_error"):
        return f"应为 {ctx.get('expected', '')} 之一，收到 {_shown(got)}"
    if kind == "union_tag_invalid":
        return f"kind 应为 {ctx.get('expected_tags', '')} 之一，收到 {_shown(ctx.get('tag'))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "")
        word = {"greater_than_equal": "不小于", "less_than_equal": "不大于"}.get(kind, "超出")
        return f"应{word} {bound}，收到 {_shown(got)}"
    base = _MESSAGES.get(kind)
    if base is None:
        return str(err.get("msg", "无效"))
    if kind in ("missing", "extra_forbidden", "too_short"):
        return base
    return f"{base}，收到 {_shown(got)}"


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 40:
        text = text[:40] + "…"
    return f'"{text}"' if isinstance(value, str) else text


def load_preset(name: str) -> Policy:
    source = preset_source(name)
    return parse_policy(source.text, f"内置政策 {source.origin}")
