"""What a plan needs of the ledger, loaded in a few queries (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from zsyz.domain.names import norm_project_name
from zsyz.store.history import PROJECT, ROLES
from zsyz.store.tables import Unit
from zsyz.store.units import UnitIndex


@dataclass
class LedgerState:
    """What a plan needs of the ledger, loaded in a few queries (no ORM objects)."""

    projects: dict[int, dict[str, Any]]
    by_code: dict[str, int]
    roles: dict[int, dict[str, set[str]]]
    by_norm: dict[str, list[int]]
    by_investor: dict[str, list[int]]

    @classmethod
    def load(cls, session: Session) -> LedgerState:
        projects = {r.id: dict(r._mapping) for r in session.execute(select(PROJECT))}
        codes: dict[int, str] = dict(session.execute(select(Unit.id, Unit.code)).all())  # type: ignore[call-overload]
        roles: dict[int, dict[str, set[str]]] = {}
        for pid, uid, role in session.execute(
            select(ROLES.c.project_id, ROLES.c.unit_id, ROLES.c.role)
        ):
            roles.setdefault(pid, {}).setdefault(role, set()).add(codes[uid])
        by_norm: dict[str, list[int]] = {}
        by_investor: dict[str, list[int]] = {}
        for pid, p in projects.items():
            by_norm.setdefault(p["norm_name"], []).append(pid)
            if p["investor"]:
                by_investor.setdefault(norm_project_name(p["investor"]), []).append(pid)
        by_code = {p["code"]: pid for pid, p in projects.items()}
        return cls(projects, by_code, roles, by_norm, by_investor)

    def owners(self, pid: int) -> set[str]:
        r = self.roles.get(pid, {})
        return r.get("sourcing", set()) | r.get("landing", set())

    def describe(self, pid: int, index: UnitIndex) -> str:
        p = self.projects[pid]
        units = [index.by_code[c].name for c in sorted(self.owners(pid)) if c in index.by_code]
        return f"{p['code']}「{p['name']}」（{'、'.join(units) or '无单位'}）"
