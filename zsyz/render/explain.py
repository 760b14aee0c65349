"""The one place ranking components become Chinese text: a component's rule (what the
policy says: label and form) and its detail (the arithmetic as applied), from the
structured term (`zsyz.domain.terms`) the domain built. Rewards and flags: `reasons.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from zsyz.domain import rules as r
from zsyz.domain.points import Component, num, pct
from zsyz.domain.policy import Policy
from zsyz.domain.ranking import DEFAULT_RANKING
from zsyz.domain.terms import Op, Term


def result(t: Term) -> Decimal:
    """The term's result (every term this module words carries one)."""
    assert t.result is not None, t.op
    return t.result


def rule_text(c: Component) -> str:
    """The component's rule in words: label and form (得分构成's heading)."""
    t = c.why
    rule: Any = t.rule
    match t.op:
        case Op.COMPLETION:
            cap = f"（每项封顶 {pct(rule.cap)}）" if rule.cap else ""
            return f"{rule.label}：加权完成率{cap} × {num(rule.points)} 分"
        case Op.BONUS_COUNT:
            return f"{rule.label}：每个 {num(rule.points)} 分"
        case Op.BONUS_PER:
            return f"{rule.label}：每 {num(rule.per)}{rule.metric.unit_label} {num(rule.points)} 分"
        case Op.SHARE | Op.SHARE_ZERO:
            cap = f"（封顶 {pct(rule.cap)}）" if rule.cap else ""
            return f"{rule.label}：比例 × {num(rule.points)} 分" + cap
        case Op.PER_PROJECT:
            tiers = "、".join(f"≥{num(x.min_amount)}万 {num(x.points)}分" for x in rule.tiers)
            what = "固投" if rule.amount == "fai" else "总投资"
            kind = rule.metric.label.removesuffix("项目")
            return f"{rule.label}：每个{kind}项目按{what}分档（{tiers}）"
        case Op.TARGET | Op.TARGET_NO_TASK:
            return _target_rule(rule)
        case Op.SHORTFALL:
            return f"{rule.label}：基础 {num(rule.base)} 分，每少 1 个扣 {num(rule.per_missing)} 分"
        case Op.DEDUCTION:
            return f"{rule.label}：每次扣 {num(rule.points)} 分"
        case Op.DEDUCTION_BASE:
            return f"{rule.label}：基础 {num(rule.base)} 分，每次扣 {num(rule.points)} 分"
        case Op.ADJUSTMENT | Op.MEASURED:
            return str(rule.label)
        case Op.EFFICACY_ITEM:
            return f"{rule.label}：功效系数 × {num(rule.points)} 分"
        case Op.RANK_POINTS:
            return (
                f"{rule.label}：组内第 1 名 {num(rule.first)} 分，每降 1 名减 {num(rule.step)} 分"
            )
        case Op.CEILING:
            return f"{rule.label}：合计不超过 {num(rule.cap)} 分"
        case Op.EFFICACY_FORM:
            return f"功效系数法：(v−min)/(max−min)×{num(rule.efficacy_span)}+{num(rule.efficacy_floor)}"
    raise AssertionError(t.op)


def component_json(c: Component) -> dict[str, Any]:
    """A component as the JSON contracts carry it: rule, points, detail."""
    return {"rule": rule_text(c), "points": c.points, "detail": detail_text(c)}


def short_rule(c: Component) -> str:
    """The rule's name alone (a column heading): its text up to the first "："."""
    return rule_text(c).split("：", 1)[0]


def detail_text(c: Component) -> str:
    """The arithmetic as applied to the unit (计算), from the component's term."""
    t = c.why
    return _DETAIL[t.op](t, t.rule, t.inputs)


def _cut(cap: Decimal | None) -> str:
    return "" if cap is None else f"，封顶 {num(cap)} 分"


def _floor(floored: bool) -> str:
    return "，最低 0 分" if floored else ""


def _codes(codes: tuple[str, ...], empty: str = "无") -> str:
    return "、".join(codes) or empty


