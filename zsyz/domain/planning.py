"""Planning an import, as a pure function: `plan(rows, snapshot, context) -> ImportPlan`.

Each row is identified (by 项目编号, else by normalised name within the reporting unit's
projects), run through the validators — plain functions returning problems as values,
`domain/plan_checks.py`; the first group refuses the row at its first problem, the rest
all report — and given one decision (`domain/plan_values.py`). State across rows (a
project named twice, a code given twice, generated codes) lives in one `Run` per call,
so `plan` is deterministic and touches nothing outside its arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from zsyz.domain.fields import COLUMNS
from zsyz.domain.history import same
from zsyz.domain.names import norm_project_name
from zsyz.domain.plan_checks import REFUSING, new_project_checks, role_units
from zsyz.domain.plan_scope import OWN_ROLES, check_scope, own_part
from zsyz.domain.plan_stages import future_dates, reach_stage, take_planned
from zsyz.domain.plan_values import (
    Decision,
    ImportPlan,
    New,
    PlanContext,
    Refused,
    RowLike,
    RowWork,
    Snapshot,
    Unchanged,
    Update,
)

ROLE_KEYS = {role: f"roles:{role}" for role in ("sourcing", "landing", "leader", "compiling")}


def stated_codes(rows: Iterable[RowLike]) -> frozenset[str]:
    """The 项目编号 a report writes: a code generated for a blank row avoids them."""
    return frozenset(c for r in rows if (c := r.values.get("code")))


def plan(rows: Iterable[RowLike], snapshot: Snapshot, context: PlanContext) -> ImportPlan:
    """Exactly one decision per row, in order; see the module's docstring."""
    run = Run(snapshot, context)
    for row in rows:
        run.decisions.append(run.plan_row(row))
    decisions = settle_codes(run.decisions, run.auto, run.new_code)
    warnings = [w for d in decisions for w in d.warnings]
    if run.dated and context.report_date is not None:
        dated = run.dated
        shown = "、".join(dated[:10]) + ("等" if len(dated) > 10 else "")
        warnings.append(
            f"{len(dated)} 行写了阶段但没有写该阶段的日期（{shown}），"
            f"按填报日期 {context.report_date.isoformat()} 记为该阶段日期；如有实际日期请补填"
        )
    problems = tuple(p for d in decisions if isinstance(d, Refused) for p in d.problems)
    return ImportPlan(tuple(decisions), problems, tuple(warnings))


def settle_codes(
    decisions: list[Decision], auto: set[int], new_code: Callable[[set[str]], str]
) -> list[Decision]:
    """A generated code (decision index in `auto`) that a later row wrote for another
    project is generated anew."""
    written = {d.code for i, d in enumerate(decisions) if isinstance(d, New) and i not in auto}
    out = list(decisions)
    for i in sorted(auto):
        d = out[i]
        if isinstance(d, New) and d.code in written:
            code = new_code(written)
            out[i] = replace(d, code=code, values={**d.values, "code": code})
    return out


Place = tuple[str | None, int]  # (sheet, row)


