"""Bottom-of-ranking flags (通报批评, 诫勉谈话): which periods a flag reads, and who in a
ranked group is named: at most what the policy says, among units that had a task and
did not complete it; a tie at the line that would name more is one note instead."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from zsyz.domain import rules as r
from zsyz.domain.facts import UnitFact
from zsyz.domain.periods import Period, PeriodKind, period_containing
from zsyz.domain.ranking import RankRow
from zsyz.domain.terms import Op, Term


@dataclass(frozen=True)
class FlagLine:
    unit: UnitFact
    flag: str
    why: Term  # why the unit is flagged (`zsyz.render.explain` words it)


def flag_periods(rule: r.BottomOfRanking, year: int, as_of: date) -> list[Period]:
    """The periods of the year a bottom-of-ranking flag reads: every one ended by as-of."""
    periods: list[Period] = []
    p = period_containing(PeriodKind(rule.period), date(year, 1, 1))
    while p.end.year == year and p.end <= as_of:
        periods.append(p)
        p = p.next()
    return periods


def bottom_of(
    rule: r.BottomOfRanking, period: Period, label: str, members: list[RankRow]
) -> tuple[list[FlagLine], Term | None]:
    """The last `bottom` (or `share` of the group, rounded up) of the group, among units
    that had a task and did not complete it. Units tied at the line are named only when
    all of them fit; otherwise one note says so and names none of them."""
    n = rule.bottom if rule.bottom is not None else math.ceil(len(members) * (rule.share or 0))
    size = len(members)
    if size <= n:  # a group no larger than the bottom singles nobody out
        return [], None
    failing = [x for x in members if x.progress is not None and x.progress.targets]
    failing = [x for x in failing if x.progress is not None and not x.progress.complete]
    failing.sort(key=lambda x: x.rank)
    chosen = failing[-n:] if n > 0 else []
    if not chosen:
        return [], None
    line = chosen[0].score
    tied = [x for x in failing if x.score == line]
    if len(tied) > len([x for x in chosen if x.score == line]):
        chosen = [x for x in chosen if x.score != line]
        got = {"period": period, "group": label, "tied": len(tied), "line": line, "bottom": n}
        note: Term | None = Term(Op.BOTTOM_TIE, rule, got)
    else:
        note = None
    out = []
    for x in chosen:
        got = {"period": period, "group": label, "rank": x.rank, "size": size, "score": x.score}
        out.append(FlagLine(x.unit, rule.flag, Term(Op.BOTTOM, rule, got)))
    return out, note
