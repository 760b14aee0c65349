"""The written 通报: its paragraphs, worded by one editable template file.

`tongbao.txt` (shipped in the package) holds every sentence as a `string.Template` in
a `[section]`; a county points `zsyz report --docx … --template` at its own copy. This
module fills the sections from the bulletin's data (`app.scoring.BulletinData`) and
returns the document as plain paragraphs; `io/tongbao_docx.py` lays them out.
Every number in the text comes from the same data as the workbook and the attached
tables: amounts in 亿元 to two decimals, percentages to one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from string import Template
from typing import Any

from zsyz.errors import BadInputError, NotFoundError
from zsyz.render.alerts import alert_rows

DEFAULT_TEMPLATE = Path(__file__).with_name("tongbao.txt")
SECTION = re.compile(r"^\[([a-z_]+)\]\s*$")
RED_LIST = 10  # red-alert projects named in the text (all are counted, all in 预警清单)
MAX_BOARD = 3  # 红榜/黑榜: at most this many units, never more than half the group


@dataclass(frozen=True)
class Para:
    kind: str  # title | date | heading | body | attachment
    text: str


def load_template(path: Path | None = None) -> dict[str, Template]:
    """The sections of a template file; a missing or unreadable file is bad input."""
    src = path or DEFAULT_TEMPLATE
    try:
        text = src.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise NotFoundError(f"找不到通报模板 {src}；请检查 --template 的路径") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"通报模板 {src} 无法读取（应为 UTF-8 文本）：{exc}") from exc
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = SECTION.match(line)
        if m:
            current = sections.setdefault(m.group(1), [])
        elif current is not None:
            current.append(line)
    out = {k: Template("\n".join(v).strip("\n")) for k, v in sections.items()}
    if path is not None:
        missing = sorted(set(load_template()) - set(out))
        if missing:
            raise BadInputError(
                f"通报模板 {src} 缺少段落：{'、'.join(f'[{m}]' for m in missing)}；可从默认模板复制"
            )
    return out


class Words:
    """The template's sections, filled with a clear refusal for an unknown ${name}."""

    def __init__(self, sections: dict[str, Template]) -> None:
        self.sections = sections

    def __call__(self, key: str, **values: Any) -> str:
        try:
            return self.sections[key].substitute(values)
        except KeyError as exc:
            raise BadInputError(
                f"通报模板的 [{key}] 段用到了没有的 ${{{exc.args[0]}}}；"
                f"此段可用：{'、'.join('${' + k + '}' for k in values) or '无'}"
            ) from exc
        except ValueError as exc:
            raise BadInputError(f"通报模板的 [{key}] 段写法有误（$ 要写成 $$）：{exc}") from exc


def yi(amount: Decimal) -> str:
    """万元 → 亿元, two decimals."""
    return str((amount / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def percent(ratio: Decimal) -> str:
    return str((ratio * 100).quantize(Decimal("0.1"), ROUND_HALF_UP))


def day_zh(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def paragraphs(data: Any, place: str, words: Words) -> list[Para]:
    """The 通报 as paragraphs, in order."""
    from zsyz.domain.bulletin import span_zh

    period = data.period
    common = {"period": period.label_zh, "end": day_zh(period.end)}
    out = [
        Para("title", words("title", place=place)),
        Para("date", words("date", **common)),
        Para("body", words("opening", **common)),
        Para("heading", words("heading_overview")),
    ]
    parts = {h.key: _headline(h, words, span_zh(period)) for h in data.headlines}
    out.append(Para("body", words("overview", **parts)))
    out.append(Para("heading", words("heading_ranking")))
    out.extend(Para("body", text) for text in _boards(data, words))
    out.append(Para("heading", words("heading_reports")))
    out.append(Para("body", _missed(data, words, common)))
    out.append(Para("heading", words("heading_alerts")))
    out.append(Para("body", _red(data, words, common)))
    out.append(Para("body", words("closing")))
    out.append(Para("attachment", words("attachments", **common)))
    return out


def _headline(h: Any, words: Words, span: str) -> str:
    target = words("target", percent=percent(h.completion)) if h.completion is not None else ""
    growth = ""
    if h.growth is not None:
        if h.growth > 0:
            growth = words("growth_up", percent=percent(h.growth))
        elif h.growth < 0:
            growth = words("growth_down", percent=percent(-h.growth))
        else:
            growth = words("growth_flat")
    schedule = ""
    if h.ahead is not None:
        points = str(abs(h.ahead))
        key = "ahead" if h.ahead > 0 else ("behind" if h.ahead < 0 else "on_schedule")
        schedule = words(key, points=points)
    return words(
        h.key,
        span=span,
        count=h.count if h.count is not None else "",
        amount=yi(h.amount),
        target=target,
        growth=growth,
        schedule=schedule,
    )


def _boards(data: Any, words: Words) -> list[str]:
    """Per group the leading (红榜) and lagging (黑榜) units of the ranking."""
    from zsyz.domain.ranking import num
    from zsyz.io.bulletin import group_label

    groups: dict[str, list[Any]] = {}
    for r in data.rows:
        groups.setdefault(r.group, []).append(r)
    out = []
    for group, members in groups.items():
        label = group_label(data.policy, group)

        def named(rows: list[Any]) -> str:
            return "、".join(
                words("ranked_unit", unit=r.unit.name, score=num(r.score)) for r in rows
            )

        k = min(MAX_BOARD, len(members) // 2)
        top, low = members[0].score, members[-1].score
        # a unit on a board scored strictly better (worse) than someone in its group
        red = [r for r in members[:k] if r.score > low]
        black = [r for r in members[len(members) - k :] if r.score < top]
        if k == 0:
            out.append(words("group_small", group=label, count=len(members), units=named(members)))
        elif not red or not black:  # every unit scored the same: no board
            out.append(words("group_even", group=label, count=len(members), score=num(top)))
        else:
            out.append(
                words(
                    "group",
                    group=label,
                    count=len(members),
                    red=named(red),
                    black=named(black),
                )
            )
    return out


def _missed(data: Any, words: Words, common: dict[str, str]) -> str:
    missed = sorted(
        (a for a in alert_rows(data.alerts) if a["rule"] == "missed_report"),
        key=lambda a: -(a["count"] or 1),  # most missed first; stable within
    )
    if not missed:
        return words("none_missed", **common)
    units = "、".join(
        words("missed_unit", unit=a["unit"], times=a["count"] if a["count"] is not None else 1)
        for a in missed
    )
    return words("missed", units=units, count=len(missed), **common)


def _red(data: Any, words: Words, common: dict[str, str]) -> str:
    """The projects with a red alert (one item per project, its rules joined)."""
    red: dict[str, list[dict[str, Any]]] = {}
    for a in alert_rows(data.alerts):
        if a["level"] == "red" and a["project"]:
            red.setdefault(a["project"], []).append(a)
    if not red:
        return words("no_red", **common)
    items = "、".join(
        words(
            "red_item",
            project=found[0]["project_name"] or code,
            unit=found[0]["unit"],
            rule="、".join(dict.fromkeys(a["rule_label"] for a in found)),
        )
        for code, found in list(red.items())[:RED_LIST]
    )
    if len(red) > RED_LIST:
        items += words("red_more", count=len(red))
    return words("red_projects", count=len(red), items=items, **common)
