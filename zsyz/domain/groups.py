"""Ranking groups: the one vocabulary of group names.

A unit is ranked within its group. A group has an id (`township`, `dept`, …) and a
Chinese label; offices write either, with or without brackets or county decoration
(乡镇, 乡镇（街道）, 乡（镇）, 县直部门, 部门, 县领导, 领导): all resolve to one id. An
unknown spelling resolves to nothing, so callers refuse it instead of creating a group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from zsyz.domain.facts import UnitFact
from zsyz.domain.policy import Policy

# The groups every ledger knows, with the labels reports use; a policy's [ranking] groups
# add to them and relabel them.
DEFAULT_GROUPS: dict[str, str] = {
    "leader": "县领导",
    "township": "乡镇（街道）",
    "dept": "县直部门",
    "chamber": "工商联",
    "squad": "招商小分队",
    "county": "县区",
    "park": "园区",
    "office": "驻外办事处",
    "block": "区块",
    "chain": "产业链",
}

_BRACKETS = re.compile(r"[(（\[【]([^)）\]】]*)[)）\]】]")
_SPACE = re.compile(r"\s+")
# Decoration around a group word: 县领导, 县直部门, 市直部门, 全县乡镇, …组
_PREFIXES = ("全县", "全市", "县直", "市直", "县级", "市级", "县", "市")
_SUFFIXES = ("组别", "分组", "组", "类")


def default_group(unit_class: str) -> str:
    """A class is its own group, except that every department tier ranks among
    departments."""
    return "dept" if unit_class.startswith("dept") else unit_class


def group_of(unit: UnitFact) -> str:
    """The group a unit is ranked in: its own, else its class's default."""
    return unit.group or default_group(unit.unit_class)


def group_labels(policy: Policy) -> dict[str, str]:
    """Group id → the label operators read: the policy's, else the default one."""
    return {**DEFAULT_GROUPS, **(policy.ranking.groups if policy.ranking else {})}


def spellings(text: str) -> list[str]:
    """Keys a written group name is looked up by, most literal first."""
    key = _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()
    out = [key]
    joined = _BRACKETS.sub(lambda m: m.group(1), key)  # 乡（镇） → 乡镇
    bare = _BRACKETS.sub("", key)  # 乡镇（街道） → 乡镇
    out += [joined, bare]
    for word in (key, joined, bare):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                out.append(word[: -len(suffix)])
    for word in list(out):
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                out.append(word[len(prefix) :])
                break
    return [w for w in dict.fromkeys(out) if w]


@dataclass
class GroupVocabulary:
    """Group id or label (or a class word: 街道, 部门) → group id."""

    labels: dict[str, str]
    keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls, policy_groups: Mapping[str, str], words: Iterable[tuple[str, str]] = ()
    ) -> GroupVocabulary:
        """`policy_groups` (id → label) win over the defaults; `words` (spelling → id,
        e.g. class names and labels) are tried last."""
        labels = {**DEFAULT_GROUPS, **policy_groups}
        vocab = cls(labels)
        for gid, label in policy_groups.items():
            vocab._add(gid, gid)
            vocab._add(label, gid)
        for gid, label in DEFAULT_GROUPS.items():
            vocab._add(gid, gid)
            vocab._add(label, gid)
        for word, gid in words:
            if gid in labels:
                vocab._add(word, gid)
        return vocab

    def _add(self, text: str, gid: str) -> None:
        for key in spellings(text):
            self.keys.setdefault(key, gid)

    def resolve(self, text: str) -> str | None:
        """The group id `text` names, or None when it names no known group."""
        for key in spellings(text):
            if key in self.keys:
                return self.keys[key]
        return None

    def label(self, gid: str) -> str:
        return self.labels.get(gid, gid)

    def known(self) -> str:
        """The known groups for an error message: 乡镇（街道）（township）、…"""
        return "、".join(f"{label}（{gid}）" for gid, label in self.labels.items())
