"""The parts of a unit's score as shown (`Component`), and the arithmetic every scoring
rule shares: rounding, capping, percentages, the stage a project had on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from zsyz.domain.facts import ProjectFact
from zsyz.domain.progress import UnitProgress
from zsyz.domain.reporting import add_months
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.domain.terms import Term

POINTS = Decimal("0.01")
RATIO = Decimal("0.0001")


@dataclass(frozen=True)
class Component:
    """One part of a unit's score: its points and how they came about (`why.rule` is the
    policy rule; `zsyz.render.explain` words it)."""

    points: Decimal
    why: Term


def pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(POINTS, ROUND_HALF_EVEN)}%"


def num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def q(value: Decimal, quantum: Decimal = POINTS) -> Decimal:
    out = value.quantize(quantum, rounding=ROUND_HALF_EVEN)
    return out if out != 0 else abs(out)  # never "-0.00"


def weighted_completion(up: UnitProgress, cap: Decimal | None) -> Decimal:
    """Weighted mean of the unit's target ratios, each capped at `cap` (when given)."""
    return up.weighted(cap)


def capped(total: Decimal, cap: Decimal | None) -> tuple[Decimal, Decimal | None]:
    """`total` held within ±cap, and the cap when it was applied (else None)."""
    if cap is not None and abs(total) > cap:
        return (cap if total > 0 else -cap), cap
    return total, None


def signed_overdue(p: ProjectFact, stage: Stage | None, day: date, months: int) -> date | None:
    """The signing date of a project still at 签约 (`stage`, as the caller reads it on `day`)
    `months` or more after signing, else None: the one definition of 签约未开工 for the alerts
    (which read the project as of the day) and the ranking's deduction (stage by its dates)."""
    signed = p.stage_dates.get(Stage.SIGNED)
    if signed is None or stage is not Stage.SIGNED:
        return None
    return signed if add_months(signed, months) <= day else None


def idle_beyond(last: date, day: date, limit: int | Decimal) -> int | None:
    """Days without an update on `day` once they reach the stage's `limit` (N 天未报进展,
    README's wording and the alerts' since the start), else None: the one definition of a
    stale project for the alerts and the ranking's deduction (each says which day it
    counts from)."""
    idle = (day - last).days
    return idle if idle >= limit else None


def stage_on(p: ProjectFact, day: date) -> Stage | None:
    """The stage the project had reached by `day` (current stage when no dates are known)."""
    if p.stage is Stage.DROPPED and (p.stage_dates.get(Stage.DROPPED) or day) <= day:
        return Stage.DROPPED
    dated = [s for s in LIFE_CYCLE if (d := p.stage_dates.get(s)) is not None and d <= day]
    if dated:
        return max(dated, key=lambda s: s.order)
    return None if p.stage_dates else p.stage
