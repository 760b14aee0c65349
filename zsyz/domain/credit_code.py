"""统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from a
31-character set (no I, O, S, V, Z); the last is a check character over the first 17."""

from __future__ import annotations

import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}


def check_char(first17: str) -> str:
    """The check character of the first 17 characters (all from CHARSET)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why `code` (normalised) is not a valid credit code, in Chinese; None when valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，这里是 {len(code)} 位"
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用 I、O、S、V、Z）"
    if check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不符（GB 32100-2015），请核对是否抄错"
    return None


def normalize_credit_code(text: str) -> str:
    """Width-folded, upper case, without spaces or dashes."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(c for c in folded if not c.isspace() and c not in "-—")