@dataclass
class Run:
    """What one `plan` call remembers across rows (nothing outlives the call)."""

    snap: Snapshot
    ctx: PlanContext
    decisions: list[Decision] = field(default_factory=list)
    auto: set[int] = field(default_factory=set)  # decisions whose code was generated
    dated: list[str] = field(default_factory=list)  # rows whose stage date is the report date
    seen: dict[int, Place] = field(default_factory=dict)  # project id → first row
    seen_new: dict[str, Place] = field(default_factory=dict)  # new project by name
    codes: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)  # code → norm
    new_codes: dict[str, Place] = field(default_factory=dict)
    next_seq: dict[str, int] = field(default_factory=dict)
    unit_codes: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name → code|why, ok
    leaders: dict[str, str | None] = field(default_factory=dict)
    sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def shared(self, codes: frozenset[str]) -> frozenset[str]:
        """One object for equal sets of units (most rows name the same few)."""
        return self.sets.setdefault(codes, codes)

    def plan_row(self, row: RowLike) -> Decision:
        name: str = row.values["name"]
        w = RowWork(row, name, norm_project_name(name))
        w.problems += role_units(self, w)
        for check in REFUSING:
            found = check(self, w)
            if found:
                w.problems += found
                return Refused(row.row, name, tuple(w.problems), tuple(w.warnings))
        w.problems += check_scope(self, w)
        w.values = {k: row.values[k] for k in COLUMNS if k in row.values}
        take_planned(self, w)
        w.problems += future_dates(self.ctx, w)
        reach_stage(self, w)
        decision = self.decide(w)
        if w.problems:
            return Refused(row.row, name, tuple(w.problems), tuple(w.warnings))
        return decision

    def decide(self, w: RowWork) -> Decision:
        pid, row, values = w.pid, w.row, w.values
        current = self.snap.projects.get(pid) if pid is not None else None
        when = self.ctx.report_date
        latest = current["last_reported_on"] if current is not None else None
        old_report = latest is not None and when is not None and latest > when
        if current is not None and pid is not None and old_report:
            # A report older than the project's latest one (a late or re-sent old week)
            # must not overwrite newer figures: the row is left out, and said so.
            assert when is not None and latest is not None
            w.warnings.append(
                f"{row.where}「{w.name}」：本表填报日期 {when.isoformat()} 早于该项目最近一次"
                f"报送（{latest.isoformat()}），为免旧数据覆盖新数据，本行未更新该项目"
            )
            return Unchanged(row.row, w.name, pid, current["code"], {}, "", tuple(w.warnings))
        if when is not None and (current is None or not latest or latest < when):
            values["last_reported_on"] = when
        if current is None or pid is None:
            return self.new_project(w)
        if "extra" in values:  # a blank cell changes nothing: merge into what is kept
            values["extra"] = {**(current["extra"] or {}), **values["extra"]}
        changes: dict[str, tuple[Any, Any]] = {}
        for k, x in values.items():
            if not same(current[k], x):
                changes[k] = (current[k], x)
        held = self.snap.roles.get(pid, {})
        for role, codes in sorted(w.roles.items()):
            old = frozenset(held.get(role, frozenset()))
            if self.ctx.unit is not None and role in OWN_ROLES:
                codes = own_part(self, w, role, old, codes)
            if old != codes:
                changes[f"roles:{role}"] = (old or None, codes or None)
        kind = Update if len(changes) > ("last_reported_on" in changes) else Unchanged
        return kind(row.row, w.name, pid, current["code"], changes, w.norm, tuple(w.warnings))

    def new_project(self, w: RowWork) -> Decision:
        v, values = w.row.values, w.values
        code = v.get("code") or self.ctx.reuse_codes.get(w.norm) or self.new_code()
        w.problems += new_project_checks(self, w, code)
        values["code"] = code
        values.setdefault("name", w.name)
        new = {k: x for k, x in values.items() if x is not None}
        for role, codes in sorted(w.roles.items()):
            if codes:
                new[ROLE_KEYS[role]] = codes
        if not v.get("code") and w.norm not in self.ctx.reuse_codes:
            self.auto.add(len(self.decisions))
        return New(w.row.row, w.name, code, new, w.norm, tuple(w.warnings))

    def new_code(self, avoid: set[str] | frozenset[str] = frozenset()) -> str:
        """ZS<year><4 digits>: stable once given, printed on the next template."""
        year = (self.ctx.report_date or self.ctx.today).year
        prefix = f"ZS{year}"
        by_code = self.snap.by_code
        if prefix not in self.next_seq:
            pattern = re.compile(rf"^{prefix}(\d{{4}})$")
            used = [int(m.group(1)) for c in by_code if (m := pattern.match(c))]
            reused = self.ctx.reuse_codes.values()
            used += [int(m.group(1)) for c in reused if (m := pattern.match(c))]
            self.next_seq[prefix] = max(used, default=0)
        self.next_seq[prefix] += 1
        code = f"{prefix}{self.next_seq[prefix]:04d}"
        while code in by_code or code in avoid or code in self.codes or code in self.ctx.stated:
            self.next_seq[prefix] += 1
            code = f"{prefix}{self.next_seq[prefix]:04d}"
        return code
