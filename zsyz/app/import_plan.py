"""Planning an import: every row of a parsed weekly report checked against the ledger.

The plan says, for each row, which project it is (by 项目编号, else by normalised name
within the reporting unit's projects), which fields change from what to what, and
every problem found (unknown units, another unit's project, a suspected duplicate, a
stage date in the future). Nothing is written here; `app/imports.py` applies a plan
with no problems in the same transaction that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from zsyz.app.import_scope import ROLE_LABELS as ROLE_LABELS  # one vocabulary, re-exported
from zsyz.app.import_scope import ScopeRules
from zsyz.app.plan_stages import stage_rules
from zsyz.app.plan_state import LedgerState
from zsyz.domain.names import norm_project_name
from zsyz.errors import NotFoundError, Problem
from zsyz.io.weekly import ReportRow, WeeklyReport, row_place
from zsyz.io.weekly_fields import HEADINGS
from zsyz.store.history import TRACKED, same
from zsyz.store.tables import Unit
from zsyz.store.units import UnitIndex

_SUFFIXES = re.compile(r"(人民政府|政府|办事处|[（(]盖章[)）]|盖章)$")
ROLE_KEYS = {role: f"roles:{role}" for role in ("sourcing", "landing", "leader", "compiling")}
# Roles a unit's own report may set only for itself (the leader is a person, not a unit).
OWN_ROLES = frozenset({"sourcing", "landing", "compiling"})


@dataclass
class RowPlan:
    row: int
    name: str
    project_id: int | None  # None: a new project
    code: str
    changes: dict[str, tuple[Any, Any]]  # field → (old, new); roles:<role> → frozensets
    substantive: bool  # changes beyond last_reported_on
    created: bool = False  # set when the project is inserted
    # A new project: field → value (roles:<role> → frozenset) in history order, instead of
    # `changes` (whose old values would all be None: 50,000 rows × 20 pairs saved).
    new: dict[str, Any] | None = None
    norm: str = ""

    def diff(self) -> dict[str, tuple[Any, Any]]:
        """field → (old, new) for either kind of row."""
        if self.new is None:
            return self.changes
        return {k: (None, v) for k, v in self.new.items()}


@dataclass
class Plan:
    unit: Unit | None
    report_date: date | None
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def resolve_unit(index: UnitIndex, name: str) -> Unit:
    """A unit as written, also as "石佛寺镇人民政府" or "XX（盖章）"."""
    unit = index.find(name) or index.find(_SUFFIXES.sub("", name.strip()))
    return unit if unit is not None else index.resolve(name)


@dataclass
class Planner(ScopeRules):
    session: Session
    report: WeeklyReport
    index: UnitIndex
    state: LedgerState
    plan: Plan
    all_units: bool
    links: dict[str, str]
    new: frozenset[str]
    today: date
    reuse_codes: dict[str, str] = field(default_factory=dict)
    _seen: dict[int, tuple[str | None, int]] = field(default_factory=dict)  # id → first row
    _seen_new: dict[str, tuple[str | None, int]] = field(default_factory=dict)  # by name
    _codes: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)  # code → norm, row
    _auto: set[int] = field(default_factory=set)  # ids of new RowPlans whose code was generated
    _dated: list[str] = field(default_factory=list)  # rows whose stage date is the report date
    _next_seq: dict[str, int] = field(default_factory=dict)
    # Names as written → unit code (or the problem), resolved once per distinct name.
    _units: dict[str, str | NotFoundError] = field(default_factory=dict)
    _leaders: dict[str, str | None] = field(default_factory=dict)
    _sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)
    _stated: set[str] = field(default_factory=set)
    _new_codes: dict[str, tuple[str | None, int]] = field(default_factory=dict)

    def problem(
        self, row: ReportRow | None, key: str | None, message: str, clerk: str | None = None
    ) -> None:
        column = self.report.header.headings.get(key, HEADINGS.get(key or "")) if key else None
        value = row.text(key) if row is not None and key else None
        self.plan.problems.append(
            Problem(
                message,
                row=row.row if row else None,
                column=column,
                value=value,
                sheet=row.sheet if row else None,
                clerk=clerk,
            )
        )

    def units_of(self, row: ReportRow, key: str) -> frozenset[str] | None:
        names = row.values.get(key)
        if not names:
            return None
        codes = set()
        for name in names:
            found = self._units.get(name)
            if found is None:
                try:
                    found = resolve_unit(self.index, name).code
                except NotFoundError as exc:
                    found = exc
                self._units[name] = found
            if isinstance(found, NotFoundError):
                self.plan.problems.append(
                    Problem(
                        found.message,
                        row=row.row,
                        column=self._heading(key),
                        value=name,
                        sheet=row.sheet,
                    )
                )
            else:
                codes.add(found)
        return self.shared(frozenset(codes))

    def shared(self, codes: frozenset[str]) -> frozenset[str]:
        """One object for equal sets of units (most rows name the same few)."""
        return self._sets.setdefault(codes, codes)

    def leader_of(self, name: str) -> str | None:
        """The code of the leader unit `name` names, if it names one."""
        if name not in self._leaders:
            leader = self.index.find(name)
            ok = leader is not None and leader.unit_class == "leader"
            self._leaders[name] = leader.code if ok and leader is not None else None
        return self._leaders[name]

    def _heading(self, key: str) -> str:
        return self.report.header.headings.get(key, HEADINGS[key])

    def run(self) -> None:
        # Codes the report itself states are not free for the rows it leaves blank.
        self._stated = {c for r in self.report.rows if (c := r.values.get("code"))}
        for row in self.report.take_rows():
            self.plan_row(row)
        self._settle_codes()
        if self._dated and self.plan.report_date is not None:
            shown = "、".join(self._dated[:10]) + ("等" if len(self._dated) > 10 else "")
            self.plan.warnings.append(
                f"{len(self._dated)} 行写了阶段但没有写该阶段的日期（{shown}），"
                f"按填报日期 {self.plan.report_date.isoformat()} 记为该阶段日期；如有实际日期请补填"
            )

    def _settle_codes(self) -> None:
        """A generated code that a later row wrote for another project is generated anew."""
        written = {r.code for r in self.plan.rows if r.new is not None and id(r) not in self._auto}
        for r in self.plan.rows:
            if id(r) in self._auto and r.code in written and r.new is not None:
                r.code = self.new_code(avoid=written)
                r.new["code"] = r.code

    def same_code(self, row: ReportRow, norm: str) -> bool:
        """One 项目编号 on two rows naming different projects is refused (True)."""
        code = row.values.get("code")
        if not code:
            return False
        first = self._codes.setdefault(code, (norm, row.sheet, row.row))
        if first[0] != norm:
            place = row_place(first[1], first[2])
            self.problem(
                row,
                "code",
                f"项目编号与{place}的新项目相同；一个编号只能给一个项目"
                if code not in self.state.by_code
                else f"项目编号与{place}相同，但项目名称不同；一个编号只能对应一个项目，请核对编号",
            )
            return True
        return False

    def plan_row(self, row: ReportRow) -> None:
        v = row.values
        name: str = v["name"]
        norm = norm_project_name(name)
        roles: dict[str, frozenset[str]] = {}
        for role in ("sourcing", "landing", "compiling"):
            codes = self.units_of(row, f"roles:{role}")
            if codes is not None:
                roles[role] = codes
        if v.get("leader_name"):
            leader = self.leader_of(v["leader_name"])
            if leader is not None:
                roles["leader"] = self.shared(frozenset({leader}))
        if self.same_code(row, norm):
            return
        pid, linked = self.identify(row, norm)
        if pid is False:
            return
        if pid is not None and (into := self.state.projects[pid]["merged_into_id"]):
            keep = self.state.projects.get(into, {}).get("code", "?")
            self.problem(row, "code", f"项目已并入 {keep}（projects merge）；请改填项目编号 {keep}")
            return
        # (sheet, row), not the row: rows are released as they are planned
        here = (row.sheet, row.row)
        if pid is not None:
            first = self._seen.setdefault(pid, here)
            if first != here:
                self.problem(row, "name", f"与{row_place(*first)}是同一项目，一个项目只能填一行")
                return
        else:
            first = self._seen_new.setdefault(norm, here)
            if first != here:
                self.problem(row, "name", f"与{row_place(*first)}项目名称相同，一个项目只能填一行")
                return
        self.check_scope(row, pid, roles, linked)
        values = {k: v[k] for k in TRACKED if k in v}
        self.stage_rules(row, pid, values)
        current = self.state.projects.get(pid) if pid is not None else None
        when = self.plan.report_date
        latest = current["last_reported_on"] if current is not None else None
        if current is not None and when is not None and latest is not None and latest > when:
            # A report older than the project's latest one (a late or re-sent old week)
            # must not overwrite newer figures: the row is left out, and said so.
            self.plan.warnings.append(
                f"{row.where}「{name}」：本表填报日期 {when.isoformat()} 早于该项目最近一次报送"
                f"（{latest.isoformat()}），为免旧数据覆盖新数据，本行未更新该项目"
            )
            self.plan.rows.append(RowPlan(row.row, name, pid, current["code"], {}, False))
            return
        if when is not None and (
            current is None or not current["last_reported_on"] or current["last_reported_on"] < when
        ):
            values["last_reported_on"] = when
        changes: dict[str, tuple[Any, Any]] = {}
        if current is None:
            code = v.get("code") or self.reuse_codes.get(norm) or self.new_code()
            if code in self.state.by_code:
                self.problem(row, "code", "项目编号已被其他项目使用")
            first = self._new_codes.setdefault(code, here)
            if first != here:
                self.problem(
                    row,
                    "code",
                    f"项目编号与{row_place(*first)}的新项目相同；一个编号只能给一个项目",
                )
            values["code"] = code
            values.setdefault("name", name)
            if "stage" not in values:
                self.problem(row, "stage", "新项目须填写项目阶段（或签约、开工等日期）")
            new = {k: x for k, x in values.items() if x is not None}
            for role, codes in sorted(roles.items()):
                if codes:
                    new[ROLE_KEYS[role]] = codes
            planned = RowPlan(row.row, name, None, code, {}, True, new=new, norm=norm)
            if not v.get("code") and norm not in self.reuse_codes:
                self._auto.add(id(planned))
            self.plan.rows.append(planned)
            return
        code = current["code"]
        if "extra" in values:  # a blank cell changes nothing: merge into what is kept
            values["extra"] = {**(current["extra"] or {}), **values["extra"]}
        for k, x in values.items():
            if not same(current[k], x):
                changes[k] = (current[k], x)
        held = self.state.roles.get(pid or 0, {})
        for role, codes in sorted(roles.items()):
            old = frozenset(held.get(role, set()))
            if self.plan.unit is not None and role in OWN_ROLES:
                codes = self.own_part(row, role, old, codes)
            if old != codes:
                changes[f"roles:{role}"] = (old or None, codes or None)
        substantive = len(changes) > ("last_reported_on" in changes)
        self.plan.rows.append(RowPlan(row.row, name, pid, code, changes, substantive, norm=norm))

    def identify(self, row: ReportRow, norm: str) -> tuple[int | bool | None, bool]:
        """(project id or None for new, linked?); (False, _) when the row is refused."""
        by_row = str(row.row) if row.sheet is None else None  # rows repeat across sheets
        link = (by_row and self.links.get(by_row)) or self.links.get(norm)
        if link:
            pid = self.state.by_code.get(link)
            if pid is None:
                self.problem(row, "name", f"--link 指定的项目编号 {link} 不存在")
                return False, True
            return pid, True
        code = row.values.get("code")
        if code and code in self.state.by_code:
            return self.state.by_code[code], False
        scope = [p for p in self.state.by_norm.get(norm, []) if self.in_scope(p, row)]
        if len(scope) > 1:
            self.problem(row, "name", "本单位有多个同名项目；请填写项目编号")
            return False, False
        if scope:
            if code:
                other = self.state.projects[scope[0]]["code"]
                self.problem(
                    row, "code", f"台账中同名项目的编号是 {other}，与所填编号不一致；请核对"
                )
                return False, False
            return scope[0], False
        if by_row not in self.new and norm not in self.new:
            twins = self.lookalikes(row, norm)
            if twins:
                shown = "；".join(self.state.describe(p, self.index) for p in twins[:3])
                key = by_row or row.values["name"]
                mine = [p for p in twins if self.linkable(p, row)]
                same = (
                    f"是同一项目请加 --link {key}={self.state.projects[mine[0]]['code']}"
                    if mine
                    else "是同一项目请由县招商中心用汇总表（--all-units，写明项目编号）报送"
                )
                self.problem(
                    row,
                    "name",
                    f"疑似与已有项目重复：{shown}。{same}，确是新项目请加 --new {key}",
                    clerk=f"疑似与已有项目重复：{shown}。是同一项目请在「项目编号」栏填写已有项目的编号；"
                    "确是另一个新项目请在项目名称中写明区别，并告知县招商中心",
                )
                return False, False
        return None, False

    def stage_rules(self, row: ReportRow, pid: int | None, values: dict[str, Any]) -> None:
        stage_rules(self, row, pid, values)

    def new_code(self, avoid: set[str] | frozenset[str] = frozenset()) -> str:
        """ZS<year><4 digits>: stable once given, printed on the next template."""
        year = (self.plan.report_date or self.today).year
        prefix = f"ZS{year}"
        if prefix not in self._next_seq:
            pattern = re.compile(rf"^{prefix}(\d{{4}})$")
            used = [int(m.group(1)) for c in self.state.by_code if (m := pattern.match(c))]
            used += [int(m.group(1)) for c in self.reuse_codes.values() if (m := pattern.match(c))]
            self._next_seq[prefix] = max(used, default=0)
        self._next_seq[prefix] += 1
        code = f"{prefix}{self._next_seq[prefix]:04d}"
        while (
            code in self.state.by_code
            or code in avoid
            or code in self._codes
            or code in self._stated
        ):
            self._next_seq[prefix] += 1
            code = f"{prefix}{self._next_seq[prefix]:04d}"
        return code
