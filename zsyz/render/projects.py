"""The projects' shapes: the JSON contracts and table rows of `zsyz projects list` and
`zsyz projects show`."""

from __future__ import annotations

from typing import Any

from zsyz.domain.field_labels import FIELD_LABELS
from zsyz.domain.fields import ROLE_LABELS
from zsyz.domain.ledger_views import ListedProject, ProjectChange, ProjectDetail

COLUMNS = [
    ("code", "编号"),
    ("name", "项目名称"),
    ("stage_label", "阶段"),
    ("category", "类别"),
    ("total_investment", "总投资"),
    ("fai", "固投"),
    ("land_area", "用地(亩)"),
    ("sourcing", "招引单位"),
    ("landing", "落地单位"),
    ("approval_label", "审批权限"),
    ("admission", "准入核查"),
    ("last_reported_on", "最近报送"),
]
HISTORY = [
    ("date", "日期"),
    ("batch", "导入批次"),
    ("file", "文件"),
    ("field_label", "字段"),
    ("old", "原值"),
    ("new", "新值"),
]
APPROVAL_SHORT = {
    "deputy": "分管副县长",
    "mayor_office": "县长办公会议",
    "standing_committee": "县委常委会",
    "park": "园区自批",
}


def project_json(p: ListedProject) -> dict[str, Any]:
    """One project as the `projects list` JSON contract carries it."""
    return {
        "code": p.code,
        "name": p.name,
        "stage": p.stage.value,
        "stage_label": p.stage.label,
        "category": p.category,
        "total_investment": p.total_investment,
        "fai": p.fai,
        "land_area": p.land_area,
        "sourcing": list(p.sourcing),
        "landing": list(p.landing),
        "approval": p.approval,
        "admission": list(p.admission),
        "last_reported_on": p.last_reported_on,
    }


def project_row(p: ListedProject) -> dict[str, Any]:
    """One project as the table and CSV print it (the approval level in words)."""
    return {**project_json(p), "approval_label": APPROVAL_SHORT.get(p.approval or "", "")}


def _change_json(c: ProjectChange) -> dict[str, Any]:
    return {
        "date": c.date,
        "record": c.record,
        "batch": c.batch,
        "file": c.file,
        "period": c.period,
        "field": c.field,
        "field_label": c.field_label,
        "old": c.old,
        "new": c.new,
    }


def detail_json(d: ProjectDetail) -> dict[str, Any]:
    """`projects show --format json`."""
    route, check = d.approval, d.admission
    return {
        **dict(d.fields),
        "stage_label": d.stage.label,
        "roles": {role.value: list(names) for role, names in d.roles},
        "credited": list(d.credited),
        "approval": route.level,
        "approval_label": route.label if route.level else None,
        "approval_route": route.route or None,
        "approval_reason": route.reason,
        "admission": {
            "applies": check.applies,
            "passed": check.passed,
            "fai_per_mu": check.fai_per_mu,
            "tax_per_mu": check.tax_per_mu,
            "flags": list(check.flags),
            "missing": list(check.missing),
        },
        "history": [_change_json(c) for c in d.history],
        "merged_into": d.merged_into,
        "merged": list(d.merged),
    }


def detail_facts(d: ProjectDetail) -> list[dict[str, Any]]:
    """The key/value rows of `projects show`'s first table, in Chinese."""
    fields = dict(d.fields)
    facts: list[dict[str, Any]] = [
        {"key": FIELD_LABELS[k], "value": d.stage.label if k == "stage" else v}
        for k, v in d.fields
        if v is not None and k != "extra"
    ]
    facts += [{"key": label, "value": text} for label, text in (fields["extra"] or {}).items()]
    facts += [{"key": ROLE_LABELS[r], "value": list(names)} for r, names in d.roles if names]
    facts.append({"key": "计入单位", "value": list(d.credited)})
    facts.append({"key": "审批权限", "value": d.approval.label if d.approval.level else "无法确定"})
    facts.append({"key": "审批依据", "value": d.approval.reason})
    check = d.admission
    if check.applies:
        verdict = {True: "符合", False: "不符合", None: "无法核算"}[check.passed]
        detail = "；".join([*check.flags, *(f"缺{m}" for m in check.missing)])
        facts.append({"key": "准入核查", "value": verdict + (f"：{detail}" if detail else "")})
    if d.merged_into:
        facts.append({"key": "已并入", "value": d.merged_into})
    if d.merged:
        facts.append({"key": "并入的重复记录", "value": list(d.merged)})
    return facts


def history_table(d: ProjectDetail) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """`projects show`'s history rows and columns (the record column once records merged)."""
    columns = [("record", "记录"), *HISTORY] if d.merged else HISTORY
    return [_change_json(c) for c in d.history], columns
