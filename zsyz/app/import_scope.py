"""Whose projects a unit's report may touch (issue 16: no takeover).

A unit's report changes only its own role and the projects it holds a role in; `--link`
joins a row only to a project of the reporting unit (or, in a county summary, of a unit
the row names); another unit's role is kept, and the sender told, unless a county summary
(`--all-units`) removes it. Mixed into `Planner` (app/import_plan.py).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from zsyz.domain.names import norm_project_name
from zsyz.io.weekly import ReportRow

if TYPE_CHECKING:
    from zsyz.app.import_plan import Plan
    from zsyz.app.plan_state import LedgerState
    from zsyz.store.units import UnitIndex

ROLE_LABELS = {
    "sourcing": "招引单位",
    "landing": "落地单位",
    "leader": "责任领导",
    "compiling": "编制单位",
}


class ScopeRules:
    plan: Plan
    state: LedgerState
    index: UnitIndex
    all_units: bool

    def problem(self, row: ReportRow | None, key: str | None, message: str) -> None:
        raise NotImplementedError

    def shared(self, codes: frozenset[str]) -> frozenset[str]:
        raise NotImplementedError

    def own_part(
        self, row: ReportRow, role: str, old: frozenset[str], codes: frozenset[str]
    ) -> frozenset[str]:
        """What a unit's own report may do to a role of a project it holds: add or drop
        itself. Other units' roles are kept as they are, and the sender is told."""
        assert self.plan.unit is not None
        me = self.plan.unit.code
        kept = old - {me}
        after = self.shared(kept | (codes & {me}))
        dropped, added = kept - codes, (codes - {me}) - kept
        where = f"{row.where}「{row.values['name']}」"
        if dropped:
            self.plan.warnings.append(
                f"{where}：本单位周报不能移除其他单位的{ROLE_LABELS[role]}"
                f"（{self.unit_names(dropped)}），已保留；如需移除，请由县招商中心用汇总表"
                "（--all-units）导入更正"
            )
        if added:
            self.plan.warnings.append(
                f"{where}：本单位周报不能为其他单位增加{ROLE_LABELS[role]}"
                f"（{self.unit_names(added)}），未采纳；请由相关单位报送或由县招商中心汇总导入"
            )
        return after

    def unit_names(self, codes: frozenset[str]) -> str:
        return "、".join(
            self.index.by_code[c].name if c in self.index.by_code else c for c in sorted(codes)
        )

    def in_scope(self, pid: int, row: ReportRow) -> bool:
        """Is this project among those a row is matched against by name?"""
        owners = self.state.owners(pid)
        if self.plan.unit is not None:
            return self.plan.unit.code in owners
        named = set()
        for key in ("roles:sourcing", "roles:landing"):
            for name in row.values.get(key) or ():
                unit = self.index.find(name)
                if unit is not None:
                    named.add(unit.code)
        return bool(owners & named) if named else True

    def lookalikes(self, row: ReportRow, norm: str) -> list[int]:
        found = list(self.state.by_norm.get(norm, []))
        investor = row.values.get("investor")
        if investor:
            for pid in self.state.by_investor.get(norm_project_name(investor), []):
                other = self.state.projects[pid]["norm_name"]
                if pid not in found and (
                    norm in other
                    or other in norm
                    or difflib.SequenceMatcher(None, norm, other).ratio() >= 0.6
                ):
                    found.append(pid)
        return found

    def check_scope(
        self, row: ReportRow, pid: int | None, roles: dict[str, frozenset[str]], linked: bool
    ) -> None:
        unit = self.plan.unit
        if linked and pid is not None and not self.may_link(row, pid, roles):
            return
        if unit is None:
            if (
                self.all_units
                and pid is None
                and not (roles.get("sourcing") or roles.get("landing"))
            ):
                self.problem(row, "name", "汇总表每个新项目须写明招引单位或落地单位")
            return
        named = roles.get("sourcing", frozenset()) | roles.get("landing", frozenset())
        if pid is None and unit.code not in named and "sourcing" not in roles:
            roles["sourcing"] = frozenset({unit.code})  # a unit reports what it brought in
        held = self.state.roles.get(pid, {}) if pid is not None else {}
        if pid is not None and unit.code not in self.state.owners(pid):
            self.problem(
                row,
                "name",
                f"项目 {self.state.describe(pid, self.index)} 的招引/落地单位不含{unit.name}，"
                "本单位周报不能修改；请由相关单位报送，或由县招商中心用 --all-units 导入汇总表",
            )
            return
        after = set(roles.get("sourcing", held.get("sourcing", set()))) | set(
            roles.get("landing", held.get("landing", set()))
        )
        if unit.code not in after:
            self.problem(
                row,
                "roles:sourcing" if "roles:sourcing" in row.values else "name",
                f"{unit.name}既不是该项目的招引单位也不是落地单位，不能在本单位周报中报送（县里的多单位汇总表请加 --all-units 导入）",
            )

    def linkable(self, pid: int, row: ReportRow) -> bool:
        """Could --link join this row to the project (see `may_link`)?"""
        owners = self.state.owners(pid)
        if self.plan.unit is not None:
            return self.plan.unit.code in owners
        return any(
            (u := self.index.find(n)) is not None and u.code in owners
            for key in ("roles:sourcing", "roles:landing")
            for n in row.values.get(key) or ()
        )

    def may_link(self, row: ReportRow, pid: int, roles: dict[str, frozenset[str]]) -> bool:
        """--link joins a row only to a project of the reporting unit, or in a county
        summary (--all-units) of a unit the row itself names: never a takeover."""
        owners = self.state.owners(pid)
        unit = self.plan.unit
        if unit is not None:
            if unit.code in owners:
                return True
            whose = f"不含{unit.name}"
        else:
            named = roles.get("sourcing", frozenset()) | roles.get("landing", frozenset())
            if named & owners:
                return True
            whose = "不含本行所写的招引/落地单位" if named else "而本行没有写招引/落地单位"
        self.problem(
            row,
            "name",
            f"--link 指定的项目 {self.state.describe(pid, self.index)} 的招引/落地单位{whose}，"
            "不能关联；只能关联本单位（汇总表为本行所写单位）的项目，确是新项目请用 --new",
        )
        return False
