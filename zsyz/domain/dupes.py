"""Suspected double counting (一炮数响): two records of one project, graded by evidence.

1. the same investor credit code (统一社会信用代码);
2. the same investor once normalised (no 有限公司/有限责任公司/集团/股份, no place prefix)
   and a similar project name;
3. a similar project name at the same landing unit.

Names are compared after dropping punctuation, place prefixes and generic words (项目,
建设, 工程); two names whose numbers differ (年产10万吨 / 年产20万吨, 一期 / 二期), or
where neither is the other with words added (汽配加工厂 / 花卉加工厂: another product,
not another spelling), are distinct projects, never a pair. rapidfuzz is imported here only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from zsyz.domain.names import norm_project_name

INVESTOR_THRESHOLD = 60  # same investor: names need only resemble each other
LANDING_THRESHOLD = 80  # same landing unit: names must be close


class Grade(IntEnum):
    CREDIT_CODE = 1
    INVESTOR = 2
    LANDING = 3

    @property
    def label(self) -> str:
        return {1: "同一信用代码", 2: "同一投资方且名称相近", 3: "同一落地单位且名称相近"}[self]


@dataclass(frozen=True)
class Candidate:
    id: int
    code: str
    name: str
    investor: str | None = None
    credit_code: str | None = None
    landing: tuple[str, ...] = ()  # landing unit names


@dataclass(frozen=True)
class Pair:
    a: Candidate
    b: Candidate
    grade: Grade
    score: int  # name similarity, 0–100
    evidence: tuple[str, ...]


_PROVINCES = (
    "北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|"
    "湖北|湖南|广东|广西|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾"
)
_PROVINCE = re.compile(
    rf"^(?:{_PROVINCES})(?:省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)?"
)
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:市|县|区|州|盟|旗)")
_NOT_PLACE = ("园区", "新区", "景区", "社区", "小区", "城区", "开发区", "市场")
_COMPANY = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司)")
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
_GENERIC = re.compile(r"(项目|建设|工程)")
_NUMBERS = re.compile(r"\d+(?:\.\d+)?|[一二三四五六七八九十两零]+")


def strip_places(text: str) -> str:
    """Without leading province, city or county names: 河南省南阳市玉都实业 → 玉都实业."""
    out = text
    for _ in range(3):
        m = _PROVINCE.match(out) or _PLACE.match(out)
        if m is None or len(out) - m.end() < 2 or out[: m.end()].endswith(_NOT_PLACE):
            break
        out = out[m.end() :]
    return out


def investor_key(investor: str | None) -> str:
    """An investor as compared: 河南玉都实业集团有限公司 and 玉都实业(集团) are one."""
    if not investor:
        return ""
    key = norm_project_name(_BRACKETS.sub("", investor))
    return _COMPANY.sub("", strip_places(key))


def name_key(name: str) -> str:
    return _GENERIC.sub("", strip_places(norm_project_name(name))) or norm_project_name(name)


def numbers(name: str) -> frozenset[str]:
    return frozenset(_NUMBERS.findall(name))


def _same_words(a: str, b: str) -> bool:
    """One name is the other with words added (a county, 建设, 文化). A character replaced
    is another project in Chinese: 药材加工厂 / 石材加工厂, 汽配加工厂 / 花卉加工厂."""
    return LCSseq.similarity(a, b) == min(len(a), len(b))


class _Finder:
    def __init__(self, items: Sequence[Candidate], dismissed: set[tuple[int, int]]) -> None:
        self.items = items
        self.keys = [name_key(c.name) for c in items]
        self.nums = [numbers(c.name) for c in items]
        self.dismissed = dismissed
        self.found: dict[tuple[int, int], Pair] = {}

    def add(self, i: int, j: int, grade: Grade, score: int, why: str) -> None:
        a, b = sorted((self.items[i], self.items[j]), key=lambda c: c.code)
        key = (min(a.id, b.id), max(a.id, b.id))
        if key in self.dismissed:
            return
        old = self.found.get(key)
        if old is None:
            self.found[key] = Pair(a, b, grade, score, (why,))
        elif why not in old.evidence:
            self.found[key] = Pair(
                a, b, min(old.grade, grade), max(old.score, score), (*old.evidence, why)
            )

    def similar(self, members: list[int], cutoff: int) -> Iterable[tuple[int, int, int]]:
        """(i, j, score) of members whose names are close and carry the same numbers."""
        names = [self.keys[i] for i in members]
        for n, i in enumerate(members[:-1]):
            rest = names[n + 1 :]
            for _, score, k in process.extract(
                names[n], rest, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                j = members[n + 1 + k]
                if self.nums[i] == self.nums[j] and _same_words(names[n], rest[k]):
                    yield i, j, round(score)

    def score(self, i: int, j: int) -> int:
        return round(fuzz.ratio(self.keys[i], self.keys[j]))


def find_pairs(items: Sequence[Candidate], dismissed: Iterable[tuple[int, int]] = ()) -> list[Pair]:
    """Every suspected pair, strongest grade first, then by code."""
    finder = _Finder(items, {(min(a, b), max(a, b)) for a, b in dismissed})
    by_code: dict[str, list[int]] = {}
    by_investor: dict[str, list[int]] = {}
    by_landing: dict[str, list[int]] = {}
    for i, c in enumerate(items):
        if c.credit_code:
            by_code.setdefault(c.credit_code, []).append(i)
        if len(inv := investor_key(c.investor)) >= 2:
            by_investor.setdefault(inv, []).append(i)
        for unit in dict.fromkeys(c.landing):
            by_landing.setdefault(unit, []).append(i)
    for code, members in by_code.items():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if finder.nums[i] == finder.nums[j]:  # 一期 / 二期 of one investor: two
                    why = f"统一社会信用代码相同：{code}"
                    finder.add(i, j, Grade.CREDIT_CODE, finder.score(i, j), why)
    for members in by_investor.values():
        for i, j, score in finder.similar(members, INVESTOR_THRESHOLD):
            why = f"投资方相同（{items[i].investor} / {items[j].investor}），名称相似度 {score}%"
            finder.add(i, j, Grade.INVESTOR, score, why)
    for unit, members in by_landing.items():
        for i, j, score in finder.similar(members, LANDING_THRESHOLD):
            finder.add(i, j, Grade.LANDING, score, f"落地单位同为 {unit}，名称相似度 {score}%")
    return sorted(finder.found.values(), key=lambda p: (p.grade, -p.score, p.a.code, p.b.code))
