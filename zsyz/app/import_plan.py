"""Planning an import in the transaction: read the snapshot, call the pure planner.

`domain/planning.py:plan` decides every row (New | Update | Unchanged | Refused) from the
parsed rows, a frozen snapshot of the ledger's projects (`app/plan_state.py`) and the
context built here (the reporting unit, the units, --link/--new). Nothing is written here;
`app/imports.py` writes the decisions of a plan with no problems in the same transaction
that read the snapshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from zsyz.app.plan_state import load_snapshot
from zsyz.domain.plan_scope import ROLE_LABELS as ROLE_LABELS  # one vocabulary, re-exported
from zsyz.domain.plan_values import ImportPlan, Issue, PlanContext
from zsyz.domain.planning import plan, stated_codes
from zsyz.errors import NotFoundError, Problem
from zsyz.io.values import ValueProblem, parse_date
from zsyz.io.weekly import WeeklyReport
from zsyz.io.weekly_fields import HEADINGS
from zsyz.store.tables import Unit
from zsyz.store.units import UnitIndex

_SUFFIXES = re.compile(r"(人民政府|政府|办事处|[（(]盖章[)）]|盖章)$")


@dataclass
class Plan:
    """What the import found before and around planning the rows: the reporting unit,
    the date, and every problem and warning, in the order they were found."""

    unit: Unit | None
    report_date: date | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def resolve_unit(index: UnitIndex, name: str) -> Unit:
    """A unit as written, also as "石佛寺镇人民政府" or "XX（盖章）"."""
    unit = index.find(name) or index.find(_SUFFIXES.sub("", name.strip()))
    return unit if unit is not None else index.resolve(name)


@dataclass(frozen=True)
class LedgerUnits:
    """The ledger's units (loaded once for the import) as the planner asks for them."""

    index: UnitIndex

    def find(self, name: str) -> Unit | None:
        return self.index.find(name)

    def resolve(self, name: str) -> Unit | str:
        try:
            return resolve_unit(self.index, name)
        except NotFoundError as exc:
            return exc.message

    def name_of(self, code: str) -> str | None:
        unit = self.index.by_code.get(code)
        return unit.name if unit is not None else None


def planned_day(text: str, year: int | None) -> date | None:
    """The day a planned time means (「2026年9月」: its last day), if it can be read."""
    try:
        return parse_date(text, year, month_end=True)
    except ValueProblem:
        return None


def plan_report(
    session: Session,
    report: WeeklyReport,
    index: UnitIndex,
    found: Plan,
    *,
    all_units: bool,
    links: dict[str, str],
    new: frozenset[str],
    today: date,
    reuse_codes: dict[str, str],
) -> ImportPlan:
    """Every row of `report` planned against the ledger as this session sees it; the
    plan's problems and warnings are added to `found`. The rows are released as planned."""
    context = PlanContext(
        units=LedgerUnits(index),
        unit=found.unit,
        report_date=found.report_date,
        today=today,
        headings={**HEADINGS, **report.header.headings},
        planned_day=planned_day,
        all_units=all_units,
        links=links,
        new=new,
        reuse_codes=reuse_codes,
        stated=stated_codes(report.rows),
    )
    result = plan(report.take_rows(), load_snapshot(session), context)
    found.problems += [as_problem(i) for i in result.problems]
    found.warnings += result.warnings
    return result


def as_problem(issue: Issue) -> Problem:
    return Problem(
        issue.message,
        row=issue.row,
        column=issue.column,
        value=issue.value,
        sheet=issue.sheet,
        clerk=issue.clerk,
    )
