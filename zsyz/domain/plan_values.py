"""The values import planning works on and gives (`domain/planning.py` is the function).

Every row of a parsed weekly report is checked against a frozen snapshot of the ledger's
projects (what the ledger held when the import's transaction began) and gets exactly one
decision: `New` (a project to create, with its values), `Update` (a known project and the
field diff), `Unchanged` (a known project the row does not change, at most its latest
report date) or `Refused` (the problems found, as values). The checks are plain
functions returning problems (`domain/plan_checks.py`, `domain/plan_scope.py`,
`domain/plan_stages.py`); nothing here reads or writes the ledger. `app/imports.py`
reads the snapshot and writes the decisions in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from zsyz.domain.names import norm_project_name
from zsyz.domain.stages import PlannedStage


class RowLike(Protocol):
    """A parsed report row (io/weekly.py `ReportRow` is one): frozen, only filled cells."""

    @property
    def row(self) -> int: ...
    @property
    def values(self) -> Mapping[str, Any]: ...
    @property
    def sheet(self) -> str | None: ...
    @property
    def where(self) -> str: ...
    def text(self, key: str) -> str | None: ...


class UnitRef(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit_class(self) -> str: ...


class Units(Protocol):
    """The ledger's units as loaded for this import (names, codes and aliases)."""

    def find(self, name: str) -> UnitRef | None: ...
    def resolve(self, name: str) -> UnitRef | str: ...  # the unit, or why not (Chinese)
    def name_of(self, code: str) -> str | None: ...


@dataclass(frozen=True)
class Snapshot:
    """The ledger's projects as the import found them (no ORM objects)."""

    projects: Mapping[int, Mapping[str, Any]]  # id → project columns
    by_code: Mapping[str, int]
    roles: Mapping[int, Mapping[str, frozenset[str]]]  # id → role → unit codes
    by_norm: Mapping[str, Sequence[int]]  # normalised name → ids
    by_investor: Mapping[str, Sequence[int]]  # normalised investor → ids

    @classmethod
    def of(
        cls,
        projects: Mapping[int, Mapping[str, Any]],
        roles: Mapping[int, Mapping[str, frozenset[str]]],
    ) -> Snapshot:
        by_norm: dict[str, list[int]] = {}
        by_investor: dict[str, list[int]] = {}
        for pid, p in projects.items():
            by_norm.setdefault(p["norm_name"], []).append(pid)
            if p["investor"]:
                by_investor.setdefault(norm_project_name(p["investor"]), []).append(pid)
        by_code = {p["code"]: pid for pid, p in projects.items()}
        return cls(projects, by_code, roles, by_norm, by_investor)

    def owners(self, pid: int) -> frozenset[str]:
        r = self.roles.get(pid, {})
        return r.get("sourcing", frozenset()) | r.get("landing", frozenset())

    def describe(self, pid: int, units: Units) -> str:
        p = self.projects[pid]
        names = [n for c in sorted(self.owners(pid)) if (n := units.name_of(c)) is not None]
        return f"{p['code']}「{p['name']}」（{'、'.join(names) or '无单位'}）"


@dataclass(frozen=True)
class PlanContext:
    """Who reports, for when, and what the operator said (--link, --new, --all-units)."""

    units: Units
    unit: UnitRef | None  # the reporting unit; None for a county summary or when unknown
    report_date: date | None
    today: date
    headings: Mapping[str, str]  # field key → the heading as written (else the template's)
    planned_day: Callable[[str, int | None], date | None]  # 「2026年9月」 → its last day
    all_units: bool = False
    links: Mapping[str, str] = field(default_factory=dict)  # row or name → project code
    new: frozenset[str] = frozenset()  # rows or names declared new projects
    reuse_codes: Mapping[str, str] = field(default_factory=dict)  # name → code of an undone batch
    stated: frozenset[str] = frozenset()  # 项目编号 the report writes anywhere


@dataclass(frozen=True)
class Issue:
    """A problem with one row (or cell), as `errors.Problem` shows it."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None
    clerk: str | None = None


@dataclass(frozen=True)
class New:
    row: int
    name: str
    code: str
    values: Mapping[str, Any]  # field → value (roles:<role> → frozenset) in history order
    norm: str
    warnings: tuple[str, ...] = ()

    def diff(self) -> dict[str, tuple[Any, Any]]:
        return {k: (None, v) for k, v in self.values.items()}


@dataclass(frozen=True)
class Update:
    row: int
    name: str
    project_id: int
    code: str
    changes: Mapping[str, tuple[Any, Any]]  # field → (old, new); roles:<role> → frozensets
    norm: str
    warnings: tuple[str, ...] = ()
    substantive = True

    def diff(self) -> Mapping[str, tuple[Any, Any]]:
        return self.changes


@dataclass(frozen=True)
class Unchanged:
    """A known project the row leaves as it is; `changes` holds at most its latest
    report date (last_reported_on), which is recorded."""

    row: int
    name: str
    project_id: int
    code: str
    changes: Mapping[str, tuple[Any, Any]]
    norm: str
    warnings: tuple[str, ...] = ()
    substantive = False

    def diff(self) -> Mapping[str, tuple[Any, Any]]:
        return self.changes


@dataclass(frozen=True)
class Refused:
    row: int
    name: str
    problems: tuple[Issue, ...]
    warnings: tuple[str, ...] = ()


Decision = New | Update | Unchanged | Refused


@dataclass(frozen=True)
class ImportPlan:
    decisions: tuple[Decision, ...]  # one per input row, in order
    problems: tuple[Issue, ...]  # every refused row's, in row order
    warnings: tuple[str, ...]


def row_place(sheet: str | None, row: int) -> str:
    """第5行, or 工作表「开工项目」第5行 in a report of several sheets."""
    return f"工作表「{sheet}」第{row}行" if sheet else f"第{row}行"


@dataclass
class RowWork:
    """One row while it is planned: what the checks resolved and found."""

    row: RowLike
    name: str
    norm: str
    roles: dict[str, frozenset[str]] = field(default_factory=dict)
    problems: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pid: int | None = None  # None: a new project
    linked: bool = False  # joined by --link
    values: dict[str, Any] = field(default_factory=dict)  # the project columns it sets
    planned: PlannedStage | None = None  # a planned wording in its stage column


def issue(
    ctx: PlanContext, row: RowLike, key: str | None, message: str, clerk: str | None = None
) -> Issue:
    """A problem with `row`'s cell `key` (its heading and text as written)."""
    column = ctx.headings.get(key) if key else None
    value = row.text(key) if key else None
    return Issue(message, row=row.row, column=column, value=value, sheet=row.sheet, clerk=clerk)
