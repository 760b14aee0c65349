"""One ranking component's points for one unit, matched on the rule's class
(`zsyz.domain.rules`): the number and the arithmetic in words (`rank --explain`)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from zsyz.domain import rules as r
from zsyz.domain.facts import UnitFact
from zsyz.domain.points import (
    Component,
    capped,
    num,
    pct,
    q,
    signed_overdue,
    stage_on,
    weighted_completion,
)
from zsyz.domain.policy import Filters
from zsyz.domain.progress import UnitProgress, evaluate
from zsyz.domain.tasks import tasks_of

if TYPE_CHECKING:
    from zsyz.domain.ranking import Scorer


def score(s: Scorer, c: r.Component, up: UnitProgress) -> Component:
    match c:
        case r.Completion():
            return _completion(c, up)
        case r.PerProject():
            return _per_project(s, c, up.unit)
        case r.Bonus():
            return _bonus(s, c, up.unit)
        case r.TargetScore():
            return _target(s, c, up.unit)
        case r.Shortfall():
            return _shortfall(s, c, up.unit)
        case r.Deduction():
            return _deduction(s, c, up.unit)
        case r.Adjustment():
            return _adjustment(s, c, up.unit)
        case r.Efficacy() | r.RankPoints():  # the raw value; `group_items` scores it
            got, _ = s.measure(c.metric, c.filters, up.unit)
            return Component(c.label, got, f"{c.metric.label} {num(got)}{c.metric.unit_label}")
        case r.Share():
            return _share(s, c, up.unit)
        case r.Ceiling():
            parts = [score(s, p, up) for p in c.parts]
            total, cut = capped(sum((p.points for p in parts), Decimal(0)), c.cap)
            detail = "；".join(f"{p.rule} {num(p.points)}（{p.detail}）" for p in parts)
            return Component(f"{c.label}：合计不超过 {num(c.cap)} 分", q(total), detail + cut)
    raise AssertionError(c)


def _bonus(s: Scorer, c: r.Bonus, unit: UnitFact) -> Component:
    got, codes = s.measure(c.metric, c.filters, unit)
    if c.per is None:
        total, cut = capped(c.points * len(codes), c.cap)
        return Component(
            f"{c.label}：每个 {num(c.points)} 分",
            q(total),
            f"{len(codes)} 个（{'、'.join(codes) or '无'}）× {num(c.points)}{cut}",
        )
    units = (got / c.per).to_integral_value(rounding=ROUND_FLOOR) if c.per > 0 else Decimal(0)
    total, cut = capped(c.points * units, c.cap)
    per = f"{num(c.per)}{c.metric.unit_label}"
    return Component(
        f"{c.label}：每 {per} {num(c.points)} 分",
        q(total),
        f"{c.metric.label} {num(got)}{c.metric.unit_label}，满 {num(units)} 个 {per}"
        f" × {num(c.points)}{cut}",
    )


def _share(s: Scorer, c: r.Share, unit: UnitFact) -> Component:
    top, _ = s.measure(c.numerator.metric, c.numerator.filters, unit)
    bottom, _ = s.measure(c.denominator.metric, c.denominator.filters, unit)
    rule = f"{c.label}：比例 × {num(c.points)} 分" + (f"（封顶 {pct(c.cap)}）" if c.cap else "")
    if bottom <= 0:
        return Component(rule, Decimal(0), f"分母 {_measured(c.denominator)} 为 0，不计分")
    ratio = top / bottom
    used = min(ratio, c.cap) if c.cap is not None else ratio
    got = q(used * c.points)
    return Component(
        rule,
        got,
        f"{_measured(c.numerator)} {num(top)} ÷ {_measured(c.denominator)} {num(bottom)}"
        f" = {pct(ratio)} × {num(c.points)} = {num(got)}",
    )


def _measured(m: r.Measure) -> str:
    cond = m.filters.conditions()
    return m.metric.label + (f"（{'，'.join(cond)}）" if cond else "")


def _completion(c: r.Completion, up: UnitProgress) -> Component:
    done = weighted_completion(up, c.cap)
    parts = (
        "；".join(
            f"{t.label} {num(t.achieved)}/{num(t.required)}={pct(t.ratio)}" for t in up.targets
        )
        or "未设目标任务"
    )
    cap = f"（每项封顶 {pct(c.cap)}）" if c.cap else ""
    got = q(done * c.points)
    return Component(
        f"{c.label}：加权完成率{cap} × {num(c.points)} 分",
        got,
        f"{parts}；加权完成率 {pct(done)} × {num(c.points)} = {num(got)}",
    )


def _per_project(s: Scorer, c: r.PerProject, unit: UnitFact) -> Component:
    _, codes = s.measure(c.metric, Filters(), unit)
    total, bits = Decimal(0), []
    for code in codes:
        p = s.projects[code]
        amount = p.fai if c.amount == "fai" else p.total_investment
        pts = _tier_points(c, amount)
        if pts:
            total += pts
            bits.append(f"{code} {num(amount or Decimal(0))}万→{num(pts)}分")
    total, cut = capped(total, c.cap)
    tiers = "、".join(f"≥{num(t.min_amount)}万 {num(t.points)}分" for t in c.tiers)
    what = "固投" if c.amount == "fai" else "总投资"
    return Component(
        f"{c.label}：每个{c.metric.label.removesuffix('项目')}项目按{what}分档（{tiers}）",
        q(total),
        ("；".join(bits) or "无计分项目") + cut,
    )


def _tier_points(c: r.PerProject, amount: Decimal | None) -> Decimal:
    if amount is None:
        return Decimal(0)
    hit = [t for t in c.tiers if (amount > t.min_amount if c.strict else amount >= t.min_amount)]
    return max((t.points for t in hit), default=Decimal(0))


def _target(s: Scorer, c: r.TargetScore, unit: UnitFact) -> Component:
    metric, required = c.metric, c.required
    where = ""
    if required is None:  # the unit's own task, found by meaning
        explicit = s.sf.facts.explicit_of(unit.code, s.year)
        task = next(iter(tasks_of(unit, s.policy, explicit, metric, c.filters)), None)
        if task is None:
            return Component(_target_rule(c), Decimal(0), "无此项任务，不计分")
        tp = evaluate(task, unit, s.policy, s.sf.facts, s.year, s.day)
        got, required, codes = tp.achieved, tp.required, list(tp.projects)
        where = "（本单位任务）"
    else:
        got, codes = s.measure(metric, c.filters, unit)
    ratio = got / required if required > 0 else Decimal(1)
    head = f"{num(got)}/{num(required)}{metric.unit_label}{where} = {pct(ratio)}"
    if c.steps:
        hit = [x for x in c.steps if ratio >= x.min_ratio]
        base = max((x.points for x in hit), default=Decimal(0))
        how = (
            f"{head}，达到 {pct(max(x.min_ratio for x in hit))} 档"
            if hit
            else f"{head}，未达任何档"
        )
    else:
        top = c.cap if c.over_points is None else min(c.cap or Decimal(1), Decimal(1))
        used = min(ratio, top) if top is not None else ratio
        base = used * c.points
        cut = f"，封顶 {pct(top)}" if top is not None and ratio > top else ""
        how = f"{head}{cut} × {num(c.points)}"
    extra = Decimal(0)
    if c.over_points is not None and ratio > 1:
        extra, cut = capped((ratio - 1) * 100 * c.over_points, c.over_cap)
        how += f" + 超出 {pct(ratio - 1)} × 每个百分点 {num(c.over_points)}{cut}"
    points = q(base + extra)
    listed = f"（{'、'.join(codes)}）" if codes else ""
    return Component(_target_rule(c), points, f"{how} = {num(points)}{listed}")


def _target_rule(c: r.TargetScore) -> str:
    if c.steps:
        steps = "、".join(f"≥{pct(x.min_ratio)} {num(x.points)} 分" for x in c.steps)
        return f"{c.label}：按完成率分档（{steps}）"
    return f"{c.label}：完成率 × {num(c.points)} 分" + (f"（封顶 {pct(c.cap)}）" if c.cap else "")


def _shortfall(s: Scorer, c: r.Shortfall, unit: UnitFact) -> Component:
    missing, bits = Decimal(0), []
    for need in c.require:
        got, _ = s.measure(need.metric, need.filters, unit)
        short = max(need.required - got, Decimal(0))
        missing += short
        cond = need.filters.conditions()
        what = need.metric.label + (f"（{'，'.join(cond)}）" if cond else "")
        bits.append(f"{what} 应 {num(need.required)} 实 {num(got)} 少 {num(short)}")
    raw = c.base - c.per_missing * missing
    points = max(raw, Decimal(0)) if c.floor else raw
    floor = "，最低 0 分" if c.floor and raw < 0 else ""
    return Component(
        f"{c.label}：基础 {num(c.base)} 分，每少 1 个扣 {num(c.per_missing)} 分",
        q(points),
        f"{'；'.join(bits)}：{num(c.base)} − {num(missing)} × {num(c.per_missing)}"
        f" = {num(raw)}{floor}",
    )


def _events(s: Scorer, event: r.DeductionEvent, unit: UnitFact) -> list[str]:
    match event:
        case r.DeductionEvent.STALE_PROJECT:
            return [f"{p.code} {days} 天未更新" for p, days in s.stale(unit)]
        case r.DeductionEvent.SIGNED_NOT_STARTED:
            months = s.policy.alerts.signed_not_started_months
            roles = s.policy.credit_roles(unit.unit_class)
            out = []
            for p in s.sf.facts.credited_to(unit, roles):
                on = signed_overdue(p, stage_on(p, s.day), s.day, months)
                if on is not None:
                    out.append(f"{p.code}（{on.isoformat()} 签约，超过 {months} 个月未开工）")
            return out
        case r.DeductionEvent.MISSED_REPORT | r.DeductionEvent.LATE_REPORT:
            missed, late = s.report_slots(unit)
            slots = missed if event is r.DeductionEvent.MISSED_REPORT else late
            return [slot.label_zh for slot in slots]
    raise AssertionError(event)


def _deduction(s: Scorer, c: r.Deduction, unit: UnitFact) -> Component:
    items = _events(s, c.event, unit)
    taken, cut = capped(-c.points * len(items), c.cap)
    what = f"{r.EVENT_WORDS[c.event]} {len(items)} 次（{'、'.join(items) or '无'}）"
    if not c.base:
        return Component(
            f"{c.label}：每次扣 {num(c.points)} 分",
            q(taken),
            f"{what}× −{num(c.points)}{cut}",
        )
    raw = c.base + taken
    points = max(raw, Decimal(0)) if c.floor else raw
    floor = "，最低 0 分" if c.floor and raw < 0 else ""
    return Component(
        f"{c.label}：基础 {num(c.base)} 分，每次扣 {num(c.points)} 分",
        q(points),
        f"{what}：{num(c.base)} − {num(-taken)}{cut} = {num(raw)}{floor}",
    )


def _adjustment(s: Scorer, c: r.Adjustment, unit: UnitFact) -> Component:
    mine = [a for a in s.sf.adjustments if a.unit == unit.code and a.year == s.year and a.points]
    total, cut = capped(sum((a.points for a in mine), Decimal(0)), c.cap)
    bits = [
        f"{'+' if a.points > 0 else ''}{num(a.points)}：{a.reason}"
        + (f"（依据：{a.evidence}）" if a.evidence else "")
        + f"［#{a.id}］"
        for a in mine
    ]
    return Component(c.label, q(total), ("；".join(bits) or "无") + cut)


def group_items(
    components: tuple[r.Component, ...], rows: list[tuple[Component, ...]]
) -> list[tuple[Component, ...]]:
    """The items scored within a group (`Efficacy`, `RankPoints`), from the raw values
    `score` gave each row, turned into their points."""
    out = [list(comps) for comps in rows]
    for i, c in enumerate(components):
        if not rows or not isinstance(c, r.Efficacy | r.RankPoints):
            continue
        values = [comps[i].points for comps in rows]
        for k, (got, how) in enumerate(_in_group(c, values)):
            out[k][i] = Component(_group_rule(c), got, f"{rows[k][i].detail}；{how}")
    return [tuple(x) for x in out]


def _group_rule(c: r.Efficacy | r.RankPoints) -> str:
    if isinstance(c, r.Efficacy):
        return f"{c.label}：功效系数 × {num(c.points)} 分"
    return f"{c.label}：组内第 1 名 {num(c.first)} 分，每降 1 名减 {num(c.step)} 分"


def _in_group(c: r.Efficacy | r.RankPoints, values: list[Decimal]) -> list[tuple[Decimal, str]]:
    if isinstance(c, r.RankPoints):
        out = []
        for v in values:
            place = 1 + sum(1 for x in values if x > v)
            got = q(max(c.first - c.step * (place - 1), Decimal(0)))
            out.append(
                (
                    got,
                    f"组内第 {place} 名：{num(c.first)} − {place - 1} × {num(c.step)} = {num(got)}",
                )
            )
        return out
    lo, hi = min(values), max(values)
    full = c.floor + c.span
    out = []
    for v in values:
        e = full if hi == lo else (v - lo) / (hi - lo) * c.span + c.floor
        got = q(e / full * c.points) if full else Decimal(0)
        how = (
            f"组内相同，取 {num(full)}"
            if hi == lo
            else f"({num(v)}−{num(lo)})/({num(hi)}−{num(lo)})×{num(c.span)}+{num(c.floor)}"
            f" = {num(q(e))}"
        )
        out.append((got, f"{how}，× {num(c.points)}/{num(full)} = {num(got)}"))
    return out
