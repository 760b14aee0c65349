"""The one place reward lines, flags and the notes of a flag rule become Chinese text,
from the structured terms (`zsyz.domain.terms`) `zsyz.domain.rewards` built."""

from __future__ import annotations

from typing import Any

from zsyz.domain import rules as r
from zsyz.domain.facts import Role
from zsyz.domain.fields import ROLE_LABELS
from zsyz.domain.points import num, pct
from zsyz.domain.terms import Op, Term
from zsyz.render.explain import result

PAYEE = {p: ROLE_LABELS[Role(p.value)] for p in r.Payee if p is not r.Payee.EACH_CREDITED}
BASIS = {
    "funds": "到位资金",
    "fai": "固定资产投资",
    "total_investment": "总投资",
    "planned_investment_year": "当年计划投资",
    "completed_investment_year": "当年完成投资",
}


def reason_text(t: Term) -> str:
    """Why a reward line pays what it pays, or why a unit is flagged, in words."""
    rule: Any = t.rule
    i = t.inputs
    match t.op:
        case Op.FIXED_REWARD:
            return (
                f"完成年度目标任务（完成率 {pct(i['completion'])}），奖励 {num(rule.amount)} 万元"
            )
        case Op.PROJECT_REWARD:
            whose = "" if rule.to is r.Payee.EACH_CREDITED else f"（{PAYEE[rule.to]}）"
            return (
                f"{rule.metric.label}{whose or ' '}{i['count']} 个符合条件"
                f"（{'、'.join(t.projects)}）× {num(rule.amount)} 万元"
            )
        case Op.PERMILLE_FUNDS:
            return (
                f"完成到位资金目标 {pct(i['done'])}（≥{pct(rule.min_completion)}），"
                f"到位资金 {num(i['funds'])} 万元 × {num(rule.permille)}‰ = {num(result(t))} 万元"
            )
        case Op.PERMILLE_ABOVE:
            return (
                f"引资（到位资金）{num(i['funds'])} 万元 ≥ {num(rule.min_amount)} 万元，"
                f"× {num(rule.permille)}‰ = {num(result(t))} 万元"
            )
        case Op.COMPILED_STARTED:
            return (
                f"{t.projects[0]} {i['year']} 年新编制（{i['compiled'].isoformat()}）并于"
                f" {i['started'].isoformat()} 开工，{BASIS[rule.basis]} {num(i['base'])} 万元"
                f" × {num(rule.percent)}% = {num(result(t))} 万元"
            )
        case Op.TIERED:
            return _tiered(t, rule)
    return _flag_text(t, rule)


def _tiered(t: Term, rule: r.TieredPermille) -> str:
    bits = [
        f"{code} {num(base)} 万元→{num(amount)} 万元" for code, base, amount in t.inputs["items"]
    ]
    tiers = "，".join(
        f"{'以上' if x.up_to is None else f'≤{num(x.up_to)}万'} {num(x.permille)}‰"
        for x in rule.tiers
    )
    how = "超额累进" if rule.progressive else "全额按所在档"
    cap = (
        f"，每个项目封顶 {num(rule.cap_per_project)} 万元"
        if rule.cap_per_project is not None
        else ""
    )
    return f"{BASIS[rule.basis]}分档（{tiers}，{how}{cap}）：{'；'.join(bits)}"


def _flag_text(t: Term, rule: Any) -> str:
    i = t.inputs
    match t.op:
        case Op.BELOW_LINE:
            return f"完成目标任务 {pct(i['completion'])}，低于 {pct(rule.below)}：{rule.label}"
        case Op.TASK_EXCEEDED:
            return (
                f"超额完成任务「{i['task']}」（{num(i['achieved'])} > 目标 "
                f"{num(i['required'])}{rule.metric.unit_label}：{'、'.join(t.projects)}）"
                f"：{rule.label}"
            )
        case Op.LANDED_WITHOUT_TASK:
            codes = "、".join(t.projects)
            return f"无此项任务而招引落地 {i['count']} 个（{codes}）：{rule.label}"
        case Op.LISTED:
            return f"政策名单所列：{rule.label}"
        case Op.RECORDED_FLAG:
            a = i["adjustment"]
            where = f"（依据：{a.evidence}）" if a.evidence else ""
            return f"{a.reason}{where}［#{a.id}］：{rule.label}"
        case Op.BOTTOM:
            size, rank = i["size"], i["rank"]
            return (
                f"{i['period'].label_zh}{i['group']}排名第 {rank}/{size} 名"
                f"（倒数第 {size - rank + 1}，得分 {num(i['score'])}，未完成任务）：{rule.label}"
            )
        case Op.BOTTOM_TIE:
            return (
                f"{i['period'].label_zh}{i['group']}：{i['tied']} 个未完成任务的单位同分"
                f"（{num(i['line'])}），超过政策所定末位 {i['bottom']} 个，"
                f"同分者均未标记「{rule.flag}」；请按政策另定办法"
            )
    raise AssertionError(t.op)
