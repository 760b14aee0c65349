"""What an operator reads for a project field: its Chinese name, and a stored value as
text a person understands (unit names for roles, 洽谈 for a stage), never an internal
name (`funds_in_place`, `township001`, `negotiating`)."""

from __future__ import annotations

import json

from zsyz.domain.stages import Stage

FIELD_LABELS: dict[str, str] = {
    "code": "项目编号",
    "name": "项目名称",
    "investor": "投资方",
    "investor_origin": "投资方来源地",
    "investor_type": "投资方类型",
    "category": "产业类别",
    "chain": "产业链",
    "level": "项目级别",
    "is_new": "新建项目",
    "fiscal_support": "一事一议财政扶持",
    "total_investment": "总投资（万元）",
    "fai": "固定资产投资（万元）",
    "planned_investment_year": "年度计划投资（万元）",
    "completed_investment_year": "本年完成投资（万元）",
    "funds_in_place": "到位资金（万元）",
    "foreign_funds": "利用外资（万元）",
    "out_of_province_funds": "省外资金（万元）",
    "land_area": "用地（亩）",
    "needs_land": "需要供地",
    "expected_tax": "预计年税收（万元）",
    "stage": "项目阶段",
    **{s.date_field: f"{s.label}日期" for s in Stage},
    "compiled_on": "编制日期",
    "planned_start_on": "计划开工日期",
    "leader_name": "责任领导",
    "contact": "联系人",
    "progress": "本周进展",
    "problems": "存在问题",
    "remarks": "备注",
    "extra": "附加信息",
    "last_reported_on": "最近报送日期",
    "roles:sourcing": "招引单位",
    "roles:landing": "落地单位",
    "roles:leader": "包保领导",
    "roles:compiling": "编制单位",
}


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
    if text in ("true", "false") and field in ("is_new", "fiscal_support", "needs_land"):
        return "是" if text == "true" else "否"
    return text
