"""What an operator reads for a project field: its Chinese name, and a stored value as
text a person understands (unit names for roles, 洽谈 for a stage), never an internal
name (`funds_in_place`, `township001`, `negotiating`)."""

from __future__ import annotations

import json

from zsyz.domain.fields import FLAG_FIELDS, PROJECT_FIELDS
from zsyz.domain.stages import Stage

# Each field's label with its unit (总投资（万元）), from the one vocabulary.
FIELD_LABELS: dict[str, str] = {f.key: f.heading for f in PROJECT_FIELDS}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def shown(field: str, text: str | None, names: dict[str, str]) -> str | None:
    """A stored value as an operator reads it: role codes as unit names (`names`: code →
    name), a stage as its label, flags as 是/否, extra attributes as 标签：内容."""
    if text is None:
        return None
    if field.startswith("roles:"):
        return "、".join(names.get(c, c) for c in text.split(",") if c)
    if field == "stage":
        try:
            return Stage(text).label
        except ValueError:
            return text
    if field == "extra":
        try:
            loaded = json.loads(text)
        except ValueError:
            return text
        if isinstance(loaded, dict):
            return "；".join(f"{k}：{v}" for k, v in loaded.items())
    if text in ("true", "false") and field in FLAG_FIELDS:
        return "是" if text == "true" else "否"
    return text