def _target_rule(rule: r.TargetScore) -> str:
    if rule.steps:
        steps = "、".join(f"≥{pct(x.min_ratio)} {num(x.points)} 分" for x in rule.steps)
        return f"{rule.label}：按完成率分档（{steps}）"
    cap = f"（封顶 {pct(rule.cap)}）" if rule.cap else ""
    return f"{rule.label}：完成率 × {num(rule.points)} 分" + cap


def _completion(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    parts = (
        "；".join(
            f"{x.label} {num(x.achieved)}/{num(x.required)}={pct(x.ratio)}" for x in i["targets"]
        )
        or "未设目标任务"
    )
    return f"{parts}；加权完成率 {pct(i['done'])} × {num(rule.points)} = {num(result(t))}"


def _bonus_count(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    return f"{i['count']} 个（{_codes(t.projects)}）× {num(rule.points)}{_cut(i['cap_hit'])}"


def _bonus_per(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    m = rule.metric
    per = f"{num(rule.per)}{m.unit_label}"
    return (
        f"{m.label} {num(i['got'])}{m.unit_label}，满 {num(i['units'])} 个 {per}"
        f" × {num(rule.points)}{_cut(i['cap_hit'])}"
    )


def _measured(m: r.Measure) -> str:
    cond = m.filters.conditions()
    return m.metric.label + (f"（{'，'.join(cond)}）" if cond else "")


def _share(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    return (
        f"{_measured(rule.numerator)} {num(i['top'])} ÷ {_measured(rule.denominator)}"
        f" {num(i['bottom'])} = {pct(i['ratio'])} × {num(rule.points)} = {num(result(t))}"
    )


def _share_zero(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    return f"分母 {_measured(rule.denominator)} 为 0，不计分"


def _per_project(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    bits = [f"{code} {num(amount)}万→{num(pts)}分" for code, amount, pts in i["items"]]
    return ("；".join(bits) or "无计分项目") + _cut(i["cap_hit"])


def _target(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    where = "（本单位任务）" if i["own"] else ""
    ratio = i["ratio"]
    head = f"{num(i['got'])}/{num(i['required'])}{rule.metric.unit_label}{where} = {pct(ratio)}"
    if rule.steps:
        step = i["step"]
        how = f"{head}，达到 {pct(step)} 档" if step is not None else f"{head}，未达任何档"
    else:
        cut = f"，封顶 {pct(i['top'])}" if i["capped"] else ""
        how = f"{head}{cut} × {num(rule.points)}"
    if i["over"]:
        how += (
            f" + 超出 {pct(ratio - 1)} × 每个百分点 {num(rule.over_points)}"
            f"{_cut(i['over_cap_hit'])}"
        )
    listed = f"（{'、'.join(t.projects)}）" if t.projects else ""
    return f"{how} = {num(result(t))}{listed}"


def _no_task(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    return "无此项任务，不计分"


def _shortfall(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    bits = []
    for need, got, short in i["needs"]:
        cond = need.filters.conditions()
        what = need.metric.label + (f"（{'，'.join(cond)}）" if cond else "")
        bits.append(f"{what} 应 {num(need.required)} 实 {num(got)} 少 {num(short)}")
    return (
        f"{'；'.join(bits)}：{num(rule.base)} − {num(i['missing'])} × {num(rule.per_missing)}"
        f" = {num(i['raw'])}{_floor(i['floored'])}"
    )


def event_text(t: Term) -> str:
    """One event a deduction counts (a stale project, an overdue signing, a missed slot)."""
    match t.op:
        case Op.STALE:
            return f"{t.projects[0]} {t.inputs['days']} 天未更新"
        case Op.SIGNED_OVERDUE:
            on, months = t.inputs["signed"], t.inputs["months"]
            return f"{t.projects[0]}（{on.isoformat()} 签约，超过 {months} 个月未开工）"
        case Op.REPORT_SLOT:
            return str(t.inputs["slot"].label_zh)
    raise AssertionError(t.op)


def _events(t: Term, rule: Any) -> str:
    items = [event_text(e) for e in t.parts]
    return f"{r.EVENT_WORDS[rule.event]} {len(items)} 次（{'、'.join(items) or '无'}）"


def _deduction(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    return f"{_events(t, rule)}× −{num(rule.points)}{_cut(i['cap_hit'])}"


def _deduction_base(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    return (
        f"{_events(t, rule)}：{num(rule.base)} − {num(-i['taken'])}{_cut(i['cap_hit'])}"
        f" = {num(i['raw'])}{_floor(i['floored'])}"
    )


def _adjustment(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    bits = [
        f"{'+' if a.points > 0 else ''}{num(a.points)}：{a.reason}"
        + (f"（依据：{a.evidence}）" if a.evidence else "")
        + f"［#{a.id}］"
        for a in i["adjustments"]
    ]
    return ("；".join(bits) or "无") + _cut(i["cap_hit"])


def _measured_value(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    return f"{rule.metric.label} {num(i['value'])}{rule.metric.unit_label}"


def _efficacy_item(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    v, lo, hi, full = i["value"], i["lo"], i["hi"], i["full"]
    how = (
        f"组内相同，取 {num(full)}"
        if hi == lo
        else f"({num(v)}−{num(lo)})/({num(hi)}−{num(lo)})×{num(rule.span)}+{num(rule.floor)}"
        f" = {num(i['scaled'])}"
    )
    return f"{detail_text(i['raw'])}；{how}，× {num(rule.points)}/{num(full)} = {num(result(t))}"


def _rank_points(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    place = i["place"]
    how = (
        f"组内第 {place} 名：{num(rule.first)} − {place - 1} × {num(rule.step)} = {num(result(t))}"
    )
    return f"{detail_text(i['raw'])}；{how}"


def _ceiling(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    parts = i["items"]
    detail = "；".join(f"{rule_text(p)} {num(p.points)}（{detail_text(p)}）" for p in parts)
    return detail + _cut(i["cap_hit"])


def _efficacy_form(t: Term, rule: Any, i: Mapping[str, Any]) -> str:
    score, lo, hi = i["score"], i["lo"], i["hi"]
    if hi == lo:
        return f"组内得分相同（{num(score)}），取 {num(result(t))}"
    span, floor = rule.efficacy_span, rule.efficacy_floor
    return f"({num(score)}−{num(lo)})/({num(hi)}−{num(lo)})×{num(span)}+{num(floor)} = {num(result(t))}"


_DETAIL: dict[Op, Callable[[Term, Any, Mapping[str, Any]], str]] = {
    Op.COMPLETION: _completion,
    Op.BONUS_COUNT: _bonus_count,
    Op.BONUS_PER: _bonus_per,
    Op.SHARE: _share,
    Op.SHARE_ZERO: _share_zero,
    Op.PER_PROJECT: _per_project,
    Op.TARGET: _target,
    Op.TARGET_NO_TASK: _no_task,
    Op.SHORTFALL: _shortfall,
    Op.DEDUCTION: _deduction,
    Op.DEDUCTION_BASE: _deduction_base,
    Op.ADJUSTMENT: _adjustment,
    Op.MEASURED: _measured_value,
    Op.EFFICACY_ITEM: _efficacy_item,
    Op.RANK_POINTS: _rank_points,
    Op.CEILING: _ceiling,
    Op.EFFICACY_FORM: _efficacy_form,
}

_TIE_WORDS = {
    "completion": "综合完成率高者在前",
    "amount": "当年签约项目固投多者在前",
    "count": "当年签约项目多者在前",
    "code": "单位编码小者在前",
    "name": "单位名称排序在前",
}


def tie_rule(policy: Policy) -> str:
    """The tie-break rule in words, for the table's caption and --explain."""
    keys = (policy.ranking or DEFAULT_RANKING).tie_break
    return "得分相同时：" + "，再".join([*(_TIE_WORDS[k] for k in keys), "单位编码小者在前"])
