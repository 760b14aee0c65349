"""One ranking component's points for one unit, matched on the rule's class
(`zsyz.domain.rules`): the number and how it came about as a term (`zsyz.domain.terms`;
`rank --explain` words it through `zsyz.render.explain`)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from zsyz.domain import rules as r
from zsyz.domain.facts import UnitFact
from zsyz.domain.points import (
    Component,
    capped,
    q,
    signed_overdue,
    stage_on,
    weighted_completion,
)
from zsyz.domain.policy import Filters
from zsyz.domain.progress import UnitProgress, evaluate
from zsyz.domain.tasks import tasks_of
from zsyz.domain.terms import Op, Term

if TYPE_CHECKING:
    from zsyz.domain.ranking import Scorer


def _part(
    points: Decimal,
    op: Op,
    rule: object,
    *,
    projects: tuple[str, ...] = (),
    parts: tuple[Term, ...] = (),
    **inputs: object,
) -> Component:
    """A component whose term's result is its points."""
    return Component(points, Term(op, rule, inputs, points, projects, parts))


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
            return _part(got, Op.MEASURED, c, value=got)
        case r.Share():
            return _share(s, c, up.unit)
        case r.Ceiling():
            parts = tuple(score(s, p, up) for p in c.parts)
            total, hit = capped(sum((p.points for p in parts), Decimal(0)), c.cap)
            return _part(q(total), Op.CEILING, c, items=parts, cap_hit=hit)
    raise AssertionError(c)


def _bonus(s: Scorer, c: r.Bonus, unit: UnitFact) -> Component:
    got, codes = s.measure(c.metric, c.filters, unit)
    if c.per is None:
        total, hit = capped(c.points * len(codes), c.cap)
        return _part(
            q(total), Op.BONUS_COUNT, c, count=len(codes), cap_hit=hit, projects=tuple(codes)
        )
    units = (got / c.per).to_integral_value(rounding=ROUND_FLOOR) if c.per > 0 else Decimal(0)
    total, hit = capped(c.points * units, c.cap)
    return _part(q(total), Op.BONUS_PER, c, got=got, units=units, cap_hit=hit)


def _share(s: Scorer, c: r.Share, unit: UnitFact) -> Component:
    top, _ = s.measure(c.numerator.metric, c.numerator.filters, unit)
    bottom, _ = s.measure(c.denominator.metric, c.denominator.filters, unit)
    if bottom <= 0:
        return _part(Decimal(0), Op.SHARE_ZERO, c, top=top, bottom=bottom)
    ratio = top / bottom
    used = min(ratio, c.cap) if c.cap is not None else ratio
    return _part(q(used * c.points), Op.SHARE, c, top=top, bottom=bottom, ratio=ratio)


def _completion(c: r.Completion, up: UnitProgress) -> Component:
    done = weighted_completion(up, c.cap)
    return _part(q(done * c.points), Op.COMPLETION, c, targets=up.targets, done=done)


def _per_project(s: Scorer, c: r.PerProject, unit: UnitFact) -> Component:
    _, codes = s.measure(c.metric, Filters(), unit)
    total, items = Decimal(0), []
    for code in codes:
        p = s.projects[code]
        amount = p.fai if c.amount == "fai" else p.total_investment
        pts = _tier_points(c, amount)
        if pts:
            total += pts
            items.append((code, amount or Decimal(0), pts))
    total, hit = capped(total, c.cap)
    projects = tuple(code for code, _, _ in items)
    return _part(q(total), Op.PER_PROJECT, c, items=tuple(items), cap_hit=hit, projects=projects)


def _tier_points(c: r.PerProject, amount: Decimal | None) -> Decimal:
    if amount is None:
        return Decimal(0)
    hit = [t for t in c.tiers if (amount > t.min_amount if c.strict else amount >= t.min_amount)]
    return max((t.points for t in hit), default=Decimal(0))


def _target(s: Scorer, c: r.TargetScore, unit: UnitFact) -> Component:
    required, own = c.required, False
    if required is None:  # the unit's own task, found by meaning
        explicit = s.sf.facts.explicit_of(unit.code, s.year)
        task = next(iter(tasks_of(unit, s.policy, explicit, c.metric, c.filters)), None)
        if task is None:
            return _part(Decimal(0), Op.TARGET_NO_TASK, c)
        tp = evaluate(task, unit, s.policy, s.sf.facts, s.year, s.day)
        got, required, codes, own = tp.achieved, tp.required, list(tp.projects), True
    else:
        got, codes = s.measure(c.metric, c.filters, unit)
    ratio = got / required if required > 0 else Decimal(1)
    step: Decimal | None = None
    top: Decimal | None = None
    if c.steps:
        hit = [x for x in c.steps if ratio >= x.min_ratio]
        base = max((x.points for x in hit), default=Decimal(0))
        step = max(x.min_ratio for x in hit) if hit else None
    else:
        top = c.cap if c.over_points is None else min(c.cap or Decimal(1), Decimal(1))
        used = min(ratio, top) if top is not None else ratio
        base = used * c.points
    extra, over_hit, over = Decimal(0), None, False
    if c.over_points is not None and ratio > 1:
        extra, over_hit = capped((ratio - 1) * 100 * c.over_points, c.over_cap)
        over = True
    return _part(
        q(base + extra),
        Op.TARGET,
        c,
        got=got,
        required=required,
        own=own,
        ratio=ratio,
        step=step,
        top=top,
        capped=top is not None and ratio > top,
        over=over,
        over_cap_hit=over_hit,
        projects=tuple(codes),
    )


