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

# A unit written with a heading, in any notation offices use: 总投资（亿元）, 总投资(亿元),
# 总投资额[亿元], 总投资【亿元】, 总投资／亿元, 总投资（单位：万元）. NFKC folds （ ［ ／ first.
UNITS = "万美元|亿美元|美元|万元|亿元|千元|元|万|亿|亩|个|%|％"
_BRACKETED = re.compile(
    r"[(\[【〔<《]\s*(?:(?:金额)?单位\s*[:：]?\s*)?([^()\[\]【】〔〕<>《》]{0,12})[)\]】〕>》]"
)
_SLASH_UNIT = re.compile(rf"/\s*({UNITS})\s*$")
_UNIT_ONLY = re.compile(rf"^(?:{UNITS})$")
# Money words a bracket may hold that is not a unit we read exactly (亿日元, 万港币 …).
_MONEYISH = re.compile(r"元|币|美|欧|镑|万|亿")
_NOISE = re.compile(r"[\s\u3000*＊:：、/]|[(\[【〔<《][^()\[\]【】〔〕<>《》]*[)\]】〕>》]")


@dataclass(frozen=True)
class Column:
    key: str
    synonyms: tuple[str, ...]
    required: bool = False
    # Folded headings of another column that may stand in for this one when it is absent
    # (a platform export names a project by its registered company: 企业名称).
    stand_in: frozenset[str] = frozenset()

    @property
    def heading(self) -> str:
        return self.synonyms[0]


def heading_key(text: Any) -> str:
    """A heading folded for matching: width, spaces, line breaks and the unit in any
    notation ((亿元) [亿元] 【亿元】 /亿元) removed."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    s = _SLASH_UNIT.sub("", s)
    return _NOISE.sub("", s).lower()


def unit_note(text: Any) -> str | None:
    """The unit-like words a heading carries in brackets or after a slash, as written:
    '总投资额[亿元]' → '亿元', '投资额（亿日元）' → '亿日元'; None when there are none."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    if m := _SLASH_UNIT.search(s):
        return m.group(1)
    for inner in _BRACKETED.findall(s):
        inner = inner.strip()
        if _UNIT_ONLY.match(inner) or (_MONEYISH.search(inner) and len(inner) <= 6):
            return str(inner)
    return None


def unit_hint(text: Any) -> str | None:
    """'总投资（亿元）' → '亿元': the unit a heading declares, if it is one we read."""
    note = unit_note(text)
    return note if note is not None and _UNIT_ONLY.match(note) else None


@dataclass(frozen=True)
class HeaderMatch:
    row: int  # 0-based index of the (last) heading row
    columns: dict[str, int]  # field key → 0-based column index
    headings: dict[str, str]  # field key → heading text as written
    found: list[str]  # every non-empty heading seen, for error messages
    groups: dict[str, str] = field(default_factory=dict)  # key → merged group heading above
    first_row: int = -1  # 0-based first heading row (row - 1 for two-row headings)
    # Every other non-empty heading: 0-based column → heading as written, and the merged
    # group heading above it where there is one.
    others: dict[int, str] = field(default_factory=dict)
    other_groups: dict[int, str] = field(default_factory=dict)

    def unit_of(self, key: str) -> str | None:
        """The unit the heading (or its merged group heading) declares, as written."""
        return unit_note(self.headings.get(key)) or unit_note(self.groups.get(key))


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


def _others(cells: Sequence[Any], cols: dict[str, int]) -> dict[int, str]:
    taken = set(cols.values())
    return {
        idx: str(cell).strip()
        for idx, cell in enumerate(cells)
        if idx not in taken and str(cell if cell is not None else "").strip()
    }


def _stand_ins(best: HeaderMatch, required: list[Column]) -> None:
    for c in required:
        if c.key in best.columns or not c.stand_in:
            continue
        for key, text in list(best.headings.items()):
            if heading_key(text) in c.stand_in:
                best.columns[c.key] = best.columns[key]
                best.headings[c.key] = text
                break


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
            best = HeaderMatch(i, cols, texts, found, first_row=i, others=_others(row, cols))
        if i + 1 >= len(head):
            continue
        cells, group_at = combine_heading_rows(row, head[i + 1])
        two, two_texts = match_headings(cells, spec)
        if len(two) > max(len(cols), len(singles[i + 1][0])) and (
            best is None or len(two) > len(best.columns)
        ):
            found = [str(c).strip() for c in cells if str(c or "").strip()]
            groups = {k: group_at[idx] for k, idx in two.items() if idx in group_at}
            others = _others(cells, two)
            best = HeaderMatch(
                i + 1,
                two,
                two_texts,
                found,
                groups,
                i,
                others,
                {idx: group_at[idx] for idx in others if idx in group_at},
            )
    required = [c for c in spec if c.required]
    if best is not None:
        _stand_ins(best, required)
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
