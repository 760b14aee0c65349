"""Unit names as offices write them: 镇平县商务局, 商务局, 县 商务局 all name one unit."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}?(?:县|市|区))(?=[\u4e00-\u9fff]{2,})")
_SPACE = re.compile(r"\s+")


def normalize(name: str) -> str:
    """Fold width and case, drop spaces and brackets' padding: the key names compare by."""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACE.sub("", text)
    return text.strip().lower()


def stripped(name: str) -> str:
    """The name without a leading county/city prefix: 镇平县商务局 → 商务局, 县商务局 → 商务局."""
    key = normalize(name)
    if key.startswith(("县", "市")) and len(key) > 2:
        return key[1:]
    m = _PREFIX.match(key)
    return key[m.end() :] if m else key


_NOTE = re.compile(r"[(（【\[][^)）】\]]*[)）】\]]")
# What offices append to a unit's name on a form: the government of a township, the
# office of a street, the party committee; tried only after the name itself fails.
_SUFFIXES = ("人民政府", "党委政府", "党委", "党工委", "政府", "办事处", "委员会")


def variants(name: str) -> list[str]:
    """Ways to read a name written on a form, most literal first."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = re.sub(r"[（(]?\s*(盖章|签章|公章|章)\s*[)）]?$", "", text).strip()
    out = [name, text]
    bare = _NOTE.sub("", text).strip()
    out.append(bare)
    for suffix in _SUFFIXES:
        if bare.endswith(suffix) and len(bare) > len(suffix) + 1:
            out.append(bare[: -len(suffix)])
    return [v for v in dict.fromkeys(out) if v]


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The known names nearest to `name`, for 'did you mean' messages."""
    pool = list(dict.fromkeys(candidates))
    key = normalize(name)
    by_key = {normalize(c): c for c in pool}
    hits = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.4)
    found = [by_key[h] for h in hits]
    if len(found) < n:
        # Substring containment catches 商务 → 商务局 that ratio alone may miss.
        for c in pool:
            if c not in found and (key in normalize(c) or normalize(c) in key):
                found.append(c)
            if len(found) >= n:
                break
    return found


def norm_project_name(name: str) -> str:
    """Identity key for a project without a code: width-folded, no spaces or punctuation."""
    text = normalize(name)
    text = re.sub(r"[\"'“”‘’《》〈〉()（）\[\]【】,，.。、:：;；!！?？\-—_·]", "", text)
    return text