def _floored(raw: Decimal, floor: bool) -> Decimal:
    """A from-a-base score (shortfall, deduction): never below zero when the rule says so."""
    return max(raw, Decimal(0)) if floor else raw


def _shortfall(s: Scorer, c: r.Shortfall, unit: UnitFact) -> Component:
    missing, needs = Decimal(0), []
    for need in c.require:
        got, _ = s.measure(need.metric, need.filters, unit)
        short = max(need.required - got, Decimal(0))
        missing += short
        needs.append((need, got, short))
    raw = c.base - c.per_missing * missing
    return _part(
        q(_floored(raw, c.floor)),
        Op.SHORTFALL,
        c,
        needs=tuple(needs),
        missing=missing,
        raw=raw,
        floored=c.floor and raw < 0,
    )


def _events(s: Scorer, event: r.DeductionEvent, unit: UnitFact) -> tuple[Term, ...]:
    match event:
        case r.DeductionEvent.STALE_PROJECT:
            return tuple(
                Term(Op.STALE, inputs={"days": d}, projects=(p.code,)) for p, d in s.stale(unit)
            )
        case r.DeductionEvent.SIGNED_NOT_STARTED:
            months = s.policy.alerts.signed_not_started_months
            roles = s.policy.credit_roles(unit.unit_class)
            out = []
            for p in s.sf.facts.credited_to(unit, roles):
                on = signed_overdue(p, stage_on(p, s.day), s.day, months)
                if on is not None:
                    got = {"signed": on, "months": months}
                    out.append(Term(Op.SIGNED_OVERDUE, inputs=got, projects=(p.code,)))
            return tuple(out)
        case r.DeductionEvent.MISSED_REPORT | r.DeductionEvent.LATE_REPORT:
            missed, late = s.report_slots(unit)
            slots = missed if event is r.DeductionEvent.MISSED_REPORT else late
            return tuple(Term(Op.REPORT_SLOT, inputs={"slot": slot}) for slot in slots)
    raise AssertionError(event)


def _deduction(s: Scorer, c: r.Deduction, unit: UnitFact) -> Component:
    items = _events(s, c.event, unit)
    taken, hit = capped(-c.points * len(items), c.cap)
    if not c.base:
        return _part(q(taken), Op.DEDUCTION, c, count=len(items), cap_hit=hit, parts=items)
    raw = c.base + taken
    return _part(
        q(_floored(raw, c.floor)),
        Op.DEDUCTION_BASE,
        c,
        count=len(items),
        taken=taken,
        cap_hit=hit,
        raw=raw,
        floored=c.floor and raw < 0,
        parts=items,
    )


def _adjustment(s: Scorer, c: r.Adjustment, unit: UnitFact) -> Component:
    mine = [a for a in s.sf.adjustments if a.unit == unit.code and a.year == s.year and a.points]
    total, hit = capped(sum((a.points for a in mine), Decimal(0)), c.cap)
    return _part(q(total), Op.ADJUSTMENT, c, adjustments=tuple(mine), cap_hit=hit)


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
        for k, scored in enumerate(_in_group(c, values, [comps[i] for comps in rows])):
            out[k][i] = scored
    return [tuple(x) for x in out]


def _in_group(
    c: r.Efficacy | r.RankPoints, values: list[Decimal], raws: list[Component]
) -> list[Component]:
    if isinstance(c, r.RankPoints):
        out = []
        for v, raw in zip(values, raws, strict=True):
            place = 1 + sum(1 for x in values if x > v)
            got = q(max(c.first - c.step * (place - 1), Decimal(0)))
            out.append(_part(got, Op.RANK_POINTS, c, raw=raw, place=place))
        return out
    lo, hi = min(values), max(values)
    full = c.floor + c.span
    scored = []
    for v, raw in zip(values, raws, strict=True):
        e = full if hi == lo else (v - lo) / (hi - lo) * c.span + c.floor
        got = q(e / full * c.points) if full else Decimal(0)
        scored.append(
            _part(got, Op.EFFICACY_ITEM, c, raw=raw, value=v, lo=lo, hi=hi, scaled=q(e), full=full)
        )
    return scored
