"""Declarative columns: each field names its heading synonyms; a sheet's heading row is
found by matching them, and a missing required column is reported with the headings
that were found (as beangulp's csvbase does).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from zsyz.errors import BadInputError

_UNIT_HINT = re.compile(r"[（(]\s*(万元|亿元|元|亩|个|%|％)\s*[)）]")
_NOISE = re.compile(r"[\s\u3000*＊:：、/／]|[（(][^)）]*[)）]")


@dataclass(frozen=True)
class Column:
    key: str
    synonyms: tuple[str, ...]
    required: bool = False

    @property
    def heading(self) -> str:
        return self.synonyms[0]


def heading_key(text: Any) -> str:
    """A heading folded for matching: width, spaces, line breaks and (单位) removed."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    return _NOISE.sub("", s).lower()


def unit_hint(text: Any) -> str | None:
    """'总投资（亿元）' → '亿元': the amount unit a heading declares, if any."""
    m = _UNIT_HINT.search(
        unicodedata.normalize("NFKC", str(text or "")).replace("(", "（").replace(")", "）")
    )
    if not m:
        m = _UNIT_HINT.search(str(text or ""))
    return m.group(1) if m else None


@dataclass(frozen=True)
class HeaderMatch:
    row: int  # 0-based index of the (last) heading row
    columns: dict[str, int]  # field key → 0-based column index
    headings: dict[str, str]  # field key → heading text as written
    found: list[str]  # every non-empty heading seen, for error messages
    groups: dict[str, str] = field(default_factory=dict)  # key → merged group heading above
    first_row: int = -1  # 0-based first heading row (row - 1 for two-row headings)

    def unit_of(self, key: str) -> str | None:
        """The amount unit the heading (or its group heading) declares."""
        return unit_hint(self.headings.get(key)) or unit_hint(self.groups.get(key))


def combine_heading_rows(
    upper: Sequence[Any], lower: Sequence[Any]
) -> tuple[list[Any], dict[int, str]]:
    """Two heading rows as one: the lower cell where written, else the upper one.

    A merged group cell (投资情况 over 总投资/固定资产投资/到位资金) holds its text only in its
    first column; it is carried right over the sub-headings below it and returned as the
    group of each of those columns.
    """
    width = max(len(upper), len(lower))
    cells: list[Any] = []
    groups: dict[int, str] = {}
    group = ""
    for i in range(width):
        up = upper[i] if i < len(upper) else None
        low = lower[i] if i < len(lower) else None
        up_text = str(up).strip() if up not in (None, "") else ""
        low_text = str(low).strip() if low not in (None, "") else ""
        if up_text:
            group = up_text if low_text else ""
        if low_text:
            cells.append(low)
            if group:
                groups[i] = group
        else:
            cells.append(up)
            group = "" if up_text else group
    return cells, groups


def match_headings(
    cells: Sequence[Any], spec: Sequence[Column]
) -> tuple[dict[str, int], dict[str, str]]:
    by_synonym = {heading_key(s): c for c in spec for s in c.synonyms}
    cols: dict[str, int] = {}
    texts: dict[str, str] = {}
    for idx, cell in enumerate(cells):
        key = heading_key(cell)
        if not key:
            continue
        col = by_synonym.get(key)
        if col is not None and col.key not in cols:
            cols[col.key] = idx
            texts[col.key] = str(cell).strip()
    # Second pass, for headings no synonym names exactly: "项目名称及建设内容",
    # "截至目前累计到位资金", "2022年完成投资" (exact matches above always win).
    taken = set(cols.values())
    for idx, cell in enumerate(cells):
        if idx in taken or not (key := heading_key(cell)):
            continue
        for candidate in loose_keys(key):
            col = by_synonym.get(candidate)
            if col is not None and col.key not in cols:
                cols[col.key] = idx
                texts[col.key] = str(cell).strip()
                break
    return cols, texts


_AS_OF = re.compile(r"^(?:截至|截止|截止到|截至到)(?:目前|本周|本月|今日|当前|上周末|本周末)?")
_THIS_YEAR = re.compile(r"^(?:\d{4}年度?|本年度|今年度|当年度)")
_JOINED = re.compile(r"(?:及|和|与|暨|并)")


def loose_keys(key: str) -> list[str]:
    """Readings of a folded heading with an as-of or year prefix dropped (截至目前累计到位资金
    → 累计到位资金, 2022年完成投资 → 本年完成投资) and a joined second part cut off
    (项目名称及建设内容 → 项目名称)."""
    out = [key]
    key = _AS_OF.sub("", key)
    out.append(key)
    key = _THIS_YEAR.sub("本年", key)
    out.append(key)
    head = _JOINED.split(key, maxsplit=1)[0]
    if len(head) >= 2:
        out.append(head)
    return [k for k in dict.fromkeys(out) if k]


def find_header(
    rows: Sequence[Sequence[Any]], spec: Sequence[Column], *, scan: int = 20, what: str = "表格"
) -> HeaderMatch:
    """The row among the first `scan` whose cells name the most columns of `spec`.

    Two-row headings (a merged group row over sub-headings) are tried as one row.
    """
    best: HeaderMatch | None = None
    head = list(rows[: scan + 1])
    singles = [match_headings(row, spec) for row in head]
    for i, row in enumerate(head[:scan]):
        cols, texts = singles[i]
        if cols and (best is None or len(cols) > len(best.columns)):
            found = [str(c).strip() for c in row if str(c or "").strip()]
            best = HeaderMatch(i, cols, texts, found, first_row=i)
        if i + 1 >= len(head):
            continue
        cells, group_at = combine_heading_rows(row, head[i + 1])
        two, two_texts = match_headings(cells, spec)
        if len(two) > max(len(cols), len(singles[i + 1][0])) and (
            best is None or len(two) > len(best.columns)
        ):
            found = [str(c).strip() for c in cells if str(c or "").strip()]
            groups = {k: group_at[idx] for k, idx in two.items() if idx in group_at}
            best = HeaderMatch(i + 1, two, two_texts, found, groups, first_row=i)
    required = [c for c in spec if c.required]
    if best is None or any(c.key not in best.columns for c in required):
        missing = [c.heading for c in required if best is None or c.key not in best.columns]
        if best is None:
            # No heading matched: show the row that looks most like a heading row.
            widest = max(head, key=lambda r: sum(1 for c in r if str(c or "").strip()), default=[])
            shown = [str(c).strip() for c in widest if str(c or "").strip()]
            seen = "、".join(shown) or "（没有可识别的表头）"
        else:
            seen = "、".join(best.found)
        raise BadInputError(f"{what}缺少必需的列：{'、'.join(missing)}；找到的表头：{seen}")
    return best
